"""The on-disk index: where it lives and which version it is.

Both the index reader and the builder depend on these; neither imports the other.
"""

from __future__ import annotations

import os
from pathlib import Path

from geo.errors import FrontlineError

INDEX_VERSION = 17
INDEX_FILE = "gazetteer.pkl"
IMPORTED_FILE = "imported.pkl"


class GazetteerError(FrontlineError):
    """A gazetteer file is missing, corrupt or of another version."""


class StaleIndexError(GazetteerError):
    """The index was built by another version of Frontline."""


def data_dir() -> Path:
    """Where built indexes live: ``$FRONTLINE_DATA_DIR`` or the user cache directory."""
    env = os.environ.get("FRONTLINE_DATA_DIR")
    if env:
        return Path(env)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "frontline"
