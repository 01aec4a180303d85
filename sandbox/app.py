"""Assembles the sandbox: provider sub-apps under their base paths, faults, admin."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

from . import providers as providers_package
from .clock import Clock, iso
from .config import SandboxConfig
from .faults import KINDS, ErrorRenderer, FaultBook, FaultMiddleware
from .store import Store


@dataclass
class SandboxContext:
    """What every provider module gets: configuration, state, clock, files."""

    config: SandboxConfig
    store: Store
    clock: Clock
    faults: FaultBook
    #: reset hooks provider modules register (in-memory caches, tokens...)
    on_reset: list[Callable[[], None]] = field(default_factory=list)

    @staticmethod
    def external_url(request: Request, path: str) -> str:
        """Absolute URL on this server for ``path`` (which starts with the provider prefix)."""
        base = f"{request.url.scheme}://{request.url.netloc}"
        return base + (path if path.startswith("/") else "/" + path)


@dataclass
class ProviderMount:
    prefix: str  # e.g. "/clearsky"
    app: FastAPI  # sub-application with the provider's own error handlers
    error_body: ErrorRenderer  # the provider's error envelope, for injected faults


@dataclass
class ProviderBuild:
    name: str
    mounts: list[ProviderMount]
    admin: APIRouter | None = None  # mounted at /_sandbox/<name>
    info: dict[str, Any] = field(default_factory=dict)  # demo credentials etc. for /_sandbox/health


def discover() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(providers_package.__path__) if not m.name.startswith("_"))


def create_app(config: SandboxConfig) -> Any:
    store = Store(config.state_path)
    clock = Clock(store, config.clock_speed)
    book = FaultBook()
    ctx = SandboxContext(config, store, clock, book)
    builds: list[ProviderBuild] = []
    for name in discover():
        module = importlib.import_module(f"{providers_package.__name__}.{name}")
        builds.append(module.build(ctx))

    root = FastAPI(title="Nadir provider sandbox", docs_url="/_sandbox/docs", openapi_url="/_sandbox/openapi.json")
    admin = APIRouter(prefix="/_sandbox")

    @admin.get("/health")
    def health() -> dict[str, Any]:
        return {
            "ok": True,
            "now": iso(clock.now()),
            "clock_speed": clock.speed,
            "providers": {b.name: {"prefixes": [m.prefix for m in b.mounts], **b.info} for b in builds},
        }

    @admin.post("/reset")
    def reset() -> dict[str, Any]:
        store.reset()
        clock.reset()
        book.clear()
        book.requests.clear()
        for hook in ctx.on_reset:
            hook()
        return {"ok": True}

    @admin.get("/faults")
    def list_faults() -> list[dict[str, Any]]:
        return book.list()

    @admin.post("/faults")
    async def add_fault(request: Request) -> dict[str, Any]:
        spec = await request.json()
        if not isinstance(spec, dict):
            raise HTTPException(422, "a JSON object is expected")
        try:
            fault = book.add(**spec)
        except (TypeError, ValueError) as exc:
            raise HTTPException(422, f"{exc} (kinds: {', '.join(KINDS)})") from exc
        return {"id": fault.id}

    @admin.delete("/faults")
    def clear_faults() -> dict[str, Any]:
        book.clear()
        return {"ok": True}

    @admin.get("/clock")
    def get_clock() -> dict[str, Any]:
        return {"now": iso(clock.now()), "timestamp": clock.timestamp(), "speed": clock.speed}

    @admin.post("/clock/advance")
    async def advance(request: Request) -> dict[str, Any]:
        body = await request.json()
        seconds = float(body.get("seconds", 0)) if isinstance(body, dict) else 0.0
        return {"now": iso(clock.advance(seconds)), "timestamp": clock.timestamp()}

    @admin.get("/requests")
    def requests(prefix: str = "/") -> list[dict[str, Any]]:
        return [r for r in book.requests if r["path"].startswith(prefix)]

    @admin.delete("/requests")
    def clear_requests() -> dict[str, Any]:
        book.requests.clear()
        return {"ok": True}

    for build in builds:
        if build.admin is not None:
            admin.include_router(build.admin, prefix=f"/{build.name}")
    root.include_router(admin)

    @root.exception_handler(HTTPException)
    async def admin_errors(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    renderers: dict[str, ErrorRenderer] = {}
    for build in builds:
        for mount in build.mounts:
            root.mount(mount.prefix, mount.app)
            renderers[mount.prefix] = mount.error_body
    return FaultMiddleware(root, book, renderers)
