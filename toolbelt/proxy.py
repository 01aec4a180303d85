"""Which proxy a URL goes through, decided the way QGIS decides it (no httpx here: the
dependency installer uses it when httpx is missing).

:class:`ProxyResolver` is built on the GUI thread (it reads QgsSettings and may read the
auth database) and then answers :meth:`ProxyResolver.route` for each URL, on any thread:

1. the proxy factories other plugins registered with QGIS
   (``QgsNetworkAccessManager.instance().insertProxyFactory``), in QGIS's order; the
   first one that returns a proxy for the URL decides (``DefaultProxy`` means "no
   opinion": the next rules decide);
2. QGIS's own proxy settings (Settings > Options > Network), read from the keys
   ``QgsNetworkAccessManager::setupDefaultProxyAndCache`` reads in 3.22 and 3.40 alike
   (``proxy/proxyEnabled`` read as a bool, ``proxyType``, ``proxyHost``, ``proxyPort``,
   ``proxyUser``, ``proxyPassword``, ``authcfg``, ``noProxyUrls``, ``proxyExcludedUrls``):
   proxy disabled means direct; a URL starting with a ``noProxyUrls`` entry goes direct,
   one starting with a ``proxyExcludedUrls`` entry uses the system proxy, everything else
   the configured proxy (``DefaultProxy`` being the system proxy);
3. the system proxy is Qt's ``QNetworkProxyFactory.systemProxyForQuery``, as in QGIS:
   environment variables on Linux, the system settings with their PAC script on Windows
   and macOS.

QGIS's own ``QgsNetworkProxyFactory.queryProxy`` is not asked directly: in QGIS 3.22 it
asks the system proxy before each registered factory, and on Linux the system answer is
never empty (``NoProxy``), so once any plugin registers a factory it answers "no proxy"
for every URL, settings proxy included (seen on 3.22.16). Its rules are applied here in
the order its code intends. The settings are read afresh for each resolver, so a change
in the options applies to the next client without waiting for QGIS to re-read them.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from typing import Any

from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsNetworkAccessManager, QgsSettings
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtNetwork import QNetworkProxy, QNetworkProxyFactory, QNetworkProxyQuery

from ..core.errors import InputError
from .redact import register_secret

PROXY_HINT = "Settings > Options > Network"

DIRECT, SYSTEM, PROXY = "direct", "system", "proxy"


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


@dataclass(frozen=True)
class ProxyRoute:
    """Where one URL goes: ``direct``, the ``system`` proxy, or a ``proxy`` at ``url``."""

    kind: str = DIRECT
    url: str = ""  # scheme://host:port, no credentials
    user: str = ""
    password: str = field(default="", repr=False)

    def with_credentials(self) -> str:
        """The proxy URL with the user name and password (URL-quoted) put before its host, for
        pip's environment; never log it."""
        if not self.user:
            return self.url
        from urllib.parse import quote

        scheme, _, rest = self.url.partition("://")
        return f"{scheme}://{quote(self.user, safe='')}:{quote(self.password, safe='')}@{rest}"


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


def _settings_route(config: ProxyConfig) -> ProxyRoute:
    """The route of the configured proxy type; raises InputError for what Nadir cannot use."""
    kind = config.type
    if kind == "DefaultProxy":
        return ProxyRoute(SYSTEM)
    if kind == "FtpCachingProxy":  # Qt uses it for FTP only: HTTP goes direct
        return ProxyRoute(DIRECT)
    if not config.host:
        raise InputError(f"A proxy is enabled but no proxy host is set. Complete the proxy settings in {PROXY_HINT}.")
    if kind == "Socks5Proxy":
        return ProxyRoute(PROXY, f"socks5://{config.host}:{config.port}", config.user, config.password)
    if kind not in ("HttpProxy", "HttpCachingProxy"):
        raise InputError(f"The QGIS proxy type {kind!r} is not supported by Nadir. Use an HTTP proxy in {PROXY_HINT}.")
    return ProxyRoute(PROXY, f"http://{config.host}:{config.port}", config.user, config.password)


def check_socks(route: ProxyRoute) -> None:
    if route.url.startswith("socks5://") and importlib.util.find_spec("socksio") is None:
        raise InputError(
            "QGIS is set to use a SOCKS5 proxy, which Nadir can only use with the Python package "
            "'socksio'. Install it (python -m pip install socksio) or use an HTTP proxy in "
            f"{PROXY_HINT}."
        )


def qt_proxy_route(proxy: QNetworkProxy) -> ProxyRoute | None:
    """A Qt proxy as a route; None for ``DefaultProxy`` (no opinion) and types Nadir cannot use."""
    kind = proxy.type()
    if kind == QNetworkProxy.ProxyType.NoProxy or kind == QNetworkProxy.ProxyType.FtpCachingProxy:
        return ProxyRoute(DIRECT)
    if kind in (QNetworkProxy.ProxyType.HttpProxy, QNetworkProxy.ProxyType.HttpCachingProxy):
        scheme = "http"
    elif kind == QNetworkProxy.ProxyType.Socks5Proxy:
        scheme = "socks5"
    else:
        return None
    register_secret(proxy.password())
    return ProxyRoute(PROXY, f"{scheme}://{proxy.hostName()}:{proxy.port()}", proxy.user(), proxy.password())


def _query(url: str) -> QNetworkProxyQuery:
    return QNetworkProxyQuery(QUrl(url))


def system_route(url: str) -> ProxyRoute:
    """The system proxy for a URL (environment on Linux, system settings and PAC elsewhere)."""
    for proxy in QNetworkProxyFactory.systemProxyForQuery(_query(url)):
        route = qt_proxy_route(proxy)
        if route is not None:
            return route
    return ProxyRoute(DIRECT)


def registered_factories() -> tuple[QNetworkProxyFactory, ...]:
    """The proxy factories plugins registered with QGIS (main thread's network manager)."""
    return tuple(QgsNetworkAccessManager.instance().proxyFactories())


class ProxyResolver:
    """QGIS's proxy decision for any URL. Build it on the GUI thread; ``route`` is thread-safe
    as far as the registered factories are."""

    def __init__(
        self, config: ProxyConfig | None = None, factories: tuple[QNetworkProxyFactory, ...] | None = None
    ) -> None:
        self.config = read_proxy_settings() if config is None else config
        self.factories = registered_factories() if factories is None else factories
        self.configured = _settings_route(self.config) if self.config.enabled else ProxyRoute(DIRECT)
        check_socks(self.configured)

    def route(self, url: str) -> ProxyRoute:
        for factory in self.factories:
            proxies = factory.queryProxy(_query(url))
            if proxies:
                route = qt_proxy_route(proxies[0])
                if route is not None:
                    check_socks(route)
                    return route
                break  # DefaultProxy: the factory leaves it to QGIS's settings
        config = self.config
        if not config.enabled:
            return ProxyRoute(DIRECT)
        if any(url.startswith(prefix) for prefix in config.no_proxy):
            return ProxyRoute(DIRECT)
        if any(url.startswith(prefix) for prefix in config.excluded):
            return ProxyRoute(SYSTEM)
        return self.configured

    def resolve(self, url: str) -> ProxyRoute:
        """Like :meth:`route`, with the system proxy looked up: only ``direct`` or ``proxy``."""
        route = self.route(url)
        return system_route(url) if route.kind == SYSTEM else route
