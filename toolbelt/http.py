"""The one place an ``httpx.Client`` is built inside QGIS: proxy, TLS and timeouts from QGIS.

:func:`make_client` copies QGIS's own network configuration into httpx, so the adapters
behave like QGIS's network stack:

- **proxy**: per request URL, as QGIS decides it (:mod:`toolbelt.proxy`): the proxy
  factories other plugins registered with QGIS first, then QGIS's proxy settings (no-proxy
  and excluded prefixes, the configured proxy with its credentials, the system proxy with
  PAC where the system has one). ``HttpProxy``/``HttpCachingProxy`` become an HTTP proxy
  with basic credentials, ``Socks5Proxy`` a SOCKS5 proxy (needs the ``socksio``
  package); proxy disabled means direct connections;
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
import threading
from collections.abc import Sequence
from typing import Optional

import httpx
from qgis.core import QgsApplication, QgsNetworkAccessManager, QgsSettings

from ..core.errors import InputError
from .compat import qgis_version
from .identity import identity
from .proxy import PROXY, PROXY_HINT, ProxyConfig, ProxyResolver, read_proxy_settings

__all__ = [
    "PROXY_HINT",
    "InputError",
    "ProxyConfig",
    "QgisProxyTransport",
    "make_client",
    "read_proxy_settings",
    "ssl_context",
    "trusted_ca_pem",
    "user_agent",
]

LOGGER = logging.getLogger(__name__)
CONNECT_TIMEOUT = 10.0


def user_agent() -> str:
    return f"{identity().name}/{identity().version} QGIS/{qgis_version().split('-')[0]}"


def trusted_ca_pem() -> list[str]:
    """PEM text of every CA certificate QGIS trusts (system and user-added)."""
    manager = QgsApplication.authManager()
    pems = []
    for cert in manager.trustedCaCertsCache():
        if cert.isNull():
            continue
        pems.append(bytes(cert.toPem()).decode("ascii", "replace"))
    return pems


_CONTEXT_LOCK = threading.Lock()
_CONTEXT: dict[tuple[str, ...], ssl.SSLContext] = {}


def ssl_context(pems: Optional[Sequence[str]] = None) -> ssl.SSLContext:
    """System CAs, certifi's bundle when present, and the CAs trusted in QGIS (``pems``,
    read from QGIS's auth manager when not given).

    Built once per set of QGIS-trusted CAs and shared by every client: loading a few
    hundred certificates takes 100 ms or more, which each search and each quicklook task
    paid on the GUI thread. A CA the user adds in QGIS changes the set, so the next client
    gets a new context. Safe to call from a worker thread when ``pems`` is given (the wake-up builds it
    so, ``ui.wakeup.warm_providers``)."""
    key = tuple(trusted_ca_pem() if pems is None else pems)
    with _CONTEXT_LOCK:
        context = _CONTEXT.get(key)
        if context is None:
            context = _build_ssl_context(key)
            _CONTEXT.clear()
            _CONTEXT[key] = context
        return context


def _build_ssl_context(pems: Sequence[str]) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if importlib.util.find_spec("certifi") is not None:
        import certifi

        context.load_verify_locations(cafile=certifi.where())
    loaded = 0
    for pem in pems:
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


class QgisProxyTransport(httpx.BaseTransport):
    """Routes each request as QGIS would (:class:`toolbelt.proxy.ProxyResolver`): the proxy
    factories plugins registered, then the no-proxy and excluded prefixes and the configured
    or system proxy. One pooled transport per proxy."""

    def __init__(self, resolver: ProxyResolver, verify: ssl.SSLContext) -> None:
        self.resolver = resolver
        self._verify = verify
        self._transports: dict[tuple[str, str, str], httpx.HTTPTransport] = {}
        self._lock = threading.Lock()

    def transport_for(self, url: str) -> httpx.HTTPTransport:
        route = self.resolver.resolve(url)
        key = (route.url, route.user, route.password) if route.kind == PROXY else ("", "", "")
        with self._lock:
            if key not in self._transports:
                proxy = None
                if route.kind == PROXY:
                    auth = (route.user, route.password) if route.user else None
                    proxy = httpx.Proxy(route.url, auth=auth)
                self._transports[key] = httpx.HTTPTransport(verify=self._verify, proxy=proxy)
            return self._transports[key]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.transport_for(str(request.url)).handle_request(request)

    def close(self) -> None:
        with self._lock:
            transports, self._transports = list(self._transports.values()), {}
        for transport in transports:
            transport.close()


def make_transport(resolver: ProxyResolver, verify: ssl.SSLContext) -> httpx.BaseTransport:
    if not resolver.config.enabled and not resolver.factories:
        return httpx.HTTPTransport(verify=verify)  # QGIS's proxy is off and nobody else decides: direct
    return QgisProxyTransport(resolver, verify)


def make_client(timeout: httpx.Timeout | None = None, settings: QgsSettings | None = None) -> httpx.Client:
    """An ``httpx.Client`` configured like QGIS's network stack. GUI thread only."""
    from ..providers.http.session import _install_request_log_filter

    _install_request_log_filter()  # again, if an unload took it off and the module stayed imported
    resolver = ProxyResolver(read_proxy_settings(settings))
    config = resolver.config
    verify = ssl_context()
    LOGGER.debug(
        "HTTP client: proxy %s%s, %d no-proxy and %d excluded prefixes, %d proxy factories of other plugins",
        config.type if config.enabled else "disabled",
        f" {config.host}:{config.port}" if config.enabled and config.host else "",
        len(config.no_proxy),
        len(config.excluded),
        len(resolver.factories),
    )
    return httpx.Client(
        transport=make_transport(resolver, verify),
        timeout=timeout or _timeout(),
        headers={"User-Agent": user_agent()},
        follow_redirects=False,
        trust_env=False,
    )
