"""Numeric bounds of a ClearSKY order's settings (see :mod:`.configure` for their sources).

Standard library only: the Processing algorithms read these when QGIS starts, before
anything heavier than their parameter definitions is imported.
"""

from __future__ import annotations

MIN_FREQUENCY, MAX_FREQUENCY = 1, 31
STORAGE_MONTHS = (1, 24)
API_REQUESTS = (1, 1000)
