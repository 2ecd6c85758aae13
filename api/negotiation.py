"""Which representation a client gets: ``f=`` wins, then the Accept header, then JSON.

Browsers put ``text/html`` first and ``*/*`` last; GIS clients and scripts ask for JSON or
send nothing, so a tie goes to JSON.
"""

from __future__ import annotations

from api.problems import ApiError

FORMATS = ("json", "geojson", "html")
_ALIASES = {"application/json": "json", "application/geo+json": "geojson", "text/html": "html"}
_JSONISH = ("application/json", "application/geo+json")


def _weights(accept: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out[media] = max(q, out.get(media, 0.0))
    return out


def wants_html(f: str | None, accept: str | None) -> bool:
    if f is not None:
        fmt = f.strip().lower()
        fmt = _ALIASES.get(fmt, fmt)
        if fmt not in FORMATS:
            raise ApiError(f"f: unknown format {f!r}; expected one of {', '.join(FORMATS)}")
        return fmt == "html"
    if not accept:
        return False
    w = _weights(accept)
    html = w.get("text/html", w.get("text/*", 0.0))
    json = max([w.get(m, 0.0) for m in _JSONISH] + [w.get("application/*", 0.0)])
    rival = json if json > 0 else w.get("*/*", 0.0)
    return html > rival
