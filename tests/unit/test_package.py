"""`make package` builds an installable zip; open it and check what is inside."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile

from support.package import ROOT


def test_package_zip(tmp_path):
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "package.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    zips = list(tmp_path.glob("nadir-*.zip"))
    assert len(zips) == 1, out.stdout
    archive = zips[0]
    assert archive.stat().st_size < 25 * 1024 * 1024
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert zf.testzip() is None
        meta = configparser.ConfigParser(interpolation=None)
        meta.read_string(zf.read("nadir/metadata.txt").decode())
    assert {n.split("/")[0] for n in names} == {"nadir"}
    for required in (
        "nadir/__init__.py",
        "nadir/plugin.py",
        "nadir/metadata.txt",
        "nadir/LICENSE",
        "nadir/core/errors.py",
        "nadir/resources/icons/nadir.svg",
        "nadir/requirements/plugin.txt",
        "nadir/resources/i18n/nadir_de.qm",
    ):  # built by lrelease, not in git
        assert required in names, required
    for forbidden in (
        "/tests/",
        "/sandbox/",
        "/bench/",
        "/scripts/",
        "/.git",
        "__pycache__",
        ".pyc",
        "/.venv",
        "/.cache/",
        "node_modules",
        "/.run/",
        "Makefile",
    ):
        assert not [n for n in names if forbidden in n], forbidden
    general = meta["general"]
    assert general["name"] == "Nadir"
    assert general["qgisMinimumVersion"] == "3.22" and general["qgisMaximumVersion"] == "4.99"
    assert general["category"] == "Web" and general["hasProcessingProvider"] == "yes"
    assert f"nadir/{general['icon']}" in names
    for key in ("description", "about", "version", "author", "email", "tags", "repository", "tracker"):
        assert general.get(key), key
    for dependency in ("httpx", "pydantic", "shapely"):
        assert dependency in general["about"]
