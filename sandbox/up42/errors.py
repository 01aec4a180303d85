"""UP42 error envelopes (v2, v1/catalog and the SDK tests' 500 body).

* v2 endpoints (``/v2/...``): ``BasicErrorResponse {code, message, details}``.
* v1 and catalog endpoints: ``{"data": {}, "error": {"code", "message", "details"}}``
  (the 422 of sdk-test-payloads.json ``catalog_search_error_422``; ``data`` is ``{}``
  there, so the sandbox sends ``{}`` on every v1 error).
* the token server (Keycloak, ``/realms/public/protocol/openid-connect``): OAuth 2.0
  errors (``sandbox.oauth``).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class Up42Error(Exception):
    def __init__(self, status: int, message: str, details: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers or {}


def v2_body(status: int, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": status, "message": message, "details": details}


def v1_body(status: int, message: str, details: Any = None) -> dict[str, Any]:
    return {"data": {}, "error": {"code": status, "message": message, "details": details}}


def render_v2(status: int, message: str) -> tuple[bytes, str]:
    return json.dumps(v2_body(status, message)).encode(), "application/json"


def render_v1(status: int, message: str) -> tuple[bytes, str]:
    return json.dumps(v1_body(status, message)).encode(), "application/json"


def install(app: FastAPI, envelope: str) -> None:
    """Route every error of ``app`` (ours, routing 404/405, validation) into ``envelope``."""
    body = v2_body if envelope == "v2" else v1_body

    @app.exception_handler(Up42Error)
    async def up42_error(_request: Request, exc: Up42Error) -> JSONResponse:
        return JSONResponse(body(exc.status, exc.message, exc.details), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else STATUS_TEXT.get(exc.status_code, "Error")
        return JSONResponse(body(exc.status_code, message), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"location": list(map(str, e.get("loc", ()))), "message": e.get("msg")} for e in exc.errors()]
        return JSONResponse(body(400, "Invalid request", details), status_code=400)
