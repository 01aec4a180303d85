"""The QGIS client factory through a real proxy and a real TLS server on loopback.

- proxy: a forward proxy set in QGIS's proxy settings sees every request (with its
  Basic credentials), hosts in the no-proxy list bypass it, and with the proxy disabled
  requests go direct; the proxy password never reaches a log line; a proxy factory another
  plugin registered with QGIS decides for the URLs it answers; the dependency installer's
  pip goes through the same proxy;
- TLS: a server whose certificate comes from a private CA fails with a clear
  "not trusted" CertificateError until the CA is added to QGIS's trusted authorities.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsAuthCertUtils, QgsNetworkAccessManager, QgsSettings
from qgis.PyQt.QtNetwork import QNetworkProxy, QNetworkProxyFactory, QSslCertificate

from nadir.core import errors
from nadir.core.credentials import Credentials
from nadir.core.retry import RetryPolicy
from nadir.providers.clearsky.adapter import ClearSky
from nadir.providers.http.session import HttpSession
from nadir.toolbelt import http as qhttp
from support.httpserver import Reply, ScriptedServer
from support.proxy import ForwardProxy

PROXY_PASSWORD = "pr0xy-Pa55-word"
API_KEY = "cs-key-for-proxy-test"
MODELS = {
    "Succeeded": True,
    "Error": None,
    "Data": {
        "TaskingModels": [
            {
                "Model": "Stratus2",
                "SupportedSatelliteConstellations": [{"SatelliteConstellation": "Sentinel2", "Optional": False}],
            }
        ]
    },
}


@pytest.fixture
def proxy_settings(qgis_app):
    QgsSettings().remove("proxy")
    yield QgsSettings()
    QgsSettings().remove("proxy")


def use_proxy(settings: QgsSettings, proxy: ForwardProxy, no_proxy=(), enabled="true") -> None:
    settings.setValue("proxy/proxyEnabled", enabled)  # stored as text, read as a bool
    settings.setValue("proxy/proxyType", "HttpProxy")
    settings.setValue("proxy/proxyHost", "127.0.0.1")
    settings.setValue("proxy/proxyPort", str(proxy.port))
    settings.setValue("proxy/proxyUser", "alice")
    settings.setValue("proxy/proxyPassword", PROXY_PASSWORD)
    settings.setValue("proxy/noProxyUrls", list(no_proxy))


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.exc_text or ''}")


@pytest.fixture
def debug_logs():
    handler = Records()
    loggers = [logging.getLogger(n) for n in ("nadir", "httpx", "httpcore")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    yield handler.lines
    for lg, level in zip(loggers, levels):
        lg.removeHandler(handler)
        lg.setLevel(level)


def test_every_request_goes_through_the_qgis_proxy(proxy_settings, debug_logs):
    with ForwardProxy("alice", PROXY_PASSWORD) as proxy, ScriptedServer() as api:
        api.script("GET", "/api/tasking/models", Reply(200, json=MODELS))
        api.script("GET", "/plain", Reply(200, body=b"ok"))
        use_proxy(proxy_settings, proxy)
        client = qhttp.make_client()
        adapter = ClearSky({"api": api.url}, Credentials(secret=API_KEY), client)
        assert adapter.imagery_models()[0].name == "Stratus2"
        assert client.get(api.url + "/plain").content == b"ok"
        adapter.close()
        assert proxy.seen == [("GET", api.url + "/api/tasking/models", True), ("GET", api.url + "/plain", True)]
        assert [r.path for r in api.requests] == ["/api/tasking/models", "/plain"]
        assert "proxy-authorization" not in api.requests[0].headers  # the proxy took its credentials off
    text = "\n".join(debug_logs)
    assert any(line.startswith("httpcore") for line in debug_logs), "httpcore DEBUG lines were captured"
    assert PROXY_PASSWORD not in text and API_KEY not in text


def test_wrong_proxy_credentials_are_a_clear_error(proxy_settings):
    with ForwardProxy("alice", "another-password") as proxy, ScriptedServer() as api:
        use_proxy(proxy_settings, proxy)
        with qhttp.make_client() as client:
            session = HttpSession("clearsky", client, policy=RetryPolicy(max_attempts=1))
            with pytest.raises(errors.ProviderError) as info:
                session.request("GET", api.url + "/x", endpoint="x")
        assert info.value.status == 407 and "proxy user and password" in str(info.value)
        assert PROXY_PASSWORD not in str(info.value) + info.value.details
        assert not api.requests


def test_no_proxy_hosts_bypass_the_proxy_and_disabled_means_direct(proxy_settings):
    with ForwardProxy("alice", PROXY_PASSWORD) as proxy, ScriptedServer() as near, ScriptedServer() as far:
        near.script("GET", "/x", Reply(200, body=b"near"))
        far.script("GET", "/x", Reply(200, body=b"far"))
        use_proxy(proxy_settings, proxy, no_proxy=[near.url])
        with qhttp.make_client() as client:
            assert client.get(near.url + "/x").content == b"near"
            assert client.get(far.url + "/x").content == b"far"
        assert proxy.targets() == [far.url + "/x"]
        use_proxy(proxy_settings, proxy, enabled="false")
        with qhttp.make_client() as client:
            assert client.get(far.url + "/x").content == b"far"
        assert proxy.targets() == [far.url + "/x"] and len(far.requests) == 2


def test_https_goes_through_the_proxy_as_a_tunnel(proxy_settings, private_ca, auth_manager):
    ca_pem, cert, key = private_ca
    trust(ca_pem)
    try:
        with ForwardProxy("alice", PROXY_PASSWORD) as proxy, ScriptedServer(tls=(cert, key)) as api:
            api.script("GET", "/x", Reply(200, body=b"secure"))
            use_proxy(proxy_settings, proxy)
            with qhttp.make_client() as client:
                assert client.get(api.url + "/x").content == b"secure"
            assert proxy.seen == [("CONNECT", f"127.0.0.1:{api.port}", True)]
    finally:
        untrust(ca_pem)


# ------------------------------------------------------------------------ TLS
def _make_ca_with_cryptography(folder: Path) -> tuple[str, str, str]:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nadir test private CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_pem = ca.public_bytes(serialization.Encoding.PEM).decode()
    (folder / "server.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    )
    return ca_pem, str(folder / "server.pem"), str(folder / "server.key")


def _make_ca_with_openssl(folder: Path) -> tuple[str, str, str]:
    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "30",
        "-subj",
        "/CN=Nadir test private CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    )
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (folder / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1\n")
    run(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "30",
        "-extfile",
        "ext.cnf",
    )
    return (folder / "ca.pem").read_text(), str(folder / "server.pem"), str(folder / "server.key")


@pytest.fixture
def private_ca(tmp_path):
    try:
        return _make_ca_with_cryptography(tmp_path)
    except ImportError:
        if shutil.which("openssl") is None:
            pytest.skip("neither the cryptography package nor the openssl CLI is available")
        return _make_ca_with_openssl(tmp_path)


def _qt_cert(ca_pem: str) -> QSslCertificate:
    certs = QSslCertificate.fromData(ca_pem.encode())
    assert certs and not certs[0].isNull()
    return certs[0]


def trust(ca_pem: str) -> None:
    manager = QgsApplication.authManager()
    cert = _qt_cert(ca_pem)
    assert manager.storeCertAuthority(cert)
    assert manager.storeCertTrustPolicy(cert, QgsAuthCertUtils.CertTrustPolicy.Trusted)
    manager.rebuildCaCertsCache()
    manager.rebuildTrustedCaCertsCache()


def untrust(ca_pem: str) -> None:
    manager = QgsApplication.authManager()
    cert = _qt_cert(ca_pem)
    manager.removeCertTrustPolicy(cert)
    manager.removeCertAuthority(cert)
    manager.rebuildCaCertsCache()
    manager.rebuildTrustedCaCertsCache()


def test_private_ca_works_only_once_trusted_in_qgis(proxy_settings, private_ca, auth_manager):
    ca_pem, cert, key = private_ca
    with ScriptedServer(tls=(cert, key)) as api:
        api.script("GET", "/api/tasking/models", Reply(200, json=MODELS))
        with qhttp.make_client() as client:
            adapter = ClearSky({"api": api.url}, Credentials(secret=API_KEY), client)
            with pytest.raises(errors.CertificateError) as info:
                adapter.imagery_models()
        message = str(info.value)
        assert "not trusted" in message and "Certificate Manager" in message and "ClearSKY" in message
        assert not api.requests
        trust(ca_pem)
        try:
            with qhttp.make_client() as client:
                adapter = ClearSky({"api": api.url}, Credentials(secret=API_KEY), client)
                assert adapter.imagery_models()[0].name == "Stratus2"
        finally:
            untrust(ca_pem)
        with qhttp.make_client() as client, pytest.raises(errors.CertificateError):
            HttpSession("clearsky", client, policy=RetryPolicy(max_attempts=1)).request(
                "GET", api.url + "/api/tasking/models", endpoint="models"
            )


def test_default_proxy_means_the_system_proxy_and_excluded_urls_use_it_too(proxy_settings, monkeypatch):
    with ForwardProxy() as system, ForwardProxy("alice", PROXY_PASSWORD) as configured, ScriptedServer() as api:
        api.script("GET", "/x", Reply(200, body=b"ok"))
        api.script("GET", "/excluded/y", Reply(200, body=b"ok"))
        monkeypatch.setenv("http_proxy", system.url)
        monkeypatch.setenv("no_proxy", "")
        monkeypatch.delenv("NO_PROXY", raising=False)
        proxy_settings.setValue("proxy/proxyEnabled", True)
        proxy_settings.setValue("proxy/proxyType", "DefaultProxy")
        with qhttp.make_client() as client:
            assert client.get(api.url + "/x").content == b"ok"
        assert system.targets() == [api.url + "/x"]
        use_proxy(proxy_settings, configured)
        proxy_settings.setValue("proxy/proxyExcludedUrls", [api.url + "/excluded"])
        with qhttp.make_client() as client:
            client.get(api.url + "/x")
            client.get(api.url + "/excluded/y")
        assert configured.targets() == [api.url + "/x"]
        assert system.targets()[-1] == api.url + "/excluded/y"


def test_proxy_credentials_can_come_from_a_qgis_auth_config(proxy_settings, auth_manager):
    from nadir.toolbelt import auth

    authcfg = auth.store_basic("Nadir test proxy", "bob", "auth-db-proxy-pass")
    with ForwardProxy("bob", "auth-db-proxy-pass") as proxy, ScriptedServer() as api:
        api.script("GET", "/x", Reply(200, body=b"ok"))
        use_proxy(proxy_settings, proxy)
        proxy_settings.setValue("proxy/authcfg", authcfg)
        with qhttp.make_client() as client:
            assert client.get(api.url + "/x").content == b"ok"
        assert proxy.seen == [("GET", api.url + "/x", True)]


# ------------------------------------------------------- proxy factories of other plugins
class HostProxyFactory(QNetworkProxyFactory):
    """What another plugin (a PAC evaluator, a corporate helper) registers with QGIS."""

    def __init__(self, answers):
        super().__init__()
        self.answers = answers  # host (or path) -> [QNetworkProxy]; others: no opinion
        self.asked = []

    def queryProxy(self, query):
        url = query.url()
        self.asked.append(url.host())
        return self.answers.get(url.host(), self.answers.get(url.path(), []))


@pytest.fixture
def registered():
    manager = QgsNetworkAccessManager.instance()
    factories = []

    def register(answers):
        factory = HostProxyFactory(answers)
        manager.insertProxyFactory(factory)
        factories.append(factory)
        return factory

    yield register
    for factory in factories:
        manager.removeProxyFactory(factory)


def test_a_proxy_factory_registered_with_qgis_decides_for_its_host_only(proxy_settings, registered):
    with ForwardProxy("carol", "fact0ry-pass") as proxy, ScriptedServer() as api:
        api.script("GET", "/x", Reply(200, body=b"via factory"))
        api.script("GET", "/y", Reply(200, body=b"direct"))
        factory = registered(
            {
                "localhost": [
                    QNetworkProxy(QNetworkProxy.ProxyType.HttpProxy, "127.0.0.1", proxy.port, "carol", "fact0ry-pass")
                ]
            }
        )
        with qhttp.make_client() as client:  # QGIS's own proxy is off
            assert client.get(f"http://localhost:{api.port}/x").content == b"via factory"
            assert client.get(f"http://127.0.0.1:{api.port}/y").content == b"direct"
        assert proxy.seen == [("GET", f"http://localhost:{api.port}/x", True)]
        assert [r.path for r in api.requests] == ["/x", "/y"] and factory.asked == ["localhost", "127.0.0.1"]


def test_a_factory_saying_no_proxy_overrides_the_settings_proxy_for_its_host(proxy_settings, registered):
    with ForwardProxy("alice", PROXY_PASSWORD) as configured, ScriptedServer() as api:
        api.script("GET", "/x", Reply(200, body=b"ok"))
        api.script("GET", "/default", Reply(200, body=b"ok"))
        use_proxy(proxy_settings, configured)
        registered(
            {
                "localhost": [QNetworkProxy(QNetworkProxy.ProxyType.NoProxy)],
                "/default": [QNetworkProxy(QNetworkProxy.ProxyType.DefaultProxy)],
            }
        )  # no opinion
        with qhttp.make_client() as client:
            client.get(f"http://localhost:{api.port}/x")
            client.get(f"http://127.0.0.1:{api.port}/x")
            client.get(f"http://127.0.0.1:{api.port}/default")
        assert configured.seen == [
            ("GET", f"http://127.0.0.1:{api.port}/x", True),
            ("GET", f"http://127.0.0.1:{api.port}/default", True),
        ]
        assert len(api.requests) == 3


# ------------------------------------------------------------- pip of the installer
def test_the_dependency_installer_runs_pip_through_qgis_proxy(proxy_settings, tmp_path, monkeypatch):
    from nadir.toolbelt import dependencies

    with ForwardProxy("alice", PROXY_PASSWORD) as proxy, ScriptedServer() as index:
        use_proxy(proxy_settings, proxy)
        monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")  # an environment proxy must not win
        monkeypatch.delenv("PIP_NO_INDEX", raising=False)
        monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
        monkeypatch.setenv("PIP_INDEX_URL", index.url + "/simple/")
        monkeypatch.setenv("PIP_RETRIES", "0")
        monkeypatch.setenv("PIP_TIMEOUT", "10")
        requirements = tmp_path / "req.txt"
        requirements.write_text("nadirproxyprobe==1.0\n")
        env = dependencies.pip_proxy_environment()
        assert env == {"PIP_PROXY": f"http://alice:{PROXY_PASSWORD}@127.0.0.1:{proxy.port}"}
        assert not any(PROXY_PASSWORD in part for part in dependencies.install_command(tmp_path, requirements))
        result = dependencies.install(tmp_path / "target", requirements, timeout=120, proxy_env=env)
        assert not result.ok  # the index has no such package
        assert ("GET", index.url + "/simple/nadirproxyprobe/", True) in proxy.seen, (proxy.seen, result.output)
        assert [r.path for r in index.requests][:1] == ["/simple/nadirproxyprobe/"]
        assert PROXY_PASSWORD not in result.output
        proxy_settings.setValue("proxy/noProxyUrls", [index.url])
        assert dependencies.pip_proxy_environment() == {"PIP_PROXY": "", "NO_PROXY": "*", "no_proxy": "*"}
