"""Running Nadir's Processing algorithms in tests: the provider registered once, a
feedback that keeps what an algorithm said, and one call to run an algorithm by id."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Optional

from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback


class Feedback(QgsProcessingFeedback):
    """Keeps the infos, warnings and errors an algorithm reported."""

    def __init__(self) -> None:
        super().__init__()
        self.infos: list[str] = []
        self.warnings: list[str] = []
        self.errors: list[str] = []

    def pushInfo(self, info: str) -> None:
        self.infos.append(info)

    def pushWarning(self, warning: str) -> None:
        self.warnings.append(warning)

    def reportError(self, error: str, fatalError: bool = False) -> None:
        self.errors.append(error)


@contextmanager
def nadir_provider() -> Iterator[None]:
    """Nadir's provider in QGIS's registry (added here unless it is already there)."""
    from nadir.processing.provider import NadirProcessingProvider

    registry = QgsApplication.processingRegistry()
    made = None
    if registry.providerById("nadir") is None:
        made = NadirProcessingProvider()
        registry.addProvider(made)
    try:
        yield
    finally:
        if made is not None:
            registry.removeProvider(made)


def run_algorithm(
    algorithm_id: str,
    parameters: dict[str, Any],
    context: Optional[QgsProcessingContext] = None,
    feedback: Optional[Feedback] = None,
) -> tuple[dict[str, Any], bool, Feedback]:
    """Run ``algorithm_id`` as Processing does; (results, ok, feedback)."""
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
    assert algorithm is not None, algorithm_id
    feedback = feedback or Feedback()
    results, ok = algorithm.run(parameters, context or QgsProcessingContext(), feedback)
    return results, ok, feedback
