"""Prism (``@stoplight/prism-cli``, pinned in package.json) serving a provider's own
OpenAPI spec on loopback, for contract tests: every request an adapter builds is sent
to it and must pass Prism's request validation.

    with run_prism(spec_path("oneatlas-ll")) as prism:
        prism.url                       # http://127.0.0.1:PORT
        prism.violations                # validation problems Prism reported, per request
        prism.assert_clean()

Reusable for any spec: ``run_prism(Path)`` takes a file; :func:`spec_path` knows the
provider specs in ``shared/contracts`` (Geopera ``openapi.json``, the STAC item-search
spec, the OneAtlas specs normalised first: path keys trimmed, missing leading ``/``
added, the key with a query string dropped, read as Latin-1) and writes normalised
copies under ``.cache/prism``.

Prism reports violations as 422 (or the spec's 400) with a JSON body listing them, or,
when it could still answer, in the ``sl-violations`` header; a transport hook on the
httpx client records both (:meth:`Prism.client`).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.package import ROOT

PRISM = ROOT / "node_modules" / ".bin" / "prism"
CACHE = ROOT / ".cache" / "prism"

SPECS = {
    "geopera": "geopera/openapi.json",
    "stac-item-search": "stac-api/v1.0.0/item-search/openapi.yaml",
    "oneatlas-ll": "oneatlas/oneatlas-data-living-library-openapi.yml",
    "oneatlas-ppo": "oneatlas/oneatlas-data-pay-per-order-api-openapi.yml",
}


#: Where provider specs are looked for, file by file: the shared contracts folder, then the
#: copies the sandbox vendored (Geopera and STAC), which travel with the repository (e.g.
#: into the QGIS 3.40 chroot, where /work/shared is not mounted).
CONTRACT_DIRS = (
    ROOT / "shared" / "contracts",
    ROOT.parent / "shared" / "contracts",
    Path("/work/shared/contracts"),
    ROOT / "sandbox" / "contract_data",
)


def contracts_dir() -> Path:
    for candidate in CONTRACT_DIRS[:3]:
        if candidate.exists():
            return candidate
    pytest.skip("shared/contracts is not available next to the repository")
    raise AssertionError  # unreachable


def contract_file(relative: str) -> Path:
    """The first copy of ``relative`` in :data:`CONTRACT_DIRS`; skips the test if none."""
    for candidate in CONTRACT_DIRS:
        if (candidate / relative).exists():
            return candidate / relative
    pytest.skip(f"{relative} is not available (shared/contracts or sandbox/contract_data)")
    raise AssertionError  # unreachable


def normalise_paths(spec: dict[str, Any], keep_spaced: tuple[str, ...] = ()) -> dict[str, Any]:
    """Trim path keys, add the leading ``/``, drop keys with a query string. On a clash
    the clean key wins, except for the spaced keys listed in ``keep_spaced`` (CONTRACTS.md
    6.1: the Pay-Per-Order ``' /api/v1/orders'`` is the real "Place an Order")."""
    paths: dict[str, Any] = {}
    for raw_key, item in spec.get("paths", {}).items():
        key = raw_key.strip()
        if "?" in key:
            continue
        if not key.startswith("/"):
            key = "/" + key
        if key in paths:
            preferred = raw_key in keep_spaced
            merged = {**paths[key], **item} if preferred else {**item, **paths[key]}
            paths[key] = merged
        else:
            paths[key] = item
    spec["paths"] = paths
    return spec


def strip_schema_ids(node: Any) -> Any:
    """Drop draft-06 ``$schema`` and URL ``id`` keywords embedded in the OneAtlas schemas:
    with them Prism's validator silently skips the whole body schema."""
    if isinstance(node, dict):
        return {
            k: strip_schema_ids(v)
            for k, v in node.items()
            if not (k == "$schema" or (k == "id" and isinstance(v, str) and "://" in v))
        }
    if isinstance(node, list):
        return [strip_schema_ids(v) for v in node]
    return node


def products_as_array(spec: dict[str, Any]) -> None:
    """The one repair the orders/prices body schema needs: ``products`` is written as an
    object schema while the guide, the spec's own examples and the answers all carry an
    array of products (validated as written, no array could ever pass)."""
    for path in ("/api/v1/prices", "/api/v1/orders"):
        operation = spec["paths"].get(path, {}).get("post")
        if not operation:
            continue
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        for branch in schema.get("oneOf", [schema]):
            products = branch.get("properties", {}).get("products")
            if isinstance(products, dict) and products.get("type") != "array":
                products.pop("type", None)
                branch["properties"]["products"] = {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "object", **products},
                }


def utm_zone_patterns(node: Any) -> Any:
    """Second repair: the ``crsCode`` patterns ``326[01-60]``/``327[01-60]`` are one-character
    classes (EPSG::3260-3266); the guide's table means UTM zones 01-60."""
    if isinstance(node, dict):
        return {
            k: (
                v.replace("[01-60]", "(0[1-9]|[1-5][0-9]|60)")
                if k == "pattern" and isinstance(v, str)
                else utm_zone_patterns(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [utm_zone_patterns(v) for v in node]
    return node


def spec_path(name: str) -> Path:
    """The spec to serve for ``name`` (normalised into .cache/prism when needed)."""
    source = contract_file(SPECS[name])
    if not name.startswith("oneatlas"):
        return source
    import yaml

    target = CACHE / f"{name}.json"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    text = source.read_bytes().decode("latin-1")
    spec = yaml.safe_load(text)
    spec = normalise_paths(spec, keep_spaced=(" /api/v1/orders",) if name == "oneatlas-ppo" else ())
    spec = strip_schema_ids(spec)
    if name == "oneatlas-ll":
        products_as_array(spec)
        spec = utm_zone_patterns(spec)
    CACHE.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(spec), encoding="utf-8")
    return target


@dataclass
class Prism:
    url: str
    violations: list[dict[str, Any]] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)

    def _record(self, response: httpx.Response) -> None:
        request = response.request
        where = f"{request.method} {request.url.path}"
        self.seen.append(where)
        header = response.headers.get("sl-violations")
        problems: list[Any] = []
        if header:
            problems = json.loads(header)
        elif response.status_code in (400, 422) and "problem" in response.headers.get("content-type", ""):
            response.read()
            body = response.json()
            problems = body.get("validation") or [body]
        errors = [
            p
            for p in problems
            if str(p.get("severity", "Error")).lower() in ("error", "0")
            and (p.get("location") or ["request"])[0] != "response"
        ]
        if errors:
            self.violations.append({"request": where, "violations": errors})

    def client(self) -> httpx.Client:
        """An httpx client that records Prism's verdict on every request."""
        return httpx.Client(timeout=30.0, event_hooks={"response": [self._record]})

    def assert_clean(self) -> None:
        assert self.seen, "no request reached Prism"
        assert not self.violations, json.dumps(self.violations, indent=1)[:4000]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prism_available() -> bool:
    return PRISM.exists() and shutil.which("node") is not None


@contextmanager
def run_prism(spec: Path, *, dynamic: bool = False, startup_timeout: float = 60.0) -> Iterator[Prism]:
    if not prism_available():
        pytest.skip("Prism is not installed (scripts/ensure_node.sh runs npm ci)")
    port = free_port()
    args = [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(spec)]
    if dynamic:
        args.append("-d")
    log = CACHE / f"prism-{port}.log"
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=str(ROOT))
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Prism exited: {log.read_text(errors='replace')[-3000:]}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/__nadir_probe", timeout=2)
            except urllib.error.HTTPError:
                break  # any HTTP answer means Prism is up
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("Prism did not start in time") from None
                time.sleep(0.2)
            else:
                break
        yield Prism(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
