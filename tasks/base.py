"""The QgsTask contract written down once.

:class:`FunctionTask` runs a plain function off the GUI thread. ``run()`` never lets an
exception escape (one escaping would abort QGIS): it is stored in ``error`` and handed
to ``on_error`` from ``finished()``, which runs on the GUI thread and is the only place
results reach widgets. The function receives the task as a :class:`TaskContext` to
report progress, check for cancellation between steps and publish partial results:
``context.publish(value)`` emits the task's ``partial`` signal, which Qt queues to the GUI
thread, where ``on_partial`` receives each value in order while the work goes on (archive
search streams its pages through it). Batch what you publish: one value per page or per
tenth of a second, not one per record.

:class:`TaskRunner` keeps a reference to every running task (an unreferenced task never
runs), and cancels them and silences their callbacks on plugin unload.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ..core.errors import NadirError, OperationCancelled

LOGGER = logging.getLogger(__name__)


class TaskContext:
    """What work running in a task may do: report progress, check cancellation."""

    def __init__(self, task: QgsTask) -> None:
        self._task = task

    def cancelled(self) -> bool:
        return self._task.isCanceled()

    def check(self) -> None:
        """Raise :class:`OperationCancelled` if the task was cancelled."""
        if self._task.isCanceled():
            raise OperationCancelled()

    def progress(self, percent: float) -> None:
        self._task.setProgress(max(0.0, min(100.0, float(percent))))

    def publish(self, value: Any) -> None:
        """Hand ``value`` to the GUI thread now (queued), before the work ends."""
        partial = getattr(self._task, "partial", None)
        if partial is not None and not self._task.isCanceled():
            partial.emit(value)


Work = Callable[[TaskContext], Any]


class FunctionTask(QgsTask):
    #: a partial result published by the work (emitted on the worker thread, delivered queued)
    partial = pyqtSignal(object)

    def __init__(
        self,
        description: str,
        work: Work,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        flags: QgsTask.Flag = QgsTask.Flag.CanCancel,
        on_partial: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(description, flags)
        self._work = work
        self._on_done = on_done
        self._on_error = on_error
        self._on_partial = on_partial
        if on_partial is not None:
            self.partial.connect(self._deliver_partial)
        self.result: Any = None
        self.error: BaseException | None = None
        self.silenced = False

    def run(self) -> bool:  # worker thread: no widgets, iface, project or layers here
        try:
            self.result = self._work(TaskContext(self))
        except OperationCancelled as exc:
            self.error = exc
            return False
        except NadirError as exc:
            self.error = exc
            LOGGER.info("%s failed: %s", self.description(), exc)
            return False
        except BaseException as exc:  # noqa: BLE001 - nothing may escape run()
            self.error = exc
            LOGGER.error("%s crashed:\n%s", self.description(), traceback.format_exc())
            return False
        if self.isCanceled():
            self.error = OperationCancelled()
            return False
        return True

    def _deliver_partial(self, value: Any) -> None:  # GUI thread (queued from the worker)
        if self.silenced or self._on_partial is None:
            return
        try:
            self._on_partial(value)
        except Exception:  # noqa: BLE001 - a callback bug must not take QGIS down
            LOGGER.error("Partial result of %s failed:\n%s", self.description(), traceback.format_exc())

    def finished(self, ok: bool) -> None:  # GUI thread
        if self.silenced:
            return
        try:
            if ok and self.error is None:
                if self._on_done is not None:
                    self._on_done(self.result)
            else:
                error = self.error or OperationCancelled()
                if self._on_error is not None:
                    self._on_error(error)
        except Exception:  # noqa: BLE001 - a callback bug must not take QGIS down
            LOGGER.error("Callback of %s failed:\n%s", self.description(), traceback.format_exc())


class TaskRunner:
    """Submits tasks to the QGIS task manager and keeps them alive until they end."""

    def __init__(self) -> None:
        self._tasks: set[QgsTask] = set()
        self._closed = False

    def submit(self, task: QgsTask) -> QgsTask:
        if self._closed:
            raise RuntimeError("TaskRunner is closed")
        self._tasks.add(task)
        task.taskCompleted.connect(lambda t=task: self._tasks.discard(t))
        task.taskTerminated.connect(lambda t=task: self._tasks.discard(t))
        QgsApplication.taskManager().addTask(task)
        return task

    def run(
        self,
        description: str,
        work: Work,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_partial: Callable[[Any], None] | None = None,
    ) -> FunctionTask:
        task = FunctionTask(description, work, on_done, on_error, on_partial=on_partial)
        self.submit(task)
        return task

    @property
    def running(self) -> list[QgsTask]:
        return list(self._tasks)

    def cancel_all(self) -> None:
        """Cancel every task and drop its callbacks (plugin unload).

        References stay until each task has really ended (taskTerminated), so a
        cancelled task still running its last step is never garbage-collected.
        """
        self._closed = True
        for task in list(self._tasks):
            if isinstance(task, FunctionTask):
                task.silenced = True
            task.cancel()
