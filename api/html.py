"""Plain HTML views of the JSON documents, so a browser can walk the API by its links.

Every value is escaped; the pages carry no script, and the credit line every map carries.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

CREDIT = "Places: GeoNames (CC BY 4.0) · Boundaries: Natural Earth"
_STYLE = ("body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em}"
          "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;"
          "text-align:left;vertical-align:top}footer{margin-top:2em;color:#555;font-size:13px}")


def _as_html(href: str) -> str:
    """The same resource in HTML: ``f=html`` replaces any other format asked for."""
    parts = urlsplit(href)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "f"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("f", "html")])))


def _links(links: list[dict[str, Any]]) -> str:
    """Each link as a page a browser can follow, with the machine-readable one beside it."""
    rows = []
    for lk in links:
        kind = lk.get("type", "")
        if kind == "text/html" and lk["rel"] in ("alternate", "self"):
            continue  # the JSON link beside it already leads to this page
        title = escape(lk.get("title") or lk["rel"])
        if "json" in kind and "openapi" not in kind:
            rows.append(f'<li><a href="{escape(_as_html(lk["href"]))}">{title}</a> '
                        f'<small>(<a href="{escape(lk["href"])}">{escape(kind)}</a>)</small>'
                        "</li>")
        else:
            rows.append(f'<li><a href="{escape(lk["href"])}">{title}</a> '
                        f"<small>({escape(kind or lk['rel'])})</small></li>")
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


def _value(v: Any) -> str:
    if isinstance(v, (dict, list)):
        return f"<code>{escape(json.dumps(v, ensure_ascii=False)[:400])}</code>"
    return escape("" if v is None else str(v))


def _features(features: list[dict[str, Any]]) -> str:
    if not features:
        return "<p>No feature matches.</p>"
    keys = [k for k, v in features[0]["properties"].items() if not isinstance(v, (dict, list))]
    head = "".join(f"<th>{escape(k)}</th>" for k in ["id", *keys])
    body = "".join(
        "<tr>" + f"<td>{_value(f.get('id'))}</td>"
        + "".join(f"<td>{_value(f['properties'].get(k))}</td>" for k in keys) + "</tr>"
        for f in features)
    return f"<table><tr>{head}</tr>{body}</table>"


def _href(url: Any) -> str:
    """A link only for web addresses: a source's URL is data from an article."""
    text = escape(str(url))
    return f'<a href="{text}">{text}</a>' if str(url).startswith(("https://", "http://")) \
        else text


def _event(props: dict[str, Any]) -> str:
    """An event's status and why, its places and every source, as a reader wants them."""
    if "attestations" not in props:
        return ""
    parts = [f"<h2>Status: {escape(str(props.get('status')))}</h2>"]
    basis = props.get("status_basis")
    if isinstance(basis, dict):
        who = basis.get("claimant") or "an unattributed source"
        parts.append(f"<p>Because {escape(str(who))} {escape(str(basis.get('stance')))}"
                     f" ({escape(str(basis.get('outlet') or 'unknown outlet'))}): "
                     f"<q>{escape(str(basis.get('quote')))}</q></p>")
    places = [t for t in props.get("places") or [] if isinstance(t, dict)]
    if places:
        items = "".join(
            f"<li>{escape(str(t.get('resolved_name') or t.get('name')))}"
            + (f" <small>({t['lat']:.4f}, {t['lon']:.4f})</small>"
               if isinstance(t.get("lat"), float) and isinstance(t.get("lon"), float) else "")
            + "</li>" for t in places)
        parts.append(f"<h2>Places</h2><ul>{items}</ul>")
    sources = [a for a in props.get("attestations") or [] if isinstance(a, dict)]
    rows = "".join(
        "<tr>" + "".join(f"<td>{_value(a.get(k))}</td>" for k in
                         ("said_on", "outlet", "claimant", "claimant_side", "stance"))
        + f"<td><q>{escape(str(a.get('quote')))}</q></td>"
        + f"<td>{_href(a['url']) if a.get('url') else ''}</td></tr>" for a in sources)
    parts.append(f"<h2>Sources ({len(sources)})</h2><table><tr><th>said on</th><th>outlet</th>"
                 "<th>claimant</th><th>side</th><th>stance</th><th>quote</th><th>link</th>"
                 f"</tr>{rows}</table>")
    return "".join(parts)


def page(doc: dict[str, Any], title: str) -> str:
    parts = [f"<h1>{escape(title)}</h1>"]
    if doc.get("description"):
        parts.append(f"<p>{escape(doc['description'])}</p>")
    if "numberMatched" in doc:
        parts.append(f"<p>{doc['numberReturned']} of {doc['numberMatched']} features</p>")
    for c in doc.get("collections", []):
        parts.append(f"<h2>{escape(c['title'])}</h2><p>{escape(c['description'])}</p>")
        parts.append(_links(c["links"]))
    if "conformsTo" in doc:
        parts.append(_links([{"href": u, "rel": "conformance", "title": u}
                             for u in doc["conformsTo"]]))
    if doc.get("type") == "FeatureCollection":
        parts.append(_features(doc["features"]))
    elif doc.get("type") == "Feature":
        parts.append(_event(doc.get("properties") or {}))
        parts.append(_features([doc]))
    parts.append(_links(doc.get("links", [])))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>'
            f"{escape(title)} – Frontline</title><style>{_STYLE}</style></head><body>"
            f"{''.join(parts)}<footer>{escape(CREDIT)}</footer></body></html>")


def api_page(openapi: dict[str, Any]) -> str:
    """The API definition as a readable page, without the CDN scripts of Swagger UI."""
    parts = [f"<h1>{escape(openapi['info']['title'])} API</h1>",
             f"<p>{escape(openapi['info'].get('description', ''))}</p>",
             '<p>Machine-readable definition: <a href="openapi.json">openapi.json</a></p>']
    for path, ops in openapi.get("paths", {}).items():
        for method, op in ops.items():
            params = "".join(
                f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
                f"<td>{escape(p.get('description') or p.get('schema', {}).get('description', ''))}"
                "</td></tr>" for p in op.get("parameters", []))
            table = f"<table>{params}</table>" if params else ""
            parts.append(f"<h2><code>{escape(method.upper())} {escape(path)}</code></h2>"
                         f"<p>{escape(op.get('summary', ''))}</p>{table}")
    title = f"{openapi['info']['title']} API"
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>'
            f"{escape(title)}</title><style>{_STYLE}</style></head><body>"
            f"{''.join(parts)}<footer>{escape(CREDIT)}</footer></body></html>")
