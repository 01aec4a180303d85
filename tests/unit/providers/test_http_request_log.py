"""httpx's own request log lines carry no query string (signed links, keys)."""

from __future__ import annotations

import logging

import httpx

from nadir.providers.http import session as http
from support.httpserver import Reply, ScriptedServer


def test_httpx_request_lines_lose_their_query_but_keep_the_path(caplog):
    with ScriptedServer() as server:
        server.script("GET", "/files/1.tif", Reply(200, body=b"x"))
        caplog.set_level(logging.DEBUG, logger="httpx")
        session = http.HttpSession("up42", http.plain_client())
        session.request("GET", server.url + "/files/1.tif?expires=1&signature=s3cr3t-sig", endpoint="download")
    lines = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any("/files/1.tif" in line for line in lines)
    assert not any("s3cr3t-sig" in line or "?" in line for line in lines)
    assert [f for f in logging.getLogger("httpx").filters if isinstance(f, http.QueryFreeRequestLog)]
    http._install_request_log_filter()  # idempotent
    assert len([f for f in logging.getLogger("httpx").filters if isinstance(f, http.QueryFreeRequestLog)]) == 1
    assert httpx.URL("http://a/b?c=d").copy_with(query=None) == httpx.URL("http://a/b")
