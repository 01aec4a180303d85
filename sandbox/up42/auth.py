"""UP42 token server (``/up42-auth``) and the bearer check of the API (UP42's authentication
page and up42-py ``up42/http/oauth.py``: a password grant, then ``Authorization: Bearer``).

``POST /realms/public/protocol/openid-connect/token``, form-encoded:

* ``grant_type=password`` with ``username``, ``password``, ``client_id`` (``up42-api``
  or ``up42-sdk``) and an optional ``scope`` (the SDK sends ``openid``);
* ``grant_type=refresh_token`` with ``refresh_token`` and the same ``client_id``.

The response carries the documented fields (docs.up42.com/developers/authentication, in
sdk-test-payloads.json ``token_response_docs``). ``GET .../userinfo`` returns ``sub`` =
the workspace id (up42-py up42/base.py). Token lifetimes are real seconds (see
``sandbox.tokens``); ``/_sandbox/up42/tokens`` shortens them or revokes every token
issued so far (Keycloak's "not-before" policy), so tests can see an expired token.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from .. import tokens
from ..httputil import bearer
from ..oauth import oauth_error, token_form
from ..store import Store
from . import data
from .errors import Up42Error

TOKEN_PATH = "/realms/public/protocol/openid-connect/token"  # noqa: S105 - a path, not a secret
USERINFO_PATH = "/realms/public/protocol/openid-connect/userinfo"
#: the ``scope`` of the docs' token example
DOC_SCOPE = "ACCOUNT_ADMIN USER"


@dataclass(frozen=True)
class Principal:
    user: data.User
    client_id: str

    @property
    def workspace_id(self) -> str:
        return self.user.workspace_id


class Auth:
    def __init__(self, store: Store) -> None:
        self.store = store

    # lifetimes and revocation live in the meta table so /_sandbox/reset restores them
    def ttl(self, which: str) -> int:
        default = "300" if which == "access" else "1800"
        return int(self.store.meta(f"up42.ttl.{which}", default) or default)

    def not_before(self) -> float:
        return float(self.store.meta("up42.not_before", "0") or 0)

    def settings(self, body: dict[str, Any]) -> dict[str, Any]:
        for which in ("access", "refresh"):
            if f"{which}_ttl" in body:
                self.store.set_meta(f"up42.ttl.{which}", str(int(body[f"{which}_ttl"])))
        if body.get("revoke"):
            # iat is in whole seconds: everything issued up to the end of this second is revoked
            self.store.set_meta("up42.not_before", str(int(time.time()) + 1))
        return {"access_ttl": self.ttl("access"), "refresh_ttl": self.ttl("refresh"), "not_before": self.not_before()}

    def issue(self, user: data.User, client_id: str, scope: str, session: str | None = None) -> dict[str, Any]:
        session = session or str(uuid.uuid4())
        base = {"sub": user.workspace_id, "email": user.email, "azp": client_id, "sid": session, "scope": scope}
        access = tokens.mint_jwt(self.store, "up42", {**base, "typ": "Bearer", "name": user.name}, self.ttl("access"))
        refresh = tokens.mint_jwt(self.store, "up42", {**base, "typ": "Refresh"}, self.ttl("refresh"))
        return {
            "access_token": access,
            "expires_in": self.ttl("access"),
            "refresh_expires_in": self.ttl("refresh"),
            "refresh_token": refresh,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "session_state": session,
            "scope": scope,
        }

    def claims(self, token: str, typ: str) -> dict[str, Any]:
        claims = tokens.read_jwt(self.store, "up42", token)
        if claims.get("typ") != typ:
            raise tokens.TokenError(f"not a {typ.lower()} token")
        if float(claims.get("iat", 0)) < self.not_before():
            raise tokens.TokenError("token revoked")
        return claims

    def principal(self, request: Request) -> Principal:
        """The caller of an API endpoint; ``Up42Error(401)`` unless a valid bearer token is sent."""
        token = bearer(request)
        if token is None:
            raise Up42Error(
                401,
                "Authentication required: send 'Authorization: Bearer <access token>'",
                headers={"WWW-Authenticate": 'Bearer realm="public"'},
            )
        try:
            claims = self.claims(token, "Bearer")
        except tokens.TokenError as exc:
            raise Up42Error(
                401,
                f"Invalid access token: {exc.reason}",
                headers={"WWW-Authenticate": 'Bearer realm="public", error="invalid_token"'},
            ) from None
        user = data.user_by_workspace(str(claims.get("sub")))
        if user is None:
            raise Up42Error(401, "Invalid access token: unknown subject")
        return Principal(user, str(claims.get("azp")))


def token_app(auth: Auth) -> FastAPI:
    app = FastAPI(title="UP42 token server (sandbox)", openapi_url=None, docs_url=None, redoc_url=None)
    router = APIRouter()

    @router.post(TOKEN_PATH)
    async def token(request: Request) -> JSONResponse:
        form = await token_form(request)
        if isinstance(form, JSONResponse):
            return form
        grant = form.get("grant_type", "")
        client_id = form.get("client_id", "")
        if not grant:
            return oauth_error(400, "invalid_request", "Missing form parameter: grant_type")
        if client_id not in data.CLIENT_IDS:
            # Keycloak answers an unknown client with 401 invalid_client
            return oauth_error(401, "invalid_client", "Invalid client or Invalid client credentials")
        if grant == "password":
            for name in ("username", "password"):
                if not form.get(name):
                    return oauth_error(400, "invalid_request", f"Missing form parameter: {name}")
            user = data.user_by_email(form["username"])
            if user is None or user.password != form["password"]:
                return oauth_error(401, "invalid_grant", "Invalid user credentials")
            requested = form.get("scope", "").split()
            scope = " ".join(dict.fromkeys([*(s for s in requested if s == "openid"), *DOC_SCOPE.split()]))
            return JSONResponse(auth.issue(user, client_id, scope))
        if grant == "refresh_token":
            raw = form.get("refresh_token", "")
            if not raw:
                return oauth_error(400, "invalid_request", "Missing form parameter: refresh_token")
            try:
                claims = auth.claims(raw, "Refresh")
            except tokens.TokenError as exc:
                return oauth_error(400, "invalid_grant", f"Token is not active ({exc.reason})")
            if claims.get("azp") != client_id:
                return oauth_error(
                    400, "invalid_grant", "Invalid refresh token. Token client and authorized client don't match"
                )
            user = data.user_by_workspace(str(claims.get("sub")))
            if user is None:
                return oauth_error(400, "invalid_grant", "Token is not active")
            scope = str(claims.get("scope", DOC_SCOPE))
            return JSONResponse(auth.issue(user, client_id, scope, str(claims.get("sid"))))
        return oauth_error(400, "unsupported_grant_type", f"Unsupported grant_type {grant!r}")

    @router.get(USERINFO_PATH)
    async def userinfo(request: Request) -> JSONResponse:
        token = bearer(request)
        if token is None:
            return JSONResponse(
                {"error": "invalid_request", "error_description": "Missing bearer token"},
                401,
                headers={"WWW-Authenticate": 'Bearer realm="public"'},
            )
        try:
            claims = auth.claims(token, "Bearer")
        except tokens.TokenError as exc:
            body = {"error": "invalid_token", "error_description": f"Token verification failed ({exc.reason})"}
            return JSONResponse(body, 401, headers={"WWW-Authenticate": 'Bearer realm="public", error="invalid_token"'})
        user = data.user_by_workspace(str(claims.get("sub")))
        if user is None:
            return oauth_error(401, "invalid_token", "User not found")
        return JSONResponse(
            {
                "sub": user.workspace_id,
                "email": user.email,
                "email_verified": True,
                "name": user.name,
                "preferred_username": user.email,
            }
        )

    app.include_router(router)
    return app
