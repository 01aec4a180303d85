"""Build the installable plugin zip: dist/nadir-<version>.zip with top folder ``nadir``.

An allow-list, not a deny-list: only the plugin's own folders and files go in, never
tests, sandbox, bench, scripts, caches, virtualenvs or VCS data.
"""

from __future__ import annotations

import configparser
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import i18n  # scripts/i18n.py, next to this file

ROOT = Path(__file__).resolve().parent.parent
TOP = "nadir"
INCLUDE_DIRS = ("core", "providers", "ui", "tasks", "toolbelt", "processing", "resources")
INCLUDE_FILES = ("metadata.txt", "LICENSE", "README.md", "__init__.py", "plugin.py", "requirements/plugin.txt")
SKIP_SUFFIXES = (".pyc", ".pyo", ".ts", ".ts~", ".orig", ".rej", ".part")  # .ts: its .qm is built and shipped
SKIP_PARTS = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
MAX_BYTES = 25 * 1024 * 1024


def plugin_files() -> list[Path]:
    files = [ROOT / name for name in INCLUDE_FILES]
    for folder in INCLUDE_DIRS:
        files += sorted(
            p
            for p in (ROOT / folder).rglob("*")
            if p.is_file()
            and not SKIP_PARTS & set(p.parts)
            and not p.name.endswith(SKIP_SUFFIXES)
            and not p.name.startswith(".")
        )
    return files


def build(dest_dir: Path = ROOT / "dist") -> Path:
    meta = configparser.ConfigParser(interpolation=None)
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    version = meta["general"]["version"]
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / f"{TOP}-{version}.zip"
    tmp = target.with_suffix(".zip.part")
    i18n.build()  # the .qm files are not in git: lrelease them from the .ts first
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in plugin_files():
            zf.write(path, f"{TOP}/{path.relative_to(ROOT).as_posix()}")
    tmp.replace(target)
    size = target.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"{target} is {size / 1e6:.1f} MB, over the 25 MB limit")
    return target


if __name__ == "__main__":
    path = build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist")
    print(f"{path} ({path.stat().st_size / 1024:.0f} KiB)")
