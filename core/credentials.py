"""Plain credential values handed to provider adapters.

Resolved from the QGIS authentication database on the GUI thread by
``toolbelt.auth.resolve`` and passed to adapters as this value; core and providers never
read the auth database themselves. The secret never appears in ``repr`` or ``str``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Credentials:
    """User name (may be empty), secret (password, API key) and extra named values.

    ``extra`` holds further values of the auth configuration (e.g. an API-header name);
    they may be secret too, so neither they nor ``secret`` are shown by ``repr``.
    """

    username: str = ""
    secret: str = field(default="", repr=False)
    extra: Mapping[str, str] = field(default_factory=dict, repr=False)

    def __str__(self) -> str:
        return repr(self)

    @property
    def present(self) -> bool:
        return bool(self.secret)


# Secrets obtained at run time (access tokens) are announced here so the QGIS side can
# add them to its log redaction; core and providers cannot import the toolbelt.
_secret_listeners: list[Callable[[str], None]] = []


def on_secret(listener: Callable[[str], None]) -> None:
    """Call ``listener(value)`` for every secret obtained from now on. Idempotent."""
    if listener not in _secret_listeners:
        _secret_listeners.append(listener)


def secret_obtained(value: str) -> None:
    """Announce a secret (e.g. a fresh access token) to the redaction listeners."""
    if value:
        for listener in list(_secret_listeners):
            listener(value)
