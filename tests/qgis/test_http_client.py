"""The QGIS-side client factory: settings read like QGIS reads them, identity, CA trust."""

from __future__ import annotations

import threading

import httpx
import pytest
from qgis.core import QgsSettings

from nadir.toolbelt import http as qhttp


@pytest.fixture
def proxy_settings(qgis_app):
    QgsSettings().remove("proxy")
    yield QgsSettings()
    QgsSettings().remove("proxy")


def test_proxy_enabled_is_read_as_a_bool(proxy_settings):
    proxy_settings.setValue("proxy/proxyEnabled", "false")
    proxy_settings.setValue("proxy/proxyType", "HttpProxy")
    proxy_settings.setValue("proxy/proxyHost", "127.0.0.1")
    assert qhttp.read_proxy_settings().enabled is False
    proxy_settings.setValue("proxy/proxyEnabled", "true")
    proxy_settings.setValue("proxy/proxyPort", "3128")
    proxy_settings.setValue("proxy/proxyUser", "alice")
    proxy_settings.setValue("proxy/proxyPassword", "pr0xy-pass")
    proxy_settings.setValue("proxy/noProxyUrls", ["http://127.0.0.1:9", "https://example.org"])
    config = qhttp.read_proxy_settings()
    assert (config.enabled, config.type, config.host, config.port, config.user) == (
        True,
        "HttpProxy",
        "127.0.0.1",
        3128,
        "alice",
    )
    assert config.no_proxy == ("http://127.0.0.1:9", "https://example.org")
    assert "pr0xy-pass" not in repr(config)


def test_single_no_proxy_entry_stored_as_string(proxy_settings):
    proxy_settings.setValue("proxy/proxyEnabled", True)
    proxy_settings.setValue("proxy/proxyType", "HttpProxy")
    proxy_settings.setValue("proxy/proxyHost", "h")
    proxy_settings.setValue("proxy/noProxyUrls", "http://only.one")
    assert qhttp.read_proxy_settings().no_proxy == ("http://only.one",)


def test_socks5_without_socksio_is_a_clear_error(proxy_settings, monkeypatch):
    proxy_settings.setValue("proxy/proxyEnabled", True)
    proxy_settings.setValue("proxy/proxyType", "Socks5Proxy")
    proxy_settings.setValue("proxy/proxyHost", "127.0.0.1")
    proxy_settings.setValue("proxy/proxyPort", "1080")
    real = qhttp.importlib.util.find_spec
    monkeypatch.setattr(qhttp.importlib.util, "find_spec", lambda name: None if name == "socksio" else real(name))
    with pytest.raises(qhttp.InputError, match="socksio"):
        qhttp.make_client()


def test_client_has_identity_and_explicit_timeouts(proxy_settings):
    with qhttp.make_client() as client:
        agent = client.headers["User-Agent"]
        assert agent.startswith("Nadir/") and " QGIS/3." in agent
        assert client.timeout.connect == qhttp.CONNECT_TIMEOUT and client.timeout.read and client.timeout.read >= 10
        assert isinstance(client._transport, httpx.HTTPTransport)  # proxy disabled: direct


def test_ssl_context_includes_what_qgis_trusts(qgis_app):
    pems = qhttp.trusted_ca_pem()
    assert all(p.startswith("-----BEGIN CERTIFICATE-----") for p in pems)
    context = qhttp.ssl_context()
    assert context.verify_mode.name == "CERT_REQUIRED" and context.check_hostname


def test_one_tls_context_is_shared_until_the_trusted_cas_change(qgis_app):
    """Loading the CAs took 100 ms or more on the GUI thread for every client (each search,
    each quicklook task); now once, and again only when QGIS's trusted CAs change."""
    thread = threading.Thread(target=qhttp.ssl_context, args=(qhttp.trusted_ca_pem(),))  # as the wake-up does
    thread.start()
    thread.join(30)
    first = qhttp.ssl_context()
    with qhttp.make_client() as one, qhttp.make_client() as two:
        assert one is not two
    assert qhttp.ssl_context() is first
    pems = qhttp.trusted_ca_pem()
    other = qhttp.ssl_context(pems[:-1] if pems else ["-----BEGIN CERTIFICATE-----\nbroken\n"])
    assert other is not first and other.verify_mode.name == "CERT_REQUIRED"
    assert qhttp.ssl_context() is not first  # the full set again: built anew, the old one is not kept
