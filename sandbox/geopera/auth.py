"""Geopera authentication, scopes and the per-principal rate limit (its authentication page:
a ``gpra_`` key sent as it is or exchanged for a JWT; each operation needs a scope).

Credentials (docs-examples.json ``auth_headers``):

* ``Authorization: Bearer gpra_…`` or ``X-API-Key: gpra_…``: an **API-key principal**
  with the key's scopes;
* ``Authorization: Bearer <JWT>`` from ``POST /realms/public/protocol/openid-connect/token``:
  ``grant_type=client_credentials`` (``client_id=geopera``, ``client_secret=<API key>``)
  gives a token **derived from the API key**: still the API-key principal, with the key's
  scopes (optionally narrowed by ``scope``); ``grant_type=password`` gives a **user
  principal** with every scope; ``grant_type=refresh_token`` renews either, keeping its
  principal.

Geopera's guide "Ordering archive imagery", "Place the order": ``orders.archive.place``
"requires the orders:write scope (an API key cannot place archive orders — this is a
deliberate guard on the money path; use a user or delegated principal)". The sandbox's
reading: exchanging the key for a JWT does not change who is calling, so a
client-credentials token is the API key and cannot place either (a guard that one token
request could step around would guard nothing). The refusal is the
docs' errors-page example (plus the ``required_scope`` member every scope refusal of the
sandbox carries): 403 ``application/problem+json`` ``{"type":
"about:blank", "title": "Forbidden", "status": 403, "detail": "missing scope 'orders:write'
for 'orders.archive.place'"}``: on the money path an API key never holds ``orders:write``.
It applies on every route that runs the operation (``/v1/op/orders.archive.place``,
``/v1/orders/archive/place``, ``/v2/orders``). No document says how a *delegated* principal
is obtained, so the sandbox issues none: only the password grant's user principal places.

Token lifetimes are real seconds (``expires_in`` 300, ``refresh_expires_in`` 1800, docs
authentication page); errors of the token endpoint are OAuth 2.0 ``{error,
error_description}`` (RFC 6749 5.2), the API's are problem+json.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from .. import tokens
from ..httputil import bearer
from ..oauth import oauth_error, token_form
from ..store import Store
from . import data
from .errors import Problem

TOKEN_PATH = "/realms/public/protocol/openid-connect/token"  # noqa: S105 - a path, not a secret
#: operations an API-key principal may not call (the ordering guide: "an API key cannot place
#: archive orders", a guard on the money path)
USER_OR_DELEGATED_ONLY = ("orders.archive.place",)


@dataclass(frozen=True)
class Principal:
    kind: str  # api_key (raw key or a token derived from it) | user
    id: str
    org: str
    scopes: tuple[str, ...]


class RateLimiter:
    """At most ``limit`` requests per ``window`` seconds (real time) per principal; off at 0."""

    def __init__(self) -> None:
        self.limit = 0
        self.window = 1.0
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def configure(self, limit: int, window: float) -> dict[str, Any]:
        with self._lock:
            self.limit, self.window = max(0, int(limit)), max(0.1, float(window))
            self._seen.clear()
        return {"limit": self.limit, "window": self.window}

    def check(self, principal_id: str) -> None:
        if self.limit <= 0:
            return
        now = time.monotonic()
        with self._lock:
            seen = self._seen[principal_id]
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                wait = max(1, math.ceil(seen[0] + self.window - now))
                raise Problem(
                    429,
                    f"rate limit of {self.limit} requests per {self.window:g} s exceeded; retry after {wait} s",
                    headers={"Retry-After": str(wait)},
                )
            seen.append(now)


class Auth:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.limiter = RateLimiter()

    def ttl(self) -> int:
        return int(self.store.meta("geopera.ttl.access", "300") or 300)

    def set_ttl(self, seconds: int) -> None:
        self.store.set_meta("geopera.ttl.access", str(int(seconds)))

    def issue(self, principal: Principal) -> dict[str, Any]:
        claims = {
            "sub": principal.id,
            "org": principal.org,
            "principal": principal.kind,
            "scope": " ".join(principal.scopes),
        }
        access = tokens.mint_jwt(self.store, "geopera", {**claims, "typ": "access"}, self.ttl())
        refresh = tokens.mint_jwt(self.store, "geopera", {**claims, "typ": "refresh"}, 1800)
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.ttl(),
            "refresh_token": refresh,
            "refresh_expires_in": 1800,
            "scope": " ".join(principal.scopes),
        }

    def from_claims(self, token: str, typ: str) -> Principal:
        claims = tokens.read_jwt(self.store, "geopera", token)
        if claims.get("typ") != typ:
            raise tokens.TokenError(f"not a{'n' if typ == 'access' else ''} {typ} token")
        return Principal(
            str(claims["principal"]),
            str(claims["sub"]),
            str(claims["org"]),
            tuple(str(claims.get("scope", "")).split()),
        )

    def principal(self, request: Request) -> Principal:
        """The caller, or a 401 problem."""
        token = bearer(request)
        key = token if token and token.startswith("gpra_") else request.headers.get("x-api-key")
        challenge = {"WWW-Authenticate": 'Bearer realm="geopera"'}
        if key and (token is None or token.startswith("gpra_")):
            found = data.api_key(key)
            if found is None:
                raise Problem(401, "invalid API key", headers=challenge)
            return Principal("api_key", found.id, found.org, found.scopes)
        if token is None:
            raise Problem(
                401,
                "missing credentials: send 'Authorization: Bearer <token or gpra_ key>' or 'X-API-Key'",
                headers=challenge,
            )
        try:
            return self.from_claims(token, "access")
        except tokens.TokenError as exc:
            raise Problem(401, f"invalid token: {exc.reason}", headers=challenge) from None

    def authorize(self, request: Request, op: str, scope: str | None) -> Principal:
        principal = self.principal(request)
        self.limiter.check(principal.id)
        if scope and scope not in principal.scopes:
            raise Problem(403, f"missing scope '{scope}' for '{op}'", required_scope=scope)
        if op in USER_OR_DELEGATED_ONLY and principal.kind == "api_key":
            # the docs' own example of this refusal (errors page), see the module docstring
            raise Problem(
                403, f"missing scope '{scope or 'orders:write'}' for '{op}'", required_scope=scope or "orders:write"
            )
        return principal


def token_router(auth: Auth) -> APIRouter:
    """Mounted at ``/geopera/realms/public/protocol/openid-connect``."""
    router = APIRouter()

    @router.post("/token")
    async def token(request: Request) -> JSONResponse:
        form = await token_form(request)
        if isinstance(form, JSONResponse):
            return form
        grant = form.get("grant_type", "")
        if form.get("client_id") != data.CLIENT_ID:
            return oauth_error(401, "invalid_client", f"unknown client_id; use '{data.CLIENT_ID}'")
        if grant == "client_credentials":
            key = data.api_key(form.get("client_secret", ""))
            if key is None:
                return oauth_error(401, "invalid_client", "client_secret must be a valid gpra_ API key")
            wanted = tuple(form.get("scope", "").split()) or key.scopes
            if not set(wanted) <= set(key.scopes):
                extra = " ".join(sorted(set(wanted) - set(key.scopes)))
                return oauth_error(400, "invalid_scope", f"the key does not grant: {extra}")
            # a token derived from the key is the key (module docstring; the ordering guide's guard)
            return JSONResponse(auth.issue(Principal("api_key", key.id, key.org, wanted)))
        if grant == "password":
            user = data.user(form.get("username", ""))
            if user is None or user.password != form.get("password"):
                return oauth_error(401, "invalid_grant", "invalid username or password")
            return JSONResponse(auth.issue(Principal("user", user.id, user.org, data.ALL_SCOPES)))
        if grant == "refresh_token":
            try:
                principal = auth.from_claims(form.get("refresh_token", ""), "refresh")
            except tokens.TokenError as exc:
                return oauth_error(400, "invalid_grant", f"refresh token refused: {exc.reason}")
            return JSONResponse(auth.issue(principal))
        if not grant:
            return oauth_error(400, "invalid_request", "missing grant_type")
        return oauth_error(400, "unsupported_grant_type", f"unsupported grant_type {grant!r}")

    return router
