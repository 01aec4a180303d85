"""Where Nadir keeps its files in the QGIS profile: ``<profile>/nadir/``.

- ``cart.json`` (+ ``.bak``, ``.prev``): the cart (:mod:`core.ordering.cart_store`);
- ``outbox.sqlite`` (+ ``.bak``): every placement (:mod:`core.ordering.outbox`); the orders
  panel opens the same file to know which orders Nadir placed;
- ``quicklooks/``: archive search quicklooks (:mod:`core.search.quicklook_cache`) and the
  VRTs of quicklooks draped on the map (``quicklooks/drapes/``).

``NADIR_DATA_DIR`` overrides the folder (tests, headless runs that share one outbox).
"""

from __future__ import annotations

import os
from pathlib import Path

from qgis.core import QgsApplication


def data_dir() -> Path:
    override = os.environ.get("NADIR_DATA_DIR")
    folder = Path(override) if override else Path(QgsApplication.qgisSettingsDirPath()) / "nadir"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cart_path() -> Path:
    return data_dir() / "cart.json"


def outbox_path() -> Path:
    return data_dir() / "outbox.sqlite"


def quicklook_cache_dir() -> Path:
    folder = data_dir() / "quicklooks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
