"""OAuth 2.0 token-endpoint pieces shared by the Keycloak-style token servers (UP42, Geopera):
errors ``{"error", "error_description"}`` (RFC 6749 5.2) and the form body."""

from __future__ import annotations

import json

from fastapi import Request
from fastapi.responses import JSONResponse

from .httputil import BodyError, read_form


def oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def render_oauth(status: int, message: str) -> tuple[bytes, str]:
    """Injected faults on a token server, in the OAuth error shape."""
    error = "temporarily_unavailable" if status in (429, 502, 503, 504) else "server_error"
    return json.dumps({"error": error, "error_description": message}).encode(), "application/json"


async def token_form(request: Request) -> dict[str, str] | JSONResponse:
    """The form of a token request, or the 400 to answer."""
    try:
        return await read_form(request)
    except BodyError as exc:
        return oauth_error(400, "invalid_request", str(exc))
