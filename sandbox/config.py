"""Sandbox configuration."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SandboxConfig:
    state_path: Path
    #: simulated seconds per real second for order lifecycles (make run: fast)
    clock_speed: float = 1.0
    #: where delivered rasters and quicklooks are written (defaults next to the state file)
    data_dir: Path | None = None

    @property
    def files_dir(self) -> Path:
        folder = self.data_dir or self.state_path.with_suffix(".files")
        folder.mkdir(parents=True, exist_ok=True)
        return folder
