"""What the user set in Nadir's panels and expects to find again after a restart (only
``toolbelt/`` touches QgsSettings): the existing-orders overlay's filters.

Stored as one JSON value under Nadir's settings group; anything unreadable falls back
to the defaults (all models, live and completed, no dates).
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any, Optional

from qgis.core import QgsSettings

from ...core.orders.filters import DateMode, OrderFilterSpec, StatusGroup
from ..identity import identity

LOGGER = logging.getLogger(__name__)
OVERLAY_FILTER_KEY = "orders/overlay_filter"


def _key() -> str:
    return f"{identity().name}/{OVERLAY_FILTER_KEY}"


def _day(value: Any) -> Optional[date]:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def load_overlay_filter(qsettings: QgsSettings | None = None) -> OrderFilterSpec:
    raw = (qsettings or QgsSettings()).value(_key(), "", type=str)
    if not raw:
        return OrderFilterSpec()
    try:
        data = json.loads(raw)
        return OrderFilterSpec(
            providers=frozenset(str(p) for p in data.get("providers", [])),
            models=frozenset(str(m) for m in data.get("models", [])),
            status=StatusGroup(data.get("status", StatusGroup.ALL.value)),
            date_from=_day(data.get("date_from")),
            date_to=_day(data.get("date_to")),
            date_mode=DateMode(data.get("date_mode", DateMode.OVERLAP.value)),
        )
    except (ValueError, TypeError, AttributeError) as exc:  # damaged or from another version: the defaults
        LOGGER.info("The saved overlay filter is not usable (%s): using the defaults", exc)
        return OrderFilterSpec()


def save_overlay_filter(spec: OrderFilterSpec, qsettings: QgsSettings | None = None) -> None:
    data = {
        "providers": sorted(spec.providers),
        "models": sorted(spec.models),
        "status": spec.status.value,
        "date_from": spec.date_from.isoformat() if spec.date_from else None,
        "date_to": spec.date_to.isoformat() if spec.date_to else None,
        "date_mode": spec.date_mode.value,
    }
    settings = qsettings or QgsSettings()
    settings.setValue(_key(), json.dumps(data))
    settings.sync()
