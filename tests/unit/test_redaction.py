"""Redaction through real logging calls (the bridge's filter and record factory)."""

from __future__ import annotations

import logging

import pytest

from nadir.toolbelt import log
from nadir.toolbelt.redact import MASK, forget_secrets, redact, register_secret

SECRETS = {
    "bearer": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmFseXN0In0.c2lnbmF0dXJl",
    "apikey": "cs_live_9f8e7d6c5b4a",
    "password": "Hunter2-correct-horse",
    "client_secret": "pi_3DS_secret_abcdef123456",
    "geopera": "gpra_0123456789abcdef",
    "proxy": "pr0xyPa55",
}


@pytest.fixture
def captured():
    """Capture records the way any foreign handler would, with redaction installed."""
    records: list[logging.LogRecord] = []

    class ListHandler(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = ListHandler(level=logging.DEBUG)
    loggers = [logging.getLogger(n) for n in ("nadir.test", "httpx", "httpcore.http11")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    log.install_record_redaction()
    yield records
    log.uninstall_record_redaction()
    for logger in loggers:
        logger.removeHandler(handler)
    forget_secrets()


def rendered(records):
    formatter = logging.Formatter("%(name)s %(message)s")
    return "\n".join(formatter.format(r) for r in records)


def test_patterns_mask_credentials_in_real_log_calls(captured):
    logger = logging.getLogger("nadir.test")
    logger.debug("Authorization: Bearer %s", SECRETS["bearer"])
    logger.info("headers {'x-api-key': '%s'}", SECRETS["apikey"])
    logger.warning("form body grant_type=password&username=a@b.c&password=%s", SECRETS["password"])
    logger.error('402 body {"client_secret": "%s", "reason": "3ds"}', SECRETS["client_secret"])
    logger.info("key %s used", SECRETS["geopera"])
    logging.getLogger("httpx").info("proxy http://user:%s@127.0.0.1:3128", SECRETS["proxy"])
    logging.getLogger("httpcore.http11").debug("token=%s&x=1", SECRETS["bearer"])
    text = rendered(captured)
    for name, secret in SECRETS.items():
        assert secret not in text, f"{name} leaked: {text}"
    assert text.count(MASK) >= len(SECRETS)
    assert "grant_type=password" in text  # non-secret context survives


def test_registered_secret_is_masked_anywhere(captured):
    register_secret("plain-words-secret-value")
    logging.getLogger("nadir.test").info("odd place: <plain-words-secret-value>")
    assert "plain-words-secret-value" not in rendered(captured)


def test_exception_text_is_masked(captured):
    try:
        raise RuntimeError(f"server said password={SECRETS['password']}")
    except RuntimeError:
        logging.getLogger("nadir.test").exception("call failed")
    assert SECRETS["password"] not in rendered(captured)


def test_redaction_is_removed_on_uninstall():
    log.install_record_redaction()
    log.uninstall_record_redaction()
    record = logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, "password=%s", ("abc123",), None)
    assert record.getMessage() == "password=abc123"


def test_redact_leaves_ordinary_text_alone():
    text = "Found 12 captures over France, cloud cover <= 20 %"
    assert redact(text) == text
