"""mypy --strict on core/ and providers/, imported as the installed package ``nadir``."""

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
sys.exit(subprocess.call(args, cwd=parent, env=env))
