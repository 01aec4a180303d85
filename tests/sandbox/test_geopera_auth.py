"""Geopera credentials, principals, scopes, rate limit and operation routing."""

from __future__ import annotations

import base64
import json
import time

import pytest

from support.geopera_sandbox import SYDNEY, TOKEN_PATH, Geopera, api_key, info, token
from support.sandbox_http import HTTP


def claims(jwt):
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_client_credentials_gives_a_jwt_of_the_key_with_its_scopes(sandbox):
    """A token derived from an API key is still that key's principal (seed 003 reading,
    sandbox/geopera/auth.py); it used to be a 'delegated' principal that could place."""
    body = token(sandbox, api_key(sandbox, missing="orders:write"))
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "refresh_expires_in", "scope"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 300 and body["refresh_expires_in"] == 1800
    assert claims(body["access_token"])["principal"] == "api_key"
    assert "orders:write" not in body["scope"].split() and "catalog:read" in body["scope"].split()
    narrowed = token(sandbox, scope="catalog:read")
    assert narrowed["scope"] == "catalog:read"


def test_password_and_refresh_grants(sandbox):
    who = info(sandbox)["users"][0]
    body = token(sandbox, grant_type="password", username=who["username"], password=who["password"])
    assert claims(body["access_token"])["principal"] == "user"
    renewed = HTTP.post(
        sandbox.url + TOKEN_PATH,
        data={"grant_type": "refresh_token", "client_id": "geopera", "refresh_token": body["refresh_token"]},
    )
    assert renewed.status_code == 200 and claims(renewed.json()["access_token"])["principal"] == "user"


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        (
            {"grant_type": "client_credentials", "client_id": "geopera", "client_secret": "gpra_nope"},
            401,
            "invalid_client",
        ),
        ({"grant_type": "client_credentials", "client_id": "other", "client_secret": "x"}, 401, "invalid_client"),
        (
            {"grant_type": "password", "client_id": "geopera", "username": "demo@geopera.sandbox", "password": "no"},
            401,
            "invalid_grant",
        ),
        ({"grant_type": "refresh_token", "client_id": "geopera", "refresh_token": "a.b.c"}, 400, "invalid_grant"),
        ({"grant_type": "device_code", "client_id": "geopera"}, 400, "unsupported_grant_type"),
    ],
)
def test_token_errors_are_oauth_errors(sandbox, form, status, error):
    response = HTTP.post(sandbox.url + TOKEN_PATH, data=form)
    assert response.status_code == status and response.json()["error"] == error


def test_scope_outside_the_key_is_refused(sandbox):
    response = HTTP.post(
        sandbox.url + TOKEN_PATH,
        data={
            "grant_type": "client_credentials",
            "client_id": "geopera",
            "client_secret": api_key(sandbox, missing="orders:write"),
            "scope": "orders:write",
        },
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("auth", ["key-token", "user", "bearer-key", "x-api-key"])
def test_every_credential_kind_reads(sandbox, auth):
    client = Geopera(sandbox, auth=auth)
    assert client.op("orders.list", {}).status_code == 200
    assert client.checked == 1


def test_missing_invalid_and_expired_credentials_are_401_problems(sandbox):
    anonymous = HTTP.post(sandbox.url + "/geopera/v1/op/orders.list", json={})
    assert anonymous.status_code == 401 and anonymous.headers["content-type"] == "application/problem+json"
    assert set(anonymous.json()) >= {"type", "title", "status", "detail"} and anonymous.json()["status"] == 401
    for headers in (
        {"Authorization": "Bearer gpra_unknown"},
        {"X-API-Key": "gpra_unknown"},
        {"Authorization": "Bearer not.a.jwt"},
    ):
        response = HTTP.post(sandbox.url + "/geopera/v1/op/orders.list", json={}, headers=headers)
        assert response.status_code == 401, headers
    sandbox.admin("POST", "geopera/tokens", {"access_ttl": 1})
    short = token(sandbox)["access_token"]
    time.sleep(1.2)
    expired = HTTP.post(
        sandbox.url + "/geopera/v1/op/orders.list", json={}, headers={"Authorization": f"Bearer {short}"}
    )
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]


def test_missing_scope_is_a_403_naming_scope_and_operation(sandbox):
    readonly = Geopera(sandbox, key=api_key(sandbox, missing="orders:write"))
    response = readonly.op("orders.archive.place", {"captures": [{"id": "x"}]})
    assert response.status_code == 403
    assert response.json()["detail"] == "missing scope 'orders:write' for 'orders.archive.place'"
    assert readonly.op("orders.cancel", {"order_id": "x"}).status_code == 403
    catalog_only = Geopera(sandbox, key=api_key(sandbox, missing="orders:read"))
    refused = catalog_only.op("orders.archive.estimate", {"captures": []})
    assert refused.status_code == 403 and "'orders:read'" in refused.json()["detail"]
    assert (
        catalog_only.op("orders.list_assets", {"order_id": "x"}).json()["detail"]
        == "missing scope 'items:read' for 'orders.list_assets'"
    )
    assert (
        catalog_only.op(
            "catalog.search", {"host_name": "oneatlas", "collections": ["phr"], "intersects": SYDNEY}
        ).status_code
        == 200
    )


#: docs.geopera.com/api-reference/errors, the example of a refused placement (docs-examples.json)
REFUSED_PLACEMENT = {
    "type": "about:blank",
    "title": "Forbidden",
    "status": 403,
    "detail": "missing scope 'orders:write' for 'orders.archive.place'",
}


@pytest.mark.parametrize("route", ["/v1/op/orders.archive.place", "/v1/orders/archive/place", "/v2/orders"])
@pytest.mark.parametrize("auth", ["key-token", "bearer-key", "x-api-key"])
def test_an_api_key_may_not_place_on_any_route(sandbox, auth, route):
    """Seed 003: "an API key cannot place archive orders — this is a deliberate guard on the
    money path; use a user or delegated principal". Neither the raw key nor a token derived
    from it places, on each route that runs orders.archive.place; the answer is the docs'
    403 problem. A user principal places the same body."""
    client = Geopera(sandbox, auth=auth)
    capture = client.capture()
    # the AOI part of the capture: a whole footprint's price depends on which capture today's
    # catalog returns first, and can exceed the demo organisation's credits
    wanted = {"captures": [{"id": capture["id"], "geometry": SYDNEY}]}
    balance = client.ok("billing.credits.balance")["balance_credits"]
    response = client.http.post(route, json=wanted, headers={"Idempotency-Key": f"refused-{auth}-{route}"})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert {k: response.json()[k] for k in REFUSED_PLACEMENT} == REFUSED_PLACEMENT
    assert client.ok("orders.list", {})["totalElements"] == 0
    assert client.ok("billing.credits.balance")["balance_credits"] == balance
    # the key may still cancel (orders:write, seed 003 guards placement only) and read
    assert client.op("orders.cancel", {"order_id": "none"}).status_code == 404
    placed = Geopera(sandbox, auth="user").http.post(route, json=wanted)
    assert placed.status_code == 202, placed.text


def test_rate_limit_per_principal_sends_retry_after(sandbox):
    sandbox.admin("POST", "geopera/rate-limit", {"limit": 3, "window": 30})
    first, second = Geopera(sandbox, auth="x-api-key"), Geopera(sandbox, auth="user")
    codes = [first.op("orders.list", {}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = first.op("orders.list", {})
    assert limited.headers["content-type"] == "application/problem+json"
    assert 1 <= int(limited.headers["retry-after"]) <= 30 and limited.json()["status"] == 429
    assert second.op("orders.list", {}).status_code == 200  # another principal has its own budget
    sandbox.admin("POST", "geopera/rate-limit", {"limit": 0})
    assert first.op("orders.list", {}).status_code == 200


def test_unknown_and_unserved_operations_are_404(sandbox):
    client = Geopera(sandbox)
    unknown = client.op("orders.teleport", {})
    assert unknown.status_code == 404 and "unknown operation" in unknown.json()["detail"]
    unserved = client.op("billing.topup", {})
    assert unserved.status_code == 404 and "not served by the sandbox" in unserved.json()["detail"]


def test_resource_style_alias_runs_the_same_operation(sandbox):
    client = Geopera(sandbox)
    response = client.http.post("/v1/orders/list", json={"size": 5})
    assert response.status_code == 200 and response.json()["size"] == 5
    estimate = client.http.post("/v1/orders/archive/estimate", json={"captures": []})
    assert estimate.status_code == 200 and estimate.json()["total_credits"] == 0
