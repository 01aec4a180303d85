"""The tile selection as a service other features use: ``GRID`` (:mod:`ui.services`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Optional

from qgis.PyQt.QtCore import QObject, pyqtSignal

if TYPE_CHECKING:  # loaded with the grid, not at QGIS start-up
    from ...core.grid.selection import GridSelection, SelectionSummary
    from ...core.models import GridCell


class GridService(QObject):
    """The analyst's tile/minitile selection on the provider's grid.

    Provided by the tile grid feature as ``GRID``; the ordering flow
    builds a tile order from it (``ClearSkySpec(tile_guids=..., minitile_guids=...)``).

    - ``provider``: the grid's provider id (``"clearsky"``).
    - ``selected_cells() -> list[GridCell]``: the selected tiles and minitiles, mixed,
      tiles first, each with GUID, level, EPSG, lon/lat footprint (WKT) and parent tile.
      Cells of UTM zones the analyst switched off are left out.
    - ``tile_guids()`` / ``minitile_guids()``: the same cells' GUIDs by level.
    - ``summary() -> SelectionSummary``: counts (``tiles``, ``minitiles``, ``cells``)
      and geodesic areas (``tiles_km2``, ``minitiles_km2``, ``area_km2``).
    - ``is_empty()``.
    - ``selection_changed``: emitted (no arguments, GUI thread) after every change:
      clicks, splits, merges, zone switches, AOI covers, clearing, project load.
    - ``clear()``: unselect everything (e.g. once the order is in the cart).

    The service exists from plugin start; the grid machinery behind it (shapely, the
    cache) loads when the grid is first used or a project with a selection is opened.
    GUI thread only.
    """

    selection_changed = pyqtSignal()

    def __init__(self, provider: str = "clearsky", parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.provider = provider
        self._selection: Optional[GridSelection] = None
        self._clear: Optional[Callable[[], None]] = None

    def attach(self, selection: GridSelection, clear: Callable[[], None]) -> None:
        """Called by the presenter when the grid is loaded."""
        self._selection = selection
        self._clear = clear

    def selected_cells(self) -> list[GridCell]:
        return self._selection.selected_cells() if self._selection is not None else []

    def tile_guids(self) -> tuple[str, ...]:
        return tuple(c.guid for c in self.selected_cells() if c.level.value == "tile")

    def minitile_guids(self) -> tuple[str, ...]:
        return tuple(c.guid for c in self.selected_cells() if c.level.value == "minitile")

    def summary(self) -> SelectionSummary:
        if self._selection is not None:
            return self._selection.summary()
        from ...core.grid.selection import SelectionSummary

        return SelectionSummary(0, 0, 0.0, 0.0)

    def is_empty(self) -> bool:
        return self._selection is None or not self._selection.selected_guids()

    def clear(self) -> None:
        if self._clear is not None:
            self._clear()

    def notify(self) -> None:
        self.selection_changed.emit()
