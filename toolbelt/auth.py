"""Credentials from the QGIS authentication database; only configuration ids are stored in settings.

Settings hold only ``authcfg`` ids. :func:`resolve` turns one into plain values on the
GUI thread (the auth manager may ask for the master password) before a task starts;
the values are registered with the redaction filter so they never reach a log.
"""

from __future__ import annotations

from collections.abc import Mapping

from qgis.core import QgsApplication, QgsAuthMethodConfig

from ..core.credentials import Credentials, on_secret
from ..core.errors import InputError
from .redact import register_secret

on_secret(register_secret)  # tokens adapters obtain later are masked in logs too

#: How each QGIS auth method's fields map to (username, secret).
_METHOD_FIELDS: Mapping[str, tuple[str, str]] = {
    "Basic": ("username", "password"),
    "EsriToken": ("", "token"),
}


__all__ = ["Credentials", "resolve", "store_basic"]  # Credentials lives in core (providers use it)


def _load(authcfg: str) -> QgsAuthMethodConfig | None:
    manager = QgsApplication.authManager()
    config = QgsAuthMethodConfig()
    result = manager.loadAuthenticationConfig(authcfg, config, True)
    if isinstance(result, tuple):  # PyQGIS returns (ok, config)
        ok, config = result
    else:  # pragma: no cover - other binding generations fill in place
        ok = bool(result)
    return config if ok and config.id() else None


def resolve(authcfg: str, provider_title: str) -> Credentials:
    """Credentials of ``authcfg``; raises :class:`InputError` saying how to fix it."""
    where = "Settings > Options > Nadir"
    if not authcfg:
        raise InputError(
            f"No credentials are set for {provider_title}. Choose or create an authentication "
            f"configuration for it in {where}."
        )
    config = _load(authcfg)
    if config is None:
        raise InputError(
            f"The authentication configuration {authcfg!r} for {provider_title} cannot be read: "
            f"it was deleted, or the QGIS master password was not entered. Check it in {where}."
        )
    method = config.method()
    values = dict(config.configMap())
    if method in _METHOD_FIELDS:
        user_key, secret_key = _METHOD_FIELDS[method]
        username = values.pop(user_key, "") if user_key else ""
        secret = values.pop(secret_key, "")
    elif method == "APIHeader":  # QGIS >= 3.26: header name -> value pairs
        if not values:
            secret, username = "", ""
        else:
            header, secret = next(iter(values.items()))
            username = ""
            values = {"header": header}
    else:
        raise InputError(
            f"The authentication configuration for {provider_title} uses the {method!r} method, "
            f"which Nadir cannot use. Use 'Basic' (user name and password or API key) in {where}."
        )
    if not secret:
        raise InputError(
            f"The authentication configuration for {provider_title} has no password or API key. Edit it in {where}."
        )
    register_secret(secret)
    for value in values.values():
        register_secret(value)
    return Credentials(username=username, secret=secret, extra=values)


def store_basic(name: str, username: str, secret: str, authcfg: str = "") -> str:
    """Store a Basic auth config (user name + password/API key); returns its id.

    Used by the demo profile set-up and tests. The master password must be set.
    """
    manager = QgsApplication.authManager()
    config = QgsAuthMethodConfig("Basic")
    config.setName(name)
    if authcfg:
        config.setId(authcfg)
    config.setConfig("username", username)
    config.setConfig("password", secret)
    result = manager.storeAuthenticationConfig(config)
    ok = result[0] if isinstance(result, tuple) else bool(result)
    stored = result[1] if isinstance(result, tuple) else config
    if not ok:
        raise InputError(f"Could not store the authentication configuration {name!r}.")
    return str(stored.id())
