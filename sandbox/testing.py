"""Start a real sandbox process on a free loopback port, for tests and benchmarks.

with run_sandbox(tmp_path) as sb:
    sb.url                      # http://127.0.0.1:PORT
    sb.provider_url("clearsky") # http://127.0.0.1:PORT/clearsky
    sb.fault(kind="status", prefix="/up42/v2/orders", status=503, times=2)
    sb.advance(3600)
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Sandbox:
    def __init__(self, url: str, process: subprocess.Popen[bytes] | None, state: Path) -> None:
        self.url = url
        self.process = process
        self.state = state

    def provider_url(self, prefix: str) -> str:
        return f"{self.url}/{prefix.strip('/')}"

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback URL we built
            f"{self.url}/_sandbox/{path.lstrip('/')}",
            data=data,
            method=method,
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.loads(response.read() or b"null")

    def fault(self, **spec: Any) -> int:
        return int(self.admin("POST", "faults", spec)["id"])

    def clear_faults(self) -> None:
        self.admin("DELETE", "faults")

    def advance(self, seconds: float) -> str:
        return str(self.admin("POST", "clock/advance", {"seconds": seconds})["now"])

    def reset(self) -> None:
        self.admin("POST", "reset")

    def requests(self, prefix: str = "/") -> list[dict[str, Any]]:
        return list(self.admin("GET", f"requests?prefix={prefix}"))

    def health(self) -> dict[str, Any]:
        return dict(self.admin("GET", "health"))


@contextmanager
def run_sandbox(
    workdir: Path, clock_speed: float = 1.0, port: int | None = None, startup_timeout: float = 60.0
) -> Iterator[Sandbox]:
    workdir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    state = workdir / "sandbox-state.db"
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    log = open(workdir / "sandbox.log", "wb")
    process = subprocess.Popen(  # noqa: S603 - our own module
        [
            sys.executable,
            "-m",
            "sandbox",
            "--port",
            str(port),
            "--state",
            str(state),
            "--clock-speed",
            str(clock_speed),
        ],
        cwd=str(REPO),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    sandbox = Sandbox(f"http://127.0.0.1:{port}", process, state)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                log.flush()
                raise RuntimeError(f"sandbox exited: {(workdir / 'sandbox.log').read_text()[-4000:]}")
            try:
                sandbox.health()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("sandbox did not start in time") from None
                time.sleep(0.1)
        yield sandbox
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
