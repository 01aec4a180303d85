"""A small forward proxy on loopback (HTTP absolute-URI requests and CONNECT tunnels)
that records every request it handles and can demand Basic proxy credentials.

    with ForwardProxy(user="alice", password="pw") as proxy:
        proxy.port, proxy.seen   # [(method, target, authorised)]
"""

from __future__ import annotations

import base64
import select
import socket
import socketserver
import threading
from typing import Any, Optional
from urllib.parse import urlsplit


class ForwardProxy:
    def __init__(self, user: str = "", password: str = "") -> None:
        self.expected = ("Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()) if user else ""
        self.seen: list[tuple[str, str, bool]] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                try:
                    proxy._serve(self.connection, self.rfile)
                except OSError:
                    pass

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def targets(self) -> list[str]:
        with self._lock:
            return [target for _, target, _ in self.seen]

    def _serve(self, client: socket.socket, rfile: Any) -> None:
        while True:
            line = rfile.readline(65537)
            if not line:
                return
            method, target, _version = line.decode("latin-1").split(" ", 2)
            headers: list[tuple[str, str]] = []
            while True:
                header = rfile.readline(65537).decode("latin-1")
                if header in ("\r\n", "\n", ""):
                    break
                name, _, value = header.partition(":")
                headers.append((name.strip(), value.strip()))
            auth = next((v for k, v in headers if k.lower() == "proxy-authorization"), "")
            authorised = not self.expected or auth == self.expected
            with self._lock:
                self.seen.append((method, target, authorised))
            if not authorised:
                client.sendall(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                    b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n'
                )
                continue
            if method == "CONNECT":
                host, _, port = target.partition(":")
                upstream = socket.create_connection((host, int(port)), timeout=10)
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self._tunnel(client, upstream)
                return
            self._forward(client, rfile, method, target, headers)
            return

    @staticmethod
    def _tunnel(a: socket.socket, b: socket.socket) -> None:
        sockets = [a, b]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 10)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)
        finally:
            b.close()

    @staticmethod
    def _forward(client: socket.socket, rfile: Any, method: str, target: str, headers: list[tuple[str, str]]) -> None:
        parts = urlsplit(target)
        length = int(next((v for k, v in headers if k.lower() == "content-length"), "0") or 0)
        body = rfile.read(length) if length else b""
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        kept = [
            (k, v)
            for k, v in headers
            if k.lower() not in ("proxy-authorization", "proxy-connection", "connection", "keep-alive")
        ]
        request = f"{method} {path or '/'} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in kept)
        request += "Connection: close\r\n\r\n"
        upstream: Optional[socket.socket] = None
        try:
            upstream = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=10)
            upstream.sendall(request.encode("latin-1") + body)
            response = b""
            while True:
                data = upstream.recv(65536)
                if not data:
                    break
                response += data
            head, _, rest = response.partition(b"\r\n\r\n")
            lines = [h for h in head.split(b"\r\n") if not h.lower().startswith(b"connection:")]
            client.sendall(b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + rest)
        finally:
            if upstream is not None:
                upstream.close()

    def __enter__(self) -> ForwardProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
