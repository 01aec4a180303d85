"""Helpers for features added to layers in bulk, shared by the layers Nadir fills while
a worker thread runs Python (the search's footprints, the tile grid).

QGIS's Python bindings release Python's lock (GIL) in every call into QGIS, even one that
only reads a feature's id. While another thread runs Python, the GUI thread then waits up
to a switch interval (``sys.getswitchinterval()``, 5 ms) to get the lock back after each
such call, so a loop of calls over 1,000 features stalls the map for seconds. Code on the
GUI thread makes a handful of calls per batch, not one per feature."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class _HasId(Protocol):
    def id(self) -> int: ...


def added_ids(added: Sequence[_HasId]) -> Sequence[int]:
    """The ids a provider gave the features of one ``addFeatures`` call, read from two
    features instead of all of them: a provider numbers the features of one call in
    order, so when the first and last are ``n - 1`` apart, the ids are the ``n`` between
    them (otherwise each is read)."""
    if not added:
        return ()
    first, last = added[0].id(), added[-1].id()
    if last - first == len(added) - 1:
        return range(first, last + 1)
    return [feature.id() for feature in added]
