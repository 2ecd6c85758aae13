"""Place names beside their markers without overlaps, by the cartographer's rule.

Each label tries the classic positions around its point in order of preference (upper right
first) and takes the first that overlaps nothing. Labels are placed best-attested first, so
when space runs out it is the least important names that go. It is plain arithmetic on
boxes: fast for ten thousand markers, and the same input always gives the same map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox
from shapely.geometry import LineString

from geo.models import PRECISION_REGION, Event, Toponym
from maps import style
from maps.layers import Placed, priority
from maps.names import printed_name

# (x, y) directions, in order of preference: upper right, upper left, lower right, lower
# left, right, left, above, below.
POSITIONS = ((1, 1), (-1, 1), (1, -1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1))
H_ALIGN: dict[int, Literal["left", "center", "right"]] = {1: "left", -1: "right", 0: "center"}
V_ALIGN: dict[int, Literal["bottom", "center", "top"]] = {1: "bottom", -1: "top", 0: "center"}
BACKING = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none",
           "alpha": 0.8}


def place_name(e: Event) -> str | None:
    """The name of the place the event is drawn at: the mention nearest its location."""
    def far(t: Toponym) -> float:
        assert t.lat is not None and t.lon is not None and e.lat is not None and e.lon is not None
        return (t.lat - e.lat) ** 2 + ((t.lon - e.lon) * math.cos(math.radians(e.lat))) ** 2

    resolved = [t for t in e.places if t.resolved and t.kind != "country"]
    if not resolved:
        return None
    t = min(resolved, key=far)
    if t.kind in ("settlement", "landmark") and t.precision == PRECISION_REGION:
        return t.name  # a village placed at its oblast: the resolved name is the oblast's
    return printed_name(t)


def key_places(placed: Sequence[Placed], limit: int) -> list[tuple[str, Placed]]:
    """The places worth naming: one per name, best-attested events first."""
    chosen: dict[str, Placed] = {}
    for p in sorted(placed, key=lambda p: priority(p.event)):
        if len(chosen) >= limit:
            break
        name = place_name(p.event)
        if name and name not in chosen:
            chosen[name] = p
    return list(chosen.items())


def declutter(ax: Axes, names: Sequence[Text]) -> list[Text]:
    """The basemap's names without collisions: the capital first, then oblasts, then
    countries; a name that would overlap one kept is removed."""
    renderer = _renderer(ax)
    order = sorted(names, key=lambda t: (t.get_text().strip() != "Kyiv", t.get_text().isupper()))
    kept: list[Text] = []
    boxes: list[Bbox] = []
    for t in order:
        box = t.get_window_extent(renderer)
        if any(box.overlaps(b) for b in boxes):
            t.remove()
            continue
        kept.append(t)
        boxes.append(box)
    return kept


@dataclass(frozen=True)
class Town:
    """A reference town in map coordinates, biggest first."""

    name: str
    x: float
    y: float


@dataclass
class Placement:
    """The names placed: event labels, reference towns and rivers, each with its box
    (pixels)."""

    labels: list[tuple[str, Bbox]]
    towns: list[tuple[str, Bbox]]
    rivers: list[tuple[str, Bbox]] = field(default_factory=list)


def draw_labels(ax: Axes, placed: Sequence[Placed], names: Sequence[Text], limit: int,
                marker_pt: float, k: float, towns: Sequence[Town] = (),
                town_limit: int = 0,
                rivers: Sequence[tuple[str, Sequence[LineString]]] = ()) -> Placement:
    """Label the key places; returns the names placed with their boxes (display pixels).
    Names known only to their oblast are set in italics. A label takes the first position
    around its point where it overlaps no other label, no basemap name and no marker; a
    label that fits nowhere is left out, and labels are placed most important first."""
    # Every named place is a candidate, best-attested first, until ``limit`` are placed: a
    # place that fits nowhere gives its turn to the next.
    wanted = key_places(placed, len(placed)) if limit > 0 else []
    to_px = ax.transData.transform
    points = (to_px(np.array([(p.x, p.y) for p in placed])) if placed
              else np.empty((0, 2)))
    frame = ax.get_window_extent()
    px_per_pt = ax.figure.dpi / 72
    marker_px = marker_pt * px_per_pt / 2
    gap = marker_pt / 2 + 1.5 + 1.5 * k  # clear of its own marker, past the box padding
    renderer = _renderer(ax)
    background = [t.get_window_extent(renderer) for t in names]
    taken: list[Bbox] = []
    out: list[tuple[str, Bbox]] = []
    for name, p in wanted:
        if len(out) >= limit:
            break
        label = ax.annotate(name, (p.x, p.y), xytext=(0, 0), textcoords="offset points",
                            fontsize=8 * k, fontweight="bold", color="#1a1a1a", zorder=7,
                            style="italic" if p.event.geometry_kind == "admin1" else "normal",
                            bbox=BACKING, annotation_clip=True)
        spot = _first_free(label, gap, frame, taken, points, marker_px, background,
                           px_per_pt, renderer)
        if spot is None:
            label.remove()
            continue
        taken.append(spot)
        out.append((name, spot))
    # The main rivers orient a reader better than the smaller reference towns: named first.
    river_boxes = _draw_rivers(ax, rivers, taken, points, marker_px, background, frame, k,
                               renderer)
    town_boxes = _draw_towns(ax, towns, town_limit, {n for n, _ in out}, taken, points,
                             marker_px, background, frame, k, renderer)
    return Placement(out, town_boxes, river_boxes)


# Where along a stretch in view a river's name is tried: the middle first; on the three
# longest stretches.
RIVER_SPOTS = (0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9)
RIVER_STRETCHES = 3


def _draw_rivers(ax: Axes, rivers: Sequence[tuple[str, Sequence[LineString]]],
                 taken: list[Bbox],
                 points: np.ndarray, marker_px: float, background: list[Bbox], frame: Bbox,
                 k: float, renderer: Any) -> list[tuple[str, Bbox]]:
    """River names in italics beside their line and along it, in the room the events'
    labels and the basemap's names leave. Each spot is tried on the box the turned name
    would fill, worked out from its size once measured; only the spot taken is measured
    again as drawn."""
    px_per_pt = ax.figure.dpi / 72
    out: list[tuple[str, Bbox]] = []
    for name, stretches in rivers:
        label = ax.annotate(name, (0, 0), xytext=(0, 0), textcoords="offset points",
                            fontsize=7 * k, style="italic", color=style.RIVER_NAME,
                            ha="center", va="center", zorder=6.3, annotation_clip=True,
                            rotation_mode="anchor")
        plain = label.get_window_extent(renderer)
        spot = None
        tries = [(line, share) for line in stretches[:RIVER_STRETCHES] for share in RIVER_SPOTS]
        for line, share in tries:
            a, b = (ax.transData.transform(line.interpolate(min(max(share + d, 0), 1),
                                                            normalized=True).coords[0])
                    for d in (-0.03, 0.03))
            angle = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
            angle = angle - 180 if angle > 90 else angle + 180 if angle < -90 else angle
            at = line.interpolate(share, normalized=True).coords[0]
            normal, turn = math.radians(angle + 90), math.radians(angle)
            lift = 5 * k  # points beside the line, not on it
            offset = (lift * math.cos(normal), lift * math.sin(normal))
            cx, cy = ax.transData.transform(at) + np.array(offset) * px_per_pt
            half_w = (abs(plain.width * math.cos(turn)) + abs(plain.height * math.sin(turn))) / 2
            half_h = (abs(plain.width * math.sin(turn)) + abs(plain.height * math.cos(turn))) / 2
            pad = 1.0 * px_per_pt
            box = Bbox([[cx - half_w - pad, cy - half_h - pad], [cx + half_w + pad,
                                                                 cy + half_h + pad]])
            if not _free(box, frame, taken + background, points, marker_px):
                continue
            label.xy, label.xyann = at, offset
            label.set_rotation(angle)
            drawn = label.get_window_extent(renderer).padded(pad)
            if _free(drawn, frame, taken + background, points, marker_px):
                spot = drawn
                break
        if spot is None:
            label.remove()
            continue
        taken.append(spot)
        out.append((name, spot))
    return out


def _free(box: Bbox, frame: Bbox, avoid: list[Bbox], points: np.ndarray,
          marker_px: float) -> bool:
    """Inside the frame, over no other name and no marker."""
    inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 \
        and box.y1 <= frame.y1
    return inside and not any(box.overlaps(o) for o in avoid) \
        and not _covers_marker(box, points, marker_px)


def _draw_towns(ax: Axes, towns: Sequence[Town], limit: int, named: set[str],
                taken: list[Bbox], points: np.ndarray, marker_px: float,
                background: list[Bbox], frame: Bbox, k: float,
                renderer: Any) -> list[tuple[str, Bbox]]:
    """Reference towns in the room the events leave: a dot and a name where neither covers
    a marker, an event's label or another name; the biggest towns first."""
    px_per_pt = ax.figure.dpi / 72
    dot = 1.6 * k * px_per_pt
    out: list[tuple[str, Bbox]] = []
    dots: list[tuple[float, float]] = []
    for t in towns:
        if len(out) >= limit:
            break
        if t.name in named:
            continue
        x, y = ax.transData.transform((t.x, t.y))
        spot = Bbox([[x - dot, y - dot], [x + dot, y + dot]])
        if not frame.contains(x, y) or _covers_marker(spot, points, marker_px) or any(
                spot.overlaps(b) for b in taken + background):
            continue
        label = ax.annotate(t.name, (t.x, t.y), xytext=(0, 0), textcoords="offset points",
                            fontsize=7 * k, color="#333333", zorder=6.5,
                            annotation_clip=True)
        box = _first_free(label, 2.5 * k + 1.5, frame, taken + [spot], points, marker_px,
                          background, px_per_pt, renderer)
        if box is None:
            label.remove()
            continue
        taken.extend([box, spot])
        dots.append((t.x, t.y))
        out.append((t.name, box))
    if dots:
        ax.scatter([d[0] for d in dots], [d[1] for d in dots], s=(3.2 * k) ** 2,
                   c="#333333", edgecolors="white", linewidths=0.5 * k, zorder=6.4)
    return out


def _renderer(ax: Axes) -> Any:
    """The figure's own renderer: measuring hundreds of boxes must not build one each time."""
    canvas = ax.figure.canvas
    return canvas.get_renderer() if isinstance(canvas, FigureCanvasAgg) else None


def _first_free(label: Annotation, gap: float, frame: Bbox,
                taken: list[Bbox], points: np.ndarray, marker_px: float,
                background: list[Bbox], px_per_pt: float, renderer: Any) -> Bbox | None:
    """The first position around the point where the label is free. The label is measured
    once: each position only shifts that box by its alignment and offset, so a crowded map
    tries its eight positions per name in arithmetic; the position taken is measured again
    as drawn."""
    avoid = taken + background
    plain = label.get_window_extent(renderer)
    w, h = plain.width, plain.height
    ax_, ay = label.axes.transData.transform(label.xy) if label.axes else (0.0, 0.0)
    pad = 1.5 * px_per_pt
    for sx, sy in POSITIONS:
        ox, oy = ax_ + sx * gap * px_per_pt, ay + sy * gap * px_per_pt
        x0 = ox if sx == 1 else ox - w if sx == -1 else ox - w / 2
        y0 = oy if sy == 1 else oy - h if sy == -1 else oy - h / 2
        guess = Bbox([[x0 - pad, y0 - pad], [x0 + w + pad, y0 + h + pad]])
        if not _free(guess, frame, avoid, points, marker_px):
            continue
        label.set_horizontalalignment(H_ALIGN[sx])
        label.set_verticalalignment(V_ALIGN[sy])
        label.xyann = (sx * gap, sy * gap)
        box = label.get_window_extent(renderer).padded(pad)
        if _free(box, frame, avoid, points, marker_px):
            return box
    return None


def _covers_marker(box: Bbox, points: np.ndarray, marker_px: float) -> bool:
    """Whether the box covers any marker (its own too: a label sits beside its point)."""
    inside = ((points[:, 0] > box.x0 - marker_px) & (points[:, 0] < box.x1 + marker_px)
              & (points[:, 1] > box.y0 - marker_px) & (points[:, 1] < box.y1 + marker_px))
    return bool(inside.any())
