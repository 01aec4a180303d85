"""Check Nadir's Python dependencies and install missing ones into a private folder.

Imported by ``classFactory`` before anything else, so it uses only the standard library
at import time (QGIS is imported lazily inside the functions that need it).

The private folder lives in the QGIS profile (``<profile>/nadir/python3.X``) and is
*appended* to ``sys.path``: packages QGIS already ships always win, and a bundled copy
never shadows QGIS's own libraries. The one exception is a system copy too old for Nadir
(Debian bookworm: python3-shapely 1.8, python3-httpx 0.23, python3-pydantic 1.10): then
:func:`prefer_private` serves that package and its companions (not numpy, not QGIS's
libraries) from the private folder, see :mod:`toolbelt.private_first`; if another plugin
already imported the old copy, it explains the conflict instead.
"""

from __future__ import annotations

import importlib.machinery
import os
import re
import subprocess  # runs pip and a probe with QGIS's own Python, no shell  # nosec B404
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .identity import PLUGIN_DIR

#: import name -> (distribution name, minimum version). Keep in step with
#: requirements/plugin.txt, which holds the exact pins the installer uses.
REQUIRED: Mapping[str, tuple[str, tuple[int, ...]]] = {
    "httpx": ("httpx", (0, 27)),
    "pydantic": ("pydantic", (2, 5)),
    "shapely": ("shapely", (2, 0)),
    "fastjsonschema": ("fastjsonschema", (2, 16)),
}

#: Top-level packages installed with a required one whose versions must match it: taken
#: from the private folder together with it when its system copy is too old.
COMPANIONS: Mapping[str, tuple[str, ...]] = {
    "httpx": ("httpcore", "h11", "anyio", "sniffio"),
    "pydantic": ("pydantic_core", "typing_extensions", "annotated_types", "typing_inspection"),
    "shapely": (),
    "fastjsonschema": (),
}

REQUIREMENTS_FILE = PLUGIN_DIR / "requirements" / "plugin.txt"

_VERSION_RE = re.compile(r"^(\d+(?:\.\d+)*)")


@dataclass(frozen=True)
class MissingDependency:
    name: str
    found_version: str | None
    required: str
    location: str | None = None
    conflict: str | None = None  # why installing again would not help (set by prefer_private)

    def describe(self) -> str:
        if self.conflict:
            return self.conflict
        if self.found_version is None:
            return f"{self.name} (not installed; {self.required} or newer needed)"
        where = f" at {self.location}" if self.location else ""
        return f"{self.name} {self.found_version}{where} is too old ({self.required} or newer needed)"


def parse_version(text: str) -> tuple[int, ...]:
    match = _VERSION_RE.match(text.strip())
    if not match:
        return ()
    return tuple(int(part) for part in match.group(1).split("."))


def _installed_version(
    name: str, dist: str, search_path: Sequence[str], use_loaded: bool = True
) -> tuple[str, str] | None:
    """Version and location of the copy of ``name`` that ``import`` would load, or None.

    An already imported module answers only for the real ``sys.path`` (``use_loaded``):
    with another search path, what is loaded says nothing about what that path holds.
    """
    module = sys.modules.get(name) if use_loaded else None
    if module is not None:
        version = getattr(module, "__version__", None) or getattr(module, "VERSION", None)
        location = str(Path(getattr(module, "__file__", "") or "").parent)
        if version is not None:
            return str(version), location
    spec = importlib.machinery.PathFinder.find_spec(name, list(search_path))
    if spec is None or spec.origin is None:
        return None
    package_dir = Path(spec.origin).parent
    entry = package_dir.parent if spec.submodule_search_locations else package_dir
    version = _metadata_version(entry, dist)
    # Found but without metadata (vendored copy): trust it is importable.
    return (version or "0"), str(entry)


def _metadata_version(entry: Path, dist: str) -> str | None:
    """Version from ``<dist>-<version>.dist-info`` / ``.egg-info`` in ``entry``.

    Reads folder names instead of importing importlib.metadata, which alone costs
    ~45 ms at QGIS start-up.
    """
    wanted = re.sub(r"[-_.]+", "_", dist).lower()
    try:
        names = os.listdir(entry)
    except OSError:
        return None
    for name in names:
        stem, dot, suffix = name.rpartition(".")
        if not dot or suffix not in ("dist-info", "egg-info"):
            continue
        project, _, version = stem.partition("-")
        if re.sub(r"[-_.]+", "_", project).lower() == wanted and version:
            return version.split("-")[0]
    return None


def missing_dependencies(
    required: Mapping[str, tuple[str, tuple[int, ...]]] = REQUIRED,
    search_path: Sequence[str] | None = None,
) -> list[MissingDependency]:
    """Dependencies that are absent or too old, without importing them."""
    path = list(sys.path if search_path is None else search_path)
    missing: list[MissingDependency] = []
    for name, (dist, minimum) in required.items():
        wanted = ".".join(str(part) for part in minimum)
        found = _installed_version(name, dist, path, use_loaded=search_path is None)
        if found is None:
            missing.append(MissingDependency(name, None, wanted))
        elif found[0] != "0" and parse_version(found[0]) < minimum:
            missing.append(MissingDependency(name, found[0], wanted, found[1]))
    return missing


def _loaded_elsewhere(name: str, folder: Path) -> str | None:
    """Where ``name`` was imported from, if it was imported and not from ``folder``."""
    module = sys.modules.get(name)
    if module is None:
        return None
    where = Path(getattr(module, "__file__", "") or "")
    try:
        where.resolve().relative_to(folder.resolve())
        return None
    except ValueError:
        return str(where.parent if where.name == "__init__.py" else where)


def prefer_private(
    missing: Sequence[MissingDependency],
    folder: Path | None,
    required: Mapping[str, tuple[str, tuple[int, ...]]] = REQUIRED,
    companions: Mapping[str, tuple[str, ...]] = COMPANIONS,
) -> list[MissingDependency]:
    """Serve packages whose system copy is too old from the private folder, when it has
    good copies and nobody imported the old ones yet. Returns what is still missing;
    an entry with ``conflict`` set cannot be fixed by installing (another plugin or QGIS
    already imported the old copy in this session)."""
    if folder is None or not folder.is_dir():
        return list(missing)
    from . import private_first

    still: list[MissingDependency] = []
    names: set[str] = set()
    for item in missing:
        good = item.found_version is not None and not missing_dependencies(
            {item.name: required[item.name]}, search_path=[str(folder)]
        )
        if not good:
            still.append(item)  # absent, or the private folder has no good copy: install
            continue
        clashes = []
        for name in (item.name, *companions.get(item.name, ())):
            private = _installed_version(name, name, [str(folder)], use_loaded=False)
            if private is None:
                continue  # not in the private folder: the system's copy is the one to use
            where = _loaded_elsewhere(name, folder)
            if where is not None:
                clashes.append(f"{name} from {where}")
            names.add(name)
        if clashes:
            still.append(
                MissingDependency(
                    item.name,
                    item.found_version,
                    item.required,
                    item.location,
                    conflict=(
                        f"{item.name} {item.found_version} (at {item.location}) is too old; Nadir's own copy in "
                        f"{folder} cannot be used because QGIS or another plugin already loaded "
                        f"{', '.join(clashes)} before Nadir. Disable the plugin that uses it and restart QGIS, "
                        f"or upgrade or remove the system package (on Debian: python3-{item.name})."
                    ),
                )
            )
    if names and not any(m.conflict for m in still):
        private_first.install(str(folder), sorted(names))
    return still


def private_dir(profile_dir: str | os.PathLike[str] | None = None) -> Path:
    """Plugin-private site folder for this QGIS profile and this Python version."""
    if profile_dir is None:
        from qgis.core import QgsApplication

        profile_dir = QgsApplication.qgisSettingsDirPath()
    tag = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return Path(profile_dir) / "nadir" / tag


def ensure_private_path(folder: Path | None = None) -> Path | None:
    """Append the private folder to ``sys.path`` (never first) if it exists."""
    try:
        folder = folder or private_dir()
    except ImportError:  # outside QGIS: nothing to add
        return None
    if folder.is_dir() and str(folder) not in sys.path:
        sys.path.append(str(folder))
    return folder


def python_executable() -> str:
    """The Python interpreter QGIS runs (sys.executable is QGIS itself on Windows/macOS)."""
    exe = Path(sys.executable)
    if exe.name.lower().startswith("python"):
        return str(exe)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    prefix = Path(sys.exec_prefix)
    for candidate in (
        prefix / "python.exe",
        prefix / "python3.exe",
        prefix / "bin" / f"python{version}",
        prefix / "bin" / "python3",
    ):
        if candidate.exists():
            return str(candidate)
    raise FileNotFoundError(
        f"Could not find the Python interpreter QGIS uses (looked in {prefix}). "
        "Install httpx, pydantic, shapely and fastjsonschema with your QGIS's own Python."
    )


def install_command(target: Path, requirements: Path = REQUIREMENTS_FILE) -> list[str]:
    return [
        python_executable(),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--upgrade",
        "--target",
        str(target),
        "-r",
        str(requirements),
    ]


@dataclass(frozen=True)
class InstallResult:
    ok: bool
    target: Path
    output: str


DEFAULT_INDEX = "https://pypi.org/simple/"
# requests (in pip) lets an environment proxy win over --proxy, so QGIS's choice replaces them all.
_PROXY_VARIABLES = (
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "PIP_PROXY",
)


def pip_proxy_environment(index_url: str | None = None, resolver: object | None = None) -> dict[str, str]:
    """Environment variables that make pip use the proxy QGIS would use for the package index.

    GUI thread (reads QGIS's proxy settings, the auth database and the proxy factories of
    other plugins). A proxy goes in ``PIP_PROXY`` (pip's ``--proxy``, kept off the command
    line so its credentials show in no process list or log); "no proxy" empties it and
    sets ``NO_PROXY=*`` so an environment proxy is not used either, as QGIS would not.
    """
    from .proxy import PROXY, ProxyResolver

    url = index_url or os.environ.get("PIP_INDEX_URL") or DEFAULT_INDEX
    route = (resolver if isinstance(resolver, ProxyResolver) else ProxyResolver()).resolve(url)
    if route.kind == PROXY:
        return {"PIP_PROXY": route.with_credentials()}
    return {"PIP_PROXY": "", "NO_PROXY": "*", "no_proxy": "*"}


def _pip_environment(proxy_env: Mapping[str, str] | None) -> dict[str, str] | None:
    if proxy_env is None:
        return None  # pip inherits QGIS's environment
    env = {k: v for k, v in os.environ.items() if k not in _PROXY_VARIABLES}
    env.update(proxy_env)
    return env


def _without(output: str, proxy_env: Mapping[str, str] | None) -> str:
    """pip's output without the proxy's credentials (pip masks them too; this is certain)."""
    proxy = (proxy_env or {}).get("PIP_PROXY", "")
    if "@" in proxy:
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(proxy)
        for secret in {proxy, parts.password or "", unquote(parts.password or "")} - {""}:
            output = output.replace(secret, "***")
    return output


def install(
    target: Path,
    requirements: Path = REQUIREMENTS_FILE,
    timeout: float = 900,
    proxy_env: Mapping[str, str] | None = None,
) -> InstallResult:
    """Run pip with QGIS's own Python into ``target``. Blocking: call it from a task.

    ``proxy_env``: from :func:`pip_proxy_environment`, computed on the GUI thread."""
    target.mkdir(parents=True, exist_ok=True)
    command = install_command(target, requirements)
    try:
        completed = subprocess.run(  # fixed argument list, no shell  # noqa: S603  # nosec B603
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=_pip_environment(proxy_env),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return InstallResult(False, target, _without(f"Could not run pip: {exc}", proxy_env))
    output = _without((completed.stdout or "") + (completed.stderr or ""), proxy_env)
    if completed.returncode != 0:
        if "No module named pip" in output:
            output = (
                "QGIS's Python has no pip. On Debian/Ubuntu run `sudo apt install python3-pip`, "
                "then try again.\n\n" + output
            )
        return InstallResult(False, target, output)
    problem = verify_import(target, requirements_modules(requirements), private_first_names(target))
    if problem:
        return InstallResult(False, target, problem + "\n\n" + output)
    return InstallResult(True, target, output)


def requirements_modules(requirements: Path) -> list[str]:
    """Import names of the distributions pinned in a requirements file."""
    names = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(re.split(r"[=<>!~\[; ]", line, maxsplit=1)[0].replace("-", "_"))
    return names


def private_first_names(
    target: Path,
    path: Sequence[str] | None = None,
    required: Mapping[str, tuple[str, tuple[int, ...]]] = REQUIRED,
    companions: Mapping[str, tuple[str, ...]] = COMPANIONS,
) -> list[str]:
    """The packages :func:`prefer_private` will serve from ``target`` at the next start:
    those whose copy on ``path`` is too old while ``target`` has a good one, with their
    companions found in ``target``. Imports nothing."""
    search = [p for p in (sys.path if path is None else path) if Path(p) != target]
    names: list[str] = []
    for item in missing_dependencies(required, search_path=search):
        if item.found_version is None or missing_dependencies(
            {item.name: required[item.name]}, search_path=[str(target)]
        ):
            continue
        names += [
            n
            for n in (item.name, *companions.get(item.name, ()))
            if _installed_version(n, n, [str(target)], use_loaded=False) is not None
        ]
    return names


def verify_import(target: Path, modules: Sequence[str], private_first: Sequence[str] = (), timeout: float = 120) -> str:
    """Import ``modules`` in a child Python with ``target`` appended to its path, and the
    ``private_first`` packages served from it as at Nadir's start (:func:`prefer_private`).

    Returns an empty string when they import, else a message naming the conflict
    (for example a system package too old for a freshly installed one).
    """
    finder = Path(__file__).with_name("private_first.py")
    code = (
        "import sys, importlib, importlib.util\n"
        f"sys.path.append({str(target)!r})\n"
        f"if {list(private_first)!r}:\n"
        f"    spec = importlib.util.spec_from_file_location('nadir_private_first', {str(finder)!r})\n"
        "    module = importlib.util.module_from_spec(spec)\n"
        "    spec.loader.exec_module(module)\n"
        f"    module.install({str(target)!r}, {list(private_first)!r})\n"
        f"for name in {list(modules)!r}:\n"
        "    importlib.import_module(name)\n"
    )
    try:
        completed = subprocess.run(  # fixed argument list, no shell  # noqa: S603  # nosec B603
            [python_executable(), "-c", code],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"Could not check the installed packages: {exc}"
    if completed.returncode == 0:
        return ""
    last = (completed.stderr.strip().splitlines() or ["unknown error"])[-1]
    return (
        "The packages were installed but do not import next to the packages QGIS already "
        f"has: {last}. A package installed system-wide is probably too old; upgrade it "
        "with your system's package manager."
    )
