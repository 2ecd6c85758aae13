from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from api_store import api_store_url  # noqa: F401  (a filled store for the API tests)
from postgis_server import postgis_server, postgis_url  # noqa: F401  (real PostGIS fixtures)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = ROOT / "seeds"

os.environ.setdefault("FRONTLINE_DATA_DIR", str(ROOT / ".frontline" / "data"))


@pytest.fixture(scope="session")
def gazetteer():
    from geo.gazetteer.default import default_gazetteer

    return default_gazetteer()


@pytest.fixture(scope="session")
def parser(gazetteer):
    """One geoparser for the whole run: loading the model and the index is the slow part."""
    from geo.parse.geoparse import Geoparser

    return Geoparser(gazetteer=gazetteer)


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
