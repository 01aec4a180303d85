"""The one place an ``httpx.Client`` is built inside QGIS (STYLE.md 6, DESIGN.md 3).

:func:`make_client` copies QGIS's own network configuration into httpx, so the adapters
behave like QGIS's network stack:

- **proxy**: the keys ``QgsNetworkAccessManager::setupDefaultProxyAndCache`` reads in
  QGIS 3.22 and 3.40 alike (``proxy/proxyEnabled`` read as a bool, ``proxyType``,
  ``proxyHost``, ``proxyPort``, ``proxyUser``, ``proxyPassword``, ``authcfg``,
  ``noProxyUrls``, ``proxyExcludedUrls``). As in QGIS, a URL starting with a
  ``noProxyUrls`` entry goes direct, one starting with a ``proxyExcludedUrls`` entry
  uses the system (environment) proxy, everything else the configured proxy.
  ``HttpProxy``/``HttpCachingProxy`` become an HTTP proxy with basic credentials,
  ``Socks5Proxy`` a SOCKS5 proxy (needs the ``socksio`` package), ``DefaultProxy`` the
  system proxy; proxy disabled means direct connections;
- **TLS**: the system CA store plus every CA certificate QGIS trusts (its auth manager's
  trusted CA cache, which includes authorities the user added in Settings > Options >
  Authentication); verification is never switched off;
- explicit **timeouts** (QGIS's network timeout for reads, 10 s to connect) and the
  **User-Agent** ``Nadir/<version> QGIS/<version>``.

Call it on the GUI thread (it reads QgsSettings and the auth database), then hand the
client to a task.
"""

from __future__ import annotations

import importlib.util
import logging
import ssl
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsNetworkAccessManager, QgsSettings

from ..core.errors import InputError
from .compat import qgis_version
from .identity import identity
from .redact import register_secret

LOGGER = logging.getLogger(__name__)
CONNECT_TIMEOUT = 10.0
PROXY_HINT = "Settings > Options > Network"


def user_agent() -> str:
    return f"{identity().name}/{identity().version} QGIS/{qgis_version().split('-')[0]}"


@dataclass(frozen=True)
class ProxyConfig:
    """QGIS's proxy settings as plain values."""

    enabled: bool = False
    type: str = "DefaultProxy"
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = field(default="", repr=False)
    no_proxy: tuple[str, ...] = ()  # URL prefixes reached directly
    excluded: tuple[str, ...] = ()  # URL prefixes reached through the system proxy


def _string_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(str(item).strip() for item in items if str(item).strip())


def _proxy_credentials(authcfg: str) -> tuple[str, str]:
    manager = QgsApplication.authManager()
    config = QgsAuthMethodConfig()
    result = manager.loadAuthenticationConfig(authcfg, config, True)
    ok, config = result if isinstance(result, tuple) else (bool(result), config)
    if not ok or not config.id():
        raise InputError(
            f"The proxy authentication configuration {authcfg!r} cannot be read (deleted, or the master "
            f"password was not entered). Check the proxy settings in {PROXY_HINT}."
        )
    return config.config("username", ""), config.config("password", "")


def read_proxy_settings(settings: QgsSettings | None = None) -> ProxyConfig:
    """The proxy QGIS uses, read from the same keys QGIS reads (3.22 and 3.40)."""
    qs = settings or QgsSettings()
    enabled = bool(qs.value("proxy/proxyEnabled", False, type=bool))
    if not enabled:
        return ProxyConfig()
    port_text = str(qs.value("proxy/proxyPort", "", type=str) or "").strip()
    user = str(qs.value("proxy/proxyUser", "", type=str) or "")
    password = str(qs.value("proxy/proxyPassword", "", type=str) or "")
    authcfg = str(qs.value("proxy/authcfg", "", type=str) or "")
    if authcfg:
        user, password = _proxy_credentials(authcfg)
    register_secret(password)
    return ProxyConfig(
        enabled=True,
        type=str(qs.value("proxy/proxyType", "DefaultProxy", type=str) or "DefaultProxy"),
        host=str(qs.value("proxy/proxyHost", "", type=str) or "").strip(),
        port=int(port_text) if port_text.isdigit() else 0,
        user=user,
        password=password,
        no_proxy=_string_list(qs.value("proxy/noProxyUrls", [])),
        excluded=_string_list(qs.value("proxy/proxyExcludedUrls", [])),
    )


def trusted_ca_pem() -> list[str]:
    """PEM text of every CA certificate QGIS trusts (system and user-added)."""
    manager = QgsApplication.authManager()
    pems = []
    for cert in manager.trustedCaCertsCache():
        if cert.isNull():
            continue
        pems.append(bytes(cert.toPem()).decode("ascii", "replace"))
    return pems


def ssl_context() -> ssl.SSLContext:
    """System CAs, certifi's bundle when present, and the CAs trusted in QGIS."""
    context = ssl.create_default_context()
    if importlib.util.find_spec("certifi") is not None:
        import certifi

        context.load_verify_locations(cafile=certifi.where())
    loaded = 0
    for pem in trusted_ca_pem():
        try:
            context.load_verify_locations(cadata=pem)
            loaded += 1
        except ssl.SSLError:  # an expired or malformed entry must not break every request
            LOGGER.debug("skipped a CA certificate QGIS lists but Python cannot load")
    LOGGER.debug("TLS context: system CAs plus %d QGIS trusted CA certificates", loaded)
    return context


def _timeout() -> httpx.Timeout:
    try:
        read = float(QgsNetworkAccessManager.timeout()) / 1000.0
    except (AttributeError, TypeError, ValueError):
        read = 60.0
    read = min(max(read, 10.0), 600.0) if read > 0 else 60.0
    return httpx.Timeout(read, connect=CONNECT_TIMEOUT)


class _SystemProxyTransport(httpx.BaseTransport):
    """The system (environment) proxy, chosen per request as Qt's system factory does."""

    def __init__(self, verify: ssl.SSLContext) -> None:
        self._verify = verify
        self._proxies = urllib.request.getproxies()
        self._transports: dict[str, httpx.HTTPTransport] = {}

    def _transport(self, proxy: str) -> httpx.HTTPTransport:
        if proxy not in self._transports:
            self._transports[proxy] = httpx.HTTPTransport(verify=self._verify, proxy=proxy or None)
        return self._transports[proxy]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        scheme = request.url.scheme
        proxy = self._proxies.get(scheme) or self._proxies.get("all") or ""
        if proxy and urllib.request.proxy_bypass_environment(request.url.host, self._proxies):
            proxy = ""
        return self._transport(proxy).handle_request(request)

    def close(self) -> None:
        for transport in self._transports.values():
            transport.close()


class QgisProxyTransport(httpx.BaseTransport):
    """Routes each request like QGIS's proxy factory: no-proxy prefixes direct, excluded
    prefixes through the system proxy, the rest through the configured proxy."""

    def __init__(
        self,
        proxied: httpx.BaseTransport,
        direct: httpx.BaseTransport,
        system: httpx.BaseTransport,
        no_proxy: Sequence[str] = (),
        excluded: Sequence[str] = (),
    ) -> None:
        self.proxied, self.direct, self.system = proxied, direct, system
        self.no_proxy, self.excluded = tuple(no_proxy), tuple(excluded)

    def route(self, url: str) -> httpx.BaseTransport:
        if any(url.startswith(prefix) for prefix in self.no_proxy):
            return self.direct
        if any(url.startswith(prefix) for prefix in self.excluded):
            return self.system
        return self.proxied

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.route(str(request.url)).handle_request(request)

    def close(self) -> None:
        for transport in {id(t): t for t in (self.proxied, self.direct, self.system)}.values():
            transport.close()


def _proxy_transport(config: ProxyConfig, verify: ssl.SSLContext) -> httpx.BaseTransport:
    kind = config.type
    if kind == "DefaultProxy":
        return _SystemProxyTransport(verify)
    if kind == "FtpCachingProxy":  # Qt uses it for FTP only: HTTP goes direct
        return httpx.HTTPTransport(verify=verify)
    if not config.host:
        raise InputError(f"A proxy is enabled but no proxy host is set. Complete the proxy settings in {PROXY_HINT}.")
    auth = (config.user, config.password) if config.user else None
    if kind == "Socks5Proxy":
        if importlib.util.find_spec("socksio") is None:
            raise InputError(
                "QGIS is set to use a SOCKS5 proxy, which Nadir can only use with the Python package "
                "'socksio'. Install it (python -m pip install socksio) or use an HTTP proxy in "
                f"{PROXY_HINT}."
            )
        return httpx.HTTPTransport(verify=verify, proxy=httpx.Proxy(f"socks5://{config.host}:{config.port}", auth=auth))
    if kind not in ("HttpProxy", "HttpCachingProxy"):
        raise InputError(f"The QGIS proxy type {kind!r} is not supported by Nadir. Use an HTTP proxy in {PROXY_HINT}.")
    return httpx.HTTPTransport(verify=verify, proxy=httpx.Proxy(f"http://{config.host}:{config.port}", auth=auth))


def make_transport(config: ProxyConfig, verify: ssl.SSLContext) -> httpx.BaseTransport:
    direct = httpx.HTTPTransport(verify=verify)
    if not config.enabled:
        return direct
    return QgisProxyTransport(
        proxied=_proxy_transport(config, verify),
        direct=direct,
        system=_SystemProxyTransport(verify),
        no_proxy=config.no_proxy,
        excluded=config.excluded,
    )


def make_client(timeout: httpx.Timeout | None = None, settings: QgsSettings | None = None) -> httpx.Client:
    """An ``httpx.Client`` configured like QGIS's network stack. GUI thread only."""
    from ..providers.http import _install_request_log_filter

    _install_request_log_filter()  # again, if an unload took it off and the module stayed imported
    config = read_proxy_settings(settings)
    verify = ssl_context()
    LOGGER.debug(
        "HTTP client: proxy %s%s, %d no-proxy and %d excluded prefixes",
        config.type if config.enabled else "disabled",
        f" {config.host}:{config.port}" if config.enabled and config.host else "",
        len(config.no_proxy), len(config.excluded),
    )
    return httpx.Client(
        transport=make_transport(config, verify),
        timeout=timeout or _timeout(),
        headers={"User-Agent": user_agent()},
        follow_redirects=False,
        trust_env=False,
    )
