"""Load shapely's compiled modules so they use their own GEOS, not QGIS's (Linux).

The QGIS executables (``qgis``, ``qgis_process``) link the system's GEOS, so its
``GEOS*`` symbols sit in the process's global symbol scope. A shapely wheel bundles
its own, newer GEOS under a renamed file but with the same symbol names; loaded the
usual way, shapely's extension modules bind part of their GEOS calls to QGIS's copy,
and mixing the two versions crashes QGIS (a segmentation fault on the first geometry
freed; seen with QGIS 3.22's GEOS 3.11 and shapely 2.1.2's GEOS 3.13). Plain
``python3`` with ``import qgis.core`` does not show it, because there QGIS's libraries
are loaded locally.

:func:`isolate_geos` installs an import hook that loads every ``shapely.*`` extension
module with ``RTLD_DEEPBIND``: each then looks up symbols in its own dependencies (the
bundled GEOS) before the global scope. A shapely built against the system's GEOS
resolves to that same library either way. Standard library only, and cheap: shapely is
not imported here, only when Nadir first needs it. :func:`remove_hook` takes the hook out
again when the plugin unloads.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Optional

PACKAGES = ("shapely",)


class _DeepBindLoader(importlib.machinery.ExtensionFileLoader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Optional[ModuleType]:  # type: ignore[override]
        flags = sys.getdlopenflags()
        sys.setdlopenflags(os.RTLD_NOW | os.RTLD_LOCAL | os.RTLD_DEEPBIND)
        try:
            return super().create_module(spec)
        finally:
            sys.setdlopenflags(flags)


class DeepBindFinder(importlib.abc.MetaPathFinder):
    """Finds ``shapely.*`` extension modules and loads them with ``RTLD_DEEPBIND``."""

    def find_spec(
        self, fullname: str, path: Optional[Sequence[str]], target: Optional[ModuleType] = None
    ) -> Optional[importlib.machinery.ModuleSpec]:
        if fullname.split(".")[0] not in PACKAGES or "." not in fullname:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and type(spec.loader) is importlib.machinery.ExtensionFileLoader:
            spec.loader = _DeepBindLoader(spec.loader.name, spec.loader.path)
        return spec


def _is_hook(finder: object) -> bool:
    # By name, not isinstance: a plugin reload imports this module again, and the hook
    # left by the previous copy is an instance of the previous class.
    return type(finder).__name__ == DeepBindFinder.__name__ and type(finder).__module__ == __name__


def isolate_geos() -> bool:
    """Install the hook once (Linux only); True if it is installed."""
    if not hasattr(os, "RTLD_DEEPBIND") or not hasattr(sys, "setdlopenflags"):
        return False
    if any(_is_hook(finder) for finder in sys.meta_path):
        return True
    sys.meta_path.insert(0, DeepBindFinder())
    return True


def remove_hook() -> None:
    """Take the hook out of ``sys.meta_path`` (plugin unload). Modules it already loaded stay."""
    sys.meta_path[:] = [finder for finder in sys.meta_path if not _is_hook(finder)]
