"""Provider answers Nadir cannot read become InvalidResponse naming provider and endpoint,
never a traceback (issue 15): deeply nested JSON (RecursionError in ``json.loads``),
numbers with thousands of digits, in a body, an NDJSON line or an error body."""

from __future__ import annotations

import httpx
import pytest

from nadir.core import errors
from nadir.core.retry import RetryPolicy
from nadir.providers.http.session import HttpSession, plain_client
from support.httpserver import Reply, ScriptedServer

FAST = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, max_retry_after=1.0)
DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
HUGE_NUMBER = b'{"price": ' + b"9" * 5000 + b"}"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


@pytest.fixture
def session():
    with plain_client(timeout=httpx.Timeout(5.0, connect=2.0)) as client:
        yield HttpSession("up42", client, policy=FAST, sleep=lambda _s: None)


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT, HUGE_NUMBER], ids=["list", "object", "huge-number"])
def test_a_deep_or_huge_json_body_is_an_invalid_response(server, session, body):
    server.script("GET", "/x", Reply(200, body=body, headers=JSON))
    with pytest.raises(errors.InvalidResponse) as info:
        session.json("GET", server.url + "/x", endpoint="orders.get")
    assert info.value.provider == "up42" and info.value.endpoint == "orders.get" and info.value.status == 200
    assert "orders.get, HTTP 200" in info.value.message


def test_a_deep_ndjson_line_is_an_invalid_response(server, session):
    chunks = [b'{"n": 1}\n', DEEP + b"\n", b'{"n": 2}\n']
    server.script("POST", "/s", Reply(200, chunks=chunks, headers={"Content-Type": "application/x-ndjson"}))
    got = []
    with pytest.raises(errors.InvalidResponse) as info:
        for item in session.stream_json("POST", server.url + "/s", endpoint="search.stream", json={}):
            got.append(item)
    assert got == [{"n": 1}]
    assert info.value.provider == "up42" and info.value.endpoint == "search.stream"


@pytest.mark.parametrize("status", [400, 402, 404, 409, 500])
def test_a_deep_error_body_still_gives_the_status_error(server, session, status):
    server.script("GET", "/x", Reply(status, body=DEEP_OBJECT, headers=JSON))
    with pytest.raises(errors.ProviderError) as info:
        session.json("GET", server.url + "/x", endpoint="orders.get")
    assert info.value.status == status and info.value.endpoint == "orders.get"


def test_a_lone_surrogate_in_a_body_is_an_invalid_response(server, session):
    """Found by test_properties_adapters (deep profile): a capture id "\\ud800..." was read,
    then sending it back (estimate) raised UnicodeEncodeError while httpx built the body."""
    server.script("GET", "/x", Reply(200, body=b'{"id": "a\\ud800b"}', headers=JSON))
    server.script("GET", "/pair", Reply(200, body=b'{"id": "a\\ud83d\\ude00b"}', headers=JSON))
    with pytest.raises(errors.InvalidResponse) as info:
        session.json("GET", server.url + "/x", endpoint="catalog.search")
    assert info.value.endpoint == "catalog.search"
    assert session.json("GET", server.url + "/pair", endpoint="x") == {"id": "a\U0001f600b"}
    server.script(
        "POST", "/s", Reply(200, chunks=[b'{"id": "\\udc00"}\n'], headers={"Content-Type": "application/x-ndjson"})
    )
    with pytest.raises(errors.InvalidResponse):
        list(session.stream_json("POST", server.url + "/s", endpoint="search.stream", json={}))
