"""Connect a QGIS profile to a running sandbox, as ``make run``'s demo profile is.

One Basic authentication configuration per provider holding the sandbox's demo
credentials (read from ``/_sandbox/health``), and Nadir connections whose URLs point at
the sandbox. Used by ``scripts/make_demo.py`` (in its own QGIS process), by the e2e
tier and by the headless Processing tests (through :func:`prepare_profile`, which runs
the same code in a fresh offscreen process on the profile to prepare).

    python -m support.sandbox_profile <profile-dir> <sandbox-url> <master-password-file> [poll-seconds]
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any, Optional

SUPPORT = Path(__file__).resolve().parent


def sandbox_accounts(url: str) -> dict[str, dict[str, Any]]:
    with urllib.request.urlopen(f"{url}/_sandbox/health", timeout=10) as response:
        return dict(json.loads(response.read())["providers"])


def demo_credentials(account: dict[str, Any]) -> Optional[tuple[str, str]]:
    """(user name, secret) of a provider's first demo account as ``/_sandbox/health`` lists it.

    The stand-ins describe their accounts in their provider's terms: API keys (a mapping
    with a ``default`` key), or users with passwords (UP42, and Geopera, whose API keys,
    listed with their scopes, cannot place archive orders, seed 003), or, without users,
    a list of scoped keys of which the first that may place orders is taken.
    """
    keys = account.get("api_keys")
    if isinstance(keys, dict) and keys.get("default"):
        return "", str(keys["default"])
    users = account.get("users")
    if isinstance(users, list) and users:
        return str(users[0]["username"]), str(users[0]["password"])
    if isinstance(keys, list) and keys:
        writers = [k for k in keys if isinstance(k, dict) and "orders:write" in k.get("scopes", [])] or keys
        first = writers[0]
        return str(account.get("client_id") or ""), str(first["key"] if isinstance(first, dict) else first)
    demo = account.get("demo")
    if isinstance(demo, dict) and demo.get("secret"):
        return str(demo.get("username", "")), str(demo["secret"])
    return None


def sandbox_urls(provider_id: str, roles: list[str], account: dict[str, Any], sandbox_url: str) -> dict[str, str]:
    """URL of each role: ``/<provider>`` for the API, ``/<provider>-<role>`` for the others
    (the layout in ``sandbox/__init__.py``), when the sandbox serves that prefix."""
    if isinstance(account.get("urls"), dict):  # an explicit role -> prefix mapping
        return {role: sandbox_url + prefix for role, prefix in account["urls"].items() if role in roles}
    prefixes = set(account.get("prefixes") or [])
    urls = {}
    for role in roles:
        prefix = f"/{provider_id}" if role == "api" else f"/{provider_id}-{role}"
        if not prefixes or prefix in prefixes:
            urls[role] = sandbox_url + prefix
    return urls


def master_password_file(path: Path) -> Path:
    """A random master password for a test or demo profile, kept in ``path`` (mode 600)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path


def connect(
    ini: Path, sandbox_url: str, poll_interval_s: Optional[int] = None, download_folder: Optional[str] = None
) -> Any:
    """Store the demo credentials and save Nadir's connections to the sandbox in ``ini``.

    Runs inside a QgsApplication whose auth database is unlocked (master password set).
    Existing auth configs of the profile are reused. Returns the saved settings.
    """
    from qgis.core import QgsApplication, QgsSettings
    from qgis.PyQt.QtCore import QSettings

    from nadir.core.provider_info import PROVIDERS
    from nadir.toolbelt import settings as st
    from nadir.toolbelt.auth import store_basic

    manager = QgsApplication.authManager()
    accounts = sandbox_accounts(sandbox_url)
    settings = st.load(QgsSettings(str(ini), QSettings.Format.IniFormat))
    for provider_id, info in PROVIDERS.items():
        account = accounts.get(provider_id)
        if account is None:  # this sandbox has no stand-in for it: leave the connection alone
            continue
        credentials = demo_credentials(account)
        urls = sandbox_urls(provider_id, [role.key for role in info.url_roles], account, sandbox_url)
        authcfg = settings.connection(provider_id).authcfg
        if credentials and not (authcfg and manager.configIds().count(authcfg)):
            authcfg = store_basic(f"Nadir demo: {info.title} (sandbox)", *credentials)
        settings = settings.with_connection(st.ProviderConnection(provider_id, True, urls, authcfg or ""))
    changes: dict[str, Any] = {}
    if poll_interval_s is not None:
        changes["poll_interval_s"] = poll_interval_s
    if download_folder is not None:
        changes["download_folder"] = download_folder
    settings = dataclasses.replace(settings, **changes)
    st.save(settings, QgsSettings(str(ini), QSettings.Format.IniFormat))
    return settings


def open_profile(profile: Path, password_file: Path) -> Any:
    """An offscreen QgsApplication on ``profile`` with its auth database unlocked."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # the profile's own qgis-auth.db, where qgis and qgis_process look for it: QGIS 3.40 no
    # longer derives it from the profile folder given to QgsApplication
    os.environ["QGIS_AUTH_DB_DIR_PATH"] = str(profile)
    from qgis.core import QgsApplication

    QgsApplication.setOrganizationName("QGIS")
    QgsApplication.setApplicationName("QGIS3")
    app = QgsApplication([], False, str(profile))
    app.initQgis()
    if not QgsApplication.authManager().setMasterPassword(password_file.read_text(encoding="utf-8").strip(), True):
        raise SystemExit(f"could not set the master password of {profile}")
    return app


def prepare_profile(
    profile: Path, sandbox_url: str, password_file: Path, poll_interval_s: int = 10, timeout: float = 120
) -> None:
    """Connect ``profile`` (a folder with ``QGIS/QGIS3.ini``) to the sandbox, in a new process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QGIS_")}
    env["PYTHONPATH"] = os.pathsep.join([str(SUPPORT.parent), env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "support.sandbox_profile",
            str(profile),
            sandbox_url,
            str(password_file),
            str(poll_interval_s),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"preparing {profile} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def main(argv: list[str]) -> None:
    profile, url, password = Path(argv[0]).resolve(), argv[1].rstrip("/"), Path(argv[2])
    sys.path.insert(0, str(SUPPORT.parent))
    from support.package import ensure_importable

    app = open_profile(profile, password)
    ensure_importable()
    connect(profile / "QGIS" / "QGIS3.ini", url, poll_interval_s=int(argv[3]) if len(argv) > 3 else None)
    app.exitQgis()


if __name__ == "__main__":
    main(sys.argv[1:])
