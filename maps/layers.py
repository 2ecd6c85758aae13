"""What is drawn inside the map frame: the basemap, then the events on top of it.

Events are symbolised as ``maps.style`` says (fill by status, shape by type, outline and
arrow by actor). Everything is drawn in a stable order, whatever order the events came in,
so that the same selection always gives the same picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pyproj
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection, PathCollection, PolyCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.text import Text
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.models import STATUSES, Event
from maps import style
from maps.basemap import CAPITAL_UNIT, REGION_COUNTRIES, Basemap, oblast_label
from maps.control import ControlView
from maps.rivers import River

STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}  # reported 0 ... confirmed 3
ARROW_ORIGINS = 3  # arrows per advance, at most
MARKER_PT = 8.5  # marker width at the reference page size


@dataclass(frozen=True)
class Placed:
    """An event with its position in the map's CRS."""

    event: Event
    x: float
    y: float


def origins(e: Event) -> list[tuple[float, float]]:
    """Lon/lat of the places an advance came from."""
    return [(t.lon, t.lat) for t in e.origin[:ARROW_ORIGINS]
            if t.lon is not None and t.lat is not None]


def priority(e: Event) -> tuple:
    """Most trusted, best attested, most precise first; the id keeps ties stable."""
    return (-STATUS_RANK.get(e.status, 0), -len(e.attestations), e.precision or 9, e.id)


def draw_basemap(ax: Axes, base: Basemap, extent: tuple[float, float, float, float],
                 filled: bool, k: float) -> list[Text]:
    """Countries, Ukraine and oblast lines, clipped to the view; returns the place names drawn
    (labels of events keep clear of them)."""
    xmin, ymin, xmax, ymax = extent
    mx, my = 0.1 * (xmax - xmin), 0.1 * (ymax - ymin)
    clip = box(xmin - mx, ymin - my, xmax + mx, ymax + my)
    # Detail finer than a tenth of a millimetre on an A4-wide map is invisible but costs bytes.
    tolerance = (xmax - xmin) / 2000
    countries = simplified(base.countries.clip(clip), tolerance)
    admin1 = simplified(
        base.admin1[base.admin1["country"].isin(REGION_COUNTRIES)].clip(clip), tolerance)
    others = countries[countries["country"] != "UA"]
    ukraine = countries[countries["country"] == "UA"]
    polygons(ax, others, facecolor=style.LAND if filled else "none", zorder=1)
    polygons(ax, ukraine, facecolor=style.UKRAINE if filled else "none", zorder=1.1)
    ua_regions = admin1["country"] == "UA"
    lines(ax, admin1[~ua_regions], color=style.BORDER, linewidth=0.25, alpha=0.6, zorder=1.5)
    lines(ax, admin1[ua_regions], color=style.BORDER, linewidth=0.4, zorder=1.5)
    lines(ax, countries, color=style.COUNTRY_BORDER, linewidth=0.7, zorder=1.6)
    lines(ax, ukraine, color="#222222", linewidth=1.1, zorder=1.7)

    # No halos (path effects): they turn SVG text into outlines that nobody can search.
    texts = []
    view = box(xmin, ymin, xmax, ymax)
    for row in admin1[ua_regions].itertuples():
        label = oblast_label(str(row.iso), str(row.name))
        p = row.geometry.representative_point()
        if label and view.contains(p):
            texts.append(ax.text(p.x, p.y, label, fontsize=6.5 * k, style="italic",
                                 color="#8a8a8a", ha="center", va="center", zorder=2))
    capital = admin1[admin1["iso"] == CAPITAL_UNIT]
    if len(capital) and view.contains(p := capital.geometry.iloc[0].centroid):
        ax.plot([p.x], [p.y], marker="o", markersize=4.5 * k, color="#333333",
                markeredgecolor="white", zorder=2.1)
        texts.append(ax.text(p.x, p.y, "  Kyiv", fontsize=7.5 * k, color="#333333", ha="left",
                             va="center", zorder=2.1))
    for row in others.itertuples():
        part = row.geometry.intersection(view)
        if part.is_empty or part.area < 0.03 * view.area:
            continue
        p = part.representative_point()
        texts.append(ax.text(p.x, p.y, str(row.name).upper(), fontsize=8 * k,
                             color="#9a9a9a", ha="center", va="center", zorder=2))
    return texts


def draw_rivers(ax: Axes, rivers: Sequence[River], to_map: pyproj.Transformer,
                extent: tuple[float, float, float, float],
                k: float) -> list[tuple[str, list[shapely.LineString]]]:
    """The main rivers over the land and under every border, marker and name; returns each
    drawn river's stretches in view (map coordinates), longest first, where its name may go."""
    frame = box(*extent)
    segments: list[np.ndarray] = []
    out: list[tuple[str, list[shapely.LineString]]] = []
    for river in rivers:
        parts: list[shapely.LineString] = []
        for line in river.lines:
            x, y = to_map.transform(line[:, 0], line[:, 1])
            clipped = shapely.LineString(np.column_stack([x, y])).intersection(frame)
            parts += [p for p in getattr(clipped, "geoms", [clipped])
                      if not p.is_empty and p.geom_type == "LineString"]
        if parts:
            segments += [np.asarray(p.coords) for p in parts]
            out.append((river.name, sorted(parts, key=lambda p: -p.length)))
    if segments:
        ax.add_collection(LineCollection(segments, colors=style.RIVER, linewidths=0.9 * k,
                                         capstyle="round", joinstyle="round", zorder=1.45),
                          autolim=False)
    return out


def outline_oblast(ax: Axes, base: Basemap, iso: str) -> None:
    lines(ax, base.admin1[base.admin1["iso"] == iso.upper()], color="#222222", linewidth=1.6,
          zorder=1.8)


def simplified(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    out = frame.copy()
    out["geometry"] = frame.geometry.simplify(tolerance)
    return out[~out.geometry.is_empty]


def polygons(ax: Axes, frame: gpd.GeoDataFrame, **style_kw: Any) -> None:
    """Polygons as one collection: one artist draws (and diffs) faster than hundreds."""
    patches = [PathPatch(polygon_path(g)) for g in frame.geometry if not g.is_empty]
    if patches:
        ax.add_collection(PatchCollection(patches, edgecolor="none", **style_kw),
                          autolim=False)


def polygon_path(geom: BaseGeometry) -> Path:
    rings = [r for p in getattr(geom, "geoms", [geom]) if isinstance(p, Polygon)
             for r in (p.exterior, *p.interiors)]
    return Path.make_compound_path(*(Path(np.asarray(r.coords)[:, :2], closed=True)
                                     for r in rings))


def lines(ax: Axes, frame: gpd.GeoDataFrame, **style_kw: Any) -> None:
    segments = [np.asarray(line.coords)[:, :2] for g in frame.geometry.boundary
                for line in getattr(g, "geoms", [g]) if not line.is_empty]
    if segments:
        ax.add_collection(LineCollection(segments, **style_kw), autolim=False)


def shade_regions(ax: Axes, base: Basemap, placed: Sequence[Placed]) -> None:
    """Events known only to an oblast shade it, in the colour of its best-attested status."""
    best: dict[str, str] = {}
    for p in placed:
        e = p.event
        if e.geometry_kind == "admin1" and e.admin1:
            iso = e.admin1.upper()
            if iso not in best or STATUS_RANK.get(e.status, 0) > STATUS_RANK.get(best[iso], 0):
                best[iso] = e.status
    for iso in sorted(best):
        colour = style.status_color(best[iso])
        for geom in base.admin1[base.admin1["iso"] == iso].geometry:
            path = polygon_path(geom)
            ax.add_patch(PathPatch(
                path, facecolor=mpl.colors.to_rgba(colour, style.REGION_ALPHA),
                edgecolor=colour, linewidth=0.9,
                linestyle=style.STATUS_DASH.get(best[iso], "dotted"), zorder=1.4))
            # The hatch on a patch of its own, unfilled and opaque: PDF and SVG paint a hatch
            # with its patch's fill opacity and under its fill colour, so a hatch on the
            # tinted patch comes out as one flat tint there.
            ax.add_patch(PathPatch(path, facecolor="none", edgecolor=colour, hatch="////",
                                   linewidth=0, zorder=1.41))


def draw_arrows(ax: Axes, placed: Sequence[Placed], to_map: pyproj.Transformer,
                limit: int, k: float) -> int:
    """Curved arrows from where advances started to where they went; returns how many were
    left out (past ``limit`` a map is a hairball, so the best-attested go first).

    Shafts and heads are built here as two collections rather than one patch per arrow:
    hundreds of arrows then cost milliseconds, not seconds.
    """
    with_origin = sorted((p for p in placed if origins(p.event)), key=lambda p: priority(p.event))
    (x0, x1), width_pt = ax.get_xlim(), ax.get_window_extent().width * 72 / ax.figure.dpi
    per_pt = (x1 - x0) / width_pt  # map units per point; the aspect is equal
    head_len, head_w, shrink = 7 * k * per_pt, 5 * k * per_pt, 6 * k * per_pt
    shafts, heads, colours, dashes, tails = [], [], [], [], []
    for p in with_origin[:limit]:
        e = p.event
        for lon, lat in origins(e):
            start = np.array(to_map.transform(lon, lat))
            end = np.array((p.x, p.y))
            d = end - start
            length = float(np.hypot(*d))
            if not np.isfinite(length) or length < 3 * (head_len + shrink):
                continue  # unprojectable, or too short to read as an arrow
            ctrl = (start + end) / 2 + 0.15 * np.array((d[1], -d[0]))
            t = (end - ctrl) / np.hypot(*(end - ctrl))
            tip = end - t * shrink
            base = tip - t * head_len
            normal = np.array((-t[1], t[0])) * head_w / 2
            shafts.append(Path([start, ctrl, base], [Path.MOVETO, Path.CURVE3, Path.CURVE3]))
            heads.append([tip, base + normal, base - normal])
            colours.append(style.actor_color(e.actor))
            dashes.append(style.STATUS_DASH.get(e.status, "solid"))
            tails.append(start)
    if shafts:
        ax.add_collection(PathCollection(shafts, facecolors="none", edgecolors=colours,
                                         linewidths=1.8 * k, linestyles=dashes, zorder=4),
                          autolim=False)
        ax.add_collection(PolyCollection(heads, facecolors=colours, edgecolors=colours,
                                         linewidths=0.5 * k, zorder=4), autolim=False)
        ax.scatter([x for x, _ in tails], [y for _, y in tails], s=(3 * k) ** 2, c=colours,
                   zorder=4, linewidths=0)
    return max(0, len(with_origin) - limit)


def draw_markers(ax: Axes, placed: Sequence[Placed], k: float) -> None:
    groups: dict[tuple[str, str, str], list[Placed]] = {}
    for p in placed:
        groups.setdefault((p.event.status, p.event.type, p.event.actor), []).append(p)
    for (status, etype, actor), members in sorted(groups.items(),
                                                   key=lambda kv: (STATUS_RANK.get(kv[0][0], 0),
                                                                   kv[0])):
        members.sort(key=lambda p: p.event.id)
        shape = style.type_shape(etype)
        ax.scatter([p.x for p in members], [p.y for p in members], marker=shape.mpl,
                   s=(MARKER_PT * k * shape.scale) ** 2, facecolor=style.status_color(status),
                   edgecolor=style.actor_color(actor), linewidth=1.2 * k,
                   zorder=5 + STATUS_RANK.get(status, 0) / 10)


def draw_control(ax: Axes, view: ControlView, to_map: pyproj.Transformer, k: float) -> None:
    """Areas of control under everything but the basemap, changed ground over them, the
    line of contact on top; all below the events."""

    def projected(geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geom, lambda xy: np.column_stack(
            to_map.transform(xy[:, 0], xy[:, 1])))

    for status, geom in view.areas.items():
        if not geom.is_empty:
            ax.add_patch(PathPatch(polygon_path(projected(geom)), linewidth=0,
                                   facecolor=style.CONTROL_FILL[status],
                                   alpha=style.CONTROL_ALPHA, zorder=1.5))
    for c in view.changes:
        ax.add_patch(PathPatch(polygon_path(projected(c.geometry)), linewidth=0,
                               facecolor=style.CHANGE_FILL[c.after],
                               alpha=style.CHANGE_ALPHA, zorder=1.6))
    segments = [np.asarray(part.coords)[:, :2]
                for part in shapely.get_parts(projected(view.line)) if not part.is_empty]
    if segments:
        ax.add_collection(LineCollection(segments, colors=style.CONTACT_LINE,
                                         linewidths=1.6 * k, zorder=1.7), autolim=False)
