"""One exception hierarchy carrying the user message.

Messages are English and written for the analyst: what is wrong and what to do.
``details`` holds technical context for the "Details" button. Nothing secret may be
put in either; :class:`PaymentRequired` keeps its 3-D Secure ``client_secret`` out of
``str``/``repr``. Standard library only: imported before dependencies are checked.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from pathlib import Path

from .i18n import QT_TRANSLATE_NOOP

LOGGER = logging.getLogger(__name__)

SETTINGS_HINT = "Settings > Options > Nadir"


class NadirError(Exception):
    """Base of every error Nadir raises on purpose."""

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class InputError(NadirError):
    """The user's input cannot be used (AOI, order configuration, file)."""


class StorageError(NadirError):
    """A local file (cart, outbox, settings) could not be read or written."""


class AlreadyPlacing(InputError):
    """The outbox refused to place the same cart item (or Processing request) twice.

    ``reference`` and ``state`` name the entry that already holds it (double-click,
    second checkout, re-run of a Processing algorithm).
    """

    def __init__(self, message: str, *, reference: str, state: str, details: str = "") -> None:
        super().__init__(message, details=details)
        self.reference = reference
        self.state = state


class OperationCancelled(NadirError):
    """The user or the plugin cancelled a running operation."""

    def __init__(self, message: str = "The operation was cancelled.", *, details: str = "") -> None:
        super().__init__(message, details=details)


class NotSupported(NadirError):
    """The provider does not offer this operation."""


class ProviderError(NadirError):
    """A provider call failed. ``provider``/``endpoint``/``status`` say where."""

    def __init__(
        self,
        message: str,
        *,
        provider: str = "",
        endpoint: str = "",
        status: int | None = None,
        details: str = "",
        code: str = "",
    ) -> None:
        super().__init__(message, details=details)
        self.provider = provider
        self.endpoint = endpoint
        self.status = status
        self.code = code  # the provider's own error code, e.g. ClearSKY 994


class ProviderAuthError(ProviderError):
    """401/403: credentials missing, wrong, expired or lacking a scope."""


class PaymentRequired(ProviderError):
    """402: the order cannot be paid. Never retried.

    ``client_secret`` (3-D Secure) is for the payment step only: it is excluded from
    ``str``, ``repr`` and ``details`` so it cannot reach a log.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: str = "",
        billing_mode: str = "",
        client_secret: str | None = None,
        provider: str = "",
        endpoint: str = "",
        status: int | None = 402,
        details: str = "",
    ) -> None:
        super().__init__(message, provider=provider, endpoint=endpoint, status=status, details=details)
        self.reason = reason
        self.billing_mode = billing_mode
        self._client_secret = client_secret

    @property
    def client_secret(self) -> str | None:
        return self._client_secret

    @property
    def requires_action(self) -> bool:
        return self._client_secret is not None

    def __repr__(self) -> str:
        return (
            f"PaymentRequired(reason={self.reason!r}, billing_mode={self.billing_mode!r}, "
            f"provider={self.provider!r}, requires_action={self.requires_action})"
        )


class RateLimited(ProviderError):
    """429: too many requests; ``retry_after`` seconds if the provider said."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.retry_after = retry_after


class ProviderUnavailable(ProviderError):
    """Network failure, timeout or 5xx: the provider could not answer now."""


class OutcomeUnknown(ProviderUnavailable):
    """A write reached the provider but its answer was lost (timeout, dropped
    connection, 5xx): it may or may not have taken effect. Look it up before resending."""


class CertificateError(ProviderUnavailable):
    """TLS certificate of the provider (or proxy) is not trusted."""


class InvalidResponse(ProviderError):
    """The provider answered with something Nadir cannot read."""


class ProviderRejected(ProviderError):
    """4xx other than auth/payment/rate: the provider refused the request as sent."""


class NotFound(ProviderRejected):
    """404: the order, item or resource does not exist (or is not visible)."""


class Conflict(ProviderRejected):
    """409: invalid state or idempotency-key reuse with a different body."""


class StillPlacing(Conflict):
    """409: the provider is still processing an earlier attempt sent with the same
    idempotency key. Its outcome is not known yet: neither placed nor "not placed"."""


def storage_error(exc: OSError, path: Path) -> StorageError:
    """A disk problem said so the analyst can act (space, permission, other)."""
    if exc.errno == errno.ENOSPC:
        text = (
            f"There is not enough disk space to save {path.name} in {path.parent}. Free some space or "
            f"choose another download folder in {SETTINGS_HINT}."
        )
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        text = (
            f"Nadir may not write to {path.parent} (permission denied). Choose another download folder "
            f"in {SETTINGS_HINT}."
        )
    else:
        text = f"{path.name} could not be written in {path.parent}: {exc.strerror or exc}."
    return StorageError(text, details=str(exc))


#: What the user is told about an error that is not a :class:`NadirError` (a bug in Nadir):
#: one sentence everywhere; the traceback goes to the log.
UNEXPECTED = QT_TRANSLATE_NOOP("Nadir", "Something went wrong inside Nadir. The details are in the log (Nadir tab).")


def _as_is(text: str) -> str:
    return text


def user_message(
    error: BaseException, context: str = "", *, translate: Callable[[str], str] = _as_is, logged: bool = False
) -> str:
    """The text shown to the user for ``error``, after ``context`` (what failed) when given.

    A :class:`NadirError` says its own message (written for the user: what is wrong, what to
    do). Anything else is a bug: :data:`UNEXPECTED`, and its traceback is logged (unless the
    caller ``logged`` it already). ``translate``: the UI's ``tr_core`` (core stays Qt-free)."""
    if isinstance(error, NadirError):
        text = error.message
    else:
        if not logged:
            LOGGER.error("Unexpected error%s", f" ({context})" if context else "", exc_info=error)
        text = UNEXPECTED
    text = translate(text)
    return f"{context}: {text}" if context else text
