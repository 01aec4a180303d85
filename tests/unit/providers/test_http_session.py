"""The shared HTTP executor over real HTTP on loopback: retries, error mapping, JSON,
NDJSON, downloads, redirects and writes that must not happen twice."""

from __future__ import annotations

import hashlib
import os
import socket
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest

from nadir.core import errors
from nadir.core.retry import RetryPolicy
from nadir.providers.http.auth import ApiKeyHeader
from nadir.providers.http.session import HttpSession, plain_client, write_with_lookup
from nadir.providers.http.transfer import storage_error
from support.httpserver import Reply, ScriptedServer

FAST = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=5.0)


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


@pytest.fixture
def client():
    with plain_client(timeout=httpx.Timeout(5.0, connect=2.0)) as c:
        yield c


def session(client, **kwargs) -> HttpSession:
    kwargs.setdefault("policy", FAST)
    kwargs.setdefault("sleep", Sleeps())
    return HttpSession("clearsky", client, **kwargs)


def test_read_retries_503_twice_then_succeeds(server, client):
    server.script("GET", "/x", Reply(503), Reply(503), Reply(200, json={"ok": 1}))
    sleeps = Sleeps()
    assert session(client, sleep=sleeps).json("GET", server.url + "/x", endpoint="x") == {"ok": 1}
    assert len(server.seen("/x")) == 3
    assert 0 < sum(sleeps) <= 2 * FAST.max_delay


def test_read_gives_up_after_the_attempt_limit(server, client):
    server.script("GET", "/x", Reply(500, json={"message": "boom"}))
    with pytest.raises(errors.ProviderUnavailable) as info:
        session(client).json("GET", server.url + "/x", endpoint="orders.list")
    assert len(server.seen("/x")) == FAST.max_attempts
    assert info.value.status == 500 and info.value.endpoint == "orders.list"
    assert "ClearSKY Vision" in str(info.value) and "boom" in str(info.value)


def test_429_waits_for_retry_after_seconds_and_http_date(server, client):
    date = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=2), usegmt=True)
    server.script(
        "GET",
        "/x",
        Reply(429, headers={"Retry-After": "1"}),
        Reply(429, headers={"Retry-After": date}),
        Reply(200, json=[]),
    )
    sleeps = Sleeps()
    assert session(client, sleep=sleeps).json("GET", server.url + "/x", endpoint="x") == []
    assert 1.0 + 0.5 <= sum(sleeps) <= 1.0 + 2.0 + 0.2


def test_429_with_a_too_long_retry_after_fails_at_once(server, client):
    server.script("GET", "/x", Reply(429, headers={"Retry-After": "3600"}))
    with pytest.raises(errors.RateLimited) as info:
        session(client).request("GET", server.url + "/x", endpoint="x")
    assert info.value.retry_after == 3600 and len(server.seen("/x")) == 1


def test_401_refreshes_once_then_one_credentials_error(server, client):
    class Refreshing(ApiKeyHeader):
        refreshes = 0

        def refresh(self) -> bool:
            Refreshing.refreshes += 1
            return True

    server.script("GET", "/x", Reply(401, json={"message": "bad key"}))
    with pytest.raises(errors.ProviderAuthError) as info:
        session(client, authenticator=Refreshing("x-api-key", "k-secret-1")).request(
            "GET", server.url + "/x", endpoint="x"
        )
    assert Refreshing.refreshes == 1 and len(server.seen("/x")) == 2
    assert "Settings > Options > Nadir" in str(info.value) and "k-secret-1" not in repr(info.value)


def test_403_is_a_credentials_error_without_retry(server, client):
    server.script("GET", "/x", Reply(403, json={"message": "scope missing"}))
    with pytest.raises(errors.ProviderAuthError, match="refused access"):
        session(client, authenticator=ApiKeyHeader("x-api-key", "abcd1234")).request(
            "GET", server.url + "/x", endpoint="x"
        )
    assert len(server.seen("/x")) == 1
    assert server.seen("/x")[0].headers["x-api-key"] == "abcd1234"


def test_402_carries_billing_mode_and_hides_the_client_secret(server, client):
    body = {
        "type": "payment",
        "detail": "Card needs 3-D Secure",
        "billing_mode": "card",
        "payment": {"client_secret": "pi_123_secret_456", "reason": "authentication_required"},
    }
    server.script("POST", "/pay", Reply(402, json=body))
    with pytest.raises(errors.PaymentRequired) as info:
        session(client).request("POST", server.url + "/pay", endpoint="orders.place", json={}, write=True)
    exc = info.value
    assert exc.client_secret == "pi_123_secret_456" and exc.billing_mode == "card"
    assert exc.reason == "authentication_required" and exc.requires_action
    for text in (str(exc), repr(exc), exc.details, exc.message):
        assert "pi_123_secret_456" not in text
    assert len(server.seen("/pay")) == 1


@pytest.mark.parametrize(
    ("status", "kind"),
    [(404, errors.NotFound), (409, errors.Conflict), (400, errors.ProviderRejected), (422, errors.ProviderRejected)],
)
def test_4xx_map_to_core_errors_with_the_providers_message(server, client, status, kind):
    server.script("GET", "/x", Reply(status, json={"error": {"message": "AOI too small", "code": 992}}))
    with pytest.raises(kind) as info:
        session(client).request("GET", server.url + "/x", endpoint="orders.estimate")
    assert "AOI too small" in str(info.value) and info.value.status == status
    assert "code=992" in info.value.details


def test_write_is_not_retried_on_5xx_and_reports_unknown_outcome(server, client):
    server.script("POST", "/orders", Reply(503))
    with pytest.raises(errors.OutcomeUnknown):
        session(client).request("POST", server.url + "/orders", endpoint="orders.place", json={}, write=True)
    assert len(server.seen("/orders")) == 1


def test_write_with_idempotency_key_is_retried_with_the_same_key(server, client):
    server.script("POST", "/orders", Reply(503), Reply(drop=True, json={"id": 1}), Reply(201, json={"id": 1}))
    result = session(client).json(
        "POST", server.url + "/orders", endpoint="orders.place", json={"a": 1}, write=True, idempotency_key="key-123"
    )
    assert result == {"id": 1}
    keys = [r.headers.get("idempotency-key") for r in server.seen("/orders")]
    assert keys == ["key-123"] * 3


def test_write_dropped_after_sending_is_an_unknown_outcome(server, client):
    server.script("POST", "/orders", Reply(201, json={"id": 1}, drop=True))
    with pytest.raises(errors.OutcomeUnknown, match="may or may not"):
        session(client).request("POST", server.url + "/orders", endpoint="orders.place", json={}, write=True)
    assert len(server.seen("/orders")) == 1


def test_write_that_never_connected_is_retried_then_unavailable(client):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleeps = Sleeps()
    with pytest.raises(errors.ProviderUnavailable) as info:
        session(client, sleep=sleeps).request(
            "POST", f"http://127.0.0.1:{port}/o", endpoint="orders.place", json={}, write=True
        )
    assert not isinstance(info.value, errors.OutcomeUnknown)
    assert len(sleeps) >= FAST.max_attempts - 1
    assert "could not be reached" in str(info.value)


def test_read_dropped_mid_body_is_retried(server, client):
    server.script("GET", "/x", Reply(200, json={"a": 1}, drop=True), Reply(200, json={"a": 2}))
    assert session(client).json("GET", server.url + "/x", endpoint="x") == {"a": 2}


def test_truncated_and_wrong_content_type_bodies_are_invalid_responses(server, client):
    server.script(
        "GET", "/trunc", Reply(200, body=b'{"Data": {"Tiles": [', headers={"Content-Type": "application/json"})
    )
    server.script("GET", "/html", Reply(200, body=b"<html>502</html>", headers={"Content-Type": "text/html"}))
    server.script("GET", "/empty", Reply(200))
    for path in ("/trunc", "/html", "/empty"):
        with pytest.raises(errors.InvalidResponse) as info:
            session(client).json("GET", server.url + path, endpoint="tiles.search")
        assert info.value.provider == "clearsky" and info.value.endpoint == "tiles.search"
        assert info.value.status == 200 and "tiles.search, HTTP 200" in str(info.value)


def test_credentials_go_only_to_trusted_origins_and_not_across_redirects(server, client):
    with ScriptedServer() as other:
        other.script("GET", "/file", Reply(200, body=b"data"))
        server.script("GET", "/go", Reply(302, headers={"Location": other.url + "/file"}))
        s = session(client, authenticator=ApiKeyHeader("x-api-key", "key-xyz-1"), auth_origins=[server.url])
        assert s.request("GET", server.url + "/go", endpoint="x").content == b"data"
        assert server.seen("/go")[0].headers.get("x-api-key") == "key-xyz-1"
        assert "x-api-key" not in other.seen("/file")[0].headers
        s.request("GET", other.url + "/file", endpoint="x")
        assert "x-api-key" not in other.seen("/file")[1].headers


def test_stream_lines_yields_ndjson_and_stops_when_cancelled(server, client):
    lines = [f'{{"n": {i}}}\n'.encode() for i in range(50)]
    server.script("POST", "/stream", Reply(200, chunks=lines, headers={"Content-Type": "application/x-ndjson"}))
    s = session(client)
    assert [x["n"] for x in s.stream_json("POST", server.url + "/stream", endpoint="s", json={})] == list(range(50))
    got = []
    with pytest.raises(errors.OperationCancelled):
        for item in s.stream_json(
            "POST", server.url + "/stream", endpoint="s", json={}, cancelled=lambda: len(got) >= 3
        ):
            got.append(item)
    assert len(got) == 3


# ------------------------------------------------------------------------ downloads
DATA = os.urandom(300_000)
SHA = "sha256:" + hashlib.sha256(DATA).hexdigest()


def test_download_writes_via_part_and_checks_size_and_checksum(server, client, tmp_path):
    server.script("GET", "/f", Reply(file=DATA))
    seen = []
    dest = tmp_path / "sub" / "image.tif"
    path = session(client).download(
        server.url + "/f", dest, progress=lambda d, t: seen.append((d, t)), checksum=SHA, expected_size=len(DATA)
    )
    assert path == dest and dest.read_bytes() == DATA and not (tmp_path / "sub" / "image.tif.part").exists()
    assert seen[-1] == (len(DATA), len(DATA)) and len(seen) > 2


def test_download_resumes_a_part_file_with_range(server, client, tmp_path):
    server.script("GET", "/f", Reply(file=DATA))
    dest = tmp_path / "image.tif"
    (tmp_path / "image.tif.part").write_bytes(DATA[:100_000])
    session(client).download(server.url + "/f", dest, checksum=SHA)
    assert dest.read_bytes() == DATA
    assert server.seen("/f")[0].headers["range"] == "bytes=100000-"


def test_download_restarts_cleanly_when_the_server_ignores_range(server, client, tmp_path):
    server.script("GET", "/f", Reply(file=DATA, range_support=False))
    dest = tmp_path / "image.tif"
    (tmp_path / "image.tif.part").write_bytes(b"x" * 5000)
    session(client).download(server.url + "/f", dest, checksum=SHA)
    assert dest.read_bytes() == DATA


def test_download_interrupted_mid_body_resumes_by_itself(server, client, tmp_path):
    server.script("GET", "/f", Reply(file=DATA, cut_after=120_000), Reply(file=DATA))
    dest = tmp_path / "image.tif"
    session(client).download(server.url + "/f", dest, checksum=SHA, expected_size=len(DATA))
    assert dest.read_bytes() == DATA
    resumed_at = int(server.seen("/f")[1].headers["range"].removeprefix("bytes=").rstrip("-"))
    assert 0 < resumed_at <= 120_000  # chunks are written as they arrive: little is lost


def test_download_cancel_keeps_the_part_and_bad_checksum_removes_it(server, client, tmp_path):
    server.script("GET", "/f", Reply(file=DATA))
    dest = tmp_path / "image.tif"
    progress = []
    with pytest.raises(errors.OperationCancelled):
        session(client).download(
            server.url + "/f", dest, progress=lambda d, t: progress.append(d), cancelled=lambda: len(progress) > 2
        )
    part = tmp_path / "image.tif.part"
    assert part.exists() and 0 < part.stat().st_size < len(DATA) and not dest.exists()
    with pytest.raises(errors.InvalidResponse, match="checksum"):
        session(client).download(server.url + "/f", dest, checksum="sha256:" + "0" * 64)
    assert not part.exists() and not dest.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_download_into_a_read_only_folder_is_a_clear_storage_error(server, client, tmp_path):
    server.script("GET", "/f", Reply(file=DATA))
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(errors.StorageError, match="permission denied"):
            session(client).download(server.url + "/f", folder / "x.tif")
    finally:
        folder.chmod(0o700)


def test_download_storage_error_messages(tmp_path):
    full = storage_error(OSError(28, "No space left on device"), tmp_path / "x.tif")
    denied = storage_error(PermissionError(13, "Permission denied"), tmp_path / "x.tif")
    assert "not enough disk space" in str(full) and "permission denied" in str(denied)


# ------------------------------------------------------------------------ lookup-then-retry
def test_write_with_lookup_finds_the_committed_order_instead_of_resending():
    sent = []

    def send():
        sent.append(1)
        raise errors.OutcomeUnknown("lost", provider="clearsky")

    assert write_with_lookup(send, lambda: "order-1", policy=FAST, sleep=Sleeps()) == "order-1"
    assert len(sent) == 1


def test_write_with_lookup_resends_only_after_confirming_absence():
    calls = []

    def send():
        calls.append("send")
        if len(calls) == 1:
            raise errors.OutcomeUnknown("lost", provider="clearsky")
        return "order-2"

    def lookup():
        calls.append("lookup")
        return None

    assert write_with_lookup(send, lookup, policy=FAST, sleep=Sleeps()) == "order-2"
    assert calls == ["send", "lookup", "send"]


def test_write_with_lookup_stops_when_the_lookup_fails():
    def send():
        raise errors.OutcomeUnknown("lost.", provider="clearsky")

    def lookup():
        raise errors.ProviderUnavailable("down", provider="clearsky")

    with pytest.raises(errors.OutcomeUnknown, match="could not check"):
        write_with_lookup(send, lookup, policy=FAST, sleep=Sleeps())
