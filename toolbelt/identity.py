"""Plugin identity, read once from ``metadata.txt``.

Plain Python so that the log tag, settings group, User-Agent and About box can use it
from anywhere, including before QGIS is fully up.
"""

from __future__ import annotations

import configparser
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PluginIdentity:
    name: str
    version: str
    description: str
    min_qgis: str
    max_qgis: str
    homepage: str
    tracker: str

    @property
    def slug(self) -> str:
        """Lower-case technical name (settings group, folders)."""
        return self.name.lower()

    @property
    def log_tag(self) -> str:
        return self.name


@lru_cache(maxsize=1)
def identity() -> PluginIdentity:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(PLUGIN_DIR / "metadata.txt", encoding="utf-8")
    general = parser["general"]
    return PluginIdentity(
        name=general["name"],
        version=general["version"],
        description=general.get("description", ""),
        min_qgis=general.get("qgisMinimumVersion", ""),
        max_qgis=general.get("qgisMaximumVersion", ""),
        homepage=general.get("homepage", ""),
        tracker=general.get("tracker", ""),
    )
