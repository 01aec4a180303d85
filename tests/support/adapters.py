"""Adapters wired to a running sandbox, for the adapter tests (unit tier, real HTTP)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from nadir.core.credentials import Credentials
from nadir.core.retry import RetryPolicy
from nadir.providers.http.auth import clear_token_cache
from nadir.providers.http.session import plain_client

#: Short waits so fault tests stay fast; limits as in production.
FAST = RetryPolicy(base_delay=0.02, max_delay=0.1, default_retry_after=0.2)

BERLIN = {
    "type": "Polygon",
    "coordinates": [[[13.35, 52.45], [13.45, 52.45], [13.45, 52.55], [13.35, 52.55], [13.35, 52.45]]],
}


def box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


def up42_user(sandbox: Any, index: int = 0) -> dict[str, str]:
    return dict(sandbox.health()["providers"]["up42"]["users"][index])


def up42(sandbox: Any, user: int = 0, credentials: Credentials | None = None, policy: RetryPolicy = FAST) -> Any:
    from nadir.providers.up42.adapter import Up42

    clear_token_cache()
    if credentials is None:
        who = up42_user(sandbox, user)
        credentials = Credentials(who["username"], who["password"])
    urls = {"api": sandbox.provider_url("up42"), "auth": sandbox.provider_url("up42-auth")}
    return Up42(urls, credentials, plain_client(), policy=policy)


class Captured(logging.Handler):
    """Every record of every logger, formatted with its arguments, at DEBUG."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")


@contextmanager
def capture_all_logs() -> Iterator[Captured]:
    """DEBUG on the root, nadir, httpx and httpcore loggers, without any redaction filter."""
    handler = Captured()
    loggers = [logging.getLogger(name) for name in ("", "nadir", "httpx", "httpcore")]
    levels = [logger.level for logger in loggers]
    root = loggers[0]
    root.addHandler(handler)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def geopera_keys(sandbox: Any) -> dict[str, str]:
    """label word -> key: full, readonly, catalog, other."""
    keys = sandbox.health()["providers"]["geopera"]["api_keys"]
    named = {}
    for entry in keys:
        label = entry["label"]
        word = "other" if "another" in label else label.split(":")[0].split(" ")[0].replace("read-only", "readonly")
        named[{"all": "full"}.get(word, word)] = entry["key"]
    return named


def geopera_user(sandbox: Any, org: str = "org_demo") -> tuple[str, str]:
    """(e-mail, password) of ``org``'s demo user: the credentials that may place (seed 003)."""
    who = next(u for u in sandbox.health()["providers"]["geopera"]["users"] if u["org"] == org)
    return str(who["username"]), str(who["password"])


def geopera(
    sandbox: Any,
    key: str | None = None,
    client_id: str | None = "geopera",
    credentials: Credentials | None = None,
    policy: RetryPolicy = FAST,
    client: Any = None,
    org: str = "org_demo",
) -> Any:
    """The adapter with ``org``'s account e-mail and password (a user principal, the one that
    may place archive orders, seed 003) unless a ``key`` (with ``client_id`` as user name) or
    other ``credentials`` are asked for; ``client_id=None`` alone means the full key alone."""
    from nadir.providers.geopera.adapter import Geopera

    clear_token_cache()
    if credentials is None:
        if key is None and client_id == "geopera":
            credentials = Credentials(*geopera_user(sandbox, org))
        else:
            credentials = Credentials(client_id or "", geopera_keys(sandbox)[key or "full"])
    return Geopera({"api": sandbox.provider_url("geopera")}, credentials, client or plain_client(), policy=policy)
