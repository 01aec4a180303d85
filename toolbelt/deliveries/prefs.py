"""Delivery settings kept in QgsSettings (only ``toolbelt/`` touches them): where files go,
and the per-order "Load when delivered" option with the orders already loaded by it.

Stored under Nadir's settings group as JSON lists of ``"<provider>:<order id>"`` (order ids
may hold characters QSettings would take as key separators).
"""

from __future__ import annotations

import json
from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QStandardPaths

from ..identity import identity
from ..settings import Settings

AUTO_KEY = "deliveries/auto_load"
DONE_KEY = "deliveries/auto_loaded"

OrderKey = tuple[str, str]


def download_root(settings: Settings) -> Path:
    """The download folder from Settings > Options > Nadir, else ``<Downloads>/Nadir``."""
    if settings.download_folder.strip():
        return Path(settings.download_folder).expanduser()
    downloads = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    return Path(downloads or Path.home()) / "Nadir"


def _text(key: OrderKey) -> str:
    return f"{key[0]}:{key[1]}"


class AutoLoad:
    """Which orders load by themselves when delivered, and which already did."""

    def __init__(self, qsettings: QgsSettings | None = None) -> None:
        self._qs = qsettings

    def _settings(self) -> QgsSettings:
        return self._qs or QgsSettings()

    def _read(self, name: str) -> set[str]:
        raw = self._settings().value(f"{identity().name}/{name}", "[]", type=str)
        try:
            values = json.loads(raw or "[]")
        except ValueError:
            return set()
        return {str(v) for v in values} if isinstance(values, list) else set()

    def _write(self, name: str, values: set[str]) -> None:
        settings = self._settings()
        settings.setValue(f"{identity().name}/{name}", json.dumps(sorted(values)))
        settings.sync()

    def enabled(self, key: OrderKey) -> bool:
        return _text(key) in self._read(AUTO_KEY)

    def set_enabled(self, key: OrderKey, on: bool) -> None:
        wanted, done = self._read(AUTO_KEY), self._read(DONE_KEY)
        (wanted.add if on else wanted.discard)(_text(key))
        done.discard(_text(key))  # switched again: the next delivery loads again
        self._write(AUTO_KEY, wanted)
        self._write(DONE_KEY, done)

    def pending(self, key: OrderKey) -> bool:
        """On, and not loaded by it yet."""
        return self.enabled(key) and _text(key) not in self._read(DONE_KEY)

    def mark_done(self, key: OrderKey) -> None:
        done = self._read(DONE_KEY)
        done.add(_text(key))
        self._write(DONE_KEY, done)
