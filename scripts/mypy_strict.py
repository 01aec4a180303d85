"""mypy --strict on core/ and providers/, then mypy (not strict: Qt and QGIS are untyped) on
the Qt side, ui/, toolbelt/, tasks/, processing/ and plugin.py; imported as the installed
package ``nadir``. Exits non-zero if either pass finds a problem."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.package import package_parent  # noqa: E402

parent = package_parent()
packages = [f"nadir.{name}" for name in ("core", "providers") if (ROOT / name / "__init__.py").exists()]
args = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml")]
args += ["--cache-dir", str(ROOT / ".cache" / "mypy")]
for package in packages:
    args += ["-p", package]
env = {"MYPYPATH": str(parent), "PATH": "/usr/bin:/bin"}
strict = subprocess.call(args, cwd=parent, env=env)
qt_side = [
    sys.executable,
    "-m",
    "mypy",
    "--config-file",
    str(ROOT / "scripts" / "mypy_qt.toml"),
    "--cache-dir",
    str(ROOT / ".cache" / "mypy-qt"),
]
for name in ("ui", "toolbelt", "tasks", "processing"):
    if (ROOT / name / "__init__.py").exists():
        qt_side += ["-p", f"nadir.{name}"]
qt_side += ["-m", "nadir.plugin"]
sys.exit(strict or subprocess.call(qt_side, cwd=parent, env=env))
