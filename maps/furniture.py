"""Map furniture: the page layout, title and facts line, legend, scale bar, north arrow,
locator inset and credits: everything that tells a reader how to read the map and how far
to trust it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import matplotlib as mpl
import numpy as np
import pyproj
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.geometry import box

from geo.models import ACTORS, EVENT_TYPES, STATUSES, Event
from maps import style
from maps.basemap import Basemap
from maps.layers import Placed, lines, polygons, simplified

PANEL_IN = 2.7  # legend panel width, inches, at the reference size
REFERENCE_IN = (10.0, 7.5)  # the size at which type sizes are as written here

Box = tuple[float, float, float, float]  # figure fractions: x0, y0, width, height


@dataclass(frozen=True)
class Layout:
    """Where each part of the page goes, in figure fractions.

    ``k`` scales type, symbols and margins with the page, within limits that keep a small
    map legible and a large one from shouting.
    """

    width: float
    height: float
    k: float
    map_box: Box
    inset_box: Box
    legend_top: float
    title_y: float
    facts_y: float
    caption_y: float


def layout(width: float, height: float, title: bool, caption: bool) -> Layout:
    k = max(0.65, min(1.5, width / REFERENCE_IN[0], height / REFERENCE_IN[1]))
    pad, gap = 0.12 * k, 0.15 * k
    title_h = 0.33 * k if title else 0.0
    line_h = 0.18 * k
    facts_lines = 3 + (1 if caption else 0)
    top = pad + title_h + facts_lines * line_h + 0.1 * k
    bottom = 0.28 * k
    panel = min(PANEL_IN * k, 0.38 * width)
    map_w = width - 2 * pad - gap - panel
    map_box = (pad / width, bottom / height, map_w / width, (height - top - bottom) / height)
    inset_h = min(panel * 0.72, 0.3 * height)
    map_top = map_box[1] + map_box[3]
    inset_box = ((pad + map_w + gap) / width, map_top - inset_h / height, panel / width,
                 inset_h / height)
    title_y = 1 - pad / height
    facts_y = title_y - title_h / height
    return Layout(width, height, k, map_box, inset_box,
                  legend_top=inset_box[1] - 0.3 * k / height, title_y=title_y,
                  facts_y=facts_y, caption_y=facts_y - 3 * line_h / height)


def scale_bar(ax: Axes, lay: Layout) -> None:
    """A scale bar in the map's metres; the CRS is equal-area and centred, so it is true at the
    centre and within a few per cent across Ukraine."""
    ax.add_artist(ScaleBar(1, "m", location="lower left", length_fraction=0.22,
                           box_alpha=0.75, font_properties={"size": 8 * lay.k}))


def north_arrow(ax: Axes, to_map: pyproj.Transformer, lay: Layout) -> None:
    """A north arrow that points to true north where it stands (meridians converge)."""
    fx, fy = 0.955, 0.86
    x, y = ax.transData.inverted().transform(ax.transAxes.transform((fx, fy)))
    lon, lat = to_map.transform(x, y, direction="INVERSE")
    nx, ny = to_map.transform(lon, min(lat + 0.2, 89.0))
    angle = math.atan2(nx - x, ny - y)
    length = 26.0 * lay.k
    tail = (-length * math.sin(angle), -length * math.cos(angle))
    ax.annotate("", xy=(fx, fy), xycoords="axes fraction", xytext=tail,
                textcoords="offset points", zorder=8,
                arrowprops={"arrowstyle": "-|>,head_length=0.8,head_width=0.4",
                            "color": "#222222", "linewidth": 1.6 * lay.k})
    ax.annotate("N", xy=(fx, fy), xycoords="axes fraction",
                xytext=(7 * lay.k * math.sin(angle), 7 * lay.k * math.cos(angle)),
                textcoords="offset points", ha="center", va="center", fontsize=10 * lay.k,
                fontweight="bold", zorder=8)


def inset(fig: Figure, base: Basemap, extent: tuple[float, float, float, float],
          lay: Layout) -> None:
    """A locator map of Ukraine with the main map's frame on it."""
    ax = fig.add_axes(lay.inset_box)
    uxmin, uymin, uxmax, uymax = base.ukraine.bounds
    xmin, ymin = min(uxmin, extent[0]), min(uymin, extent[1])
    xmax, ymax = max(uxmax, extent[2]), max(uymax, extent[3])
    frame = (lay.inset_box[2] * lay.width) / (lay.inset_box[3] * lay.height)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    half_w = max(xmax - xmin, (ymax - ymin) * frame) / 2 * 1.08
    half_h = half_w / frame
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(style.WATER)
    near = simplified(base.countries.clip(box(cx - half_w, cy - half_h, cx + half_w,
                                              cy + half_h)), half_w / 300)
    polygons(ax, near, facecolor=style.LAND)
    polygons(ax, near[near["country"] == "UA"], facecolor="#cfcfcf")
    lines(ax, near, color="#666666", linewidth=0.4)
    ax.add_patch(Rectangle((extent[0], extent[1]), extent[2] - extent[0],
                           extent[3] - extent[1], fill=False, edgecolor="#d62728",
                           linewidth=1.3, zorder=5))
    ax.set_title("Ukraine: map area", fontsize=7.5 * lay.k, color="#444444", pad=2)


def legend(fig: Figure, placed: Sequence[Placed], lay: Layout) -> None:
    """Status always (it is how to read trust); types and actors as far as they are shown."""
    shown_types = {p.event.type for p in placed} or set(EVENT_TYPES)
    shown_actors = {p.event.actor for p in placed} or set(ACTORS) - {"unknown"}
    k = lay.k
    handles: list[Any] = []
    headers: list[int] = []

    def header(text: str) -> None:
        headers.append(len(handles))
        handles.append(Line2D([], [], linestyle="none", label=text))

    header("Status (fill; arrow line)")
    for s in reversed(STATUSES):
        handles.append(Line2D([0, 1], [0, 0], color="#555555",
                              linestyle=style.STATUS_DASH[s],  # type: ignore[arg-type]
                              linewidth=1.2 * k, marker="o", markersize=8 * k,
                              markerfacecolor=style.status_color(s), markeredgecolor="#333333",
                              label=style.STATUS_LABELS[s]))
    header("Event type (shape)")
    for t in EVENT_TYPES:
        if t in shown_types:
            shape = style.type_shape(t)
            handles.append(Line2D([], [], linestyle="none", marker=shape.mpl,
                                  markersize=8 * k * shape.scale, markerfacecolor="#d9d9d9",
                                  markeredgecolor="#333333", label=style.TYPE_LABELS[t]))
    header("Actor (outline; arrow)")
    for a in ACTORS:
        if a in shown_actors:
            handles.append(Line2D([0, 1], [0, 0], color=style.actor_color(a), linewidth=2 * k,
                                  label=style.ACTOR_LABELS[a]))
    if any(p.event.geometry_kind == "admin1" for p in placed):
        # Opaque: PDF and SVG draw a hatch at its fill's opacity (the map's own shading
        # keeps the two apart, see ``layers.shade_regions``).
        grey, white = np.array(mpl.colors.to_rgb("#777777")), np.ones(3)
        swatch = tuple(white + (grey - white) * style.REGION_ALPHA)
        handles.append(Patch(facecolor=swatch, edgecolor="#777777", hatch="////",
                             label="Located to an oblast only (name in italics)"))
    box_ = lay.inset_box
    leg = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(box_[0], lay.legend_top),
                     frameon=False, fontsize=7.5 * k, handlelength=2.2, borderaxespad=0,
                     borderpad=0, labelspacing=0.5, handletextpad=0.6)
    for i, text in enumerate(leg.get_texts()):
        if i in headers:
            text.set_fontweight("bold")


def date_range(events: Sequence[Event], start: date | None, end: date | None) -> str:
    """The dates asked for, else those of the events themselves."""
    dated = sorted(e.date for e in events if e.date)
    start = start or (dated[0] if dated else None)
    end = end or (dated[-1] if dated else None)
    if start and end:
        return f"{start.isoformat()} – {end.isoformat()}" if start != end else start.isoformat()
    if start:
        return f"from {start.isoformat()}"
    if end:
        return f"until {end.isoformat()}"
    return "undated"


def as_of(events: Sequence[Event], end: date | None) -> str | None:
    """What the map knows up to: the last article it counts, else its last event date, never
    past the end asked for."""
    days = [a.published for e in events for a in e.attestations if a.published]
    days = days or [e.date for e in events if e.date]
    last = max(days, default=None)
    if end is not None and (last is None or last > end):
        last = end
    return last.isoformat() if last else None


def outlets_line(events: Sequence[Event], most: int = 6) -> str:
    """The outlets counted, by how many of the articles each published, most first."""
    articles: dict[str, set[str]] = {}
    unnamed: set[str] = set()
    for e in events:
        for a in e.attestations:
            if a.outlet:
                articles.setdefault(a.outlet, set()).add(a.article_id)
            else:
                unnamed.add(a.article_id)
    ranked = sorted(articles.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold()))
    named = [f"{name} ({len(ids):,})" for name, ids in ranked[:most]]
    rest = len(ranked) - most
    text = "Outlets counted (articles): " + (", ".join(named) if named else "none named")
    if rest > 0:
        text += f" and {_plural(rest, 'other outlet')}"
    if unnamed:
        text += f"; {_plural(len(unnamed), 'article')} without a named outlet"
    return text


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' * (n != 1)}"


def texts(fig: Figure, lay: Layout, title: str | None, caption: str | None, dates: str,
          counts: dict[str, int], credit: str, known_as_of: str | None = None,
          outlets: str = "") -> None:
    """Title; the facts line (as of, dates, sources); the selection and what is left out; the
    outlets counted; credits."""
    k, left = lay.k, lay.map_box[0]
    if title:
        fig.text(left, lay.title_y, title, fontsize=14 * k, fontweight="bold", va="top")
    fig.text(left, lay.facts_y,
             (f"As of {known_as_of}   ·   " if known_as_of else "")
             + f"Dates: {dates}   ·   Sources: {_plural(counts['articles'], 'article')}, "
             f"{_plural(counts['attestations'], 'attestation')}",
             fontsize=8.5 * k, color="#333333", va="top")
    shown = f"Events: {counts['events']:,} selected, {counts['shown']:,} on the map"
    left_out = [f"{counts[key]:,} {what}" for key, what in (
        ("country_wide", "country-wide"), ("unlocated", "without a location"),
        ("outside", "outside the map area")) if counts[key]]
    if left_out:
        shown += f" (not shown: {', '.join(left_out)})"
    if counts["arrows_left_out"]:
        shown += (f"; arrows for the best-attested advances only "
                  f"({counts['arrows_left_out']:,} more not drawn)")
    fig.text(left, lay.facts_y - 0.18 * k / lay.height, shown, fontsize=8.5 * k,
             color="#333333", va="top")
    if outlets:
        fig.text(left, lay.facts_y - 0.36 * k / lay.height, outlets, fontsize=8 * k,
                 color="#333333", va="top")
    if caption:
        fig.text(left, lay.caption_y, caption, fontsize=8 * k, color="#555555", va="top",
                 style="italic")
    fig.text(left, 0.13 * k / lay.height, credit, fontsize=7 * k, color="#555555",
             va="center")


def message(ax: Axes, text: str, lay: Layout) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=14 * lay.k, color="#333333", zorder=9,
            bbox={"boxstyle": "round,pad=0.6", "facecolor": "white", "edgecolor": "#888888"})
