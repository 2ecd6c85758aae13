"""HTTP-flavoured user errors: each carries the status and OGC exception code it is served with.

They subclass ``UsageError`` so that code below the web layer can raise them without knowing
about HTTP, and the CLI would still print them as one line.
"""

from __future__ import annotations

from typing import Any

from api.errors import UsageError


class ApiError(UsageError):
    status = 400
    code = "InvalidParameterValue"

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "description": str(self)}


class NotFound(ApiError):
    status = 404
    code = "NotFound"


class Unauthorized(ApiError):
    status = 401
    code = "Unauthorized"


class Forbidden(ApiError):
    status = 403
    code = "Forbidden"


class Conflict(ApiError):
    status = 409
    code = "Conflict"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "UnsupportedMediaType"


class PayloadTooLarge(ApiError):
    status = 413
    code = "PayloadTooLarge"


class Unavailable(ApiError):
    status = 503
    code = "ServiceUnavailable"


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["code", "description"],
    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the errors a route can answer with."""
    titles = {400: "Bad parameter", 401: "No credentials", 403: "Not allowed",
              404: "No such resource", 409: "Conflicts with what is stored",
              413: "Request body too large", 415: "Body is not JSON or plain text",
              503: "The event store cannot be read, or the server is busy parsing"}
    return {s: {"description": titles[s],
                "content": {"application/json": {"schema": ERROR_SCHEMA}}}
            for s in statuses}
