"""Static report maps (PNG, SVG, PDF) of events: a figure to paste into a brief and trust.

The map says what it shows and what it leaves out: the date range, how many sources stand
behind it, which events could not be placed. Rendering is a pure function of the events and
the options (fixed fonts, no timestamps, a fixed SVG hash salt), so that the same selection
gives the same bytes and reports can be diffed.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

import matplotlib as mpl
import pyproj
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from shapely.geometry import box

from geo.errors import FrontlineError
from geo.models import Event
from maps import furniture, layers, style
from maps.basemap import UKRAINE_BOUNDS, WINDOW, Basemap, admin1_bounds, basemap
from maps.control import ControlView
from maps.labels import Town, declutter, draw_labels
from maps.rivers import main_rivers

FORMATS = ("png", "svg", "pdf")
NO_EVENTS = "No events match the selection"
RC: dict[Any, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "none",  # text stays text: searchable, and diffable between reports
    "svg.hashsalt": "frontline",
    "pdf.fonttype": 42,
    "hatch.linewidth": 0.7,
    "path.simplify": True,
    # Titles, captions and place names are the user's and the news' words: a '$' in them is
    # a dollar sign, never the start of a formula.
    "text.parse_math": False,
}
MAX_PIXELS = 12_000  # per side: a larger raster is a mistake, not a report
TILE_TIMEOUT_S = 20


class RenderError(FrontlineError):
    """The map cannot be made as asked: bad format, size, area or output path."""


@dataclass(frozen=True)
class MapOptions:
    """How to draw a map. ``bbox`` is minlon, minlat, maxlon, maxlat; sizes are inches.

    ``start``/``end`` are the dates the selection asked for, shown as the date range (the
    events' own dates are shown when absent). ``caption`` says how the events were selected.
    ``tiles`` is an xyzservices provider name or an XYZ URL template, drawn under our polygons;
    it needs a network (or a local tile server). ``template`` (``furniture.TEMPLATES``:
    ``newspaper``, one 85 mm column; ``a4``, a full page) sets the size, the resolution unless
    ``dpi`` is given, and where the legend and the facts go.
    """

    title: str | None = None
    width: float = 10.0
    height: float = 7.5
    dpi: int = 150
    bbox: tuple[float, float, float, float] | None = None
    oblast: str | None = None
    start: date | None = None
    end: date | None = None
    caption: str | None = None
    max_labels: int = 12
    max_arrows: int = 200
    max_towns: int = 20
    tiles: str | None = None
    template: str | None = None


@dataclass(frozen=True)
class RenderedMap:
    """What a rendered map holds, and where on the raster a place ended up."""

    fmt: str
    width_px: int
    height_px: int
    events: int
    shown: int
    country_wide: int
    unlocated: int
    outside: int
    articles: int
    attestations: int
    labels: tuple[str, ...]
    crs: str
    extent: tuple[float, float, float, float]  # projected view: xmin, ymin, xmax, ymax
    axes_box: tuple[float, float, float, float]  # figure fraction: x0, y0, width, height
    # Display pixels (origin bottom left) of every name drawn, event labels and basemap
    # names, and of every marker's centre, with the radius the labels keep clear of.
    label_boxes: tuple[tuple[float, float, float, float], ...] = ()
    name_boxes: tuple[tuple[float, float, float, float], ...] = ()
    towns: tuple[str, ...] = ()
    town_boxes: tuple[tuple[float, float, float, float], ...] = ()
    rivers: tuple[str, ...] = ()  # drawn; those named, and their names' boxes
    river_names: tuple[str, ...] = ()
    river_boxes: tuple[tuple[float, float, float, float], ...] = ()
    marker_centres: tuple[tuple[float, float], ...] = ()
    marker_radius_px: float = 0.0

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """Raster position (from the top left) of a place, for checking a rendered PNG."""
        to_map = pyproj.Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        x, y = to_map.transform(lon, lat)
        xmin, ymin, xmax, ymax = self.extent
        x0, y0, w, h = self.axes_box
        fx = x0 + (x - xmin) / (xmax - xmin) * w
        fy = y0 + (y - ymin) / (ymax - ymin) * h
        return fx * self.width_px, (1 - fy) * self.height_px


def map_options(**options: Any) -> MapOptions:
    """Options checked for sense, so that a bad request fails before anything is drawn."""
    known = {f.name for f in fields(MapOptions)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise RenderError(f"unknown map option(s): {', '.join(unknown)}")
    options = {k: v for k, v in options.items()
               if not (k in ("width", "height", "dpi", "template") and v is None)}
    if "template" in options:
        template = furniture.TEMPLATES.get(str(options["template"]))
        if template is None:
            raise RenderError(f"unknown template {options['template']!r}: use "
                              f"{' or '.join(furniture.TEMPLATES)}")
        if "width" in options or "height" in options:
            raise RenderError("a template sets the page size: give a template, or a width "
                              "and height, not both")
        options.update(template=template.name, width=template.width, height=template.height)
        options.setdefault("dpi", template.dpi)
    opts = _typed(MapOptions(**options))
    if not (3 <= opts.width <= 40 and 2.5 <= opts.height <= 40):
        raise RenderError(
            f"map size {opts.width:g} x {opts.height:g} in: width must be 3-40 and "
            "height 2.5-40 inches")
    if not 50 <= opts.dpi <= 600:
        raise RenderError(f"dpi {opts.dpi}: must be 50-600")
    if max(opts.width, opts.height) * opts.dpi > MAX_PIXELS:
        raise RenderError(f"{opts.width:g} x {opts.height:g} in at {opts.dpi} dpi is over "
                          f"{MAX_PIXELS} pixels a side; lower the dpi")
    if opts.bbox is not None and opts.oblast is not None:
        raise RenderError("give a bbox or an oblast, not both")
    if opts.bbox is not None:
        _check_bbox(opts.bbox)
    if opts.oblast is not None and admin1_bounds(opts.oblast) is None:
        raise RenderError(f"unknown oblast {opts.oblast!r}: use an ISO 3166-2 code like UA-14")
    if opts.start and opts.end and opts.start > opts.end:
        raise RenderError(f"start {opts.start} is after end {opts.end}")
    if opts.max_labels < 0 or opts.max_arrows < 0 or opts.max_towns < 0:
        raise RenderError("max_labels, max_arrows and max_towns cannot be negative")
    return opts


def _typed(opts: MapOptions) -> MapOptions:
    """Numbers as numbers and dates as dates, whatever a caller passed (say, query text)."""
    try:
        bbox = None
        if opts.bbox is not None:
            values = [float(v) for v in opts.bbox]
            if len(values) != 4:
                raise RenderError("bbox needs four numbers: minlon, minlat, maxlon, maxlat")
            bbox = (values[0], values[1], values[2], values[3])
        return replace(
            opts, width=float(opts.width), height=float(opts.height), dpi=int(opts.dpi),
            max_labels=int(opts.max_labels), max_arrows=int(opts.max_arrows),
            max_towns=int(opts.max_towns), bbox=bbox,
            start=_day(opts.start, "start"), end=_day(opts.end, "end"))
    except (TypeError, ValueError):
        raise RenderError("width, height, dpi, max_labels, max_arrows, max_towns and the "
                          "bbox must be numbers") from None


def _day(value: date | str | None, what: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RenderError(f"{what} {value!r} is not a date like 2025-06-06") from None


def _check_bbox(bbox: Sequence[float]) -> None:
    minx, miny, maxx, maxy = bbox
    if not (-180 <= minx < maxx <= 180 and -90 <= miny < maxy <= 90):
        raise RenderError(f"bbox {tuple(bbox)}: need minlon < maxlon and minlat < maxlat "
                          "in degrees")
    if not box(*bbox).intersects(box(*WINDOW)):
        raise RenderError(f"bbox {tuple(bbox)} is outside the mapped area (lon "
                          f"{WINDOW[0]:g}-{WINDOW[2]:g}, lat {WINDOW[1]:g}-{WINDOW[3]:g})")


def map_format(out: str | os.PathLike[str] | IO[bytes], fmt: str | None) -> str:
    """The output format, from ``fmt`` or else the file name; they must agree when both given."""
    suffix = Path(out).suffix.lower().lstrip(".") if isinstance(out, (str, os.PathLike)) else ""
    name = (fmt or suffix).lower().lstrip(".")
    if not name:
        raise RenderError("no map format: give png, svg or pdf")
    if name not in FORMATS:
        raise RenderError(f"unknown map format {name!r}: use png, svg or pdf")
    if fmt and suffix and suffix != name:
        raise RenderError(f"format {name!r} does not match the file name {str(out)!r}")
    return name


def render_map(events: Iterable[Event], out: str | os.PathLike[str] | IO[bytes],
               fmt: str | None = None, control: ControlView | None = None,
               **options: Any) -> RenderedMap:
    """Draw ``events`` to a file path or a binary file object, over ``control``'s areas
    and line of contact when given.

    A path is written whole or not at all: the map is rendered in memory first, so a failure
    never leaves a half-written report behind.
    """
    opts = map_options(**options)
    name = map_format(out, fmt)
    target = Path(out) if isinstance(out, (str, os.PathLike)) else None
    if target is not None:
        _check_writable(target)
    fig = Figure()  # no pyplot: nothing global, safe in a server thread
    FigureCanvasAgg(fig)
    with mpl.rc_context(RC):
        rendered = draw_map(fig, list(events), opts, name, control)
        buf = BytesIO()
        fig.savefig(buf, format=name, dpi=opts.dpi, facecolor="white",
                    metadata=_metadata(name, opts.title))
    if target is None:
        out.write(buf.getvalue())  # type: ignore[union-attr]
    else:
        _write(target, buf.getvalue())
    return rendered


def _metadata(fmt: str, title: str | None) -> dict[str, Any]:
    by_format: dict[str, dict[str, Any]] = {
        "png": {"Software": "Frontline"},
        "svg": {"Creator": "Frontline", "Date": None},
        "pdf": {"Creator": "Frontline", "Producer": "Frontline", "CreationDate": None},
    }
    meta = by_format[fmt]
    if title:
        meta["Title"] = title
    return meta


def _check_writable(path: Path) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise RenderError(f"cannot write {path}: it is a directory")
    if not parent.is_dir():
        raise RenderError(f"cannot write {path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise RenderError(f"cannot write {path}: permission denied")


def _write(path: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: readers never see half a map. The new
    file gets the old one's permissions, or the usual ones (umask applies) when new."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if path.exists():
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from None


def draw_map(fig: Figure, events: Sequence[Event], opts: MapOptions,
             fmt: str = "png", control: ControlView | None = None) -> RenderedMap:
    """Draw the whole map into ``fig`` (resized to the options); call inside ``rc_context(RC)``."""
    fig.set_size_inches(opts.width, opts.height)
    fig.set_dpi(opts.dpi)
    placeable = [e for e in events if e.mapped and e.geometry_kind != "country"]
    view = _view_lonlat(placeable, opts)
    lon0, lat0 = (round((view[0] + view[2]) / 2 * 2) / 2, round((view[1] + view[3]) / 2 * 2) / 2)
    base = basemap(lon0, lat0)
    to_map = pyproj.Transformer.from_crs("EPSG:4326", base.crs, always_xy=True)
    lay = furniture.layout(opts.width, opts.height, bool(opts.title), bool(opts.caption),
                           furniture.TEMPLATES.get(opts.template or ""))
    k = lay.k

    ax = fig.add_axes(lay.map_box)
    extent = _fit(to_map.transform_bounds(*view, densify_pts=21), lay)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(style.WATER)

    tile_credit = _add_tiles(ax, base, opts.tiles) if opts.tiles else None
    names = declutter(ax, layers.draw_basemap(ax, base, extent, filled=tile_credit is None,
                                              k=k))
    if control is not None:
        layers.draw_control(ax, control, to_map, k)
    if opts.oblast:
        layers.outline_oblast(ax, base, opts.oblast)
    xs, ys = (to_map.transform([e.lon for e in placeable], [e.lat for e in placeable])
              if placeable else ([], []))
    inside = [layers.Placed(e, float(x), float(y))
              for e, x, y in zip(placeable, xs, ys, strict=True)
              if extent[0] <= x <= extent[2] and extent[1] <= y <= extent[3]]
    layers.shade_regions(ax, base, inside)
    river_lines = layers.draw_rivers(ax, main_rivers(), to_map, extent, k)
    arrows_left_out = layers.draw_arrows(ax, inside, to_map, opts.max_arrows, k)
    layers.draw_markers(ax, inside, k)
    marker_pt = layers.MARKER_PT * k * max(s.scale for s in style.SHAPES.values())
    placement = draw_labels(ax, inside, names, opts.max_labels, marker_pt, k,
                            reference_towns(to_map, extent), opts.max_towns, river_lines)
    labels = placement.labels
    if not events:
        furniture.message(ax, NO_EVENTS, lay)
    elif not inside:
        furniture.message(
            ax, f"None of the {len(events)} matching events can be placed in this area", lay)

    furniture.scale_bar(ax, lay)
    furniture.north_arrow(ax, to_map, lay)
    furniture.inset(fig, base, extent, lay)
    furniture.legend(fig, inside, lay)
    counts = {
        "events": len(events),
        "shown": len(inside),
        "country_wide": sum(e.geometry_kind == "country" for e in events),
        "unlocated": sum(not e.mapped and e.geometry_kind != "country" for e in events),
        "outside": len(placeable) - len(inside),
        "articles": len({a.article_id for e in events for a in e.attestations}),
        "attestations": sum(len(e.attestations) for e in events),
    }
    credit = (f"{style.ATTRIBUTION}" + (f"; tiles {tile_credit}" if tile_credit else "")
              + (f"; {control.credit}" if control is not None else "")
              + f"   ·   Albers equal-area projection centred on {lon0:g}°E {lat0:g}°N")
    dates = furniture.date_range(events, opts.start, opts.end)
    if control is not None:
        dates += f"   ·   {control.note}"
    furniture.texts(fig, lay, opts.title, opts.caption, dates,
                    {**counts, "arrows_left_out": arrows_left_out}, credit,
                    furniture.as_of(events, opts.end), furniture.outlets_line(events))
    return RenderedMap(
        # Whole pixels as the raster has them: Agg drops the fraction of a pixel.
        fmt=fmt, width_px=int(opts.width * opts.dpi), height_px=int(opts.height * opts.dpi),
        labels=tuple(name for name, _ in labels), crs=base.crs.srs, extent=extent,
        axes_box=lay.map_box,
        label_boxes=tuple((b.x0, b.y0, b.x1, b.y1) for _, b in labels),
        name_boxes=tuple(_box(t.get_window_extent()) for t in names),
        towns=tuple(name for name, _ in placement.towns),
        town_boxes=tuple(_box(b) for _, b in placement.towns),
        rivers=tuple(name for name, _ in river_lines),
        river_names=tuple(name for name, _ in placement.rivers),
        river_boxes=tuple(_box(b) for _, b in placement.rivers),
        marker_centres=tuple(map(tuple, ax.transData.transform(
            [(p.x, p.y) for p in inside]).tolist())) if inside else (),
        marker_radius_px=marker_pt * opts.dpi / 72 / 2, **counts)


def reference_towns(to_map: pyproj.Transformer,
                    extent: tuple[float, float, float, float]) -> list[Town]:
    """Towns to orient the reader, biggest first, fewer the wider the view: from the
    gazetteer's extract the web map uses, by their official names; none without a built
    gazetteer."""
    from maps.names import has_gazetteer
    from maps.webmap_places import reference_places

    if not has_gazetteer():
        return []
    width_km = (extent[2] - extent[0]) / 1000
    least = 100_000 if width_km > 800 else 30_000 if width_km > 300 else 10_000
    towns = [t for t in reference_places() if t.kind == "settlement" and t.population >= least]
    if not towns:
        return []
    xs, ys = to_map.transform([t.lon for t in towns], [t.lat for t in towns])
    return [Town(t.name, float(x), float(y)) for t, x, y in zip(towns, xs, ys, strict=True)
            if extent[0] <= x <= extent[2] and extent[1] <= y <= extent[3]]


def _box(b: Any) -> tuple[float, float, float, float]:
    return (float(b.x0), float(b.y0), float(b.x1), float(b.y1))


def _view_lonlat(placeable: Sequence[Event], opts: MapOptions) -> tuple[float, float, float,
                                                                        float]:
    """The lon/lat box to show: the asked area, else Ukraine and every event near it."""
    if opts.bbox is not None:
        minx, miny, maxx, maxy = opts.bbox
    elif opts.oblast is not None:
        bounds = admin1_bounds(opts.oblast)
        assert bounds is not None
        minx, miny, maxx, maxy = bounds
    else:
        minx, miny, maxx, maxy = UKRAINE_BOUNDS
        for e in placeable:
            for lon, lat in [(e.lon, e.lat), *layers.origins(e)]:
                assert lon is not None and lat is not None
                if WINDOW[0] <= lon <= WINDOW[2] and WINDOW[1] <= lat <= WINDOW[3]:
                    minx, miny = min(minx, lon), min(miny, lat)
                    maxx, maxy = max(maxx, lon), max(maxy, lat)
    return (max(minx, WINDOW[0]), max(miny, WINDOW[1]), min(maxx, WINDOW[2]),
            min(maxy, WINDOW[3]))


def _fit(bounds: tuple[float, float, float, float],
         lay: furniture.Layout) -> tuple[float, float, float, float]:
    """Pad the view and widen it to the frame's shape, so that the map is not distorted."""
    xmin, ymin, xmax, ymax = bounds
    pad = 0.04 * max(xmax - xmin, ymax - ymin, 20_000.0)
    xmin, ymin, xmax, ymax = xmin - pad, ymin - pad, xmax + pad, ymax + pad
    frame = (lay.map_box[2] * lay.width) / (lay.map_box[3] * lay.height)
    dx, dy = xmax - xmin, ymax - ymin
    if dx / dy < frame:
        grow = (dy * frame - dx) / 2
        xmin, xmax = xmin - grow, xmax + grow
    else:
        grow = (dx / frame - dy) / 2
        ymin, ymax = ymin - grow, ymax + grow
    return (xmin, ymin, xmax, ymax)


def _add_tiles(ax: Axes, base: Basemap, source: str) -> str:
    """Web tiles under our polygons; returns their credit line. Needs contextily and a network
    (or a tile server of one's own: ``source`` may be an XYZ URL template)."""
    try:
        import contextily
        import xyzservices
    except ImportError:
        raise RenderError("tiles need contextily: pip install 'frontline[tiles]'") from None
    if "{z}" in source:
        host = urlsplit(source).netloc or source
        provider = xyzservices.TileProvider(name="custom", url=source,
                                            attribution=f"tiles from {host}")
    else:
        try:
            provider = xyzservices.providers.query_name(source)
        except ValueError:
            raise RenderError(f"unknown tile provider {source!r}: use a name such as "
                              "OpenStreetMap.Mapnik or an URL template with {z}/{x}/{y}") from None
    try:
        contextily.add_basemap(ax, crs=base.crs.to_wkt(), source=provider, attribution=False,
                               zorder=0.5, timeout=TILE_TIMEOUT_S)
    except Exception as exc:  # network and tile errors come in many types
        raise RenderError(f"could not fetch tiles from {provider.name} (is the network "
                          f"reachable?): {type(exc).__name__}: {exc}") from None
    return str(provider.get("attribution") or provider.name)
