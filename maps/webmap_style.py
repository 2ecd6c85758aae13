"""The web map's symbology: ``maps.style`` as the page's script reads it, and the legend.

Colours, shapes and labels come from ``maps.style``, so that the web map reads like the
static maps; nothing in here comes from an article.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

from geo.gazetteer.admin import admin1_index
from geo.models import PRECISION_EXACT, PRECISION_NEAR, PRECISION_REGION
from maps import style

# Event layers in the layer control, in drawing order, and the event types each one holds.
EVENT_LAYERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "advances": ("Advances and captures", ("advance", "capture")),
    "strikes": ("Strikes", ("strike",)),
    "front": ("Fighting, encirclement, control", ("fighting", "encirclement", "control")),
    "other": ("Other events", ("repelled", "withdrawal", "other")),
}
STANCE_LABELS = {"asserts": "asserts", "denies": "denies", "reports": "reports",
                 "no_response": "has not responded"}
PRECISION_LABELS = {PRECISION_EXACT: "the place itself", PRECISION_NEAR: "near the place",
                    PRECISION_REGION: "the oblast only"}
# The oblast shading's one hue: a brown that no status or actor colour is close to.
OBLAST_COUNT_FILL = "#8c510a"


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
        return f'<li><span class="fl-sym">{symbol}</span>{html.escape(label)}</li>'

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
        f'<p class="fl-credit">{html.escape(style.ATTRIBUTION)}</p></section></div>'
    )


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
