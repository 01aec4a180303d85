"""The operation call every Geopera handler receives, and the spend-operation wrapper."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from ..httputil import dumps
from .auth import Principal
from .errors import Problem
from .idempotency import Claim, body_hash
from .service import Geopera


@dataclass
class Call:
    request: Request
    op: str
    principal: Principal
    body: dict[str, Any]
    geopera: Geopera

    @property
    def idempotency_key(self) -> str | None:
        key = self.request.headers.get("idempotency-key")
        if key is not None and not 1 <= len(key) <= 255:
            raise Problem(400, "Idempotency-Key must be 1 to 255 characters")
        return key


#: handlers are plain functions: the dispatcher runs them in the thread pool, so catalog
#: generation and raster writing never block the event loop (faults, other clients)
Handler = Callable[[Call], "Response | dict[str, Any]"]


def json_response(status: int, payload: dict[str, Any]) -> Response:
    return Response(dumps(payload), status_code=status, media_type="application/json")


def spend(call: Call, commit: Callable[[Call, Claim | None, str], Response]) -> Response:
    """Run a spend operation under its ``Idempotency-Key`` (see ``idempotency``)."""
    key = call.idempotency_key
    digest = body_hash(call.body)
    claim = None
    if key is not None:
        got = call.geopera.keys.claim(call.principal.org, call.op, key, digest, call.geopera.now())
        if isinstance(got, Response):
            return got
        claim = got
    try:
        return commit(call, claim, digest)
    except BaseException:
        if claim is not None:
            call.geopera.keys.release(claim)
        raise
