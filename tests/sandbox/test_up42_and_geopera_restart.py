"""A sandbox restart keeps UP42 and Geopera orders, their timelines and balances (SQLite state)."""

from __future__ import annotations

from sandbox.testing import run_sandbox
from support.geopera_sandbox import SYDNEY, Geopera
from support.up42_sandbox import Up42


def test_restart_keeps_orders_and_balances(tmp_path):
    with run_sandbox(tmp_path) as first:
        up42_order = Up42(first).place_archive(tags=["restart"])
        geopera = Geopera(first)
        captures = [{"id": geopera.capture()["id"], "geometry": SYDNEY}]
        placed = geopera.place(captures, key="restart-key", tags=["restart"])
        geopera_order = placed.json()
        balance = geopera.ok("billing.credits.balance")["balance_credits"]
        first.advance(20 * 60)
    with run_sandbox(tmp_path) as second:
        order = Up42(second).order(up42_order)
        assert order["tags"] == ["restart"] and order["status"] == "PLACED"
        again = Geopera(second)
        assert again.ok("orders.get", {"order_id": geopera_order["id"]})["tags"] == ["restart"]
        assert again.ok("billing.credits.balance")["balance_credits"] == balance
        # idempotency records survive too: the stored response is still replayed
        assert again.place(captures, key="restart-key", tags=["restart"]).content == placed.content
        assert again.ok("orders.list", {})["totalElements"] == 1
