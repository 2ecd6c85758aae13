"""The layered web map: folium (Leaflet) with every claim traceable to its sources, offline.

folium lays out the page: the map, our own country and oblast polygons as the basemap, the
oblast layer shaded by event counts, one feature group per event layer and the layer
control. The events themselves travel as columns in one JSON document that
``maps/static/webmap.js`` draws on a canvas: thousands of folium markers would each be a page
of JavaScript, while a canvas keeps 100 k events fluid. What only a popup or a download needs
(the sources and their quotes, most of the bytes) follows in gzip'd chunks that the page
unpacks when asked. News text is untrusted, so it reaches the page only inside HTML-safe JSON
or base64 and is put on screen as text, never as markup.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import folium
import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from geo.errors import FrontlineError
from geo.models import Event
from maps import style
from maps.assets import Asset, inline_tag, leaflet_assets, own_assets
from maps.basemap import UKRAINE_BOUNDS, _lonlat_layers
from maps.control import ControlView
from maps.webmap_places import places_document
from maps.webmap_records import DETAIL_CHUNK, detail_chunks, event_record, page_columns, script_json
from maps.webmap_style import (
    EVENT_LAYERS,
    OBLAST_COUNT_FILL,
    count_opacity,
    legend_html,
    page_style,
)

ARROWS_LAYER = "Advance directions"
DENIED_LAYER = "Denied claims"
OBLAST_LAYER = "Events per oblast"
OFFLINE_BASE = "Outline map (offline)"
ONLINE_BASE = "OpenStreetMap (online)"
COORD_DECIMALS = 3  # ~100 m: finer than the simplified polygons
_TILE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


class TileError(FrontlineError):
    """An online base layer that cannot be offered as asked."""


@dataclass(frozen=True)
class TileSource:
    """An XYZ tile server offered as a base layer: never the default, always credited."""

    url: str
    attribution: str
    name: str = "Tiles (online)"


OSM_TILES = TileSource("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                       "© OpenStreetMap contributors", ONLINE_BASE)


def tile_source(url: str, attribution: str | None, name: str | None = None) -> TileSource:
    """A checked tile source: an http(s) template with {z}, {x} and {y}, and a credit (tile
    servers' terms ask for one, and the reader should see whose map is underneath)."""
    url = url.strip()
    if not _TILE_URL.match(url) or not all(f"{{{k}}}" in url for k in "zxy"):
        raise TileError(f"tile URL {url!r}: give an http(s) template with {{z}}, {{x}} and "
                        "{y}, e.g. https://tile.example.org/{z}/{x}/{y}.png")
    if not attribution or not attribution.strip():
        raise TileError("a tile server needs its attribution (--tiles-attribution)")
    host = url.split("/")[2]
    return TileSource(url, attribution.strip(), name or f"{host} (online)")
ZOOM_START = 6


def count_totals(counts: Mapping[str, Any] | None,
                 events: Sequence[Event]) -> dict[str, tuple[int, dict[str, int]]]:
    """ISO code -> (total, breakdown) from the store's counts, or from the events if None."""
    if counts is None:
        derived: dict[str, dict[str, int]] = {}
        for e in events:
            if e.admin1:
                by = derived.setdefault(e.admin1, {})
                by[e.status] = by.get(e.status, 0) + 1
        counts = derived
    out: dict[str, tuple[int, dict[str, int]]] = {}
    for iso, value in counts.items():
        if isinstance(value, Mapping):
            by = {str(k): int(v) for k, v in value.items() if int(v)}
            out[str(iso)] = (sum(by.values()), by)
        else:
            out[str(iso)] = (int(value), {})
    return out


def _rounded(geom: Any) -> Any:
    return shapely.transform(geom, lambda c: np.round(c, COORD_DECIMALS))


@lru_cache(maxsize=1)
def _basemap_geojson() -> tuple[dict[str, Any], dict[str, Any]]:
    admin1, countries = _lonlat_layers()
    countries = countries.assign(geometry=_rounded(countries.geometry.values))
    admin1 = admin1.assign(geometry=_rounded(admin1.geometry.values))
    return (json.loads(countries[["country", "name", "geometry"]].to_json(drop_id=True)),
            json.loads(admin1[["iso", "country", "name", "geometry"]].to_json(drop_id=True)))


def oblast_features(totals: Mapping[str, tuple[int, dict[str, int]]],
                    implausible: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Ukraine's oblasts, plus any neighbouring unit with events, with their counts;
    ``implausible`` (ISO code -> claims the line of contact makes implausible there, given
    where snapshots exist) adds that count."""
    _, admin1 = _basemap_geojson()
    feats = []
    for f in admin1["features"]:
        iso = f["properties"]["iso"]
        if f["properties"]["country"] != "UA" and iso not in totals:
            continue
        total, by = totals.get(iso, (0, {}))
        detail = ", ".join(f"{style.STATUS_LABELS.get(k, k).lower()} {v}"
                           for k, v in sorted(by.items()))
        props = dict(f["properties"], count=total,
                     events=f"{total} ({detail})" if detail else str(total))
        if implausible is not None:
            props["implausible"] = int(implausible.get(iso, 0))
        feats.append({"type": "Feature", "properties": props, "geometry": f["geometry"]})
    return {"type": "FeatureCollection", "features": feats}


class Verbatim(Element):
    """Markup placed in the page as it is.

    branca's ``Element(text)`` compiles its text as a Jinja template: article text inside it
    would be evaluated (``{{ … }}`` runs), so nothing of ours goes through that door.
    """

    def __init__(self, markup: str) -> None:
        super().__init__()
        self._markup = markup

    def render(self, **kwargs: Any) -> str:
        return self._markup


class WebMap(folium.Map):
    """A folium map whose Leaflet is ours: inlined, or linked from ``asset_base``.

    folium's ``default_js``/``default_css`` are class lists shared by every map (and point
    at CDNs); each WebMap gets lists of its own instead.
    """

    def __init__(self, *, asset_base: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        js, css = leaflet_assets()
        if asset_base is None:
            self.default_js: list[tuple[str, str]] = []
            self.default_css: list[tuple[str, str]] = []
            head: Iterable[Asset] = (js, css, *own_assets())
        else:
            base = asset_base.rstrip("/")
            self.default_js = [(js.name, f"{base}/{js.path.name}")]
            self.default_css = [(css.name, f"{base}/{css.path.name}")]
            head = own_assets()
        self.figure.title = "Frontline map"
        self.figure.header.add_child(Verbatim('<link rel="icon" href="data:,">'),
                                     name="no_favicon")
        for asset in head:
            self.figure.header.add_child(Verbatim(inline_tag(asset)), name=asset.name)

    @property
    def figure(self) -> Figure:
        root = self.get_root()
        assert isinstance(root, Figure)
        return root


class _Mount(MacroElement):
    """Hands the feature groups and the event document to ``Frontline.mount``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        Frontline.mount({{ this._parent.get_name() }}, {{ this.js_layers }},
                        {{ this.data_id|tojson }}, {{ this.legend_id|tojson }},
                        {{ this.control_id|tojson }}, {{ this.switcher }});
        {% endmacro %}
    """)

    def __init__(self, layers: Mapping[str, Element], data_id: str, legend_id: str,
                 control_id: str | None, switcher: Element) -> None:
        super().__init__()
        self.switcher = switcher.get_name()
        self._name = "FrontlineMount"
        self.js_layers = "{" + ", ".join(f'"{k}": {v.get_name()}' for k, v in layers.items()) + "}"
        self.data_id = data_id
        self.legend_id = legend_id
        self.control_id = control_id


def _add_basemap(m: WebMap, tiles: TileSource | None) -> None:
    """Our own polygons under everything, in a pane that takes no clicks; an online tile
    layer, where one is given, is a second base layer that the reader must choose."""
    folium.map.CustomPane("fl-base", z_index=250, pointer_events=False).add_to(m)
    online = tiles is not None
    base = folium.FeatureGroup(name=OFFLINE_BASE, overlay=not online,
                               control=online).add_to(m)
    if tiles is not None:
        folium.TileLayer(tiles.url, name=tiles.name, overlay=False, show=False,
                         attr=html.escape(tiles.attribution)).add_to(m)
    countries, _ = _basemap_geojson()
    folium.GeoJson(countries, pane="fl-base", interactive=False, style_function=lambda f: {
        "color": style.COUNTRY_BORDER, "weight": 1, "fillOpacity": 1,
        "fillColor": style.UKRAINE if f["properties"]["country"] == "UA" else style.LAND,
    }).add_to(base)
    folium.GeoJson(oblast_features({}), pane="fl-base", interactive=False,
                   style_function=lambda f: {"color": style.BORDER, "weight": 0.7,
                                             "fill": False}).add_to(base)


def _add_oblast_counts(m: WebMap, totals: Mapping[str, tuple[int, dict[str, int]]],
                       top: int, implausible: Mapping[str, int] | None = None) -> Element:
    """Shaded by event count; an oblast with claims the line makes implausible is outlined
    in the line's colour, so that where the claims outrun the front shows at a glance."""
    fields, aliases = ["name", "events"], ["Oblast", "Events"]
    if implausible is not None:
        fields.append("implausible")
        aliases.append("Implausible claims")

    def outline(f: dict[str, Any]) -> dict[str, Any]:
        flagged = f["properties"].get("implausible", 0) > 0
        return {"color": style.CONTACT_LINE if flagged else style.BORDER,
                "weight": 2.5 if flagged else 0.7, "fillColor": OBLAST_COUNT_FILL,
                "fillOpacity": count_opacity(f["properties"]["count"], top)}

    return folium.GeoJson(
        oblast_features(totals, implausible), name=OBLAST_LAYER, smooth_factor=0.5,
        style_function=outline,
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
    ).add_to(m)


def _add_event_layers(m: WebMap, records: Sequence[dict[str, Any]]) -> dict[str, Element]:
    """Empty feature groups, named with their counts, that the page's script fills."""
    type_layers = page_style()["type_layers"]
    per_layer = {k: 0 for k in EVENT_LAYERS}
    for r in records:
        per_layer[type_layers.get(r["type"], "other")] += 1
    names = {key: f"{label} ({per_layer[key]})" for key, (label, _) in EVENT_LAYERS.items()}
    names["arrows"] = f"{ARROWS_LAYER} ({sum(1 for r in records if 'arrow' in r)})"
    names["denied"] = f"{DENIED_LAYER} ({sum(1 for r in records if 'denied_by' in r)})"
    return {key: folium.FeatureGroup(name=name).add_to(m) for key, name in names.items()}


def control_style() -> dict[str, Any]:
    return {"fill": style.CONTROL_FILL, "alpha": style.CONTROL_ALPHA,
            "change_fill": style.CHANGE_FILL, "change_alpha": style.CHANGE_ALPHA,
            "line": style.CONTACT_LINE}


def _add_control(m: WebMap, view: ControlView) -> dict[str, Element]:
    """Areas, line and changed ground under the events, each a layer of its own, at the
    level of detail of the opening zoom; the page script refills them when the time filter
    picks another snapshot or the zoom crosses into another level."""
    layers: dict[str, Element] = {}
    first = view.level_at(ZOOM_START)
    layers["control_areas"] = folium.GeoJson(
        view.areas_geojson(first), name=view.title, smooth_factor=0.5,
        style_function=lambda f: {"color": style.CONTROL_FILL[f["properties"]["status"]],
                                  "weight": 0.5, "fillOpacity": style.CONTROL_ALPHA,
                                  "fillColor": style.CONTROL_FILL[f["properties"]["status"]]},
        tooltip=folium.GeoJsonTooltip(fields=["label", "as_of", "source"],
                                      aliases=["Control", "As of", "Source"]),
    ).add_to(m)
    since = f" since {view.since.isoformat()}" if view.since else ""
    layers["control_changes"] = folium.GeoJson(
        view.changes_geojson(), name=f"Changed hands{since}",
        style_function=lambda f: {"color": style.CHANGE_FILL[f["properties"]["after"]],
                                  "weight": 1, "fillOpacity": style.CHANGE_ALPHA,
                                  "fillColor": style.CHANGE_FILL[f["properties"]["after"]]},
        tooltip=folium.GeoJsonTooltip(fields=["direction", "oblast", "km2"],
                                      aliases=["Changed hands", "Oblast", "Area"])
        if view.changes else None,
    ).add_to(m)
    layers["control_line"] = folium.GeoJson(
        view.line_geojson(first), name="Line of contact",
        style_function=lambda f: {"color": style.CONTACT_LINE, "weight": 2.5},
        tooltip=folium.GeoJsonTooltip(fields=["as_of", "km"], aliases=["Line as of", "Length"])
        if not view.line.is_empty else None,
    ).add_to(m)
    return layers


def build_map(events: Sequence[Event], counts: Mapping[str, Any] | None, *,
              asset_base: str | None = None, online_tiles: bool = False,
              control: ControlView | None = None,
              verdicts: Mapping[str, Mapping[str, Any]] | None = None,
              series: Sequence[ControlView] = (), tiles: TileSource | None = None,
              implausible: Mapping[str, int] | None = None) -> WebMap:
    """The folium map of ``events``; ``counts`` (ISO code -> number, or -> {status: number})
    shades the oblasts, and defaults to counting ``events``; ``control`` adds the areas of
    control, the line of contact and the ground that changed hands; ``verdicts`` (event id ->
    the line's judgement) go into the events' popups; ``series`` (views of several
    snapshots) lets the time filter swap the control layers to the snapshot in force;
    ``implausible`` (ISO code -> implausible claims) goes into the oblast layer."""
    m = WebMap(asset_base=asset_base, tiles=None, prefer_canvas=True, control_scale=True,
               location=[48.4, 31.2], zoom_start=ZOOM_START)
    _add_basemap(m, tiles or (OSM_TILES if online_tiles else None))
    totals = count_totals(counts, events)
    top = max((t for t, _ in totals.values()), default=0)
    judged = verdicts or {}
    records = [r for r in (event_record(e, judged.get(e.id)) for e in events) if r is not None]
    records.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["id"]))
    groups: dict[str, Element] = {"oblasts": _add_oblast_counts(m, totals, top, implausible)}
    control_layers = _add_control(m, control) if control is not None else {}
    groups.update(control_layers)
    groups.update(_add_event_layers(m, records))
    switcher = folium.LayerControl(collapsed=False).add_to(m)
    # Fitted to Ukraine by the page once its layout is known (``style.home``): fitted here
    # as well, the map would start a zoom animation that ends after, and undoes, that fit.
    west, south, east, north = UKRAINE_BOUNDS

    data_id, legend_id = f"frontline-data-{m.get_name()}", f"frontline-legend-{m.get_name()}"
    page = dict(page_style(), layer_labels=dict(
        {key: label for key, (label, _) in EVENT_LAYERS.items()},
        arrows=ARROWS_LAYER, denied=DENIED_LAYER), home=[[south, west], [north, east]])
    chunks = detail_chunks(records)
    doc = {"style": page, "columns": page_columns(records), "details": len(chunks),
           "detail_chunk": DETAIL_CHUNK,
           "unmapped": len(events) - len(records), "places": places_document(events)}
    m.figure.html.add_child(Verbatim(
        f'<script type="application/json" id="{data_id}">{script_json(doc)}</script>' + "".join(
            f'<script type="text/plain" id="{data_id}-{k}">{chunk}</script>'
            for k, chunk in enumerate(chunks))))
    m.figure.html.add_child(Verbatim(legend_html(legend_id, top)))
    control_id = None
    if control is not None:
        control_id = f"frontline-control-{m.get_name()}"
        follows = len(series) > 1  # one snapshot: nothing to swap as the window moves
        series_doc = {"style": control_style(), "follow": follows, "zooms": control.zooms,
                      "start_level": control.level_at(ZOOM_START),
                      "snapshots": [v.page_record() for v in (series if follows else [control])]}
        m.figure.html.add_child(Verbatim(
            f'<script type="application/json" id="{control_id}">{script_json(series_doc)}'
            '</script>'))
    _Mount(groups, data_id, legend_id, control_id, switcher).add_to(m)
    return m


def render_html(events: Sequence[Event], counts: Mapping[str, Any] | None, *,
                asset_base: str | None = None, online_tiles: bool = False,
                control: ControlView | None = None,
                verdicts: Mapping[str, Mapping[str, Any]] | None = None,
                series: Sequence[ControlView] = (), tiles: TileSource | None = None,
                implausible: Mapping[str, int] | None = None) -> str:
    """The whole page. ``asset_base=None`` inlines everything (a standalone file that works
    from ``file://``); a URL such as ``/static/leaflet`` links Leaflet from there instead."""
    page: str = build_map(events, counts, asset_base=asset_base, online_tiles=online_tiles,
                          control=control, verdicts=verdicts, series=series, tiles=tiles,
                          implausible=implausible).figure.render()
    return page.replace("<html>", '<html lang="en">', 1)


def write_html(path: Path, events: Sequence[Event], counts: Mapping[str, Any] | None, *,
               online_tiles: bool = False, control: ControlView | None = None,
               verdicts: Mapping[str, Mapping[str, Any]] | None = None,
               series: Sequence[ControlView] = (), tiles: TileSource | None = None,
               implausible: Mapping[str, int] | None = None) -> Path:
    """A standalone map file, written whole or not at all."""
    page = render_html(events, counts, asset_base=None, online_tiles=online_tiles,
                       control=control, verdicts=verdicts, series=series, tiles=tiles,
                       implausible=implausible)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
