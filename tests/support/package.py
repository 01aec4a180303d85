"""Make the repository importable as the installed package ``nadir``.

The repository root *is* the plugin folder; QGIS imports it as ``nadir``. Tests do the
same through a symlink ``.cache/pkg/nadir -> <repo>``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def package_parent() -> Path:
    parent = ROOT / ".cache" / "pkg"
    link = parent / "nadir"
    parent.mkdir(parents=True, exist_ok=True)
    # relative, so it also resolves inside the LTS chroot where the repo is /nadir
    target = Path("..") / ".."
    if not (link.is_symlink() and Path(link.readlink()) == target):
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target, target_is_directory=True)
    return parent


def ensure_importable() -> None:
    parent = str(package_parent())
    if parent not in sys.path:
        sys.path.insert(0, parent)
