"""Retry policy (pure), credentials value, token authenticators over loopback HTTP."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from nadir.core import errors
from nadir.core.credentials import Credentials, on_secret
from nadir.core.retry import Failure, RetryPolicy, classify_status, parse_retry_after
from nadir.providers.http.auth import ApiKeyHeader, BearerToken, TokenGrant, clear_token_cache
from nadir.providers.http.session import HttpSession, plain_client
from support.httpserver import Reply, ScriptedServer


# ------------------------------------------------------------------------ policy
def test_backoff_grows_is_jittered_and_capped():
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    assert policy.backoff(1, rng=lambda: 0.0) == 0.5 and policy.backoff(1, rng=lambda: 1.0) == 1.0
    assert policy.backoff(3, rng=lambda: 0.0) == 2.0
    assert policy.backoff(30, rng=lambda: 1.0) == 8.0
    waits = {round(policy.backoff(2), 6) for _ in range(20)}
    assert len(waits) > 1 and all(1.0 <= w <= 2.0 for w in waits)


def test_reads_retry_transport_and_5xx_writes_only_what_never_arrived():
    policy = RetryPolicy(max_attempts=3)
    for failure in (Failure.NOT_SENT, Failure.TRANSPORT, Failure.SERVER):
        assert policy.should_retry(failure, 1, write=False)
        assert not policy.should_retry(failure, 3, write=False)
    assert policy.should_retry(Failure.NOT_SENT, 1, write=True)
    assert not policy.should_retry(Failure.TRANSPORT, 1, write=True)
    assert not policy.should_retry(Failure.SERVER, 1, write=True)
    assert policy.should_retry(Failure.SERVER, 1, write=True, idempotent=True)
    assert policy.should_retry(Failure.RATE_LIMITED, 1, write=True)
    assert not policy.should_retry(Failure.RATE_LIMITED, policy.rate_limit_attempts + 1, write=False)
    assert not policy.should_retry(Failure.FINAL, 1, write=False)
    assert classify_status(429) is Failure.RATE_LIMITED and classify_status(502) is Failure.SERVER
    assert classify_status(402) is Failure.FINAL


def test_retry_after_parsing():
    now = datetime(2025, 1, 1, 12, 0, tzinfo=timezone.utc)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None and parse_retry_after(None) is None
    assert parse_retry_after("-3", now) == 0.0
    policy = RetryPolicy(max_retry_after=60)
    assert policy.rate_limit_wait(None) == policy.default_retry_after
    assert policy.rate_limit_wait(61) is None


# ------------------------------------------------------------------------ credentials
def test_credentials_never_show_the_secret():
    creds = Credentials("me@example.com", "s3cret-value", {"header": "x-api-key"})
    assert "s3cret-value" not in repr(creds) and "s3cret-value" not in str(creds)
    assert "me@example.com" in repr(creds) and creds.present and not Credentials().present


def test_fixed_authenticators_hide_their_secrets():
    assert "k-123456" not in repr(ApiKeyHeader("x-api-key", "k-123456"))
    bearer = BearerToken("tok-123456")
    assert bearer.headers() == {"Authorization": "Bearer tok-123456"} and "tok-123456" not in repr(bearer)
    assert bearer.refresh() is False


# ------------------------------------------------------------------------ token grant
@pytest.fixture
def token_server():
    clear_token_cache()
    with ScriptedServer() as srv:
        yield srv
    clear_token_cache()


def grant(srv, client, form=None, **kwargs):
    token_session = HttpSession("up42", client, policy=RetryPolicy(base_delay=0.01), sleep=lambda s: None)
    return TokenGrant(
        srv.url + "/token",
        form or {"grant_type": "password", "username": "u", "password": "pw-1234", "client_id": "up42-api"},
        token_session,
        **kwargs,
    )


def token(access, expires=300, refresh="", refresh_expires=1800):
    body = {
        "access_token": access,
        "expires_in": expires,
        "token_type": "Bearer",
        "refresh_expires_in": refresh_expires if refresh else 0,
    }
    if refresh:
        body["refresh_token"] = refresh
    return Reply(200, json=body)


def test_token_is_cached_across_instances_and_announced_for_redaction(token_server):
    seen = []
    on_secret(seen.append)
    token_server.script("POST", "/token", token("tok-A"))
    with plain_client() as client:
        assert grant(token_server, client).headers() == {"Authorization": "Bearer tok-A"}
        assert grant(token_server, client).headers() == {"Authorization": "Bearer tok-A"}
    assert len(token_server.seen("/token")) == 1
    body = token_server.seen("/token")[0].body.decode()
    assert "grant_type=password" in body and "client_id=up42-api" in body
    assert "tok-A" in seen


def test_token_is_renewed_before_expiry_with_the_refresh_token(token_server):
    now = [1000.0]
    token_server.script("POST", "/token", token("tok-A", expires=300, refresh="ref-A"), token("tok-B", refresh="ref-B"))
    with plain_client() as client:
        auth = grant(token_server, client, clock=lambda: now[0])
        assert auth.access_token() == "tok-A"
        now[0] += 275  # inside the 30 s margin
        assert auth.access_token() == "tok-B"
    second = token_server.seen("/token")[1].body.decode()
    assert "grant_type=refresh_token" in second and "refresh_token=ref-A" in second


def test_without_refresh_token_the_full_grant_is_repeated(token_server):
    now = [0.0]
    token_server.script("POST", "/token", token("tok-A", expires=3600), token("tok-B", expires=3600))
    form = {"apikey": "oa-key-123456", "grant_type": "api_key", "client_id": "IDP"}
    with plain_client() as client:
        auth = grant(token_server, client, form=form, clock=lambda: now[0])
        auth.headers()
        now[0] += 3590
        assert auth.access_token() == "tok-B"
    assert all("grant_type=api_key" in r.body.decode() for r in token_server.seen("/token"))


def test_401_renews_the_token_once(token_server):
    token_server.script("POST", "/token", token("tok-A"), token("tok-B"))
    token_server.script("GET", "/api", Reply(401), Reply(200, json={"ok": True}))
    with plain_client() as client:
        auth = grant(token_server, client)
        api = HttpSession("up42", client, auth, sleep=lambda s: None)
        assert api.json("GET", token_server.url + "/api", endpoint="api") == {"ok": True}
    assert [r.headers["authorization"] for r in token_server.seen("/api")] == ["Bearer tok-A", "Bearer tok-B"]


def test_refused_credentials_give_one_clear_error_without_secrets(token_server):
    token_server.script(
        "POST", "/token", Reply(401, json={"error": "invalid_grant", "error_description": "Invalid user credentials"})
    )
    with plain_client() as client:
        auth = grant(token_server, client)
        api = HttpSession("up42", client, auth, sleep=lambda s: None)
        with pytest.raises(errors.ProviderAuthError) as info:
            api.request("GET", token_server.url + "/api", endpoint="api")
    assert "UP42 did not accept the credentials" in str(info.value) and "Settings > Options > Nadir" in str(info.value)
    assert "pw-1234" not in str(info.value) + repr(info.value) + info.value.details
    assert len(token_server.seen("/token")) == 1 and not token_server.seen("/api")


def test_concurrent_requests_share_one_token_request(token_server):
    token_server.script("POST", "/token", Reply(200, json={"access_token": "tok-A", "expires_in": 300}, delay=0.2))
    results = []
    with plain_client() as client:

        def work():
            results.append(grant(token_server, client).access_token())

        threads = [threading.Thread(target=work) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert results == ["tok-A"] * 5 and len(token_server.seen("/token")) == 1


def test_token_response_without_access_token_is_invalid(token_server):
    token_server.script("POST", "/token", Reply(200, json={"expires_in": 300}))
    with plain_client() as client, pytest.raises(errors.InvalidResponse, match="token"):
        grant(token_server, client).headers()
