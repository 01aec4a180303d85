"""Geopera errors (its API reference's errors page): RFC 7807
``application/problem+json {type, title, status, detail}``; validation failures are 422
``{"detail": [{loc, msg, type}]}`` (FastAPI style, ``HTTPValidationError`` in openapi.json).

``type`` is ``about:blank`` as in the docs' example, except where a client must tell
variants of one status apart (the three 402 causes, the 409 causes): there it is a URI
under ``https://api.geopera.com/problems/`` (the pattern of the ``Problem.type`` example in
openapi.json).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
PROBLEM_TYPES = "https://api.geopera.com/problems/"
PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    def __init__(
        self, status: int, detail: str, *, kind: str | None = None, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {
            "type": PROBLEM_TYPES + self.kind if self.kind else "about:blank",
            "title": TITLES.get(self.status, "Error"),
            "status": self.status,
            "detail": self.detail,
            **self.extra,
        }

    def response(self) -> Response:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers, media_type=PROBLEM_JSON)


class Invalid(Exception):
    """422 with FastAPI-style ``detail`` entries."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["msg"] if errors else "invalid")
        self.errors = errors

    def response(self) -> Response:
        return JSONResponse({"detail": self.errors}, status_code=422)


def invalid(loc: list[Any], msg: str, kind: str = "value_error") -> Invalid:
    return Invalid([{"loc": loc, "msg": msg, "type": kind}])


def render_problem(status: int, message: str) -> tuple[bytes, str]:
    return json.dumps(Problem(status, message).body()).encode(), PROBLEM_JSON


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def problem(_request: Request, exc: Problem) -> Response:
        return exc.response()

    @app.exception_handler(Invalid)
    async def invalid_body(_request: Request, exc: Invalid) -> Response:
        return exc.response()

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
        return Problem(exc.status_code, detail).response()

    @app.exception_handler(RequestValidationError)
    async def validation(_request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": str(e.get("type"))} for e in exc.errors()
        ]
        return Invalid(errors).response()
