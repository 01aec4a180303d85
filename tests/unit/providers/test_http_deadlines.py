"""Calls end: a server that answers 200 and then trickles its body, or sends headers and
then nothing, is stopped by the call's deadline (httpx alone times out single reads
only), and a task cancelled mid-body stops between chunks, for JSON, NDJSON and
downloads. Real HTTP on loopback; the servers trickle far longer than any limit here."""

from __future__ import annotations

import time

import httpx
import pytest

from nadir.core import errors
from nadir.core.retry import Deadlines, RetryPolicy, StallWatch
from nadir.providers.http.session import HttpSession, plain_client
from support.httpserver import Reply, ScriptedServer

FAST = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05)
SLOW_JSON = b'{"items": ["' + b"x" * 400 + b'"]}'  # 400 bytes at 50 ms each: 20 s
MARGIN = 1.0  # seconds allowed past a limit (thread scheduling on a shared machine)


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


def session(read_timeout: float = 10.0, **deadlines: float) -> HttpSession:
    client = plain_client(timeout=httpx.Timeout(read_timeout, connect=2.0))
    return HttpSession("clearsky", client, policy=FAST, deadlines=Deadlines(**deadlines))  # type: ignore[arg-type]


class CancelAfter:
    """A ``cancelled`` callback that turns true ``seconds`` after it is armed."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def __call__(self) -> bool:
        return time.monotonic() >= self.at


def timed(call):
    started = time.monotonic()
    try:
        call()
    except errors.NadirError as exc:
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


# ---------------------------------------------------------------- JSON and plain requests
def test_json_from_a_trickling_server_ends_at_the_call_deadline(server):
    server.script(
        "GET", "/slow", Reply(200, body=SLOW_JSON, headers={"Content-Type": "application/json"}, trickle=0.05)
    )
    error, took = timed(lambda: session(call=1.5).json("GET", server.url + "/slow", endpoint="orders.list"))
    assert isinstance(error, errors.ProviderUnavailable), error
    assert "ClearSKY Vision did not finish answering orders.list within 1.5 s" in error.message
    assert 1.5 <= took < 1.5 + MARGIN
    assert len(server.seen("/slow")) == 1  # a slow answer is not asked for again


def test_json_deadline_can_be_set_per_call(server):
    server.script("GET", "/slow", Reply(200, body=SLOW_JSON, trickle=0.05))
    error, took = timed(lambda: session(call=60).json("GET", server.url + "/slow", endpoint="x", deadline=0.8))
    assert isinstance(error, errors.ProviderUnavailable) and "within 0.8 s" in error.message
    assert took < 0.8 + MARGIN


def test_json_cancelled_mid_body_stops_between_chunks(server):
    server.script("GET", "/slow", Reply(200, body=SLOW_JSON, trickle=0.05))
    cancel = CancelAfter(0.6)
    error, took = timed(lambda: session(call=60).json("GET", server.url + "/slow", endpoint="x", cancelled=cancel))
    assert isinstance(error, errors.OperationCancelled)
    assert took - 0.6 < 0.3  # one trickled byte later, not at the end of the body


def test_a_write_whose_answer_trickles_past_the_deadline_has_an_unknown_outcome(server):
    server.script("POST", "/orders", Reply(201, body=SLOW_JSON, trickle=0.05))
    cancel = CancelAfter(0.2)  # ignored while the answer arrives: the order exists or not
    error, took = timed(
        lambda: session(call=1.0).json(
            "POST", server.url + "/orders", endpoint="orders.place", json={}, write=True, cancelled=cancel
        )
    )
    assert isinstance(error, errors.OutcomeUnknown) and "within 1 s" in error.message
    assert took < 1.0 + MARGIN and len(server.seen("/orders")) == 1


def test_b20_headers_then_silence_is_a_read_timeout_naming_the_provider(server):
    server.script("GET", "/silent", Reply(200, headers={"Content-Type": "application/json"}, body=b"{}", hang=30))
    error, took = timed(lambda: session(read_timeout=0.5).json("GET", server.url + "/silent", endpoint="orders.list"))
    assert isinstance(error, errors.ProviderUnavailable), error
    assert "ClearSKY Vision stopped answering orders.list (read timeout" in error.message
    assert took < FAST.max_attempts * 0.5 + MARGIN


def test_silence_is_cut_at_the_deadline_when_it_comes_before_the_read_timeout(server):
    server.script("GET", "/silent", Reply(200, body=b"{}", hang=30))
    error, took = timed(
        lambda: session(read_timeout=20, call=1.0).json("GET", server.url + "/silent", endpoint="orders.list")
    )
    assert isinstance(error, errors.ProviderUnavailable) and "within 1 s" in error.message
    assert took < 1.0 + MARGIN


def test_a_slow_error_body_is_bounded_too(server):
    server.script("GET", "/bad", Reply(400, body=SLOW_JSON, trickle=0.05))
    error, took = timed(lambda: session(call=1.0).json("GET", server.url + "/bad", endpoint="x"))
    assert isinstance(error, errors.ProviderUnavailable) and took < 1.0 + MARGIN


def test_fast_answers_are_untouched(server):
    server.script("GET", "/ok", Reply(200, json={"ok": [1, 2]}, headers={"X-Seen": "1"}))
    response = session(call=1.0).request("GET", server.url + "/ok", endpoint="x")
    assert response.json() == {"ok": [1, 2]} and response.headers["x-seen"] == "1"
    assert response.elapsed.total_seconds() >= 0


# ---------------------------------------------------------------- NDJSON streams
NDJSON = b'{"n": 1}\n{"n": 2}\n' + b'{"n": 3, "pad": "' + b"x" * 400 + b'"}\n'


def test_ndjson_stream_trickling_a_line_ends_at_the_stream_deadline(server):
    server.script("POST", "/stream", Reply(200, body=NDJSON, trickle=0.02))
    got = []

    def run():
        for item in session(stream=2.0).stream_json("POST", server.url + "/stream", endpoint="search", json={}):
            got.append(item)

    error, took = timed(run)
    assert isinstance(error, errors.ProviderUnavailable) and "within 2 s" in error.message
    assert got == [{"n": 1}, {"n": 2}]  # what arrived in time was delivered
    assert took < 2.0 + MARGIN


def test_ndjson_stream_cancelled_inside_a_line_stops_promptly(server):
    server.script("POST", "/stream", Reply(200, body=NDJSON, trickle=0.02))
    got = []
    cancel = CancelAfter(1.0)

    def run():
        for item in session(stream=60).stream_json(
            "POST", server.url + "/stream", endpoint="search", json={}, cancelled=cancel
        ):
            got.append(item)

    error, took = timed(run)
    assert isinstance(error, errors.OperationCancelled)
    assert got == [{"n": 1}, {"n": 2}] and took - 1.0 < 0.3


def test_ndjson_lines_split_across_chunks_and_crlf_are_whole(server):
    server.script("POST", "/stream", Reply(200, chunks=[b'{"a"', b': 1}\r\n{"b": "\xc3', b'\xa9"}\n\n', b'{"c": 3}']))
    items = list(session().stream_json("POST", server.url + "/stream", endpoint="s", json={}))
    assert items == [{"a": 1}, {"b": "é"}, {"c": 3}]


# ---------------------------------------------------------------- downloads
DATA = bytes(range(256)) * 8  # 2 KiB


def test_a_trickling_download_stops_when_it_stalls_and_keeps_the_part(server, tmp_path):
    server.script("GET", "/f", Reply(file=DATA, trickle=0.01))  # ~100 B/s
    dest = tmp_path / "image.tif"
    limits = Deadlines(stall_window=1.0, stall_bytes=1024)
    error, took = timed(lambda: session().download(server.url + "/f", dest, deadlines=limits))
    assert isinstance(error, errors.ProviderUnavailable) and "stalled" in error.message
    assert "1 KiB" in error.message and "resume" in error.message
    assert 1.0 <= took < 1.0 + MARGIN
    part = tmp_path / "image.tif.part"
    assert part.exists() and 0 < part.stat().st_size < len(DATA) and not dest.exists()


def test_a_slow_but_steady_download_is_not_a_stall(server, tmp_path):
    server.script("GET", "/f", Reply(file=DATA[:300], trickle=0.005))
    dest = tmp_path / "image.tif"
    session().download(server.url + "/f", dest, deadlines=Deadlines(stall_window=0.5, stall_bytes=16))
    assert dest.read_bytes() == DATA[:300]


def test_a_download_cancelled_mid_body_stops_between_chunks(server, tmp_path):
    server.script("GET", "/f", Reply(file=DATA, trickle=0.01))
    dest = tmp_path / "image.tif"
    cancel = CancelAfter(0.6)
    error, took = timed(lambda: session().download(server.url + "/f", dest, cancelled=cancel))
    assert isinstance(error, errors.OperationCancelled)
    assert took - 0.6 < 0.3
    assert (tmp_path / "image.tif.part").stat().st_size > 0  # kept for a resume


def test_stall_watch_counts_bytes_per_window():
    now = [0.0]
    watch = StallWatch(Deadlines(stall_window=10, stall_bytes=100), lambda: now[0])
    now[0] = 9.0
    assert not watch.stalled(99)
    now[0] = 9.5
    assert not watch.stalled(100)  # 100 bytes in 9.5 s: the window starts again
    now[0] = 19.0
    assert not watch.stalled(150)
    now[0] = 19.6
    assert watch.stalled(199)


def test_deadline_does_not_cut_a_retry_it_can_still_wait_for(server):
    server.script("GET", "/x", Reply(503), Reply(200, json={"ok": 1}))
    assert session(call=5.0).json("GET", server.url + "/x", endpoint="x") == {"ok": 1}


def test_a_retry_wait_past_the_deadline_is_not_taken(server):
    server.script("GET", "/x", Reply(429, headers={"Retry-After": "30"}), Reply(200, json={"ok": 1}))
    s = session(call=2.0)
    s.policy = RetryPolicy(max_retry_after=60)
    error, took = timed(lambda: s.json("GET", server.url + "/x", endpoint="x"))
    assert isinstance(error, errors.ProviderUnavailable) and "HTTP 429" in error.message
    assert took < 1.0 and len(server.seen("/x")) == 1


def test_client_and_session_are_closed_cleanly_after_a_deadline(server):
    server.script("GET", "/slow", Reply(200, body=SLOW_JSON, trickle=0.05))
    server.script("GET", "/ok", Reply(200, json={"ok": 1}))
    s = session(call=0.5)
    with pytest.raises(errors.ProviderUnavailable):
        s.json("GET", server.url + "/slow", endpoint="x")
    assert s.json("GET", server.url + "/ok", endpoint="x") == {"ok": 1}  # the pool is usable again


def test_compressed_bodies_read_in_chunks_are_decoded_and_broken_ones_are_invalid(server):
    import gzip

    packed = gzip.compress(b'{"ok": [1, 2, 3]}')
    server.script(
        "GET", "/gz", Reply(200, body=packed, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    )
    server.script("GET", "/bad", Reply(200, body=b"not gzip at all", headers={"Content-Encoding": "gzip"}))
    s = session(call=5.0)
    assert s.json("GET", server.url + "/gz", endpoint="x") == {"ok": [1, 2, 3]}
    with pytest.raises(errors.InvalidResponse, match="cannot be decoded"):
        s.json("GET", server.url + "/bad", endpoint="x")
