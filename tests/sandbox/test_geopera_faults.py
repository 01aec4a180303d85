"""Every fault kind against the Geopera endpoints; retries with the same Idempotency-Key
after a lost response end in exactly one order."""

from __future__ import annotations

import time

import httpx
import pytest

from support.geopera_sandbox import SYDNEY, TOKEN_PATH, Geopera
from support.sandbox_http import HTTP

PLACE = "/geopera/v1/op/orders.archive.place"


@pytest.fixture
def geopera(sandbox):
    client = Geopera(sandbox, check=False)  # spoiled responses are the point here
    yield client
    client.close()


def count(geopera):
    return geopera.ok("orders.list", {"size": 100})["totalElements"]


def test_dropped_response_after_commit_then_retry_returns_the_same_order(sandbox, geopera):
    captures = [{"id": geopera.capture()["id"], "geometry": SYDNEY}]
    sandbox.fault(kind="drop_after_commit", prefix=PLACE)
    with pytest.raises(httpx.HTTPError):
        geopera.place(captures, key="lost-response")
    assert count(geopera) == 1  # committed although the client saw nothing
    retry = geopera.place(captures, key="lost-response")
    assert retry.status_code == 202 and retry.headers["idempotent-replayed"] == "true"
    listed = geopera.ok("orders.list", {})["content"]
    assert count(geopera) == 1 and retry.json()["id"] == listed[0]["id"]


def test_client_timeout_after_commit_then_retry(sandbox, geopera):
    captures = [{"id": geopera.capture()["id"], "geometry": SYDNEY}]
    sandbox.fault(kind="hang_after_commit", prefix=PLACE, delay=3)
    with pytest.raises(httpx.TimeoutException):
        geopera.op("orders.archive.place", {"captures": captures}, headers={"Idempotency-Key": "slow"}, timeout=0.5)
    retry = geopera.place(captures, key="slow")
    assert retry.status_code == 202 and count(geopera) == 1


def test_status_fault_is_a_problem_and_places_nothing(sandbox, geopera):
    captures = [{"id": geopera.capture()["id"], "geometry": SYDNEY}]
    sandbox.fault(kind="status", prefix=PLACE, status=503)
    failed = geopera.place(captures, key="flaky")
    assert failed.status_code == 503 and failed.headers["content-type"] == "application/problem+json"
    assert failed.json()["status"] == 503 and failed.json()["title"] == "Service Unavailable"
    assert count(geopera) == 0
    assert geopera.place(captures, key="flaky").status_code == 202 and count(geopera) == 1
    sandbox.fault(kind="status", prefix="/geopera/realms", status=502)
    auth = HTTP.post(sandbox.url + TOKEN_PATH, data={"grant_type": "client_credentials"})
    assert auth.status_code == 502 and auth.json()["error"] == "temporarily_unavailable"


def test_rate_limit_fault_sends_retry_after(sandbox, geopera):
    sandbox.fault(kind="rate_limit", prefix="/geopera/v1/op/catalog.search", retry_after=4)
    response = geopera.op("catalog.search", {"host_name": "oneatlas", "collections": ["phr"], "intersects": SYDNEY})
    assert response.status_code == 429 and response.headers["retry-after"] == "4"
    assert response.json()["status"] == 429


def test_latency(sandbox, geopera):
    sandbox.fault(kind="latency", prefix="/geopera/v1/op/orders.list", delay=0.5)
    started = time.monotonic()
    assert geopera.op("orders.list", {}).status_code == 200
    assert time.monotonic() - started >= 0.5


def test_truncated_and_malformed_bodies(sandbox, geopera):
    sandbox.fault(kind="truncate", prefix="/geopera/v1/op/orders.list")
    truncated = geopera.op("orders.list", {})
    with pytest.raises(ValueError):
        truncated.json()
    sandbox.fault(kind="malformed", prefix="/geopera/v1/op/billing.credits.balance")
    malformed = geopera.op("billing.credits.balance", {})
    assert malformed.headers["content-type"] == "text/html" and b"<html>" in malformed.content
