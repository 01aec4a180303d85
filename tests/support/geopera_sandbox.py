"""Helpers for tests that talk to the sandbox's Geopera stand-in over real HTTP.

Every exchange of a :class:`Geopera` client is contract-checked by default
(``sandbox.contracts_geopera.check_exchange``): a test that gets a response the provider's
spec does not allow fails there, whatever it asserts itself.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from sandbox.contracts_geopera import check_exchange
from support.sandbox_http import HTTP, client

TOKEN_PATH = "/geopera/realms/public/protocol/openid-connect/token"
SYDNEY = {
    "type": "Polygon",
    "coordinates": [[[151.15, -33.92], [151.25, -33.92], [151.25, -33.84], [151.15, -33.84], [151.15, -33.92]]],
}


def info(sandbox: Any) -> dict[str, Any]:
    return dict(sandbox.health()["providers"]["geopera"])


def api_key(sandbox: Any, *, org: str = "org_demo", missing: str | None = None) -> str:
    """A demo key of ``org`` holding every scope, or the one lacking ``missing``."""
    for key in info(sandbox)["api_keys"]:
        if key["org"] != org:
            continue
        if missing is None and "orders:write" in key["scopes"]:
            return str(key["key"])
        if (
            missing is not None
            and missing not in key["scopes"]
            and "catalog:read" in key["scopes"]
            and (missing != "orders:write" or "orders:read" in key["scopes"])
        ):
            return str(key["key"])
    raise LookupError(f"no demo key of {org} lacking {missing}")


def token(sandbox: Any, key: str | None = None, **form: str) -> dict[str, Any]:
    data = {
        "grant_type": "client_credentials",
        "client_id": "geopera",
        "client_secret": key or api_key(sandbox),
        **form,
    }
    response = HTTP.post(sandbox.url + TOKEN_PATH, data=data)
    response.raise_for_status()
    return dict(response.json())


class Geopera:
    """An httpx client for ``/geopera``: ``auth`` is ``user`` (password JWT of ``org``'s user),
    ``key-token`` (client-credentials JWT derived from the key), ``bearer-key`` or
    ``x-api-key`` (the raw key). Unset, it is ``user`` without a ``key`` and ``key-token``
    with one: only a user principal may place archive orders (seed 003), so tests that
    place use the default, and tests about a key's scopes pass the key."""

    def __init__(
        self, sandbox: Any, auth: str | None = None, key: str | None = None, check: bool = True, org: str = "org_demo"
    ) -> None:
        self.sandbox = sandbox
        auth = auth or ("user" if key is None else "key-token")
        key = key or api_key(sandbox, org=org)
        if auth == "key-token":
            headers = {"Authorization": f"Bearer {token(sandbox, key)['access_token']}"}
        elif auth == "user":
            who = next(u for u in info(sandbox)["users"] if u["org"] == org)
            jwt = token(sandbox, grant_type="password", username=who["username"], password=who["password"])
            headers = {"Authorization": f"Bearer {jwt['access_token']}"}
        elif auth == "bearer-key":
            headers = {"Authorization": f"Bearer {key}"}
        else:
            headers = {"X-API-Key": key}
        hooks = {"response": [self._check]} if check else {}
        self.http = client(base_url=sandbox.url + "/geopera", headers=headers, timeout=60, event_hooks=hooks)
        self.checked = 0

    def _check(self, response: httpx.Response) -> None:
        response.read()
        path = response.request.url.path.removeprefix("/geopera")
        check_exchange(
            response.request.method,
            path,
            dict(response.request.headers),
            response.request.content,
            response.status_code,
            response.headers.get("content-type", ""),
            response.content,
        )
        self.checked += 1

    def op(self, name: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return self.http.post(f"/v1/op/{name}", json={} if body is None else body, **kwargs)

    def ok(self, name: str, body: Any = None, status: int = 200, **kwargs: Any) -> dict[str, Any]:
        response = self.op(name, body, **kwargs)
        assert response.status_code == status, response.text
        return dict(response.json())

    def search(self, **body: Any) -> dict[str, Any]:
        body.setdefault("host_name", "oneatlas")
        body.setdefault("collections", ["phr"])
        return self.ok("catalog.search", body)

    def capture(self, aoi: dict[str, Any] = SYDNEY, collection: str = "phr") -> dict[str, Any]:
        found = self.search(intersects=aoi, collections=[collection], limit=1, datetime="2020-01-01T00:00:00Z/..")
        assert found["features"], f"no {collection} capture over the AOI"
        return dict(found["features"][0])

    def place(self, captures: list[dict[str, Any]], key: str | None = "new", **fields: Any) -> httpx.Response:
        headers = {} if key is None else {"Idempotency-Key": str(uuid.uuid4()) if key == "new" else key}
        return self.op("orders.archive.place", {"captures": captures, **fields}, headers=headers)

    def placed(self, aoi: dict[str, Any] = SYDNEY, **fields: Any) -> dict[str, Any]:
        capture = self.capture(aoi)
        response = self.place([{"id": capture["id"], "geometry": aoi}], **fields)
        assert response.status_code == 202, response.text
        return dict(response.json())

    def close(self) -> None:
        self.http.close()
