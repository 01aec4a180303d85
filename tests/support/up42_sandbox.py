"""Helpers for tests that talk to the sandbox's UP42 stand-in over real HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from support.sandbox_http import HTTP, client

TOKEN_PATH = "/up42-auth/realms/public/protocol/openid-connect/token"
USERINFO_PATH = "/up42-auth/realms/public/protocol/openid-connect/userinfo"
BERLIN = {
    "type": "Polygon",
    "coordinates": [[[13.35, 52.45], [13.45, 52.45], [13.45, 52.55], [13.35, 52.55], [13.35, 52.45]]],
}


def box(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


def users(sandbox: Any) -> list[dict[str, str]]:
    return list(sandbox.health()["providers"]["up42"]["users"])


def token(sandbox: Any, user: int = 0, client_id: str = "up42-sdk") -> dict[str, Any]:
    who = users(sandbox)[user]
    response = HTTP.post(
        sandbox.url + TOKEN_PATH,
        data={
            "grant_type": "password",
            "username": who["username"],
            "password": who["password"],
            "client_id": client_id,
        },
    )
    response.raise_for_status()
    return dict(response.json())


class Up42:
    """An httpx client logged in as one demo user, with the workspace id from userinfo."""

    def __init__(self, sandbox: Any, user: int = 0) -> None:
        self.sandbox = sandbox
        self.access = token(sandbox, user)["access_token"]
        self.http = client(
            base_url=sandbox.url + "/up42", headers={"Authorization": f"Bearer {self.access}"}, timeout=60
        )
        info = HTTP.get(sandbox.url + USERINFO_PATH, headers={"Authorization": f"Bearer {self.access}"}).json()
        self.workspace = info["sub"]

    def product(self, collection: str) -> str:
        page = HTTP.get(self.sandbox.url + "/up42/v2/collections", params={"size": 100}).json()
        return next(c["dataProducts"][0]["id"] for c in page["content"] if c["name"] == collection)

    def search(self, body: dict[str, Any], host: str = "oneatlas") -> dict[str, Any]:
        response = self.http.post(f"/catalog/hosts/{host}/stac/search", json=body)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def capture(self, aoi: dict[str, Any] = BERLIN, collection: str = "phr") -> dict[str, Any]:
        """A search result whose footprint overlaps ``aoi``."""
        found = self.search(
            {"intersects": aoi, "collections": [collection], "limit": 1, "datetime": "2020-01-01T00:00:00Z/.."}
        )
        assert found["features"], f"no {collection} capture over the AOI"
        return dict(found["features"][0])

    def order_body(
        self,
        collection: str,
        params: dict[str, Any],
        *geometries: dict[str, Any],
        display_name: str = "sandbox test order",
        tags: list[str] | None = None,
    ) -> dict[str, Any]:
        return {
            "dataProduct": self.product(collection),
            "displayName": display_name,
            "params": params,
            "featureCollection": {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": g, "properties": {}} for g in geometries],
            },
            "tags": tags if tags is not None else ["sandbox"],
        }

    def place(self, body: dict[str, Any]) -> httpx.Response:
        return self.http.post("/v2/orders", params={"workspaceId": self.workspace}, json=body)

    def place_archive(self, aoi: dict[str, Any] = BERLIN, **kwargs: Any) -> str:
        capture = self.capture(aoi)
        response = self.place(self.order_body("phr", {"id": capture["properties"]["id"]}, aoi, **kwargs))
        assert response.status_code == 200, response.text
        assert not response.json()["errors"], response.text
        return str(response.json()["results"][0]["id"])

    def tasking_params(self, start: str | None = None, end: str | None = None) -> dict[str, Any]:
        """Valid params for the PHR tasking schema (seed 002's example values), without geometry;
        the window defaults to 30..90 days after the sandbox's now."""
        now = datetime.fromisoformat(self.sandbox.admin("GET", "clock")["now"].replace("Z", "+00:00"))
        start = start or (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        end = end or (now + timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "acquisitionStart": start,
            "acquisitionEnd": end,
            "acquisitionMode": "mono",
            "cloudCoverage": 10,
            "incidenceAngle": 10,
            "geometricProcessing": "ortho",
            "spectralProcessing": "bundle",
            "pixelCoding": "12bits",
            "radiometricProcessing": "reflectance",
            "deliveredAs": "geotiff",
            "extraDescription": "sandbox test",
        }

    def order(self, order_id: str) -> dict[str, Any]:
        response = self.http.get(f"/v2/orders/{order_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    def close(self) -> None:
        self.http.close()
