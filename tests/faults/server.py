"""A raw-socket HTTP server on 127.0.0.1 that misbehaves on purpose.

Frameworks will not send a wrong Content-Length, reset a connection half way through a
body or trickle a byte a second; this server writes the bytes itself. Each path maps to a
*behaviour* ``fn(sock, head, server)``; the ``fault_*`` factories below build the usual
ones. Every request is logged (path, time) so tests can assert what was, and what was
never, asked for.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
import time
import zlib
from collections.abc import Callable
from email.utils import format_datetime

import brotli

Behaviour = Callable[[socket.socket, bytes, "FaultServer"], None]


def path_of(head: bytes) -> str:
    try:
        return head.split(b" ", 2)[1].decode("latin-1")
    except IndexError:
        return ""


class FaultServer:
    """Threaded TCP server; unknown paths get a 404, robots.txt a 404 unless routed."""

    def __init__(self) -> None:
        self.routes: dict[str, Behaviour] = {}
        self.stop_event = threading.Event()
        self.requests: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        outer = self

        class _Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                sock.settimeout(10)
                head = b""
                try:
                    while b"\r\n\r\n" not in head:
                        chunk = sock.recv(65536)
                        if not chunk:
                            return
                        head += chunk
                except OSError:
                    return
                path = path_of(head)
                with outer.lock:
                    outer.requests.append((time.monotonic(), path))
                behaviour = outer.routes.get(path) or outer.routes.get(path.split("?")[0])
                if behaviour is None:
                    behaviour = not_found
                try:
                    behaviour(sock, head, outer)
                except OSError:
                    pass

        class _Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 64

        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def route(self, path: str, behaviour: Behaviour) -> str:
        self.routes[path] = behaviour
        return self.base + path

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        with self.lock:
            return [p for _, p in self.requests]

    def close(self) -> None:
        self.stop_event.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ------------------------------------------------------------------ behaviours


def head_bytes(status: int = 200, headers: dict[str, str] | None = None,
               reason: str = "X") -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}"]
    for key, value in (headers or {}).items():
        lines.append(f"{key}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def respond(body: bytes | str, status: int = 200, content_type: str = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None) -> Behaviour:
    data = body.encode() if isinstance(body, str) else body

    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        hdrs = {"Content-Type": content_type, "Content-Length": str(len(data)),
                "Connection": "close", **(headers or {})}
        sock.sendall(head_bytes(status, hdrs) + data)

    return go


def not_found(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
    sock.sendall(head_bytes(404, {"Content-Length": "0", "Connection": "close"}))


def _rst(sock: socket.socket) -> None:
    """Close with a TCP RST instead of a FIN (SO_LINGER with a zero timeout)."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def fault_reset_mid_body(sent: bytes = b"<html><body><p>partial " * 40) -> Behaviour:
    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        sock.sendall(head_bytes(200, {"Content-Type": "text/html",
                                      "Content-Length": str(len(sent) * 10)}) + sent)
        time.sleep(0.05)
        _rst(sock)

    return go


def fault_reset_before_response() -> Behaviour:
    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        _rst(sock)

    return go


def fault_stall_after_headers() -> Behaviour:
    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        sock.sendall(head_bytes(200, {"Content-Type": "text/html", "Content-Length": "5000"}))
        srv.stop_event.wait(30)

    return go


def fault_trickle(interval: float = 1.0) -> Behaviour:
    """One byte a second (by default), forever, as chunked transfer coding."""

    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        sock.sendall(head_bytes(200, {"Content-Type": "text/html",
                                      "Transfer-Encoding": "chunked"}))
        while not srv.stop_event.is_set():
            sock.sendall(b"1\r\nx\r\n")
            if srv.stop_event.wait(interval):
                return

    return go


def fault_endless_chunked(chunk: bytes = b"<p>more news</p>" * 256) -> Behaviour:
    """A chunked body that never ends, as fast as the client reads it."""
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"

    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        sock.sendall(head_bytes(200, {"Content-Type": "text/html",
                                      "Transfer-Encoding": "chunked"}))
        deadline = time.monotonic() + 60
        while not srv.stop_event.is_set() and time.monotonic() < deadline:
            sock.sendall(frame)

    return go


def fault_content_length_short(claimed: int = 100_000, body: bytes = b"z" * 1000) -> Behaviour:
    """Content-Length promises more than is sent, then the server closes (FIN)."""

    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        sock.sendall(head_bytes(200, {"Content-Type": "text/html",
                                      "Content-Length": str(claimed)}) + body)
        sock.shutdown(socket.SHUT_RDWR)

    return go


def fault_content_length_long(claimed: int = 10, body: bytes = b"y" * 5000) -> Behaviour:
    """Content-Length promises less than is sent (the extra must not leak anywhere)."""

    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        sock.sendall(head_bytes(200, {"Content-Type": "text/html",
                                      "Content-Length": str(claimed),
                                      "Connection": "close"}) + body)

    return go


def fault_huge_content_length(claimed: int = 2_000_000_000) -> Behaviour:
    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        sock.sendall(head_bytes(200, {"Content-Type": "text/html",
                                      "Content-Length": str(claimed)}) + b"<html>")
        srv.stop_event.wait(30)  # would stall the client forever if it tried to read

    return go


def _chunked(payload: bytes, size: int = 16384) -> bytes:
    out = bytearray()
    for i in range(0, len(payload), size):
        piece = payload[i:i + size]
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    return bytes(out + b"0\r\n\r\n")


_BOMBS: dict[str, bytes] = {}


def bomb_payload(encoding: str, size: int = 200_000_000) -> bytes:
    """``size`` bytes of zeros compressed to ~1/1000 (gzip) or far less (brotli), built
    by streaming so the test process never holds the inflated data; cached per process."""
    key = f"{encoding}:{size}"
    if key not in _BOMBS:
        block = b"\0" * 1_000_000
        out = bytearray()
        if encoding == "gzip":
            z = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
            for _ in range(size // len(block)):
                out += z.compress(block)
            out += z.flush()
        else:
            b = brotli.Compressor(quality=5)
            for _ in range(size // len(block)):
                out += b.process(block)
            out += b.finish()
        _BOMBS[key] = bytes(out)
    return _BOMBS[key]


def fault_bomb(encoding: str, size: int = 200_000_000) -> Behaviour:
    payload = bomb_payload(encoding, size)

    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        sock.sendall(head_bytes(200, {"Content-Type": "text/html",
                                      "Content-Encoding": encoding,
                                      "Transfer-Encoding": "chunked",
                                      "Connection": "close"}) + _chunked(payload))

    return go


def redirect(location: str, status: int = 302) -> Behaviour:
    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        sock.sendall(head_bytes(status, {"Location": location, "Content-Length": "0",
                                         "Connection": "close"}))

    return go


def fault_429_retry_after_date(seconds_ahead: float = 3600) -> Behaviour:
    def go(sock: socket.socket, head: bytes, srv: FaultServer) -> None:
        from datetime import UTC, datetime, timedelta

        when = format_datetime(datetime.now(UTC) + timedelta(seconds=seconds_ahead), usegmt=True)
        sock.sendall(head_bytes(429, {"Retry-After": when, "Content-Length": "4",
                                      "Connection": "close"}) + b"slow")

    return go


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connection refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port
