"""Where the web map's JavaScript and CSS come from: declared packages and our own files.

Leaflet is the pip package ``django-js-lib-leaflet`` (Leaflet 1.9.4's static files and nothing
else); the map's own behaviour lives in ``maps/static``. A page either inlines all of it, so
that one HTML file works from ``file://`` with no network, or links Leaflet from a URL that
the API serves from the same package. Nothing is ever fetched from a CDN.
"""

from __future__ import annotations

import base64
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.errors import FrontlineError

LEAFLET_PACKAGE = "js_lib_leaflet"
OWN_STATIC = Path(__file__).resolve().parent / "static"
_CSS_URL = re.compile(r"url\((['\"]?)(images/[\w.-]+\.png)\1\)")
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
_MIME = {".png": "image/png"}


class AssetError(FrontlineError):
    """A web asset is missing: the package that ships it is not installed."""


@dataclass(frozen=True)
class Asset:
    """One JavaScript or CSS file, named as folium names its resources."""

    name: str
    path: Path

    @property
    def kind(self) -> str:
        return "css" if self.path.suffix == ".css" else "js"


def leaflet_static_dir() -> Path:
    """The folder holding ``leaflet.js``, ``leaflet.css`` and ``images/`` (for the API to mount)."""
    spec = importlib.util.find_spec(LEAFLET_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise AssetError("Leaflet is not installed: pip install 'frontline[web]' "
                         "(it needs the package django-js-lib-leaflet)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "static" / LEAFLET_PACKAGE
    if not (folder / "leaflet.js").is_file():
        raise AssetError(f"{folder}: leaflet.js is missing; reinstall django-js-lib-leaflet")
    return folder


def leaflet_assets() -> tuple[Asset, Asset]:
    folder = leaflet_static_dir()
    return Asset("leaflet", folder / "leaflet.js"), Asset("leaflet_css", folder / "leaflet.css")


def own_assets() -> tuple[Asset, ...]:
    return (Asset("frontline_webmap", OWN_STATIC / "webmap.js"),
            Asset("frontline_webmap_places", OWN_STATIC / "webmap_places.js"),
            Asset("frontline_webmap_panel", OWN_STATIC / "webmap_panel.js"),
            Asset("frontline_webmap_state", OWN_STATIC / "webmap_state.js"),
            Asset("frontline_webmap_css", OWN_STATIC / "webmap.css"))


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix, "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def inline_css(path: Path) -> str:
    """CSS with its relative image URLs turned into data URIs, so no file is looked up."""
    css = path.read_text(encoding="utf-8")
    return _CSS_URL.sub(lambda m: f"url({_data_uri(path.parent / m.group(2))})", css)


def inline_js(path: Path) -> str:
    """Script text safe inside a ``<script>`` element (no early ``</script>``, no source map)."""
    js = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


@lru_cache(maxsize=8)
def inline_tag(asset: Asset) -> str:
    """The asset as an inline ``<script>`` or ``<style>`` element."""
    if not asset.path.is_file():
        raise AssetError(f"{asset.path}: web map asset is missing")
    if asset.kind == "css":
        return f"<style>\n{inline_css(asset.path)}\n</style>"
    return f"<script>\n{inline_js(asset.path)}\n</script>"
