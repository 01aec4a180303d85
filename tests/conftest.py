"""Root conftest: ``nadir`` importable as installed, ``support`` helpers on the path."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from support.package import ROOT, ensure_importable  # noqa: E402

ensure_importable()

REPO_ROOT = ROOT
