"""The log chain as QGIS runs it: the record factory of ``toolbelt.log`` formats and
redacts every record when it is created, *before* the ``httpx`` logger's query filter
runs; whatever the order, no signed link's signature, cookie or key reaches a handler,
including httpcore's DEBUG records of response headers (a redirect's ``Location``,
``Set-Cookie``)."""

from __future__ import annotations

import logging

import pytest

from nadir.core.redaction import MASK, redact, strip_queries, strip_url_credentials
from nadir.providers.http import session as http
from nadir.toolbelt import log
from support.httpserver import Reply, ScriptedServer

SIGNED = "signature=SIGabc123def&expires=99"
AMZ = "X-Amz-Credential=AKIAEXAMPLE%2F20240101&X-Amz-Signature=AMZsig0123456789"
SAS = "sv=2022-11-02&se=2030-01-01&sig=SASsig0123456789%3D"
SECRETS = ("SIGabc123def", "AMZsig0123456789", "AKIAEXAMPLE", "SASsig0123456789", "COOKIEsecret42", "LOCsig98765")


class ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        formatter = logging.Formatter("%(name)s %(message)s")
        return "\n".join(formatter.format(r) for r in self.records)


NAMES = ("httpx", "httpcore.http11", "httpcore.connection", "nadir")


@pytest.fixture(params=["factory", "no factory"])
def chain(request):
    """A foreign handler on every network logger, with and without QGIS's record factory."""
    handler = ListHandler()
    levels = {}
    for name in NAMES:
        logger = logging.getLogger(name)
        levels[name] = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    if request.param == "factory":
        log.install_record_redaction()
    yield handler
    log.uninstall_record_redaction()
    for name in NAMES:
        logging.getLogger(name).removeHandler(handler)
        logging.getLogger(name).setLevel(levels[name])


def test_signed_links_redirects_and_cookies_leave_no_secret_in_the_log(chain):
    with ScriptedServer() as server:
        server.script(
            "GET",
            "/a",
            Reply(302, headers={"Location": "/b?sig=LOCsig98765&se=1", "Set-Cookie": "session=COOKIEsecret42; Path=/"}),
        )
        server.script("GET", "/b", Reply(200, json={"ok": 1}))
        server.script("GET", "/c", Reply(200, json={"ok": 1}))
        session = http.HttpSession("up42", http.plain_client())
        session.request("GET", f"{server.url}/a?{SIGNED}&{AMZ}", endpoint="download")
        session.request("GET", f"{server.url}/c?{SAS}", endpoint="download")
    text = chain.text()
    assert "HTTP Request: GET" in text and "/a" in text and "receive_response_headers" in text
    for secret in SECRETS:
        assert secret not in text, f"{secret} leaked:\n{text}"


@pytest.mark.parametrize(
    "line,secret",
    [
        ("Authorization: Token tok_0123456789abcdef", "tok_0123456789abcdef"),
        ("authorization: ApiKey ak-0123456789abcdef", "ak-0123456789abcdef"),
        ("{'Authorization': 'Token tok_0123456789abcdef'}", "tok_0123456789abcdef"),
        ("Authorization: AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/x, Signature=abcdef0123456789", "abcdef0123456789"),
        ("GET https://bucket.s3.amazonaws.com/k.tif?X-Amz-Signature=abcdef0123456789&X-Amz-Date=1", "abcdef0123456789"),
        ("https://acct.blob.core.windows.net/c/b.tif?sv=1&sig=Zm9vYmFyYmF6%3D&se=2", "Zm9vYmFyYmF6"),
        ("https://cdn.example/x.tif?Expires=1&Signature=sigsigsig123&Key-Pair-Id=K1", "sigsigsig123"),
        ("Idempotency-Key: 0f1e2d3c4b5a69788796a5b4c3d2e1f0", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
        ("(b'Set-Cookie', b'session=COOKIEsecret42; Path=/; HttpOnly')", "COOKIEsecret42"),
        ("(b'Location', b'https://x/y.tif?token=LOCsig98765')", "LOCsig98765"),
    ],
)
def test_one_pattern_list_masks_every_credential_form(line, secret):
    masked = redact(line)
    assert secret not in masked and MASK in masked


def test_query_stripping_and_redaction_compose_in_either_order():
    line = f'HTTP Request: GET https://h/x.tif?{SIGNED} "HTTP/1.1 200 OK"'
    for text in (strip_queries(redact(line)), redact(strip_queries(line))):
        assert "SIGabc123def" not in text and "https://h/x.tif" in text and "200 OK" in text


def test_formatted_httpx_record_loses_its_query_in_the_filter():
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, f"HTTP Request: GET https://h/x?{SIGNED} ok", None, None
    )
    assert http.QueryFreeRequestLog().filter(record)
    assert "SIGabc123def" not in record.getMessage() and "https://h/x ok" in record.getMessage()


def test_strip_url_credentials_keeps_what_is_not_a_credential():
    url = f"https://h/dir/x.tif?{AMZ}&{SAS}&{SIGNED}&band=2&token=t0k"
    assert strip_url_credentials(url) == "https://h/dir/x.tif?band=2"
    assert strip_url_credentials("https://h/x.tif") == "https://h/x.tif"
