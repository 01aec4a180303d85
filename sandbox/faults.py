"""Faults switched on per test through ``/_sandbox/faults``: latency, 5xx, 429, drops, bad bodies, 402.

An ASGI middleware in front of every provider. A fault matches requests by path prefix
(and optionally method) and applies to the next ``times`` matching requests (0 = until
cleared). Kinds:

``latency``            wait ``delay`` seconds, then answer normally
``status``             answer ``status`` (e.g. 503) in the provider's error envelope, handler not run
``rate_limit``         answer 429 with ``Retry-After: retry_after``, handler not run
``drop_after_commit``  run the handler (the order is committed), then cut the connection
                       after the status line and headers: the client never gets a body
``hang_after_commit``  run the handler, then hold the response ``delay`` seconds (client timeout)
``truncate``           run the handler, send only the first half of its body
``malformed``          run the handler, replace its body with an HTML error page (status kept)

Every request is also recorded (method, path, query, headers, first 64 KiB of body) for
tests that must see what the client sent.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("latency", "status", "rate_limit", "drop_after_commit", "hang_after_commit", "truncate", "malformed")

ErrorRenderer = Callable[[int, str], tuple[bytes, str]]


@dataclass
class Fault:
    kind: str
    prefix: str = "/"
    method: str | None = None
    times: int = 1
    status: int = 503
    retry_after: float = 1.0
    delay: float = 0.0
    id: int = 0
    hits: int = field(default=0)

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.prefix) and (self.method is None or self.method.upper() == method.upper())

    @property
    def exhausted(self) -> bool:
        return self.times > 0 and self.hits >= self.times


class FaultBook:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self.requests: deque[dict[str, Any]] = deque(maxlen=5000)

    def add(self, **spec: Any) -> Fault:
        if spec.get("kind") not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        fault = Fault(**{k: v for k, v in spec.items() if k in Fault.__dataclass_fields__ and k not in ("id", "hits")})
        with self._lock:
            fault.id = next(self._ids)
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if not fault.exhausted and fault.matches(method, path):
                    fault.hits += 1
                    return fault
        return None

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def record(self, entry: dict[str, Any]) -> None:
        self.requests.append(entry)


def _default_renderer(status: int, message: str) -> tuple[bytes, str]:
    import json

    return json.dumps({"error": message, "status": status}).encode(), "application/json"


class FaultMiddleware:
    """ASGI middleware applying :class:`FaultBook` faults and recording requests."""

    def __init__(self, app: Any, book: FaultBook, renderers: dict[str, ErrorRenderer]) -> None:
        self.app = app
        self.book = book
        # longest prefix first so /oneatlas-data wins over /oneatlas
        self.renderers = sorted(renderers.items(), key=lambda item: -len(item[0]))

    def renderer_for(self, path: str) -> ErrorRenderer:
        for prefix, renderer in self.renderers:
            if path.startswith(prefix):
                return renderer
        return _default_renderer

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        body = bytearray()
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if not path.startswith("/_sandbox"):
            self.book.record(
                {
                    "method": method,
                    "path": path,
                    "query": scope.get("query_string", b"").decode("latin-1"),
                    "headers": {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]},
                    "body": bytes(body[:65536]).decode("utf-8", "replace"),
                }
            )
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        fault = None if path.startswith("/_sandbox") else self.book.take(method, path)
        if fault is None:
            await self.app(scope, replay, send)
            return
        if fault.kind == "latency":
            await asyncio.sleep(fault.delay)
            await self.app(scope, replay, send)
            return
        if fault.kind in ("status", "rate_limit"):
            status = 429 if fault.kind == "rate_limit" else fault.status
            text = "Too many requests" if status == 429 else f"Sandbox fault: HTTP {status}"
            payload, content_type = self.renderer_for(path)(status, text)
            headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(payload)).encode())]
            if status == 429:
                headers.append((b"retry-after", str(round(fault.retry_after)).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": payload})
            return
        # the remaining kinds run the handler first and then spoil its response
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, replay, capture)
        payload = b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        status = start.get("status", 200)
        if fault.kind == "drop_after_commit":
            headers.append((b"content-length", str(max(len(payload), 1) + 100).encode()))
            await send({"type": "http.response.start", "status": status, "headers": headers})
            raise ConnectionAbortedError("sandbox fault: connection dropped after commit")
        if fault.kind == "hang_after_commit":
            await asyncio.sleep(fault.delay or 30.0)
        elif fault.kind == "truncate":
            payload = payload[: max(1, len(payload) // 2)]
        elif fault.kind == "malformed":
            payload = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
            headers.append((b"content-type", b"text/html"))
        headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
