"""Waiting on the Qt event loop and reading the message bar, for qgis-tier tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from qgis.PyQt.QtWidgets import QApplication, QLabel


def wait_until(condition: Callable[[], Any], timeout: float = 60.0, what: str = "") -> Any:
    """Process events until ``condition()`` is truthy; fail the test after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")


def bar_texts(bar: Any) -> list[str]:
    """The text of every message in a QgsMessageBar."""
    texts = []
    for item in bar.items():
        texts.append(" ".join(label.text() for label in item.findChildren(QLabel)) + " " + item.text())
    return texts
