"""Resolve a host once, check its addresses, and connect to exactly those addresses.

Checking a hostname with one DNS lookup and letting the HTTP client do its own lookup
to connect leaves a gap: the second answer may differ (DNS rebinding), so a name that
looked public at check time connects to 127.0.0.1. Here the fetcher resolves through
:class:`Pins`, which remembers the answer it checked, and the httpcore network backend
connects to a remembered address while the URL (Host header, TLS SNI and certificate
check) keeps the name.

A host the fetcher never resolved (it cannot happen through ``Fetcher``, but the
transport does not rely on that) is resolved by the backend itself, which then refuses
non-public addresses unless ``allow_private`` is set.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import httpcore
import httpx

from .urls import ip_is_private, parse_ip_literal

__all__ = ["Resolver", "Pins", "pinned_transport", "system_resolver"]

# host -> IP address strings, in the resolver's order.
Resolver = Callable[[str], Awaitable[list[str]]]

PIN_TTL_SECONDS = 300.0


async def system_resolver(host: str) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        ip = str(info[4][0])
        if ip not in out:
            out.append(ip)
    return out


def _key(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


@dataclass
class _Pin:
    addresses: list[str]
    private: bool
    expires: float


class Pins:
    """The checked DNS answers of one fetcher (one crawl pass), with a short TTL."""

    def __init__(self, resolver: Resolver | None, allow_private: bool,
                 timeout: float = 20.0) -> None:
        self._resolver = resolver or system_resolver
        self.allow_private = allow_private
        self._timeout = timeout
        self._pins: dict[str, _Pin] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def resolve(self, host: str) -> _Pin:
        """Resolve ``host`` (or reuse a fresh answer); raises OSError when it cannot."""
        key = _key(host)
        pin = self._pins.get(key)
        if pin is not None and pin.expires > time.monotonic():
            return pin
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            pin = self._pins.get(key)
            if pin is not None and pin.expires > time.monotonic():
                return pin
            try:
                async with asyncio.timeout(self._timeout):
                    addresses = await self._resolver(key)
            except TimeoutError:
                raise socket.gaierror(socket.EAI_AGAIN, "dns timeout") from None
            except UnicodeError as exc:
                raise socket.gaierror(socket.EAI_NONAME, str(exc)) from None
            ips = [parse_ip_literal(a) for a in addresses]
            if not addresses or any(ip is None for ip in ips):
                raise socket.gaierror(socket.EAI_NONAME, f"no usable address for {key}")
            pin = _Pin(list(addresses), any(ip_is_private(ip) for ip in ips if ip is not None),
                       time.monotonic() + PIN_TTL_SECONDS)
            self._pins[key] = pin
            return pin

    def checked(self, host: str) -> list[str] | None:
        """The addresses last checked for ``host`` (even if stale: the connection must
        go where the check looked), or None when it was never resolved."""
        pin = self._pins.get(_key(host))
        return pin.addresses if pin is not None else None


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects TCP to the pinned addresses of the URL's host, never to a fresh lookup."""

    def __init__(self, pins: Pins) -> None:
        self._pins = pins
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        literal = parse_ip_literal(host)
        if literal is not None:  # 127.1 and 2130706433 too: spelled out
            addresses = [str(literal)]
        else:
            addresses = self._pins.checked(host) or []
            if not addresses:
                try:
                    pin = await self._pins.resolve(host)
                except OSError as exc:
                    raise httpcore.ConnectError(f"dns error: {exc}") from exc
                if pin.private and not self._pins.allow_private:
                    raise httpcore.ConnectError("private address")
                addresses = pin.addresses
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _PinnedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, pins: Pins, limits: httpx.Limits) -> None:
        super().__init__(limits=limits, trust_env=False)
        # httpx offers no way to pass a network backend, so the pool it built is
        # replaced by one with the same settings and ours.
        old = self._pool
        context = getattr(old, "_ssl_context", None) or ssl.create_default_context()
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_PinnedBackend(pins),
        )


def pinned_transport(pins: Pins, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    return _PinnedTransport(pins, limits)
