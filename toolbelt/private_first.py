"""Load chosen packages from Nadir's private folder ahead of older system copies.

Debian bookworm ships python3-shapely 1.8, python3-httpx 0.23 and python3-pydantic 1.10
in ``/usr/lib/python3/dist-packages``, which comes before Nadir's private folder on
``sys.path`` (the folder is appended so it never shadows QGIS's own libraries). Without
help the old copies always win, and Nadir stays a stand-in however often it installs.

:class:`PrivateFirstFinder` serves a fixed set of *top-level* names (the packages that
are too old, and the companions whose versions must match them, such as pydantic_core or
httpcore) from the private folder; everything else, numpy and QGIS's own libraries above
all, still comes from the system. Submodules follow their package's ``__path__``, so they
need no help. Nothing is imported here: the packages load when first used, as before.

Consequence, by Python's one-module-per-name rule: once such a package is imported, every
plugin in this QGIS gets Nadir's newer copy. A package another plugin imported *before*
Nadir cannot be replaced; :mod:`toolbelt.dependencies` reports that case instead.

Standard library only and no relative imports: the installer's check loads this file by
path in a child Python.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import Optional


class PrivateFirstFinder(importlib.abc.MetaPathFinder):
    def __init__(self, folder: str, names: Iterable[str]) -> None:
        self.folder = str(folder)
        self.names = frozenset(names)

    def find_spec(
        self, fullname: str, path: Optional[Sequence[str]], target: Optional[ModuleType] = None
    ) -> Optional[importlib.machinery.ModuleSpec]:
        if "." in fullname or fullname not in self.names:
            return None
        return importlib.machinery.PathFinder.find_spec(fullname, [self.folder])

    def __repr__(self) -> str:
        return f"PrivateFirstFinder({self.folder!r}, {sorted(self.names)!r})"


def is_private_first(finder: object) -> bool:
    # by name: a plugin reload imports this module again, with a new class
    return type(finder).__name__ == PrivateFirstFinder.__name__


def install(folder: str, names: Iterable[str]) -> PrivateFirstFinder:
    """Put a finder for ``names`` first on ``sys.meta_path`` (replacing an earlier one)."""
    remove()
    finder = PrivateFirstFinder(folder, names)
    sys.meta_path.insert(0, finder)
    return finder


def remove() -> None:
    sys.meta_path[:] = [finder for finder in sys.meta_path if not is_private_first(finder)]
