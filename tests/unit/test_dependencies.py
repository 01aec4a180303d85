"""Dependency detection without importing the packages."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from nadir.toolbelt import dependencies as deps


def make_distribution(site: Path, name: str, version: str) -> None:
    package = site / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(f"__version__ = {version!r}\n")
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")


def test_everything_present_in_the_dev_environment():
    assert deps.missing_dependencies() == []


def test_absent_and_too_old_packages_are_reported(tmp_path):
    make_distribution(tmp_path, "fakeold", "1.10.4")
    required = {"fakeold": ("fakeold", (2, 5)), "fakeabsent": ("fakeabsent", (1, 0))}
    missing = deps.missing_dependencies(required, search_path=[str(tmp_path)])
    by_name = {m.name: m for m in missing}
    assert by_name["fakeabsent"].found_version is None
    assert "not installed" in by_name["fakeabsent"].describe()
    assert by_name["fakeold"].found_version == "1.10.4"
    assert "too old" in by_name["fakeold"].describe() and "2.5" in by_name["fakeold"].describe()


def test_hidden_real_dependency_is_missing(monkeypatch):
    """The real packages are not found on a path without site-packages, even if imported before."""
    stdlib_only = [p for p in sys.path if "site-packages" not in p and "dist-packages" not in p]
    for name in [m for m in sys.modules if m.split(".")[0] in ("httpx", "pydantic", "shapely")]:
        monkeypatch.delitem(sys.modules, name)
    names = [m.name for m in deps.missing_dependencies(search_path=stdlib_only)]
    assert names == ["httpx", "pydantic", "shapely", "fastjsonschema"]


def test_requirement_modules_and_pins_are_consistent():
    modules = deps.requirements_modules(deps.REQUIREMENTS_FILE)
    assert modules == ["httpx", "pydantic", "shapely", "fastjsonschema"] == list(deps.REQUIRED)


def test_private_dir_is_per_profile_and_python(tmp_path):
    folder = deps.private_dir(tmp_path)
    assert folder.parent == tmp_path / "nadir"
    assert folder.name == f"python{sys.version_info.major}.{sys.version_info.minor}"


def test_private_dir_is_appended_never_first(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))
    folder = tmp_path / "site"
    folder.mkdir()
    deps.ensure_private_path(folder)
    assert sys.path[-1] == str(folder)
    assert sys.path.index(str(folder)) > 0


def build_wheel(wheelhouse: Path, name: str, version: str) -> Path:
    wheel = wheelhouse / f"{name}-{version}-py3-none-any.whl"
    info = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(f"{name}/__init__.py", f"__version__ = {version!r}\n")
        zf.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        zf.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        zf.writestr(f"{info}/RECORD", "")
    return wheel


def test_install_puts_packages_in_the_private_folder_only(tmp_path, monkeypatch):
    wheelhouse = tmp_path / "wheels"
    wheelhouse.mkdir()
    build_wheel(wheelhouse, "nadirprobe", "1.2.3")
    requirements = tmp_path / "req.txt"
    requirements.write_text("nadirprobe==1.2.3\n")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(wheelhouse))
    target = tmp_path / "profile" / "nadir" / "python3"
    result = deps.install(target, requirements, timeout=300)
    assert result.ok, result.output
    assert (target / "nadirprobe" / "__init__.py").exists()
    site_packages = [p for p in sys.path if p.endswith("site-packages")]
    assert not any((Path(p) / "nadirprobe").exists() for p in site_packages)


def test_install_reports_a_package_that_cannot_be_found(tmp_path, monkeypatch):
    requirements = tmp_path / "req.txt"
    requirements.write_text("nadir-does-not-exist==9.9\n")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path))
    result = deps.install(tmp_path / "target", requirements, timeout=300)
    assert not result.ok
    assert "nadir-does-not-exist" in result.output


def test_too_old_system_copies_are_served_from_the_private_folder(tmp_path, monkeypatch):
    from nadir.toolbelt import private_first

    system, private = tmp_path / "system", tmp_path / "private"
    make_distribution(system, "fakeold", "1.8.5")
    make_distribution(private, "fakeold", "2.1.2")
    make_distribution(private, "fakecompanion", "2.0")
    make_distribution(system, "fakecompanion", "0.9")
    monkeypatch.setattr(sys, "path", [str(system), *sys.path, str(private)])  # the private folder comes last
    required = {"fakeold": ("fakeold", (2, 0))}
    missing = deps.missing_dependencies(required)
    assert [(m.name, m.found_version) for m in missing] == [("fakeold", "1.8.5")]
    companions = {"fakeold": ("fakecompanion", "fakeabsent")}
    # what the installer's check will serve from the private folder, as the next start does
    assert deps.private_first_names(private, sys.path, required, companions) == ["fakeold", "fakecompanion"]
    try:
        still = deps.prefer_private(missing, private, required, companions)
        assert still == []
        import fakecompanion
        import fakeold

        assert (fakeold.__version__, fakecompanion.__version__) == ("2.1.2", "2.0")
    finally:
        private_first.remove()
        for name in ("fakeold", "fakecompanion"):
            sys.modules.pop(name, None)
    assert not [f for f in sys.meta_path if private_first.is_private_first(f)]


def test_an_old_copy_already_imported_is_a_conflict_not_an_install(tmp_path, monkeypatch):
    system, private = tmp_path / "system", tmp_path / "private"
    make_distribution(system, "fakeloaded", "1.0")
    make_distribution(private, "fakeloaded", "3.0")
    monkeypatch.setattr(sys, "path", [str(system), *sys.path, str(private)])
    required = {"fakeloaded": ("fakeloaded", (2, 0))}
    import fakeloaded  # another plugin was first

    try:
        missing = deps.missing_dependencies(required)
        still = deps.prefer_private(missing, private, required, {})
        assert len(still) == 1 and still[0].conflict
        text = still[0].describe()
        assert "already loaded" in text and str(system / "fakeloaded") in text and "python3-fakeloaded" in text
        assert fakeloaded.__version__ == "1.0"
    finally:
        sys.modules.pop("fakeloaded", None)


def test_without_a_good_private_copy_the_package_stays_missing(tmp_path, monkeypatch):
    system, private = tmp_path / "system", tmp_path / "private"
    make_distribution(system, "fakestale", "1.0")
    private.mkdir()
    monkeypatch.setattr(sys, "path", [str(system), *sys.path, str(private)])
    required = {"fakestale": ("fakestale", (2, 0))}
    missing = deps.missing_dependencies(required)
    assert deps.prefer_private(missing, private, required, {}) == missing and not missing[0].conflict
