"""Map furniture: the page layout, title and facts line, legend, scale bar, north arrow,
locator inset and credits: everything that tells a reader how to read the map and how far
to trust it.
"""

from __future__ import annotations

import math
import textwrap
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
class Template:
    """A page a map is made for: its size, resolution and how the furniture is arranged.

    ``below``: the legend (and the locator, where there is room) under the map rather than
    beside it, and the text wrapped to the page; ``k`` fixes the type size for the page
    rather than deriving it from the page's size.
    """

    name: str
    width: float  # inches
    height: float
    dpi: int
    below: bool
    k: float
    inset: bool
    legend_columns: int


MM = 1 / 25.4
TEMPLATES = {
    # One newspaper column: 85 mm wide, print resolution, type no smaller than ~5 pt.
    "newspaper": Template("newspaper", 85 * MM, 125 * MM, 300, below=True, k=0.7, inset=False,
                          legend_columns=2),
    # A full A4 page, portrait, with room for the locator beside the legend.
    "a4": Template("a4", 210 * MM, 297 * MM, 200, below=True, k=0.85, inset=True,
                   legend_columns=2),
}


@dataclass(frozen=True)
class Layout:
    """Where each part of the page goes, in figure fractions.

    ``k`` scales type, symbols and margins with the page, within limits that keep a small
    map legible and a large one from shouting. ``text_lines`` lines under the title hold the
    facts, each wrapped to ``wrap`` characters when set; ``credit_lines`` at the foot.
    """

    width: float
    height: float
    k: float
    map_box: Box
    inset_box: Box | None
    legend_top: float
    title_y: float
    facts_y: float
    caption_y: float
    legend_x: float = 0.0
    legend_columns: int = 1
    text_lines: int = 0
    wrap: int | None = None
    credit_lines: int = 1


LINE_IN = 0.18  # text line spacing at the reference size, inches


def layout(width: float, height: float, title: bool, caption: bool,
           template: Template | None = None) -> Layout:
    if template is not None and template.below:
        return _layout_below(width, height, title, caption, template)
    k = max(0.65, min(1.5, width / REFERENCE_IN[0], height / REFERENCE_IN[1]))
    pad, gap = 0.12 * k, 0.15 * k
    title_h = 0.33 * k if title else 0.0
    line_h = LINE_IN * k
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
                  facts_y=facts_y, caption_y=facts_y - 3 * line_h / height,
                  legend_x=inset_box[0], text_lines=facts_lines)


# Rows the legend needs under the map in two columns: the statuses in one (a header and
# four), the types, actors and the oblast hatch in the other (three headers and seven); at
# its line spacing.
LEGEND_ROWS = 10
LEGEND_ROW_PT = 7.5 * 1.55


def _layout_below(width: float, height: float, title: bool, caption: bool,
                  t: Template) -> Layout:
    """Title, facts, the map across the page, then the legend (and locator) under it."""
    k = t.k
    pad, gap = 0.12 * k, 0.14 * k
    title_h = 0.33 * k if title else 0.0
    line_h = LINE_IN * k
    wrap = int((width - 2 * pad) * 72 / (8.5 * k * 0.5))  # characters of ~0.5 em
    text_lines = (5 if t.name == "newspaper" else 3) + (2 if caption else 0)
    top = pad + title_h + text_lines * line_h + 0.08 * k
    credit_lines = 2 if t.name == "newspaper" else 1
    credit_h = (credit_lines * 0.13 + 0.1) * k
    legend_h = LEGEND_ROWS * LEGEND_ROW_PT * k / 72
    inset_w = (width - 2 * pad) * 0.36 if t.inset else 0.0
    under = max(legend_h, inset_w * 0.75) + gap
    map_h = height - top - under - credit_h
    map_box = (pad / width, (credit_h + under) / height, (width - 2 * pad) / width,
               map_h / height)
    inset_box = None
    if t.inset:  # its title above it, under the map
        top_of = credit_h + under - gap - 0.16 * k
        inset_box = ((width - pad - inset_w) / width, (top_of - inset_w * 0.6) / height,
                     inset_w / width, inset_w * 0.6 / height)
    title_y = 1 - pad / height
    facts_y = title_y - title_h / height
    return Layout(width, height, k, map_box, inset_box,
                  legend_top=(credit_h + under - gap) / height, title_y=title_y,
                  facts_y=facts_y, caption_y=facts_y - (text_lines - 2) * line_h / height,
                  legend_x=pad / width, legend_columns=t.legend_columns,
                  text_lines=text_lines, wrap=wrap, credit_lines=credit_lines)


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
    """A locator map of Ukraine with the main map's frame on it, where the page has room."""
    if lay.inset_box is None:
        return
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
    headers: set[str] = set()

    def header(text: str) -> None:
        headers.add(text)
        handles.append(Line2D([], [], linestyle="none", label=text))

    header("Status (fill; arrow line)")
    for s in reversed(STATUSES):
        handles.append(Line2D([0, 1], [0, 0], color="#555555",
                              linestyle=style.STATUS_DASH[s],  # type: ignore[arg-type]
                              linewidth=1.2 * k, marker="o", markersize=8 * k,
                              markerfacecolor=style.status_color(s), markeredgecolor="#333333",
                              label=style.STATUS_LABELS[s]))
    if lay.legend_columns == 2:  # the statuses alone in the first column
        first = len(handles)
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
    if lay.legend_columns == 2:
        rows = max(first, len(handles) - first)
        blank = [Line2D([], [], linestyle="none", label=" ")]
        handles = (handles[:first] + blank * (rows - first) + handles[first:]
                   + blank * (rows - (len(handles) - first)))
    leg = fig.legend(handles=handles, loc="upper left",
                     bbox_to_anchor=(lay.legend_x, lay.legend_top), ncols=lay.legend_columns,
                     frameon=False, fontsize=7.5 * k, handlelength=2.2, borderaxespad=0,
                     borderpad=0, labelspacing=0.5, handletextpad=0.6, columnspacing=1.2)
    for text in leg.get_texts():
        if text.get_text() in headers:
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
    outlets counted; credits. On a narrow page each is wrapped to the page, and what does not
    fit the lines the layout keeps ends in an ellipsis."""
    k, left = lay.k, lay.map_box[0]
    if title:
        fig.text(left, lay.title_y, title, fontsize=14 * k, fontweight="bold", va="top")
    facts = ((f"As of {known_as_of}   ·   " if known_as_of else "")
             + f"Dates: {dates}   ·   Sources: {_plural(counts['articles'], 'article')}, "
             f"{_plural(counts['attestations'], 'attestation')}")
    shown = f"Events: {counts['events']:,} selected, {counts['shown']:,} on the map"
    left_out = [f"{counts[key]:,} {what}" for key, what in (
        ("country_wide", "country-wide"), ("unlocated", "without a location"),
        ("outside", "outside the map area")) if counts[key]]
    if left_out:
        shown += f" (not shown: {', '.join(left_out)})"
    if counts["arrows_left_out"]:
        shown += (f"; arrows for the best-attested advances only "
                  f"({counts['arrows_left_out']:,} more not drawn)")
    line_h = LINE_IN * k / lay.height
    if lay.wrap is None:
        rows = [(facts, 8.5, "normal"), (shown, 8.5, "normal")]
        if outlets:
            rows.append((outlets, 8, "normal"))
        for i, (text, size, _) in enumerate(rows):
            fig.text(left, lay.facts_y - i * line_h, text, fontsize=size * k,
                     color="#333333", va="top")
        if caption:
            fig.text(left, lay.caption_y, caption, fontsize=8 * k, color="#555555",
                     va="top", style="italic")
        fig.text(left, 0.13 * k / lay.height, credit, fontsize=7 * k, color="#555555",
                 va="center")
        return
    wrapped = _wrapped([(facts.replace("   ·   ", " · "), 8.5, "normal"),
                        (shown, 8.5, "normal"), (outlets, 8, "normal")],
                       lay.wrap, lay.text_lines - (2 if caption else 0))
    if caption:
        wrapped += _wrapped([(caption, 8, "italic")], lay.wrap, 2)
    for i, (text, size, slant) in enumerate(wrapped):
        fig.text(left, lay.facts_y - i * line_h, text, fontsize=size * k,
                 color="#555555" if slant == "italic" else "#333333", va="top", style=slant)
    credits = _wrapped([(credit.replace("   ·   ", " · "), 7, "normal")],
                       int(lay.wrap * 8.5 / 7), lay.credit_lines)
    for i, (text, size, _) in enumerate(credits):
        fig.text(left, (0.1 + (len(credits) - 1 - i) * 0.13) * k / lay.height, text,
                 fontsize=size * k, color="#555555", va="bottom")


def _wrapped(rows: list[tuple[str, float, str]], width: int,
             most: int) -> list[tuple[str, float, str]]:
    """Each row wrapped to ``width`` characters, at most ``most`` lines in all; a row cut
    short says so with an ellipsis."""
    out: list[tuple[str, float, str]] = []
    for text, size, slant in rows:
        for line in textwrap.wrap(text, width):
            out.append((line, size, slant))
    if len(out) > most:
        last, size, slant = out[most - 1]
        out = out[:most - 1] + [(last.rstrip(" ,;·") + " …", size, slant)]
    return out


def message(ax: Axes, text: str, lay: Layout) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=14 * lay.k, color="#333333", zorder=9,
            bbox={"boxstyle": "round,pad=0.6", "facecolor": "white", "edgecolor": "#888888"})
