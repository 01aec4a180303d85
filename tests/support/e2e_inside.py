"""Imported by scripts running *inside* the QGIS desktop (see :mod:`support.e2e`).

    e2e.wait_for(lambda: dock.isVisible(), "dock visible")
    e2e.screenshot("dock-open")
    e2e.record(dock_visible=True)

The harness wraps the script: an exception is reported with its traceback, and the
result file is written before QGIS exits with ``os._exit(0)``.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

_state: dict[str, Any] = {"path": None, "name": "", "result": {}}


def start(result_path: str, name: str) -> None:
    _state.update(path=Path(result_path), name=name, result={"screenshots": []})


def record(**values: Any) -> None:
    _state["result"].update(values)


def process_events(seconds: float = 0.0) -> None:
    from qgis.PyQt.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while True:
        QApplication.processEvents()
        if time.monotonic() >= end:
            break
        time.sleep(0.01)


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        process_events(0.05)
    raise TimeoutError(f"timed out after {timeout}s waiting for: {what}")


def artifacts() -> Path:
    folder = Path(os.environ.get("NADIR_E2E_ARTIFACTS", "."))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(label: str, widget: Any = None) -> str:
    """Grab the main window (or ``widget``) into artifacts/<script>-<label>.png."""
    from qgis.utils import iface

    process_events(0.3)
    target = widget if widget is not None else iface.mainWindow()
    path = artifacts() / f"{_state['name']}-{label}.png"
    target.grab().save(str(path))
    _state["result"]["screenshots"].append(str(path))
    return str(path)


def fail(exc: BaseException) -> None:
    _state["result"]["error"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def finish() -> None:
    _state["result"]["finished"] = True
    path: Path = _state["path"]
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(_state["result"], default=str), encoding="utf-8")
    tmp.replace(path)
    os._exit(0)
