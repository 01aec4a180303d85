"""stdlib logging bridged into the QGIS message log, with redaction (STYLE.md 11).

Every module logs with ``logging.getLogger(__name__)`` (the ``nadir...`` tree when
installed). :func:`install` adds one handler writing to ``QgsMessageLog`` under the
plugin's tag, and wraps the log-record factory so every record created in the process
while Nadir is loaded (including httpx's and httpcore's) is redacted before any
handler sees it. :func:`uninstall` restores everything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from .identity import identity
from .redact import redact

LOGGER_NAMES = ("nadir", "httpx", "httpcore")
_PACKAGE_LOGGER = __name__.rsplit(".", 2)[0]  # "nadir" when installed

_previous_factory: Callable[..., logging.LogRecord] | None = None
_handler: logging.Handler | None = None


def _redacted(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string must not break logging
        message = str(record.msg)
    record.msg = redact(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    return record


class RedactionFilter(logging.Filter):
    """Filter form of the redaction, for handlers outside Nadir's control."""

    def filter(self, record: logging.LogRecord) -> bool:
        _redacted(record)
        return True


def install_record_redaction() -> None:
    """Redact every log record at creation. Idempotent."""
    global _previous_factory
    if _previous_factory is not None:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        return _redacted(previous(*args, **kwargs))

    _previous_factory = previous
    logging.setLogRecordFactory(factory)


def uninstall_record_redaction() -> None:
    global _previous_factory
    if _previous_factory is not None:
        logging.setLogRecordFactory(_previous_factory)
        _previous_factory = None


class QgisMessageLogHandler(logging.Handler):
    """Writes records to QgsMessageLog under the plugin's tag."""

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag
        self.addFilter(RedactionFilter())
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            from qgis.core import Qgis, QgsMessageLog

            if record.levelno >= logging.ERROR:
                level = Qgis.MessageLevel.Critical
            elif record.levelno >= logging.WARNING:
                level = Qgis.MessageLevel.Warning
            else:
                level = Qgis.MessageLevel.Info
            QgsMessageLog.logMessage(self.format(record), self.tag, level, notifyUser=False)
        except Exception:  # noqa: BLE001 - logging must never raise
            self.handleError(record)


def install(level: str | int = "INFO") -> logging.Handler:
    """Attach the QGIS handler to Nadir's logger and enable redaction. Idempotent."""
    global _handler
    install_record_redaction()
    logger = logging.getLogger(_PACKAGE_LOGGER)
    if _handler is None:
        _handler = QgisMessageLogHandler(identity().log_tag)
        logger.addHandler(_handler)
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).addHandler(_handler)
    set_level(level)
    return _handler


def set_level(level: str | int) -> None:
    logger = logging.getLogger(_PACKAGE_LOGGER)
    logger.setLevel(level if isinstance(level, int) else level.upper())
    # httpx/httpcore stay quiet unless the user asked for DEBUG.
    net_level = logging.DEBUG if logger.level <= logging.DEBUG else logging.WARNING
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(net_level)


def uninstall() -> None:
    global _handler
    if _handler is not None:
        for name in (_PACKAGE_LOGGER, "httpx", "httpcore"):
            logging.getLogger(name).removeHandler(_handler)
        _handler = None
    uninstall_record_redaction()
