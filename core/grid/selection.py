"""The tile/minitile selection of a grid order (ClearSKY's "Order Data" guide,
"Tile & Minitile Orders").

States and rules:

- A cell is a tile or a minitile. Tiles and minitiles mix freely in one selection.
- Click a tile: select or unselect it (:meth:`GridSelection.toggle`).
- Split a tile into its minitiles (:meth:`split`): if the tile was selected, all its
  minitiles start selected; otherwise all start unselected (the guide's tip). The tile
  itself leaves the selection; its minitiles stand in for it until it is merged.
- Click a minitile: select or unselect it.
- Merge a split tile back (:meth:`merge`): the tile is selected if *any* of its minitiles
  was, else unselected. Merging never drops ground the analyst picked (a partly selected
  tile becomes the whole tile, which the dock's km² shows at once), and split then merge
  gives back the starting state in both cases.
- Zones (EPSG of the cells) can be switched off (:meth:`set_zone_enabled`): cells of a
  switched-off zone cannot be selected, split or merged, and are left out of
  :meth:`selected_cells`, counts and km². Their selection is *kept* and comes back when
  the zone is switched on again: switching a zone off to tell overlapping tiles apart
  must not silently lose work.

The selection refers to cells of a :class:`~core.grid.CellStore` by GUID and reports
which GUIDs it needs kept (:meth:`pinned`). It serialises to a compact text
(:meth:`dumps`/:meth:`loads`) carrying the cells' footprints, so a saved project shows
and orders its selection again without asking the provider.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Optional

from ..errors import InputError, StorageError
from ..models import CellLevel, GridCell
from .cover import CoverResult
from .model import CellStore, zone_label

LOGGER = logging.getLogger(__name__)
FORMAT_VERSION = 1
_PREFIX = "nadir-grid:z1:"


class CellState(str, Enum):
    UNSELECTED = "unselected"
    SELECTED = "selected"
    DISABLED = "disabled"  # zone switched off
    SPLIT = "split"  # a tile shown as its minitiles


@dataclass(frozen=True)
class SelectionSummary:
    tiles: int
    minitiles: int
    tiles_km2: float
    minitiles_km2: float

    @property
    def cells(self) -> int:
        return self.tiles + self.minitiles

    @property
    def area_km2(self) -> float:
        return self.tiles_km2 + self.minitiles_km2


class GridSelection:
    def __init__(self, store: CellStore, provider: str = "clearsky") -> None:
        self.store = store
        self.provider = provider
        self._selected: dict[str, None] = {}  # ordered set
        self._split: dict[str, tuple[str, ...]] = {}
        self._disabled: set[int] = set()
        self._summary: Optional[SelectionSummary] = None  # cached until the next change
        self._enabled: Optional[list[str]] = None

    def _touch(self) -> None:
        """Forget cached answers (after every change)."""
        self._summary = None
        self._enabled = None

    # -- queries ----------------------------------------------------------------------
    def is_selected(self, guid: str) -> bool:
        return guid in self._selected

    def is_split(self, tile_guid: str) -> bool:
        return tile_guid in self._split

    def zone_enabled(self, epsg: int) -> bool:
        return epsg not in self._disabled

    @property
    def disabled_zones(self) -> frozenset[int]:
        return frozenset(self._disabled)

    @property
    def split_tiles(self) -> tuple[str, ...]:
        return tuple(self._split)

    def minitiles_of(self, tile_guid: str) -> tuple[str, ...]:
        return self._split.get(tile_guid, ())

    def state(self, guid: str) -> CellState:
        if self._disabled and self.store.epsg(guid) in self._disabled:
            return CellState.DISABLED
        if guid in self._split:
            return CellState.SPLIT
        return CellState.SELECTED if guid in self._selected else CellState.UNSELECTED

    def selected_guids(self, include_disabled: bool = False) -> list[str]:
        if include_disabled or not self._disabled:
            return list(self._selected)
        if self._enabled is None:
            self._enabled = [g for g in self._selected if self.store.epsg(g) not in self._disabled]
        return list(self._enabled)

    def selected_cells(self) -> list[GridCell]:
        """Selected tiles and minitiles of enabled zones, tiles first, in selection order."""
        cells = [self.store.cell(g) for g in self.selected_guids()]
        return [c for c in cells if c.level is CellLevel.TILE] + [c for c in cells if c.level is CellLevel.MINITILE]

    def summary(self) -> SelectionSummary:
        """Counts and km² of the selected cells of enabled zones (cached until a change)."""
        if self._summary is None:
            minitile, area = self.store.levels_and_areas(self.selected_guids())
            minis = int(minitile.sum())
            self._summary = SelectionSummary(
                len(minitile) - minis, minis, float(area[~minitile].sum()), float(area[minitile].sum())
            )
        return self._summary

    def pinned(self) -> set[str]:
        """GUIDs the store must keep: selected cells, split tiles and their minitiles."""
        keep = set(self._selected)
        for tile, minis in self._split.items():
            keep.add(tile)
            keep.update(minis)
        return keep

    def __len__(self) -> int:
        return len(self._selected)

    # -- changes ----------------------------------------------------------------------
    def _check_zone(self, guid: str) -> None:
        epsg = self.store.epsg(guid)
        if epsg in self._disabled:
            raise InputError(f"UTM zone {zone_label(epsg)} is switched off: switch it on to select its cells.")

    def toggle(self, guid: str) -> bool:
        """Select or unselect one cell; returns the new state."""
        selected = guid not in self._selected
        self.set_selected([guid], selected)
        return selected

    def set_selected(self, guids: Iterable[str], selected: bool = True) -> set[str]:
        """Select (or unselect) cells; returns the GUIDs whose state changed."""
        guids = list(guids)
        for guid in guids:  # check everything first: all or nothing
            self._check_zone(guid)
            if guid in self._split:
                raise InputError("This tile is split into minitiles: select its minitiles, or merge it first.")
            parent = self.store.parent(guid) if self.store.is_minitile(guid) else None
            if parent is not None and parent not in self._split:
                raise InputError("This minitile's tile is not split: split the tile first.")
        self._touch()
        changed = set()
        for guid in guids:
            if selected and guid not in self._selected:
                self._selected[guid] = None
                changed.add(guid)
            elif not selected and guid in self._selected:
                del self._selected[guid]
                changed.add(guid)
        return changed

    def split(self, tile_guid: str, minitile_guids: Sequence[str]) -> set[str]:
        """Show a tile as its minitiles: all selected iff the tile was selected."""
        if self.store.is_minitile(tile_guid):
            raise InputError("Only a tile can be split into minitiles.")
        self._check_zone(tile_guid)
        if tile_guid in self._split:
            return set()
        if not minitile_guids:
            raise InputError(f"The provider returned no minitiles for tile {tile_guid}.")
        for guid in minitile_guids:
            if guid not in self.store:
                raise KeyError(guid)  # the caller must add the minitiles to the store first
        self._split_unchecked(tile_guid, tuple(minitile_guids))
        return {tile_guid, *minitile_guids}

    def _split_unchecked(self, tile_guid: str, minitile_guids: tuple[str, ...]) -> None:
        self._touch()
        was_selected = tile_guid in self._selected
        self._selected.pop(tile_guid, None)
        self._split[tile_guid] = minitile_guids
        if was_selected:
            self._selected.update(dict.fromkeys(minitile_guids))

    def merge(self, tile_guid: str) -> set[str]:
        """Merge a split tile back: selected iff any of its minitiles was."""
        minis = self._split.get(tile_guid)
        if minis is None:
            return set()
        self._check_zone(tile_guid)
        self._touch()
        any_selected = any(g in self._selected for g in minis)
        for guid in minis:
            self._selected.pop(guid, None)
        del self._split[tile_guid]
        if any_selected:
            self._selected[tile_guid] = None
        return {tile_guid, *minis}

    def set_zone_enabled(self, epsg: int, enabled: bool) -> bool:
        """Switch a zone on or off; returns True if that changed anything."""
        if enabled == (epsg not in self._disabled):
            return False
        self._touch()
        if enabled:
            self._disabled.discard(epsg)
        else:
            self._disabled.add(epsg)
        return True

    def clear(self) -> set[str]:
        """Unselect everything and merge every split tile. Zone switches stay."""
        self._touch()
        changed = set(self._selected)
        for tile, minis in self._split.items():
            changed.add(tile)
            changed.update(minis)
        self._selected.clear()
        self._split.clear()
        return changed

    def reset(self) -> None:
        """Back to nothing selected, nothing split, every zone on (a new project)."""
        self._touch()
        self._selected.clear()
        self._split.clear()
        self._disabled.clear()

    def apply_cover(self, result: CoverResult, minitiles: Mapping[str, Sequence[str]]) -> set[str]:
        """Add an AOI cover to the selection.

        Tile level: its tiles are selected (a tile that is split has all its minitiles
        selected instead). Minitile level: their tiles are split first (keeping their
        state), then the minitiles are selected. ``minitiles`` maps each tile involved to
        its minitile GUIDs (from the cache). Cells of switched-off zones are skipped.
        """
        self._touch()
        changed: set[str] = set()
        if result.level is CellLevel.TILE:
            for guid in result.guids:
                if self.store.epsg(guid) in self._disabled:
                    continue
                if guid in self._split:
                    changed |= self.set_selected(self._split[guid])
                elif guid not in self._selected:
                    self._selected[guid] = None
                    changed.add(guid)
            return changed
        # minitiles: walk them tile by tile (tens of thousands for a country)
        picked = set(result.guids)
        placed: set[str] = set()
        selected = self._selected
        for tile, minis in minitiles.items():
            chosen = [g for g in minis if g in picked]
            if not chosen:
                continue
            placed.update(chosen)
            if tile not in self.store or self.store.epsg(tile) in self._disabled:
                continue
            if tile not in self._split:  # the cover's own minitiles: known to be in the store
                self._split_unchecked(tile, tuple(minis))
                changed.add(tile)
                changed.update(minis)
            fresh = [g for g in chosen if g not in selected]
            selected.update(dict.fromkeys(fresh))
            changed.update(fresh)
        for guid in picked - placed:  # a minitile whose tile was not listed
            if self.store.epsg(guid) in self._disabled:
                continue
            parent = self.store.parent(guid)
            if parent is not None and parent not in self._split:
                raise InputError(f"The minitiles of tile {parent} are not known: fetch them first.")
            if guid not in selected:
                selected[guid] = None
                changed.add(guid)
        return changed

    # -- persistence ------------------------------------------------------------------
    def to_payload(self) -> dict[str, Any]:
        pinned = self.pinned()
        cells = [self.store.cell(g) for g in self.store if g in pinned]
        return {
            "version": FORMAT_VERSION,
            "provider": self.provider,
            "cells": [[c.guid, "m" if c.level is CellLevel.MINITILE else "t", c.epsg, c.parent, c.wkt] for c in cells],
            "selected": list(self._selected),
            "split": {tile: list(minis) for tile, minis in self._split.items()},
            "disabled": sorted(self._disabled),
        }

    def dumps(self) -> str:
        """The selection as one line of text (compressed JSON) for a project entry."""
        raw = json.dumps(self.to_payload(), separators=(",", ":")).encode("utf-8")
        return _PREFIX + base64.b64encode(zlib.compress(raw, 6)).decode("ascii")

    def load_payload(self, payload: Mapping[str, Any]) -> int:
        """Replace the selection with a saved one; returns how many cells were restored.

        Cells are added to the store. Entries that cannot be read are skipped and logged;
        a payload that is not a selection at all raises :class:`StorageError`.
        """
        if not isinstance(payload, Mapping) or payload.get("version") != FORMAT_VERSION:
            raise StorageError("The saved tile selection has an unknown format; it was left untouched.")
        cells: list[GridCell] = []
        skipped = 0
        for entry in payload.get("cells") or []:
            try:
                guid, level, epsg, parent, wkt = entry
                cells.append(
                    GridCell(
                        guid=str(guid),
                        level=CellLevel.MINITILE if level == "m" else CellLevel.TILE,
                        epsg=int(epsg),
                        wkt=str(wkt),
                        parent=None if parent is None else str(parent),
                    )
                )
            except (TypeError, ValueError):
                skipped += 1
        if cells:
            self.store.add_cells(cells)
        self._touch()
        self._selected.clear()
        self._split.clear()
        split = payload.get("split") or {}
        for tile, minis in split.items() if isinstance(split, Mapping) else ():
            known = tuple(str(g) for g in minis if str(g) in self.store)
            if str(tile) in self.store and known:
                self._split[str(tile)] = known
        for guid in payload.get("selected") or []:
            if str(guid) in self.store and str(guid) not in self._split:
                self._selected[str(guid)] = None
            else:
                skipped += 1
        self._disabled = {int(e) for e in payload.get("disabled") or [] if isinstance(e, int)}
        if skipped:
            LOGGER.warning("Restored the tile selection without %d unreadable entries.", skipped)
        return len(self._selected)

    def loads(self, text: str) -> int:
        return self.load_payload(decode(text))


def decode(text: str) -> dict[str, Any]:
    """The payload inside :meth:`GridSelection.dumps` text; :class:`StorageError` if unreadable."""
    try:
        if text.startswith(_PREFIX):
            raw = zlib.decompress(base64.b64decode(text[len(_PREFIX) :], validate=True))
        else:
            raw = text.encode("utf-8")
        payload = json.loads(raw)
    except (binascii.Error, zlib.error, ValueError) as exc:
        raise StorageError("The saved tile selection cannot be read; it was left untouched.", details=str(exc)) from exc
    if not isinstance(payload, dict):
        raise StorageError("The saved tile selection cannot be read; it was left untouched.")
    return payload
