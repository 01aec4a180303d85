"""A scriptable HTTP/1.1 server on loopback for tests of the HTTP stack.

    with ScriptedServer() as server:
        server.script("GET", "/x", Reply(503), Reply(200, json={"ok": True}))
        server.url + "/x"
        server.requests  # what the client sent: method, path, query, headers, body

Replies are served in order per (method, path); the last one repeats. A reply may
``drop`` the connection after its headers (the client never gets the body), ``hang``
after its headers (the connection stays open, nothing more comes), ``trickle`` its body
one byte every so many seconds, serve a
file honouring ``Range`` (``file=`` bytes), or be a callable taking the request.
Optional TLS with a given certificate chain and key.
"""

from __future__ import annotations

import json as jsonlib
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional, Union
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int = 200
    json: Any = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # send the headers, then close without the body
    file: Optional[bytes] = None  # serve these bytes with Range support
    range_support: bool = True
    cut_after: Optional[int] = None  # with file: close after this many body bytes
    chunks: Optional[list[bytes]] = None  # chunked body, flushed chunk by chunk
    delay: float = 0.0
    hang: float = 0.0  # send the headers, then nothing for this many seconds
    trickle: float = 0.0  # seconds between single bytes of the body


@dataclass
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


Responder = Union[Reply, Callable[[Seen], Reply]]


class ScriptedServer:
    def __init__(self, tls: Optional[tuple[str, str]] = None) -> None:
        self._scripts: dict[tuple[str, str], list[Responder]] = {}
        self._lock = threading.Lock()
        self.requests: list[Seen] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                seen = Seen(
                    self.command, parts.path, parts.query, {k.lower(): v for k, v in self.headers.items()}, body
                )
                with server._lock:
                    server.requests.append(seen)
                    script = server._scripts.get((self.command, parts.path)) or server._scripts.get(("*", parts.path))
                    responder: Optional[Responder] = None
                    if script:
                        responder = script.pop(0) if len(script) > 1 else script[0]
                reply = (
                    Reply(404, json={"message": "no script"})
                    if responder is None
                    else (responder(seen) if callable(responder) else responder)
                )
                server._send(self, reply)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        scheme = "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.port = self.httpd.server_address[1]
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def script(self, method: str, path: str, *replies: Responder) -> None:
        with self._lock:
            self._scripts[(method, path)] = list(replies)

    def seen(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        import time

        if reply.delay:
            time.sleep(reply.delay)
        headers = dict(reply.headers)
        body = reply.body
        status = reply.status
        if reply.json is not None:
            body = jsonlib.dumps(reply.json).encode()
            headers.setdefault("Content-Type", "application/json")
        if reply.file is not None:
            data = reply.file
            wanted = handler.headers.get("range", "")
            start = 0
            if reply.range_support and wanted.startswith("bytes=") and status == 200:
                start = int(wanted[6:].split("-")[0] or 0)
                if start >= len(data):
                    handler.send_response(416)
                    handler.send_header("Content-Range", f"bytes */{len(data)}")
                    handler.send_header("Content-Length", "0")
                    handler.end_headers()
                    return
                status = 206
                headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
            headers.setdefault("Content-Type", "application/octet-stream")
            headers["Accept-Ranges"] = "bytes" if reply.range_support else "none"
            body = data[start:]
        handler.send_response(status)
        if reply.chunks is not None:
            headers["Transfer-Encoding"] = "chunked"
        else:
            headers["Content-Length"] = str(len(body) + (100 if reply.drop else 0))
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        if reply.drop:
            handler.wfile.flush()
            handler.close_connection = True
            return
        if reply.hang:
            handler.wfile.flush()
            time.sleep(reply.hang)
            handler.close_connection = True
            return
        if reply.trickle:
            handler.wfile.flush()
            handler.close_connection = True
            try:
                for index in range(len(body)):
                    handler.wfile.write(body[index : index + 1])
                    handler.wfile.flush()
                    time.sleep(reply.trickle)
            except OSError:
                pass  # the client gave up: that is what the tests want
            return
        if reply.chunks is not None:
            for chunk in reply.chunks:
                handler.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                handler.wfile.flush()
            handler.wfile.write(b"0\r\n\r\n")
            return
        if reply.cut_after is not None:
            handler.wfile.write(body[: reply.cut_after])
            handler.wfile.flush()
            handler.close_connection = True
            return
        handler.wfile.write(body)

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
