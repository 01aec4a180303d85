"""A task publishes partial results to the GUI thread while its work goes on (issue 12 item 4)."""

from __future__ import annotations

import threading

from qgis.PyQt.QtCore import QThread
from qgis.PyQt.QtWidgets import QApplication

from nadir.tasks.base import TaskRunner
from support.cart_harness import wait_until


def test_partials_arrive_on_the_gui_thread_in_order_and_before_done(qgis_app):
    runner = TaskRunner()
    seen: list[tuple[str, object, bool]] = []
    gui = QThread.currentThread()
    release = threading.Event()

    def work(ctx):
        for page in range(40):
            ctx.publish(list(range(page * 10, page * 10 + 10)))
            if page == 19:
                release.wait(10)  # half published: the GUI must already have them
        return "done"

    runner.run(
        "Pages",
        work,
        on_done=lambda r: seen.append(("done", r, QThread.currentThread() is gui)),
        on_partial=lambda v: seen.append(("partial", v, QThread.currentThread() is gui)),
    )
    wait_until(lambda: len(seen) >= 20, 30)
    assert not any(kind == "done" for kind, _v, _g in seen)  # still running: partials came first
    release.set()
    wait_until(lambda: seen and seen[-1][0] == "done", 30)
    pages = [v for kind, v, _g in seen if kind == "partial"]
    assert [n for page in pages for n in page] == list(range(400))
    assert all(on_gui for _k, _v, on_gui in seen)
    assert seen[-1] == ("done", "done", True)


def test_a_cancelled_or_unloaded_task_delivers_no_more_partials(qgis_app):
    runner = TaskRunner()
    seen: list[object] = []
    started = threading.Event()

    def work(ctx):
        ctx.publish("first")
        started.set()
        while not ctx.cancelled():
            ctx.publish("more")
            QThread.msleep(5)
        return None

    runner.run("Endless", work, on_partial=seen.append)
    assert started.wait(10)
    wait_until(lambda: "first" in seen, 30)
    runner.cancel_all()  # plugin unload: silenced
    QApplication.processEvents()
    count = len(seen)
    wait_until(lambda: not runner.running, 30)
    for _ in range(20):
        QApplication.processEvents()
    assert len(seen) == count
