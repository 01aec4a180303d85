"""``python -m sandbox [--port 8765] [--state sandbox.db] [--clock-speed 1]``."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import uvicorn

from .app import create_app
from .config import SandboxConfig


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="loopback by default; never exposed")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--state", type=Path, default=Path(".cache/sandbox/state.db"), help="SQLite state file")
    parser.add_argument("--data-dir", type=Path, default=None, help="delivered files (default: next to state)")
    parser.add_argument("--clock-speed", type=float, default=1.0, help="simulated seconds per real second")
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper())
    config = SandboxConfig(state_path=args.state, clock_speed=args.clock_speed, data_dir=args.data_dir)
    uvicorn.run(create_app(config), host=args.host, port=args.port, log_level=args.log_level, access_log=False)


if __name__ == "__main__":
    main()
