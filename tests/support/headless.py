"""A QGIS profile for headless ``qgis_process`` runs: Nadir enabled, the ClearSKY
connection pointing at a sandbox, its key in the profile's auth database behind a master
password handed over with ``QGIS_AUTH_PASSWORD_FILE``.

The profile is written by a child Python process (a QgsApplication on that profile), so
the calling test's own QGIS settings and auth database are left alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path
from typing import Any

from .e2e import venv_site_packages, write_profile_settings
from .package import ROOT, package_parent

SETUP = """
import os, sys
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QSettings
profile, ini, password, url, key = sys.argv[1:6]
QgsApplication.setOrganizationName("QGIS")
QgsApplication.setApplicationName("QGIS3")
app = QgsApplication([], False, profile)
app.initQgis()
from nadir.toolbelt import settings as st
from nadir.toolbelt.auth import store_basic
manager = QgsApplication.authManager()
assert manager.setMasterPassword(password, True)
authcfg = store_basic("Nadir headless ClearSKY", "", key)
qs = QgsSettings(ini, QSettings.Format.IniFormat)
settings = st.load(qs).with_connection(st.ProviderConnection("clearsky", True, {"api": url}, authcfg))
st.save(settings, qs)
app.exitQgis()
"""


def site_packages() -> str:
    return sysconfig.get_paths()["purelib"]


def clean_environment() -> dict[str, str]:
    """This process's environment without QGIS's own variables (a test session may point
    them at its own settings and auth database)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("QGIS_", "QT_QPA")) and k != "PYTHONPATH"}


def store_connection(
    profile: Path, clearsky_url: str, key: str = "clearsky-sandbox-key", password: str = "headless-master-password"
) -> Path:
    """Put the ClearSKY connection and its key (auth database) into an existing profile
    folder; returns the master password file for ``QGIS_AUTH_PASSWORD_FILE``."""
    ini = profile / "QGIS" / "QGIS3.ini"
    password_file = profile.parent.parent / "master-password"
    password_file.write_text(password + "\n", encoding="utf-8")
    password_file.chmod(0o600)
    env = {
        **clean_environment(),
        "QT_QPA_PLATFORM": "offscreen",
        "QGIS_AUTH_DB_DIR_PATH": str(profile),
        "PYTHONPATH": os.pathsep.join([str(package_parent()), site_packages()]),
    }
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SETUP), str(profile), str(ini), password, clearsky_url, key],
        env=env,
        cwd=str(profile),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"profile set-up failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return password_file


def make_profile(base: Path, clearsky_url: str, key: str = "clearsky-sandbox-key") -> dict[str, str]:
    """Create ``base/profiles/default``; returns the environment for qgis_process."""
    profile = base / "profiles" / "default"
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    link = plugins / "nadir"
    if not link.exists():
        link.symlink_to(ROOT, target_is_directory=True)
    write_profile_settings(profile / "QGIS" / "QGIS3.ini")
    password_file = store_connection(profile, clearsky_url, key)
    return {
        **clean_environment(),
        "QGIS_CUSTOM_CONFIG_PATH": str(base),
        "QGIS_AUTH_DB_DIR_PATH": str(profile),
        "QGIS_AUTH_PASSWORD_FILE": str(password_file),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": site_packages(),
        "NADIR_DATA_DIR": str(base / "nadir-data"),
    }


def qgis_process(env: dict[str, str], algorithm: str, **parameters: Any) -> tuple[int, dict[str, Any], str]:
    """Run ``qgis_process.bin run algorithm --json``; returns (exit code, JSON result, stderr)."""
    args = ["qgis_process.bin", "run", algorithm, "--json", "--"]
    args += [f"{name}={value}" for name, value in parameters.items()]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    try:
        result = json.loads(done.stdout[done.stdout.index("{") :]) if "{" in done.stdout else {}
    except ValueError:
        result = {}
    return done.returncode, result, done.stderr + done.stdout


def qgis_process_in_profile(base: Path, password: Path, *args: str, timeout: float = 240) -> tuple[int, Any, str]:
    """Run ``qgis_process.bin --json *args`` with the profile folder ``base`` (settings and
    auth database unlocked by the ``password`` file); returns (exit code, JSON answer, stdout
    and stderr). Fails the test when no JSON comes back."""
    import shutil

    binary = shutil.which("qgis_process.bin") or shutil.which("qgis_process")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QGIS_") and k != "PYTHONPATH"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QGIS_CUSTOM_CONFIG_PATH=str(base),
        QGIS_AUTH_PASSWORD_FILE=str(password),
        PYTHONPATH=venv_site_packages(),
    )
    done = subprocess.run(
        [str(binary), "--json", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    start = done.stdout.find("{")
    assert start >= 0, (
        f"no JSON from qgis_process (rc {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.returncode, json.loads(done.stdout[start:]), done.stdout + done.stderr
