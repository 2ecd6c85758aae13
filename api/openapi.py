"""The API definition in OpenAPI 3.0, the version OGC API – Features (``oas30``) names.

FastAPI writes 3.1; the few 3.1-only constructs it uses for query parameters (null in
``anyOf``, ``examples`` arrays, numeric exclusive bounds) translate one to one. Validation
errors are answered with 400, so FastAPI's 422 entries are dropped.
"""

from __future__ import annotations

from typing import Any

VERSION = "3.0.3"


def _schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _schema(v) for k, v in node.items()}
    for key in ("anyOf", "oneOf"):
        options = out.get(key)
        if isinstance(options, list) and {"type": "null"} in options:
            rest = [o for o in options if o != {"type": "null"}]
            del out[key]
            if len(rest) == 1:
                out.update(rest[0])
            else:
                out[key] = rest
            out["nullable"] = True
    if isinstance(out.get("examples"), list) and "type" in out:
        examples = out.pop("examples")
        if examples:
            out["example"] = examples[0]
    for bound, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), (int, float)) and not isinstance(out[bound], bool):
            out[plain] = out.pop(bound)
            out[bound] = True
    if "const" in out:
        out["enum"] = [out.pop("const")]
    return out


def _strict(op: dict[str, Any], schemas: dict[str, dict[str, Any]],
            styles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    params = []
    for p in op.get("parameters", []):
        if p.get("in") == "query" and p.get("name") in schemas:
            base = {k: v for k, v in p.get("schema", {}).items()
                    if k in ("title", "description", "default", "example")}
            p = {**p, "schema": {**base, **schemas[p["name"]]}}
        if p.get("in") == "query" and p.get("name") in styles:
            p = {**p, **styles[p["name"]]}
        params.append(p)
    return {**op, "parameters": params} if params else op


def to_openapi30(doc: dict[str, Any],
                 parameters: dict[str, dict[str, Any]] | None = None,
                 styles: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """``parameters``: the schema to give each query parameter of that name, wherever it
    occurs (FastAPI cannot attach a pattern to the items of a list parameter); ``styles``:
    how each is serialised (``style``, ``explode``), where it differs from the default."""
    out = dict(doc)
    out["openapi"] = VERSION
    paths: dict[str, Any] = {}
    for path, ops in doc.get("paths", {}).items():
        paths[path] = {}
        for method, op in ops.items():
            op = dict(op)
            responses = {k: v for k, v in op.get("responses", {}).items() if k != "422"}
            op["responses"] = responses
            paths[path][method] = _strict(_schema(op), parameters or {}, styles or {})
    out["paths"] = paths
    schemas = dict(doc.get("components", {}).get("schemas", {}))
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    components = {**doc.get("components", {}), "schemas": _schema(schemas)}
    if not components["schemas"]:
        del components["schemas"]
    out["components"] = components
    if not out["components"]:
        del out["components"]
    return out
