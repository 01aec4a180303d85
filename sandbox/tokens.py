"""Signed tokens for the sandbox's token servers: JWT-shaped (HS256) and URL signatures.

Each provider keeps its own secret in the SQLite meta table (so tokens survive a
restart and die with ``/_sandbox/reset``). Token and signed-link lifetimes are measured
in *real* seconds, not on the accelerated clock: the clock speeds up order lifecycles,
and a client that refreshes its token from ``expires_in`` must not see it expire 60
times faster than announced (``make run`` runs the clock at 60x).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from .store import Store


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def secret(store: Store, name: str) -> bytes:
    """The HMAC key called ``name`` (created on first use)."""
    key = f"secret.{name}"
    value = store.meta(key)
    if value is None:
        value = secrets.token_hex(32)
        store.set_meta(key, value)
    return bytes.fromhex(value)


class TokenError(Exception):
    """The token is malformed, wrongly signed or expired (``reason`` says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def mint_jwt(store: Store, name: str, claims: dict[str, Any], ttl: float) -> str:
    """A compact JWS (HS256) carrying ``claims`` plus ``iat``/``exp`` (real time)."""
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT", "kid": f"sandbox-{name}"}
    body = {**claims, "iat": now, "exp": now + int(ttl), "jti": secrets.token_hex(8)}
    signing_input = (
        _b64(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64(json.dumps(body, separators=(",", ":")).encode())
    )
    signature = hmac.new(secret(store, name), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


def read_jwt(store: Store, name: str, token: str) -> dict[str, Any]:
    """The claims of a token minted by :func:`mint_jwt`; raises :class:`TokenError`."""
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("malformed token")
    expected = hmac.new(secret(store, name), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    try:
        signature = _unb64(parts[2])
        claims = json.loads(_unb64(parts[1]))
    except (ValueError, UnicodeDecodeError):
        raise TokenError("malformed token") from None
    if not hmac.compare_digest(signature, expected) or not isinstance(claims, dict):
        raise TokenError("invalid signature")
    if float(claims.get("exp", 0)) <= time.time():
        raise TokenError("token expired")
    return claims


def sign_path(store: Store, name: str, path: str, ttl: float) -> str:
    """Query string ``expires=...&signature=...`` making ``path`` fetchable without a token."""
    expires = int(time.time() + ttl)
    mac = hmac.new(secret(store, name), f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()
    return f"expires={expires}&signature={mac}"


def check_signed_path(store: Store, name: str, path: str, expires: str, signature: str) -> None:
    """Raises :class:`TokenError` unless ``signature`` signs ``path`` and has not expired."""
    try:
        deadline = int(expires)
    except ValueError:
        raise TokenError("malformed expiry") from None
    mac = hmac.new(secret(store, name), f"{path}\n{deadline}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, signature):
        raise TokenError("invalid signature")
    if deadline <= time.time():
        raise TokenError("signed link expired")
