"""stdlib logging bridged into the QGIS message log, with redaction.

Every module logs with ``logging.getLogger(__name__)`` (the ``nadir...`` tree when
installed). :func:`install` adds one handler writing to ``QgsMessageLog`` under the
plugin's tag, and wraps the log-record factory so every record of Nadir's loggers and
of the libraries it uses (:data:`REDACTED_LOGGERS`: httpx, httpcore...) is redacted
before any handler sees it; records of QGIS and other plugins pass untouched.
:func:`uninstall` restores everything, logger levels included.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from .identity import identity
from .redact import redact

LOGGER_NAMES = ("nadir", "httpx", "httpcore")
_PACKAGE_LOGGER = __name__.rsplit(".", 2)[0]  # "nadir" when installed
# Loggers whose records may carry Nadir's requests, credentials or answers: Nadir's own
# and those of the libraries it brings (HTTP stack, models, geometry, the installer).
REDACTED_LOGGERS = (
    _PACKAGE_LOGGER,
    "httpx",
    "httpcore",
    "h11",
    "h2",
    "hpack",
    "hyperframe",
    "anyio",
    "sniffio",
    "certifi",
    "idna",
    "socksio",
    "pydantic",
    "pydantic_core",
    "shapely",
    "pip",
)

_previous_factory: Callable[..., logging.LogRecord] | None = None
_handler: logging.Handler | None = None
_previous_levels: dict[str, int] = {}


def is_redacted_logger(name: str) -> bool:
    return any(name == root or name.startswith(root + ".") for root in REDACTED_LOGGERS)


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
    """Redact the records of Nadir's and its libraries' loggers at creation. Idempotent."""
    global _previous_factory
    if _previous_factory is not None:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        return _redacted(record) if is_redacted_logger(record.name) else record

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
        for name in (_PACKAGE_LOGGER, "httpx", "httpcore"):
            _previous_levels[name] = logging.getLogger(name).level
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
    for name, level in _previous_levels.items():
        logging.getLogger(name).setLevel(level)
    _previous_levels.clear()
    uninstall_record_redaction()
