"""What a UP42 tasking order waits for, and deciding it (task work).

UP42's "Place an order" tasking guide: after placement UP42's support studies the order's
feasibility and uploads a study with options; the customer chooses one
(``FEASIBILITY_WAITING_RESPONSE``); later a quotation with the final price arrives, which
the customer accepts or rejects (``QUOTATION_WAITING_RESPONSE``). :func:`pending_decision`
finds the one waiting; :func:`decide` sends the customer's answer. Both close the adapter
they are given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Union

from ..errors import InputError
from ..models import FeasibilityStudy, Quotation

UNDECIDED = "NOT_DECIDED"


@dataclass(frozen=True)
class Pending:
    """The decision an order waits for: a feasibility study to choose an option of, or a
    quotation to accept or reject; ``None`` in both when nothing waits."""

    order_id: str
    study: Optional[FeasibilityStudy] = None
    quotation: Optional[Quotation] = None

    @property
    def waiting(self) -> bool:
        return self.study is not None or self.quotation is not None


def _undecided(decision: str) -> bool:
    return decision.upper() in (UNDECIDED, "")


def find_pending(adapter: Any, order_id: str) -> Pending:
    """The undecided quotation of the order if there is one (it comes last), else its
    undecided feasibility study, else nothing. The adapter stays open."""
    quotations = [q for q in adapter.quotations(order_id) if _undecided(q.decision)]
    if quotations:
        return Pending(order_id, quotation=quotations[-1])
    studies = [s for s in adapter.feasibility_studies(order_id) if _undecided(s.decision)]
    return Pending(order_id, study=studies[-1] if studies else None)


def pending_decision(adapter: Any, order_id: str) -> Pending:
    """:func:`find_pending`, then the adapter is closed (task work)."""
    try:
        return find_pending(adapter, order_id)
    finally:
        adapter.close()


Decided = Union[FeasibilityStudy, Quotation]


def decide(
    adapter: Any, pending: Pending, *, option_id: Optional[str] = None, accept: Optional[bool] = None
) -> Decided:
    """Choose ``option_id`` of the pending study, or accept/reject the pending quotation."""
    try:
        if pending.study is not None:
            if option_id not in {o.id for o in pending.study.options}:
                raise InputError("Choose one of the feasibility options UP42 offers.")
            return adapter.choose_feasibility_option(pending.study.id, option_id)  # type: ignore[no-any-return]
        if pending.quotation is not None:
            if accept is None:
                raise InputError("Accept or reject the quotation.")
            return adapter.decide_quotation(pending.quotation.id, accept)  # type: ignore[no-any-return]
        raise InputError("This order waits for no decision.")
    finally:
        adapter.close()
