"""Deciding a UP42 tasking order in Nadir against the sandbox: the order waits for a
feasibility choice (announced once), the dialog shows the study's options and sends the
chosen one; an hour later the quotation waits: the dialog shows its price, accepting
moves the order on; the Decide button is only on for an order awaiting a decision."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from nadir.core.models import Lifecycle, TaskingSpec
from nadir.tasks.base import TaskRunner
from nadir.toolbelt.notify import Notifier
from nadir.toolbelt.settings import SettingsStore
from nadir.ui.tasking.decisions import DecisionControls, DecisionsPresenter
from support.adapters import BERLIN, up42
from support.qgis_wait import bar_texts, wait_until


def tasking_spec(product: str) -> TaskingSpec:
    start = datetime.now(timezone.utc) + timedelta(days=2)
    params = {
        "acquisitionStart": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "acquisitionEnd": (start + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "acquisitionMode": "mono",
        "cloudCoverage": 10,
        "incidenceAngle": 20,
        "geometricProcessing": "ortho",
        "spectralProcessing": "bundle",
        "pixelCoding": "12bits",
        "radiometricProcessing": "reflectance",
        "deliveredAs": "geotiff",
        "projection": "4326",
    }
    return TaskingSpec(data_product_id=product, params=params, geometry=BERLIN, display_name="Berlin tasking")


@pytest.fixture
def placed(sb, qgis_iface):
    adapter = up42(sb)
    product = next(p.id for p in adapter.data_products() if p.collection == "phr-tasking")
    [order] = adapter.place(tasking_spec(product), "ref-decide").orders
    runner = TaskRunner()
    presenter = DecisionsPresenter(
        runner,
        SettingsStore(),
        lambda provider, settings: up42(sb),
        Notifier(qgis_iface.messageBar(), qgis_iface.mainWindow()),
    )
    yield adapter, order, presenter
    runner.cancel_all()
    wait_until(lambda: not runner.running, 30)
    adapter.close()


def test_feasibility_then_quotation_decided_in_the_dialog(sb, placed, qgis_iface):
    adapter, order, presenter = placed
    controls = DecisionControls()
    controls.show_for(order)
    assert not controls.decide_button.isEnabled()  # CREATED: nothing to decide yet
    sb.advance(2 * 3600 + 60)
    waiting = adapter.get_order(order.id)
    assert waiting.status is Lifecycle.AWAITING_DECISION
    controls.show_for(waiting)
    assert controls.decide_button.isEnabled() and "Awaiting your decision" in controls.note.text()
    qgis_iface.messageBar().clearWidgets()
    assert presenter.announce([waiting]) == 1 and presenter.announce([waiting]) == 0  # once, not every poll
    assert any("awaiting your decision" in t for t in bar_texts(qgis_iface.messageBar()))

    presenter.open_for(waiting)
    wait_until(lambda: presenter.dialog is not None, 30, "the feasibility dialog")
    dialog = presenter.dialog
    assert dialog.pending.study is not None and len(dialog.options.buttons()) == len(dialog.pending.study.options)
    assert not dialog.choose_button.isEnabled()  # an option must be chosen first
    dialog.options.buttons()[0].click()
    chosen = dialog.chosen_option()
    decided = []
    presenter.decided.connect(decided.append)
    dialog.choose_button.click()
    wait_until(lambda: decided, 30, "the option sent")
    [study] = adapter.feasibility_studies(order.id)
    assert study.chosen_option == chosen and study.decision != "NOT_DECIDED"

    sb.advance(3600 + 120)  # the quotation is uploaded an hour after the decision
    quoted = adapter.get_order(order.id)
    assert quoted.sub_status == "QUOTATION_WAITING_RESPONSE"
    assert presenter.announce([quoted]) == 1  # a new decision is announced again
    presenter.dialog = None
    presenter.open_for(quoted)
    wait_until(lambda: presenter.dialog is not None, 30, "the quotation dialog")
    dialog = presenter.dialog
    price = str(dialog.pending.quotation.price)
    assert "credits" in price and price in dialog.text.text() and price in dialog.accept_button.text()
    decided.clear()
    dialog.accept_button.click()
    wait_until(lambda: decided, 30, "the acceptance sent")
    [quotation] = adapter.quotations(order.id)
    assert quotation.decision == "ACCEPTED"
    assert adapter.get_order(order.id).status is not Lifecycle.AWAITING_DECISION


def test_nothing_waiting_is_said_and_nothing_is_sent(sb, placed):
    _adapter, order, presenter = placed
    before = len(sb.requests("/up42"))
    presenter.open_for(order)
    wait_until(lambda: presenter.dialog is not None, 30, "the dialog")
    assert "waits for no decision" in presenter.dialog.text.text()
    presenter.dialog.reject()
    posts = [r for r in sb.requests("/up42")[before:] if r["method"] == "POST" and "/up42-auth/" not in r["path"]]
    assert not posts
