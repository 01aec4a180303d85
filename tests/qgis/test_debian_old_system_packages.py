"""Older system copies of Nadir's dependencies (issue 17, item 5).

Debian bookworm ships python3-shapely 1.8, python3-httpx 0.23 and python3-pydantic 1.10
(with python3-httpcore 0.16 and python3-typing-extensions 4.4) in a folder that comes
before Nadir's private folder on ``sys.path``. Here a throwaway virtualenv on
``/usr/bin/python3`` (seeing QGIS's bindings) gets exactly those versions as its
"system" packages, from their wheels, and a QGIS profile whose private folder holds
Nadir's pinned versions. In a fresh QGIS interpreter:

- Nadir starts for real (not the stand-in), core and the providers import the new
  versions from the private folder, while numpy and QGIS keep theirs;
- when another plugin imported the old shapely before Nadir, Nadir does not crash: its
  stand-in says which package was loaded from where and what to do, without offering
  an install that could not help.

The old wheels come from PyPI with ``pip download`` into ``.cache/old-system-wheels``
(kept there, per Python version); offline and without them the test skips and says which
files it needs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

from support.package import ROOT, package_parent

OLD = ["shapely==1.8.5.post1", "pydantic==1.10.27", "httpx==0.23.3", "httpcore==0.16.3", "typing_extensions==4.4.0"]
WHEELS = ROOT / ".cache" / "old-system-wheels" / f"py{sys.version_info.major}.{sys.version_info.minor}"
# what the plugin's installer puts in the private folder (pinned in requirements/plugin.txt)
PRIVATE = (
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "sniffio",
    "idna",
    "certifi",
    "pydantic",
    "pydantic_core",
    "typing_extensions",
    "typing_inspection",
    "annotated_types",
    "shapely",
)


def _wheels() -> list[Path]:
    found = sorted(WHEELS.glob("*.whl"))
    if len(found) < len(OLD):
        WHEELS.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--disable-pip-version-check",
                "-d",
                str(WHEELS),
                *OLD,
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        found = sorted(WHEELS.glob("*.whl"))
        if done.returncode != 0 or len(found) < len(OLD):
            pytest.skip(
                f"needs the wheels of {', '.join(OLD)} in {WHEELS} (pip download failed, offline?): "
                + (done.stderr.strip().splitlines() or ["no output"])[-1]
            )
    return found


def _private_folder(folder: Path) -> Path:
    """Nadir's private folder as its installer leaves it: the pinned packages and their metadata."""
    site = Path(sysconfig.get_paths()["purelib"])
    folder.mkdir(parents=True)
    for entry in site.iterdir():
        stem = entry.name.split("-")[0].removesuffix(".py").removesuffix(".libs")
        if stem.lower() in PRIVATE and (entry.is_dir() or entry.suffix == ".py"):
            (folder / entry.name).symlink_to(entry)
    return folder


@pytest.fixture(scope="module")
def debian_like(tmp_path_factory):
    if not Path("/usr/bin/python3").exists():
        pytest.skip("needs /usr/bin/python3 (the interpreter QGIS's bindings are built for)")
    wheels = _wheels()
    base = tmp_path_factory.mktemp("debian-like")
    venv = base / "venv"
    subprocess.run(
        ["/usr/bin/python3", "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
        check=True,
        timeout=120,
    )
    system = base / "system-dist-packages"
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(system)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "debian-system.pth").write_text(f"{system}\n")  # before the private folder, as dist-packages
    return {"python": python, "private": _private_folder(base / "private"), "system": system}


INNER = """
import json, sys
from pathlib import Path
mode, package_parent, private = sys.argv[1:4]
from qgis.core import QgsApplication, QgsGeometry
app = QgsApplication([], True)
app.initQgis()
from qgis.gui import QgsMapCanvas, QgsMessageBar
from qgis.PyQt.QtWidgets import QMainWindow, QMenu, QPushButton


class Iface:
    # the parts of QgisInterface Nadir uses; the rest accepts calls and does nothing

    def __init__(self):
        self.window = QMainWindow()
        self.canvas, self.bar, self.help = QgsMapCanvas(self.window), QgsMessageBar(self.window), QMenu(self.window)

    def mainWindow(self):
        return self.window

    def mapCanvas(self):
        return self.canvas

    def messageBar(self):
        return self.bar

    def pluginHelpMenu(self):
        return self.help

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


iface = Iface()
sys.path.insert(0, package_parent)
from nadir.toolbelt.dependencies import private_dir
target = private_dir()
target.parent.mkdir(parents=True, exist_ok=True)
target.symlink_to(private, target_is_directory=True)

def where(module):
    return [getattr(module, "__version__", "?"), module.__file__]

out = {}
if mode == "late":  # another plugin imported the old shapely before Nadir
    import shapely
    out["before"] = where(shapely)
import nadir
plugin = nadir.classFactory(iface)
out["plugin"] = type(plugin).__name__
plugin.initGui()
if out["plugin"] == "StandInPlugin":
    out["summary"] = plugin.summary
    out["buttons"] = [b.text() for item in iface.messageBar().items() for b in item.findChildren(QPushButton)]
else:
    plugin.activate()
    from nadir.core.aoi import build as aoi_build
    from nadir.core import models
    from nadir.providers.http import session as provider_http
    import httpx, httpcore, numpy, pydantic, pydantic_core, shapely, typing_extensions
    out["modules"] = {m.__name__: where(m) for m in (httpx, httpcore, pydantic, pydantic_core, shapely,
                                                      typing_extensions, numpy)}
    out["core"] = [aoi_build.__name__, models.__name__, provider_http.__name__]
    out["shapely_works"] = shapely.box(0, 0, 2, 1).area
    out["qgis_works"] = QgsGeometry.fromWkt("POLYGON((0 0, 2 0, 2 1, 0 1, 0 0))").area()
    out["features"] = [type(f).__name__ for f in plugin.features]
plugin.unload()
out["finders_after_unload"] = [type(f).__name__ for f in sys.meta_path if "Nadir" in repr(f) or "Private" in type(f).__name__]
print("RESULT " + json.dumps(out), flush=True)
"""


def run(env_paths, mode, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path / "config"),
            "NADIR_DATA_DIR": str(tmp_path / "data"),
            "XDG_RUNTIME_DIR": str(tmp_path),
        }
    )
    done = subprocess.run(
        [
            str(env_paths["python"]),
            "-c",
            textwrap.dedent(INNER),
            mode,
            str(package_parent()),
            str(env_paths["private"]),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        cwd=tmp_path,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert done.returncode == 0 and line, done.stdout[-3000:] + done.stderr[-4000:]
    return json.loads(line[len("RESULT ") :])


def test_nadir_starts_with_its_own_copies_over_older_system_ones(debian_like, tmp_path):
    out = run(debian_like, "fresh", tmp_path)
    assert out["plugin"] == "NadirPlugin", out
    modules = out["modules"]
    private = str(tmp_path / "config" / "profiles" / "default" / "nadir" / "python3.")  # the profile's folder
    for name, minimum in (("shapely", (2, 0)), ("httpx", (0, 27)), ("pydantic", (2, 5))):
        version, path = modules[name]
        assert tuple(int(p) for p in version.split(".")[:2]) >= minimum, (name, modules[name])
        assert path.startswith(private), (name, path)
    for companion in ("httpcore", "pydantic_core", "typing_extensions"):  # versions bound to the packages above
        assert modules[companion][1].startswith(private), (companion, modules[companion])
    assert modules["numpy"][1].startswith("/usr/lib/python3/dist-packages/"), modules["numpy"]  # QGIS's numpy
    assert out["shapely_works"] == 2.0 and out["qgis_works"] == 2.0
    assert "OrdersFeature" in out["features"]
    assert out["finders_after_unload"] == []


def test_an_old_copy_loaded_by_another_plugin_is_explained_not_a_crash(debian_like, tmp_path):
    out = run(debian_like, "late", tmp_path)
    assert out["before"][0].startswith("1.8"), out
    assert out["plugin"] == "StandInPlugin", out
    summary = out["summary"]
    assert "shapely 1.8" in summary and "already loaded" in summary and str(debian_like["system"]) in summary
    assert "python3-shapely" in summary, summary
    assert "Install" not in out["buttons"]  # installing again cannot help in this session
