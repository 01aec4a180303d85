"""One HTTP transport for every sandbox test client: each new httpx client otherwise builds
an SSL context (about 0.1 s here), which dominated the sandbox tests' run time."""

from __future__ import annotations

from typing import Any

import httpx

TRANSPORT = httpx.HTTPTransport()
HTTP = httpx.Client(transport=TRANSPORT, timeout=60)


def client(**kwargs: Any) -> httpx.Client:
    return httpx.Client(transport=TRANSPORT, **{"timeout": 60, **kwargs})
