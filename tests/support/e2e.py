"""Drive a real QGIS desktop under Xvfb (the e2e tier).

``Desktop`` creates a fresh QGIS profile with Nadir linked into
``python/plugins/nadir`` and enabled, then runs a Python script inside the real QGIS
application with ``qgis --code``. The script uses :mod:`support.e2e_inside` to wait for
conditions, take screenshots (saved under ``tests/e2e/artifacts/``) and report a JSON
result, which :meth:`Desktop.run` returns. QGIS sees the virtualenv's packages (httpx,
pydantic, shapely) through ``PYTHONPATH``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .package import ROOT

ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
SUPPORT = Path(__file__).resolve().parent


def qgis_binary() -> str:
    for candidate in ("qgis", "qgis.bin"):
        path = shutil.which(candidate)
        if path:
            return path
    raise RuntimeError("QGIS desktop (package 'qgis') is not installed")


class Xvfb:
    """A private X server; ``display`` is ':N'."""

    def __init__(self, width: int = 1600, height: int = 1000) -> None:
        read_fd, write_fd = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.process.kill()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class RunResult:
    returncode: int
    result: dict[str, Any]
    log: str

    def __getitem__(self, key: str) -> Any:
        return self.result[key]


def venv_site_packages() -> str:
    return sysconfig.get_paths()["purelib"]


def write_profile_settings(ini: Path, extra: dict[str, dict[str, Any]] | None = None) -> None:
    """Minimal QGIS3.ini: Nadir enabled, first-run noise off."""
    sections: dict[str, dict[str, Any]] = {
        "PythonPlugins": {"nadir": "true"},
        "qgis": {
            "checkVersion": "false",
            "showTips": "false",
            "allowVersionCheck": "false",
            "projOpenBehavior": "useProject",
            "crsTransformPrompt": "false",
            "newProjectDefault": "false",
            "showtips322": "false",
            "showtips340": "false",
        },
        "core": {"NewsFeed\\httpsfeedqgisorg\\disabled": "true"},
        "app": {"NewsFeed\\httpsfeedqgisorg\\disabled": "true"},
    }
    for name, values in (extra or {}).items():
        sections.setdefault(name, {}).update(values)
    lines = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        lines += [f"{key}={value}" for key, value in values.items()]
        lines.append("")
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text("\n".join(lines), encoding="utf-8")


class Desktop:
    """A fresh QGIS profile under ``base`` with Nadir enabled, on an Xvfb display."""

    def __init__(self, base: Path, display: str, profile: str = "e2e", link_plugin: bool = True) -> None:
        self.base = base
        self.display = display
        self.profile = profile
        self.profile_dir = base / "profiles" / profile
        plugins = self.profile_dir / "python" / "plugins"
        plugins.mkdir(parents=True, exist_ok=True)
        if link_plugin and not (plugins / "nadir").exists():
            (plugins / "nadir").symlink_to(ROOT, target_is_directory=True)
        self.ini = self.profile_dir / "QGIS" / "QGIS3.ini"
        if not self.ini.exists():
            write_profile_settings(self.ini)

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("QGIS_", "QT_QPA")) and key not in ("PYTHONPATH", "PYTHONHOME")
        }
        env.update(
            DISPLAY=self.display,
            PYTHONPATH=os.pathsep.join([venv_site_packages(), str(SUPPORT.parent)]),
            NADIR_E2E_ARTIFACTS=str(ARTIFACTS),
            QT_LOGGING_RULES="*.debug=false",
            LC_ALL="C.UTF-8",
            LANG="C.UTF-8",
        )
        env.update(extra or {})
        return env

    def run(
        self,
        script: str,
        name: str,
        timeout: float = 180,
        env: dict[str, str] | None = None,
        project: Path | None = None,
    ) -> RunResult:
        """Run ``script`` (Python source) inside QGIS; return its reported result."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        result_path = self.base / f"{name}.result.json"
        result_path.unlink(missing_ok=True)
        script_path = self.base / f"{name}.py"
        prelude = textwrap.dedent(
            f"""
            import sys
            sys.path.insert(0, {str(SUPPORT.parent)!r})
            from support import e2e_inside as e2e
            e2e.start({str(result_path)!r}, {name!r})
            """
        )
        body = textwrap.dedent(script)
        script_path.write_text(
            prelude
            + "\ntry:\n"
            + textwrap.indent(body, "    ")
            + "\nexcept BaseException as _exc:\n    e2e.fail(_exc)\ne2e.finish()\n",
            encoding="utf-8",
        )
        args = [
            qgis_binary(),
            "--profiles-path",
            str(self.base),
            "--profile",
            self.profile,
            "--nologo",
            "--noversioncheck",
            "--code",
            str(script_path),
        ]
        if project is not None:
            args += ["--project", str(project)]
        log_path = self.base / f"{name}.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                args, env=self.env(env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            deadline = time.monotonic() + timeout
            while process.poll() is None and time.monotonic() < deadline:
                if result_path.exists() and _complete(result_path):
                    break
                time.sleep(0.2)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log_text = log_path.read_text(encoding="utf-8", errors="replace")
        if not result_path.exists():
            raise AssertionError(
                f"QGIS gave no result within {timeout}s (rc={process.returncode}).\n{log_text[-6000:]}"
            )
        result = json.loads(result_path.read_text(encoding="utf-8"))
        if result.get("error"):
            raise AssertionError(f"script failed inside QGIS:\n{result['error']}\n--- QGIS log ---\n{log_text[-4000:]}")
        return RunResult(process.returncode or 0, result, log_text)


def _complete(path: Path) -> bool:
    try:
        return bool(json.loads(path.read_text(encoding="utf-8")).get("finished"))
    except (OSError, ValueError):
        return False


def python_for_tools() -> str:
    return sys.executable


@dataclass
class DemoProfile:
    """The ``make run`` profile (``scripts/make_demo.py``): plugin enabled, connections
    to a sandbox with the demo credentials in the profile's auth database, and the demo
    project (world_map.gpkg basemap in EPSG:3857)."""

    desktop: Desktop
    runs: Path
    project: Path
    env: dict[str, str]


def demo_profile(base: Path, display: str, sandbox_url: str) -> DemoProfile:
    runs = base / "runs"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_demo.py"), str(runs), sandbox_url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"make_demo.py failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    desktop = Desktop(runs, display, profile="nadir-demo")
    env = {"QGIS_AUTH_PASSWORD_FILE": str(runs / "master-password")}
    return DemoProfile(desktop, runs, runs / "demo.qgz", env)
