"""UP42 token server and bearer checks (CONTRACTS.md 1.1)."""

from __future__ import annotations

import base64
import json
import time

import pytest

from support.sandbox_http import HTTP
from support.up42_sandbox import TOKEN_PATH, USERINFO_PATH, Up42, token, users


def claims(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@pytest.mark.parametrize("client_id", ["up42-api", "up42-sdk"])
def test_password_grant_returns_the_documented_fields(sandbox, client_id):
    body = token(sandbox, client_id=client_id)
    assert set(body) == {
        "access_token",
        "expires_in",
        "refresh_expires_in",
        "refresh_token",
        "token_type",
        "not-before-policy",
        "session_state",
        "scope",
    }
    assert body["expires_in"] == 300 and body["refresh_expires_in"] == 1800 and body["token_type"] == "Bearer"
    assert len(body["access_token"].split(".")) == 3
    assert claims(body["access_token"])["sub"] == users(sandbox)[0]["workspaceId"]


def test_scope_openid_is_echoed_as_the_sdk_asks_for_it(sandbox):
    who = users(sandbox)[0]
    body = HTTP.post(
        sandbox.url + TOKEN_PATH,
        data={
            "grant_type": "password",
            "username": who["username"],
            "password": who["password"],
            "client_id": "up42-sdk",
            "scope": "openid",
        },
    ).json()
    assert body["scope"].split()[0] == "openid" and "USER" in body["scope"].split()


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        (
            {"grant_type": "password", "username": "demo@up42.sandbox", "password": "wrong", "client_id": "up42-sdk"},
            401,
            "invalid_grant",
        ),
        (
            {"grant_type": "password", "username": "nobody@x", "password": "x", "client_id": "up42-sdk"},
            401,
            "invalid_grant",
        ),
        (
            {"grant_type": "password", "username": "demo@up42.sandbox", "password": "x", "client_id": "other"},
            401,
            "invalid_client",
        ),
        ({"grant_type": "password", "password": "x", "client_id": "up42-sdk"}, 400, "invalid_request"),
        ({"grant_type": "client_credentials", "client_id": "up42-sdk"}, 400, "unsupported_grant_type"),
        ({"client_id": "up42-sdk"}, 400, "invalid_request"),
    ],
)
def test_token_errors_use_the_oauth_shape(sandbox, form, status, error):
    response = HTTP.post(sandbox.url + TOKEN_PATH, data=form)
    assert response.status_code == status
    assert response.json()["error"] == error and response.json()["error_description"]


def test_token_endpoint_wants_a_form_body(sandbox):
    response = HTTP.post(sandbox.url + TOKEN_PATH, json={"grant_type": "password"})
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_refresh_grant_issues_a_new_access_token(sandbox):
    first = token(sandbox)
    response = HTTP.post(
        sandbox.url + TOKEN_PATH,
        data={"grant_type": "refresh_token", "client_id": "up42-sdk", "refresh_token": first["refresh_token"]},
    )
    assert response.status_code == 200
    fresh = response.json()["access_token"]
    assert fresh != first["access_token"] and response.json()["session_state"] == first["session_state"]
    assert HTTP.get(sandbox.url + "/up42/v2/orders", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_refresh_is_refused_for_another_client_or_an_access_token(sandbox):
    first = token(sandbox, client_id="up42-sdk")
    for form in (
        {"refresh_token": first["refresh_token"], "client_id": "up42-api"},
        {"refresh_token": first["access_token"], "client_id": "up42-sdk"},
        {"refresh_token": "not.a.token", "client_id": "up42-sdk"},
    ):
        response = HTTP.post(sandbox.url + TOKEN_PATH, data={"grant_type": "refresh_token", **form})
        assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_userinfo_sub_is_the_workspace_id(sandbox):
    access = token(sandbox, user=1)["access_token"]
    info = HTTP.get(sandbox.url + USERINFO_PATH, headers={"Authorization": f"Bearer {access}"}).json()
    assert info["sub"] == users(sandbox)[1]["workspaceId"]
    assert HTTP.get(sandbox.url + USERINFO_PATH).status_code == 401


def test_api_without_or_with_a_bad_token_is_401_in_each_envelope(sandbox):
    v2 = HTTP.get(sandbox.url + "/up42/v2/orders")
    assert v2.status_code == 401 and set(v2.json()) == {"code", "message", "details"} and v2.json()["code"] == 401
    assert v2.headers["www-authenticate"].startswith("Bearer")
    forged = token(sandbox)["access_token"][:-4] + "AAAA"
    bad = HTTP.get(sandbox.url + "/up42/v2/orders", headers={"Authorization": f"Bearer {forged}"})
    assert bad.status_code == 401 and "signature" in bad.json()["message"]
    catalog = HTTP.post(sandbox.url + "/up42/catalog/hosts/oneatlas/stac/search", json={})
    assert catalog.status_code == 401
    assert catalog.json()["data"] == {} and catalog.json()["error"]["code"] == 401


def test_glossary_needs_no_token(sandbox):
    assert HTTP.get(sandbox.url + "/up42/v2/collections").status_code == 200


def test_revoked_tokens_are_refused(sandbox):
    client = Up42(sandbox)
    assert client.http.get("/v2/orders").status_code == 200
    sandbox.admin("POST", "up42/tokens", {"revoke": True})
    response = client.http.get("/v2/orders")
    assert response.status_code == 401 and "revoked" in response.json()["message"]
    time.sleep(1.1)  # revocation covers tokens issued up to one second after it
    assert Up42(sandbox).http.get("/v2/orders").status_code == 200


def test_expired_access_token_is_refused_and_refresh_recovers(sandbox):
    sandbox.admin("POST", "up42/tokens", {"access_ttl": 1})
    body = token(sandbox)
    assert body["expires_in"] == 1
    time.sleep(1.2)
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    expired = HTTP.get(sandbox.url + "/up42/v2/orders", headers=headers)
    assert expired.status_code == 401 and "expired" in expired.json()["message"]
    sandbox.admin("POST", "up42/tokens", {"access_ttl": 300})
    renewed = HTTP.post(
        sandbox.url + TOKEN_PATH,
        data={"grant_type": "refresh_token", "client_id": "up42-sdk", "refresh_token": body["refresh_token"]},
    ).json()
    headers = {"Authorization": f"Bearer {renewed['access_token']}"}
    assert HTTP.get(sandbox.url + "/up42/v2/orders", headers=headers).status_code == 200
