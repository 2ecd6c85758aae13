"""The one palette and symbology that every Frontline map uses, static or web.

A reader who learns the legend on a PNG must read the web map the same way: fill colour says
how sure we are (status), shape says what happened (type), outline and arrow colour say who
did it (actor). Everything here is plain data so that matplotlib, folium and the API agree.
"""

from __future__ import annotations

from dataclasses import dataclass

# Colour-blind-safe (ColorBrewer Dark2 subset), ordered from most to least trusted.
STATUS_COLORS: dict[str, str] = {
    "confirmed": "#1b9e77",
    "disputed": "#d95f02",
    "claimed": "#7570b3",
    "reported": "#8c8c8c",
}
STATUS_LABELS: dict[str, str] = {
    "confirmed": "Confirmed",
    "disputed": "Disputed",
    "claimed": "Claimed by one side",
    "reported": "Reported",
}
# Arrow and outline dash per status: solid means confirmed, dots mean a bare report.
STATUS_DASH: dict[str, str] = {
    "confirmed": "solid",
    "disputed": "dashed",
    "claimed": "dashdot",
    "reported": "dotted",
}
STATUS_DASHARRAY: dict[str, str | None] = {
    "confirmed": None,
    "disputed": "8 5",
    "claimed": "8 4 2 4",
    "reported": "2 4",
}

ACTOR_COLORS: dict[str, str] = {"RU": "#c0392b", "UA": "#1f5fbf", "unknown": "#4d4d4d"}
ACTOR_LABELS: dict[str, str] = {"RU": "Russian forces", "UA": "Ukrainian forces",
                                "unknown": "Unknown actor"}


@dataclass(frozen=True)
class Shape:
    """A marker shape: its name for the web, its matplotlib code and an SVG path in a 20x20 box."""

    name: str
    mpl: str
    svg_path: str
    scale: float = 1.0  # thin shapes (a star) need more size to weigh the same


SHAPES: dict[str, Shape] = {
    "triangle": Shape("triangle", "^", "M10 2 L18 17 L2 17 Z"),
    "square": Shape("square", "s", "M3 3 H17 V17 H3 Z"),
    "star": Shape("star", "*",
                  "M10 1 L12.6 7.2 L19.5 7.6 L14.2 12 L15.9 18.6 L10 15 L4.1 18.6 L5.8 12 "
                  "L0.5 7.6 L7.4 7.2 Z", 1.45),
    "cross": Shape("cross", "X",
                   "M4 1 L10 7 L16 1 L19 4 L13 10 L19 16 L16 19 L10 13 L4 19 L1 16 L7 10 "
                   "L1 4 Z", 0.9),
    "triangle-down": Shape("triangle-down", "v", "M2 3 L18 3 L10 18 Z"),
    "circle": Shape("circle", "o", "M10 2 A8 8 0 1 1 9.99 2 Z"),
    "diamond": Shape("diamond", "D", "M10 1 L19 10 L10 19 L1 10 Z", 0.9),
    "hexagon": Shape("hexagon", "h", "M10 1 L18 5.5 L18 14.5 L10 19 L2 14.5 L2 5.5 Z"),
    "pentagon": Shape("pentagon", "p", "M10 1 L19 8 L15.5 18.5 L4.5 18.5 L1 8 Z"),
}
TYPE_SHAPES: dict[str, str] = {
    "advance": "triangle",
    "capture": "square",
    "strike": "star",
    "repelled": "cross",
    "withdrawal": "triangle-down",
    "encirclement": "hexagon",
    "fighting": "diamond",
    "control": "pentagon",
    "other": "circle",
}
TYPE_LABELS: dict[str, str] = {
    "advance": "Advance",
    "capture": "Capture",
    "strike": "Strike",
    "repelled": "Attack repelled",
    "withdrawal": "Withdrawal",
    "encirclement": "Encirclement",
    "fighting": "Fighting",
    "control": "Control held",
    "other": "Other",
}

# Basemap: Ukraine stands out from its neighbours; the sea is a quiet blue.
LAND = "#f4f1ea"
UKRAINE = "#ffffff"
BORDER = "#9a9a9a"
COUNTRY_BORDER = "#5a5a5a"
WATER = "#dbe7f0"
RIVER = "#7fa7c9"  # a line of water: darker than the sea, so that it reads on land
RIVER_NAME = "#3f6f99"
REGION_ALPHA = 0.18  # fill of an oblast when the event is only known to the oblast

ATTRIBUTION = "GeoNames (CC BY 4.0), Natural Earth"

def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, STATUS_COLORS["reported"])


def actor_color(actor: str) -> str:
    return ACTOR_COLORS.get(actor, ACTOR_COLORS["unknown"])


def type_shape(event_type: str) -> Shape:
    return SHAPES[TYPE_SHAPES.get(event_type, "circle")]


def marker_svg(event_type: str, status: str, actor: str, size: int = 20) -> str:
    """An inline SVG marker, so that web maps draw exactly the symbols of the static maps."""
    shape = type_shape(event_type)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="-1 -1 22 22"><path d="{shape.svg_path}" fill="{status_color(status)}" '
        f'stroke="{actor_color(actor)}" stroke-width="2" stroke-linejoin="round"/></svg>'
    )

# Areas of control: occupied in a muted red, contested grey, held ground in blues; the
# line of contact dark red; changed ground coloured by the side that took it.
CONTROL_FILL = {"occupied": "#c8553d", "contested": "#8d8d8d", "liberated": "#3a7fc1",
                "ukrainian-held": "#7fb3e0"}
CONTROL_LABELS = {"occupied": "Occupied", "contested": "Contested (grey zone)",
                  "liberated": "Liberated", "ukrainian-held": "Ukrainian-held"}
CONTROL_ALPHA = 0.28
CONTACT_LINE = "#7a0019"
CHANGE_FILL = {"occupied": "#8b0000", "held": "#0b4f9c", "contested": "#555555"}
CHANGE_ALPHA = 0.6
