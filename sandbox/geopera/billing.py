"""Geopera billing: how an order is paid, and the 402s (Geopera's guide "Ordering archive
imagery", "Billing modes", "Payment errors"; docs errors page: "402 Payment Required:
insufficient credits, no/declined card, or past-due account").

* ``credit``: credits are reserved from the org's balance; refunded on cancellation.
* ``card``: the card is authorised (a hold), captured on delivery, voided if the order is
  cancelled or fails. Card states (sandbox admin): ``ok``, ``declined``, ``none`` (no
  payment method), ``3ds_required``: the 402 then carries a ``client_secret``; once the
  challenge is completed (``POST /_sandbox/geopera/3ds/complete``) the same request with
  the same ``Idempotency-Key`` succeeds (the guide's 3-D Secure step).
* ``enterprise``: the amount accrues to the monthly invoice; no balance check.
"""

from __future__ import annotations

import secrets
from typing import Any

from ..store import Store
from . import data
from .errors import Problem

ORG = "geopera.org"
INTENT = "geopera.intent"
MODES = ("credit", "card", "enterprise")
CARDS = ("ok", "declined", "none", "3ds_required")


class Billing:
    def __init__(self, store: Store) -> None:
        self.store = store

    def state(self, org_id: str) -> dict[str, Any]:
        stored = self.store.get(ORG, org_id)
        if stored is not None:
            return stored
        org = data.org(org_id)
        return {"org": org_id, "billing_mode": org.billing_mode, "credits": org.credits, "card": org.card}

    def update(self, org_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        state = self.state(org_id)
        if "billing_mode" in changes:
            if changes["billing_mode"] not in MODES:
                raise ValueError(f"billing_mode must be one of {MODES}")
            state["billing_mode"] = changes["billing_mode"]
        if "card" in changes:
            if changes["card"] not in CARDS:
                raise ValueError(f"card must be one of {CARDS}")
            state["card"] = changes["card"]
        if "credits" in changes:
            state["credits"] = int(changes["credits"])
        self.store.put(ORG, org_id, state)
        return state

    def balance(self, org_id: str) -> dict[str, Any]:
        state = self.state(org_id)
        return {
            "org_id": org_id,
            "billing_mode": state["billing_mode"],
            "balance_credits": state["credits"],
            "balance_aud": round(state["credits"] / 100, 2),
            "currency": "AUD",
        }

    def preflight(self, org_id: str, credits: int, idempotency: str, body_hash: str) -> None:
        """Refuse an order that cannot be paid (402 ``Problem``). Call it *outside* a store
        transaction: a 3-D Secure challenge it creates must survive the 402."""
        state = self.state(org_id)
        mode = state["billing_mode"]
        if mode == "credit" and state["credits"] < credits:
            raise Problem(
                402,
                f"insufficient credits: the order costs {credits} credits and the balance is "
                f"{state['credits']}; top up or enable auto top-up",
                kind="insufficient-credits",
                required_credits=credits,
                balance_credits=state["credits"],
            )
        if mode != "card":
            return
        card = state["card"]
        if card == "none":
            raise Problem(402, "no payment method: attach a card to the organisation", kind="no-payment-method")
        if card == "declined":
            raise Problem(402, "the card was declined: attach another payment method", kind="card-declined")
        if card == "3ds_required":
            self._challenge(org_id, credits, idempotency, body_hash)

    def charge(self, org_id: str, credits: int, idempotency: str, body_hash: str) -> dict[str, Any]:
        """Take the payment after :meth:`preflight` (call inside the order's transaction)."""
        self.preflight(org_id, credits, idempotency, body_hash)
        state = self.state(org_id)
        mode = state["billing_mode"]
        if mode == "enterprise":
            return {"method": "enterprise", "status": "accrued", "credits": credits}
        if mode == "credit":
            state["credits"] -= credits
            self.store.put(ORG, org_id, state)
            return {"method": "credit", "status": "reserved", "credits": credits}
        if state["card"] == "3ds_required":
            intent = self.store.get(INTENT, data.stable_id("intent", org_id, idempotency, body_hash)) or {}
            intent["status"] = "consumed"
            self.store.put(INTENT, intent["id"], intent)
        return {"method": "card", "status": "held", "credits": credits}

    def _challenge(self, org_id: str, credits: int, idempotency: str, body_hash: str) -> None:
        """Pass if this request's challenge was completed; otherwise a 402 with a ``client_secret``."""
        intent_id = data.stable_id("intent", org_id, idempotency, body_hash)
        intent = self.store.get(INTENT, intent_id)
        if intent is not None and intent["status"] == "succeeded":
            return
        if intent is not None and intent["status"] == "failed":
            self.store.delete(INTENT, intent_id)
            raise Problem(402, "the bank declined the 3-D Secure challenge", kind="card-declined")
        if intent is None or intent["status"] == "consumed":
            intent = {
                "id": intent_id,
                "org": org_id,
                "status": "requires_action",
                "credits": credits,
                "client_secret": f"pi_{secrets.token_hex(12)}_secret_{secrets.token_hex(12)}",
            }
            self.store.put(INTENT, intent_id, intent)
        raise Problem(
            402,
            "3-D Secure authentication required: complete the bank challenge with client_secret, "
            "then retry with the same Idempotency-Key",
            kind="authentication-required",
            client_secret=intent["client_secret"],
            payment_intent=intent_id,
        )

    def complete_3ds(self, client_secret: str, outcome: str) -> dict[str, Any]:
        for intent in self.store.list(INTENT, lambda i: i["client_secret"] == client_secret):
            if intent["status"] != "requires_action":
                raise ValueError(f"the payment is {intent['status']}, not waiting for a challenge")
            intent["status"] = "succeeded" if outcome == "succeeded" else "failed"
            self.store.put(INTENT, intent["id"], intent)
            return {"payment_intent": intent["id"], "status": intent["status"]}
        raise KeyError("no payment waiting for this client_secret")

    def refund(self, order: dict[str, Any]) -> dict[str, Any]:
        """Undo an order's payment (call inside a store transaction)."""
        payment = order["payment"]
        credits = int(payment["credits"])
        if payment["method"] == "credit":
            state = self.state(order["orgId"])
            state["credits"] += credits
            self.store.put(ORG, order["orgId"], state)
            payment["status"] = "refunded"
        elif payment["method"] == "card":
            payment["status"] = "voided"
        else:
            payment["status"] = "reversed"
        return {
            "billingMode": payment["method"],
            "credits": credits,
            "aud": round(credits / 100, 2),
            "status": payment["status"],
        }
