"""The layered web map: folium (Leaflet) with every claim traceable to its sources, offline.

folium lays out the page: the map, our own country and oblast polygons as the basemap, the
oblast layer shaded by event counts, one feature group per event layer and the layer
control. The events themselves travel as one JSON document that ``maps/static/webmap.js``
draws on a canvas: thousands of folium markers would each be a page of JavaScript, while a
canvas keeps 10 k+ events fluid. News text is untrusted, so it reaches the page only inside
that HTML-safe JSON and is put on screen as text, never as markup.
"""

from __future__ import annotations

import json
import math
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

from geo.admin import admin1_index
from geo.location import ADMIN1
from geo.models import PRECISION_EXACT, PRECISION_NEAR, PRECISION_REGION, Event
from maps import style
from maps.assets import Asset, inline_tag, leaflet_assets, own_assets
from maps.basemap import UKRAINE_BOUNDS, _lonlat_layers

# Event layers in the layer control, in drawing order, and the event types each one holds.
EVENT_LAYERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "advances": ("Advances and captures", ("advance", "capture")),
    "strikes": ("Strikes", ("strike",)),
    "other": ("Other events", ("repelled", "withdrawal", "other")),
}
ARROWS_LAYER = "Advance directions"
DENIED_LAYER = "Denied claims"
OBLAST_LAYER = "Events per oblast"
OFFLINE_BASE = "Outline map (offline)"
ONLINE_BASE = "OpenStreetMap (online)"
STANCE_LABELS = {"asserts": "asserts", "denies": "denies", "reports": "reports",
                 "no_response": "has not responded"}
PRECISION_LABELS = {PRECISION_EXACT: "the place itself", PRECISION_NEAR: "near the place",
                    PRECISION_REGION: "the oblast only"}
# The oblast shading's one hue: a brown that no status or actor colour is close to.
OBLAST_COUNT_FILL = "#8c510a"
COORD_DECIMALS = 3  # ~100 m: finer than the simplified polygons
_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)


def script_json(obj: Any) -> str:
    """JSON that cannot end its ``<script>`` element or open a comment, whatever the text."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def safe_url(url: str | None) -> str | None:
    """Only http(s) links become clickable: a ``javascript:`` URL from a feed must not."""
    return url if url and _SAFE_URL.match(url.strip()) else None


@dataclass(frozen=True)
class Arrow:
    """An advance drawn as a shaft from the origin and a triangular head at the event."""

    shaft: list[list[float]]  # [lat, lon] pairs
    head: list[list[float]]


def arrow(tail: tuple[float, float], tip: tuple[float, float], *, head_share: float = 0.3,
          max_head_deg: float = 0.25, half_angle_deg: float = 25.0) -> Arrow | None:
    """The arrow from ``tail`` to ``tip`` (both lat, lon), or None when they coincide.

    Worked in a local plane where a degree of longitude is shortened by cos(latitude), so the
    head looks the same on the Mercator map whichever way the arrow points.
    """
    (lat0, lon0), (lat1, lon1) = tail, tip
    k = math.cos(math.radians((lat0 + lat1) / 2))
    dx, dy = (lon1 - lon0) * k, lat1 - lat0
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return None
    ux, uy = dx / length, dy / length
    h = min(length * head_share, max_head_deg)
    w = h * math.tan(math.radians(half_angle_deg))
    bx, by = lon1 * k - ux * h, lat1 - uy * h

    def point(x: float, y: float) -> list[float]:
        return [round(y, 5), round(x / k, 5)]

    base = point(bx, by)
    head = [[lat1, lon1], point(bx - uy * w, by + ux * w), point(bx + uy * w, by - ux * w)]
    return Arrow(shaft=[[lat0, lon0], base], head=head)


def _valid(lat: float | None, lon: float | None) -> bool:
    return (lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon)
            and -90 <= lat <= 90 and -180 <= lon <= 180)


def placeable(event: Event) -> bool:
    """Whether the event has a location the map can draw."""
    return _valid(event.lat, event.lon)


def _origin_point(event: Event) -> tuple[float, float] | None:
    pts = [(t.lat, t.lon) for t in event.origin if _valid(t.lat, t.lon)]
    if not pts:
        return None
    return (sum(p[0] for p in pts if p[0] is not None) / len(pts),
            sum(p[1] for p in pts if p[1] is not None) / len(pts))


def _oblast_name(code: str | None) -> str | None:
    unit = admin1_index().get(code) if code else None
    return unit.name if unit else None


def place_label(event: Event) -> str:
    names = dict.fromkeys(t.resolved_name or t.name for t in event.places)
    return ", ".join(names) or _oblast_name(event.admin1) or "unnamed place"


def event_record(event: Event) -> dict[str, Any] | None:
    """What the page needs to draw and explain one event; None when it has no location."""
    if not placeable(event):
        return None
    lat, lon = float(event.lat or 0.0), float(event.lon or 0.0)
    rec: dict[str, Any] = {
        "id": event.id, "type": event.type, "actor": event.actor, "status": event.status,
        "lat": round(lat, 5), "lon": round(lon, 5),
        "date": event.date.isoformat() if event.date else None,
        "place": place_label(event),
    }
    optional = {
        "date_precision": event.date_precision if event.date_precision != "day" else None,
        "sub_type": event.sub_event_type, "summary": event.summary,
        "admin1": event.admin1, "precision": event.precision,
        "region_only": event.precision == PRECISION_REGION or event.geometry_kind == ADMIN1
        or None,
    }
    rec.update({k: v for k, v in optional.items() if v is not None})
    origin = _origin_point(event)
    shape = arrow(origin, (lat, lon)) if origin else None
    if shape:
        rec["arrow"] = {"shaft": shape.shaft, "head": shape.head}
    deniers = [a for a in event.attestations if a.stance == "denies"]
    if deniers:
        rec["denied_by"] = deniers[0].claimant_side or "unknown"
    rec["sources"] = [_source(a) for a in event.attestations]
    return rec


def _source(a: Any) -> dict[str, Any]:
    src = {"article": a.article_id, "stance": a.stance, "quote": a.quote,
           "claimant": a.claimant, "outlet": a.outlet,
           "url": safe_url(a.url), "link_text": a.url if a.url and not safe_url(a.url) else None,
           "published": a.published.isoformat() if a.published else None,
           "said_on": a.said_on.isoformat() if a.said_on and a.said_on != a.published
           else None}
    return {k: v for k, v in src.items() if v is not None}


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


def oblast_features(totals: Mapping[str, tuple[int, dict[str, int]]]) -> dict[str, Any]:
    """Ukraine's oblasts, plus any neighbouring unit with events, with their counts."""
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
        feats.append({"type": "Feature", "properties": props, "geometry": f["geometry"]})
    return {"type": "FeatureCollection", "features": feats}


def count_opacity(count: float, top: float) -> float:
    """Fill opacity grows with the square root of the count, so one busy oblast does not
    wash out the rest."""
    return 0.0 if count <= 0 or top <= 0 else round(0.08 + 0.37 * math.sqrt(count / top), 3)


def _shape_points(svg_path: str) -> list[list[float]] | None:
    """Vertices of a marker shape's SVG path (M/L/H/V/Z only); None for arcs (a circle)."""
    tokens = re.findall(r"[MLHVZA]|-?\d+(?:\.\d+)?", svg_path)
    if "A" in tokens:
        return None
    pts: list[list[float]] = []
    x = y = 0.0
    i = 0
    while i < len(tokens):
        cmd = tokens[i]
        if cmd in ("M", "L"):
            x, y = float(tokens[i + 1]), float(tokens[i + 2])
            i += 3
        elif cmd == "H":
            x, i = float(tokens[i + 1]), i + 2
        elif cmd == "V":
            y, i = float(tokens[i + 1]), i + 2
        else:
            i += 1
            continue
        pts.append([x, y])
    return pts


def page_style() -> dict[str, Any]:
    """The shared symbology (``maps.style``) as the page's script reads it."""
    return {
        "status_colors": style.STATUS_COLORS, "status_labels": style.STATUS_LABELS,
        "status_dash": style.STATUS_DASHARRAY,
        "actor_colors": style.ACTOR_COLORS, "actor_labels": style.ACTOR_LABELS,
        "type_labels": style.TYPE_LABELS,
        "type_shapes": {t: _shape_points(style.type_shape(t).svg_path)
                        for t in style.TYPE_SHAPES},
        "type_layers": {t: key for key, (_, types) in EVENT_LAYERS.items() for t in types},
        "stance_labels": STANCE_LABELS, "precision_labels": PRECISION_LABELS,
        "oblasts": {u.iso: u.name for u in admin1_index().units}, "water": style.WATER,
        "attribution": style.ATTRIBUTION,
    }


def legend_html(dom_id: str, top_count: int) -> str:
    """The legend, from the same symbology as the static maps (no article text in here)."""
    def row(symbol: str, label: str) -> str:
        return f'<li><span class="fl-sym">{symbol}</span>{_esc(label)}</li>'

    def swatch(fill: str, stroke: str, dash: str | None = None) -> str:
        d = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'<svg width="18" height="18" viewBox="0 0 18 18"><circle cx="9" cy="9" r="6" '
                f'fill="{fill}" stroke="{stroke}" stroke-width="2"{d}/></svg>')

    status = [row(swatch(c, c), style.STATUS_LABELS[s]) for s, c in style.STATUS_COLORS.items()]
    types = [row(style.marker_svg(t, "reported", "unknown", 16), label)
             for t, label in style.TYPE_LABELS.items()]
    actors = [row(swatch("none", c), style.ACTOR_LABELS[a]) for a, c in style.ACTOR_COLORS.items()]
    arrow_svg = ('<svg width="18" height="18" viewBox="0 0 18 18"><path d="M2 9 H12" '
                 f'stroke="{style.ACTOR_COLORS["RU"]}" stroke-width="2"/><path d="M11 5 L17 9 '
                 f'L11 13 Z" fill="{style.ACTOR_COLORS["RU"]}"/></svg>')
    ring = swatch("none", style.ACTOR_COLORS["UA"], "3 2")
    shade = (f'<span class="fl-ramp" style="background:linear-gradient(to right,'
             f'{_rgba(OBLAST_COUNT_FILL, count_opacity(1, 1e9))},'
             f'{_rgba(OBLAST_COUNT_FILL, count_opacity(1, 1))})"></span>')
    return (
        f'<div id="{dom_id}" class="fl-legend" hidden>'
        f'<section><h3>Fill: how sure</h3><ul>{"".join(status)}</ul>'
        f'<h3>Outline: who</h3><ul>{"".join(actors)}</ul></section>'
        f'<section><h3>Shape: what happened</h3><ul>{"".join(types)}</ul></section>'
        f'<section class="fl-wide"><ul>{row(arrow_svg, "Advance, from where it started")}'
        f'{row(ring, "Dashed ring: a source denies it (colour: who denies)")}</ul>'
        f'<h3>Events per oblast</h3><p>{shade}<span>1 … {top_count}</span></p>'
        f'<p class="fl-credit">{_esc(style.ATTRIBUTION)}</p></section></div>'
    )


def _esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


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
                        {{ this.data_id|tojson }}, {{ this.legend_id|tojson }});
        {% endmacro %}
    """)

    def __init__(self, layers: Mapping[str, Element], data_id: str, legend_id: str) -> None:
        super().__init__()
        self._name = "FrontlineMount"
        self.js_layers = "{" + ", ".join(f'"{k}": {v.get_name()}' for k, v in layers.items()) + "}"
        self.data_id = data_id
        self.legend_id = legend_id


def _add_basemap(m: WebMap, online_tiles: bool) -> None:
    """Our own polygons under everything, in a pane that takes no clicks."""
    folium.map.CustomPane("fl-base", z_index=250, pointer_events=False).add_to(m)
    base = folium.FeatureGroup(name=OFFLINE_BASE, overlay=not online_tiles,
                               control=online_tiles).add_to(m)
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name=ONLINE_BASE, overlay=False, show=False,
                         attr="© OpenStreetMap contributors").add_to(m)
    countries, _ = _basemap_geojson()
    folium.GeoJson(countries, pane="fl-base", interactive=False, style_function=lambda f: {
        "color": style.COUNTRY_BORDER, "weight": 1, "fillOpacity": 1,
        "fillColor": style.UKRAINE if f["properties"]["country"] == "UA" else style.LAND,
    }).add_to(base)
    folium.GeoJson(oblast_features({}), pane="fl-base", interactive=False,
                   style_function=lambda f: {"color": style.BORDER, "weight": 0.7,
                                             "fill": False}).add_to(base)


def _add_oblast_counts(m: WebMap, totals: Mapping[str, tuple[int, dict[str, int]]],
                       top: int) -> Element:
    return folium.GeoJson(
        oblast_features(totals), name=OBLAST_LAYER, smooth_factor=0.5,
        style_function=lambda f: {
            "color": style.BORDER, "weight": 0.7, "fillColor": OBLAST_COUNT_FILL,
            "fillOpacity": count_opacity(f["properties"]["count"], top)},
        tooltip=folium.GeoJsonTooltip(fields=["name", "events"], aliases=["Oblast", "Events"]),
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


def build_map(events: Sequence[Event], counts: Mapping[str, Any] | None, *,
              asset_base: str | None = None, online_tiles: bool = False) -> WebMap:
    """The folium map of ``events``; ``counts`` (ISO code -> number, or -> {status: number})
    shades the oblasts, and defaults to counting ``events``."""
    m = WebMap(asset_base=asset_base, tiles=None, prefer_canvas=True, control_scale=True,
               location=[48.4, 31.2], zoom_start=6)
    _add_basemap(m, online_tiles)
    totals = count_totals(counts, events)
    top = max((t for t, _ in totals.values()), default=0)
    records = [r for r in (event_record(e) for e in events) if r is not None]
    records.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["id"]))
    groups: dict[str, Element] = {"oblasts": _add_oblast_counts(m, totals, top)}
    groups.update(_add_event_layers(m, records))
    folium.LayerControl(collapsed=False).add_to(m)
    west, south, east, north = UKRAINE_BOUNDS
    m.fit_bounds([[south, west], [north, east]])

    data_id, legend_id = f"frontline-data-{m.get_name()}", f"frontline-legend-{m.get_name()}"
    doc = {"style": page_style(), "events": records, "unmapped": len(events) - len(records)}
    m.figure.html.add_child(Verbatim(
        f'<script type="application/json" id="{data_id}">{script_json(doc)}</script>'))
    m.figure.html.add_child(Verbatim(legend_html(legend_id, top)))
    _Mount(groups, data_id, legend_id).add_to(m)
    return m


def render_html(events: Sequence[Event], counts: Mapping[str, Any] | None, *,
                asset_base: str | None = None, online_tiles: bool = False) -> str:
    """The whole page. ``asset_base=None`` inlines everything (a standalone file that works
    from ``file://``); a URL such as ``/static/leaflet`` links Leaflet from there instead."""
    html: str = build_map(events, counts, asset_base=asset_base,
                          online_tiles=online_tiles).figure.render()
    return html


def write_html(path: Path, events: Sequence[Event], counts: Mapping[str, Any] | None, *,
               online_tiles: bool = False) -> Path:
    """A standalone map file, written whole or not at all."""
    html = render_html(events, counts, asset_base=None, online_tiles=online_tiles)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
