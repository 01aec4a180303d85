"""A real crash between send and answer (DESIGN.md 6): a child process places an order
through the outbox against the sandbox, the sandbox commits it and holds the answer
(``hang_after_commit``), the child is SIGKILLed while waiting; a second process starts,
reconciles, and finds exactly one order at the provider, recorded under the same
reference. Nothing is sent again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nadir.core.ordering.outbox import PLACED, SENDING, Outbox
from support.package import ROOT, package_parent

ORDERS = "/clearsky/api/tasking/orders"

PRELUDE = """
import json, sys
from datetime import date
import httpx
from nadir.core.ordering import checkout
from nadir.core.credentials import Credentials
from nadir.core.models import ClearSkySpec
from nadir.core.ordering.outbox import Outbox
from nadir.providers.clearsky.adapter import ClearSky
from nadir.providers.http.session import plain_client

outbox_path, url = sys.argv[1], sys.argv[2]
spec = ClearSkySpec(model="Stratus2", constellations=("Sentinel2",), start=date(2025, 1, 1),
                    end=date(2025, 1, 31), frequency_days=7, api_requests=1,
                    aoi={"type": "Polygon", "coordinates": [[[9.9, 56.4], [9.95, 56.4], [9.95, 56.43],
                                                             [9.9, 56.43], [9.9, 56.4]]]})
adapter = ClearSky({"api": url}, Credentials(secret="clearsky-sandbox-key"),
                   plain_client(timeout=httpx.Timeout(300.0, connect=5.0)))
outbox = Outbox(outbox_path)
"""

PLACER = (
    PRELUDE
    + """
entry = outbox.enqueue(spec, cart_item_id="crash-item", title="Crash test")
print(json.dumps({"reference": entry.reference}), flush=True)
checkout.place(outbox, adapter, entry.reference)
print(json.dumps({"finished": True}), flush=True)  # never reached: killed while waiting
"""
)

RECONCILER = (
    PRELUDE
    + """
done = checkout.reconcile(outbox, lambda provider: adapter)
print(json.dumps([{"reference": e.reference, "state": e.state, "orders": list(e.order_ids),
                   "message": e.message} for e in done]), flush=True)
"""
)


def child(script: str, outbox: Path, url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(package_parent()), str(ROOT)])}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), str(outbox), url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(ROOT),
    )


def provider_orders(sb) -> list[dict]:
    return list(sb.admin("GET", "clearsky/orders"))


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.mark.slow
def test_killed_between_send_and_answer_then_reconciled_in_a_new_process_is_one_order(sb, tmp_path):
    path = tmp_path / "nadir" / "outbox.sqlite"
    url = sb.provider_url("clearsky")
    sb.fault(kind="hang_after_commit", prefix=ORDERS, method="POST", times=1, delay=20.0)

    placer = child(PLACER, path, url)
    try:
        reference = json.loads(placer.stdout.readline())["reference"]
        # the provider has committed the order and holds the answer; the outbox says "sending"
        wait_for(lambda: len(provider_orders(sb)) == 1)
        assert Outbox(path).require(reference).state == SENDING
        assert placer.poll() is None, "the placer must still be waiting for the answer"
        placer.send_signal(signal.SIGKILL)
        assert placer.wait(10) == -signal.SIGKILL
    finally:
        if placer.poll() is None:
            placer.kill()
        placer.stdout.close()
        placer.stderr.close()

    left = Outbox(path).require(reference)
    assert left.state == SENDING and left.attempts == 1  # exactly what the crash left

    reconciler = child(RECONCILER, path, url)
    out, err = reconciler.communicate(timeout=120)
    assert reconciler.returncode == 0, err
    [result] = json.loads(out.strip().splitlines()[-1])
    orders = provider_orders(sb)
    assert len(orders) == 1, "exactly one order at the provider"
    assert result == {"reference": reference, "state": PLACED, "orders": [orders[0]["guid"]], "message": ""}
    posts = [r for r in sb.requests(ORDERS) if r["method"] == "POST" and r["path"] == ORDERS]
    assert len(posts) == 1, "nothing was sent again"
    final = Outbox(path).require(reference)
    assert final.state == PLACED and final.order_ids == (orders[0]["guid"],)
    assert [e.reference for e in Outbox(path).placed()] == [reference]
