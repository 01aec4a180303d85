"""Every fault kind against the UP42 endpoints, in UP42's own envelopes."""

from __future__ import annotations

import time

import httpx
import pytest

from support.sandbox_http import HTTP
from support.up42_sandbox import BERLIN, TOKEN_PATH, Up42


@pytest.fixture
def up42(sandbox):
    client = Up42(sandbox)
    yield client
    client.close()


def test_latency_delays_then_answers(sandbox, up42):
    sandbox.fault(kind="latency", prefix="/up42/v2/orders", method="GET", delay=0.6)
    started = time.monotonic()
    assert up42.http.get("/v2/orders").status_code == 200
    assert time.monotonic() - started >= 0.6


def test_status_faults_use_the_envelope_of_each_mount(sandbox, up42):
    sandbox.fault(kind="status", prefix="/up42/v2/orders", status=503)
    v2 = up42.http.get("/v2/orders")
    assert v2.status_code == 503 and v2.json()["code"] == 503 and set(v2.json()) == {"code", "message", "details"}
    sandbox.fault(kind="status", prefix="/up42/catalog", status=502)
    v1 = up42.http.post("/catalog/hosts/oneatlas/stac/search", json={"intersects": BERLIN})
    assert v1.status_code == 502 and v1.json()["error"]["code"] == 502 and v1.json()["data"] == {}
    sandbox.fault(kind="status", prefix="/up42-auth", status=503)
    auth = HTTP.post(sandbox.url + TOKEN_PATH, data={"grant_type": "password"})
    assert auth.status_code == 503 and auth.json()["error"] == "temporarily_unavailable"
    assert up42.http.get("/v2/orders").status_code == 200  # times=1: the next call is fine


def test_rate_limit_gives_429_with_retry_after(sandbox, up42):
    sandbox.fault(kind="rate_limit", prefix="/up42/v2/collections", retry_after=3, times=2)
    for _ in range(2):
        response = up42.http.get("/v2/collections")
        assert response.status_code == 429 and response.headers["retry-after"] == "3"
        assert response.json()["code"] == 429
    assert up42.http.get("/v2/collections").status_code == 200


def test_dropped_placement_leaves_exactly_one_order_found_by_its_reference(sandbox, up42):
    capture = up42.capture()
    body = up42.order_body(
        "phr", {"id": capture["properties"]["id"]}, BERLIN, display_name="Nadir ref-drop", tags=["nadir-ref-drop"]
    )
    sandbox.fault(kind="drop_after_commit", prefix="/up42/v2/orders", method="POST")
    with pytest.raises(httpx.HTTPError):
        up42.place(body)
    # UP42 has no idempotency key: the client looks the order up by its reference instead of re-placing
    found = up42.http.get("/v2/orders", params={"tags": "nadir-ref-drop"}).json()
    assert found["totalElements"] == 1
    assert up42.http.get("/v2/orders", params={"displayName": "ref-drop"}).json()["totalElements"] == 1


def test_hang_after_commit_times_the_client_out_but_the_order_exists(sandbox, up42):
    capture = up42.capture()
    body = up42.order_body("phr", {"id": capture["properties"]["id"]}, BERLIN, tags=["hang"])
    sandbox.fault(kind="hang_after_commit", prefix="/up42/v2/orders", method="POST", delay=3)
    with pytest.raises(httpx.TimeoutException):
        up42.http.post("/v2/orders", params={"workspaceId": up42.workspace}, json=body, timeout=0.5)
    assert up42.http.get("/v2/orders", params={"tags": "hang"}).json()["totalElements"] == 1


def test_truncated_and_malformed_bodies(sandbox, up42):
    sandbox.fault(kind="truncate", prefix="/up42/v2/collections")
    truncated = up42.http.get("/v2/collections")
    assert truncated.status_code == 200
    with pytest.raises(ValueError):
        truncated.json()
    sandbox.fault(kind="malformed", prefix="/up42/catalog")
    malformed = up42.http.post("/catalog/hosts/oneatlas/stac/search", json={"intersects": BERLIN})
    assert malformed.headers["content-type"] == "text/html" and malformed.text.startswith("<html>")
