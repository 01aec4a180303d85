"""Prepare `make run`: a QGIS profile with Nadir enabled and connected to the sandbox,
and a demo project with QGIS's own world_map.gpkg as an offline basemap.

    python scripts/make_demo.py <runs-dir> <sandbox-url>

Writes <runs-dir>/profiles/nadir-demo (plugin linked, QGIS3.ini, auth database with one
Basic config per provider holding the sandbox's demo credentials, Nadir connections
pointing at the sandbox) and <runs-dir>/demo.qgz. The auth database is protected by a
random master password kept in <runs-dir>/master-password (git-ignored), which
`make run` hands to QGIS through QGIS_AUTH_PASSWORD_FILE.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.e2e import write_profile_settings  # noqa: E402
from support.package import ensure_importable  # noqa: E402

WORLD = "/usr/share/qgis/resources/data/world_map.gpkg"
PROFILE = "nadir-demo"


def sandbox_accounts(url: str) -> dict[str, dict]:
    with urllib.request.urlopen(f"{url}/_sandbox/health", timeout=10) as response:
        return json.loads(response.read())["providers"]


def demo_credentials(account: dict) -> dict:
    """The demo credential of a provider in the sandbox's health report: a ``demo``
    entry; else an API key (``api_keys``: the ``default`` of a mapping, the first of a
    list); else the first of ``users`` (user name and password)."""
    if account.get("demo"):
        return account["demo"]
    keys = account.get("api_keys")
    if isinstance(keys, dict) and keys.get("default"):
        return {"secret": keys["default"]}
    if isinstance(keys, list) and keys:
        first = keys[0]
        return {"secret": first["key"] if isinstance(first, dict) else str(first)}
    users = account.get("users")
    if isinstance(users, list) and users:
        return {"username": users[0].get("username", ""), "secret": users[0].get("password", "")}
    return {}


def url_prefixes(provider_id: str, account: dict, roles: list[str]) -> dict[str, str]:
    """URL role -> path prefix: the ``urls`` entry, or the ``prefixes`` list (``/<id>`` is
    the API, ``/<id>-<role>`` another role)."""
    if account.get("urls"):
        return dict(account["urls"])
    prefixes = account.get("prefixes") or []
    result = {}
    for role in roles:
        wanted = f"/{provider_id}" if role == "api" else f"/{provider_id}-{role}"
        if wanted in prefixes:
            result[role] = wanted
    return result


def main(runs: Path, sandbox_url: str) -> None:
    runs.mkdir(parents=True, exist_ok=True)
    profile = runs / "profiles" / PROFILE
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    link = plugins / "nadir"
    if not link.exists():
        link.symlink_to(ROOT, target_is_directory=True)
    ini = profile / "QGIS" / "QGIS3.ini"
    if not ini.exists():
        write_profile_settings(ini)
    password_file = runs / "master-password"
    if not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(24) + "\n", encoding="utf-8")
        password_file.chmod(0o600)

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from qgis.core import QgsApplication, QgsSettings
    from qgis.PyQt.QtCore import QSettings

    QgsApplication.setOrganizationName("QGIS")
    QgsApplication.setApplicationName("QGIS3")
    app = QgsApplication([], False, str(profile))
    app.initQgis()
    ensure_importable()
    from nadir.core.provider_info import PROVIDERS
    from nadir.toolbelt import settings as st
    from nadir.toolbelt.auth import store_basic

    manager = QgsApplication.authManager()
    if not manager.setMasterPassword(password_file.read_text(encoding="utf-8").strip(), True):
        raise SystemExit("could not set the demo profile's master password")
    accounts = sandbox_accounts(sandbox_url)
    settings = st.load(QgsSettings(str(ini), QSettings.Format.IniFormat))
    for provider_id, info in PROVIDERS.items():
        account = accounts.get(provider_id, {})
        demo = demo_credentials(account)
        roles = [role.key for role in info.url_roles]
        urls = {role: f"{sandbox_url}{prefix}" for role, prefix in url_prefixes(provider_id, account, roles).items()}
        authcfg = settings.connection(provider_id).authcfg
        if demo and not (authcfg and manager.configIds().count(authcfg)):
            authcfg = store_basic(f"Nadir demo: {info.title} (sandbox)", demo.get("username", ""), demo["secret"])
        settings = settings.with_connection(st.ProviderConnection(provider_id, True, urls, authcfg or ""))
    settings = st.Settings(**{**settings.__dict__, "poll_interval_s": 10, "download_folder": str(runs / "downloads")})
    st.save(settings, QgsSettings(str(ini), QSettings.Format.IniFormat))
    make_project(runs / "demo.qgz")
    app.exitQgis()


def make_project(path: Path) -> None:
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsProject,
        QgsRectangle,
        QgsReferencedRectangle,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtGui import QColor

    if path.exists():
        return
    project = QgsProject.instance()
    project.clear()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    project.setBackgroundColor(QColor("#a6cee3"))
    for name, fill, outline in (("countries", "#f2efe9", "#9a9a9a"), ("states_provinces", None, "#c8c8c8")):
        layer = QgsVectorLayer(f"{WORLD}|layername={name}", name.replace("_", " ").title(), "ogr")
        if not layer.isValid():
            raise SystemExit(f"cannot open {WORLD} layer {name}")
        symbol = layer.renderer().symbol()
        if fill:
            symbol.setColor(QColor(fill))
        else:
            symbol.symbolLayer(0).setBrushStyle(0)  # Qt.NoBrush
        symbol.symbolLayer(0).setStrokeColor(QColor(outline))
        symbol.symbolLayer(0).setStrokeWidth(0.2)
        if name == "states_provinces":
            layer.setMaximumScale(1.0)
            layer.setMinimumScale(20_000_000.0)
            layer.setScaleBasedVisibility(True)
        project.addMapLayer(layer)
    extent = QgsReferencedRectangle(QgsRectangle(-1_500_000, 4_200_000, 3_500_000, 8_300_000), project.crs())
    project.viewSettings().setDefaultViewExtent(extent)  # Europe
    project.setTitle("Nadir demo (offline basemap: Natural Earth from QGIS's world_map.gpkg)")
    if not project.write(str(path)):
        raise SystemExit(f"could not write {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), sys.argv[2].rstrip("/"))
