"""A worker's network: none at all, or only the SERVICE endpoints `kg serve --allow-service` names.

The second layer under the endpoint's SERVICE check, which depends on no reading of the query:
Oxigraph's HTTP client runs inside the worker, so what the worker can connect to is what any
query can reach. A worker moves into a network namespace of its own (Linux; root directly,
others through a user namespace of their own), where nothing leads outside: no interface but
the loopback, no route.

* No endpoint allowed: the loopback stays down, and no connection can be opened at all.
* Endpoints allowed: the loopback comes up, and the namespace gets one listening socket per
  allowed host and port, on the address the worker finds that host at: an IP literal is itself
  (added to the loopback when it is not a loopback address), a host name is given an address of
  127.77.0.0/16 by a hosts file bind-mounted over /etc/hosts in a mount namespace of the
  worker's own. The worker hands the listening sockets to the endpoint process over its pipe
  (a socket keeps the namespace it was made in), and the endpoint process accepts each
  connection and relays it, byte for byte, to that one host and port (Relay). The URL does not
  change, so TLS passes through untouched. Any other host or port is refused or unreachable
  inside the namespace.

The unit is a host and port: a path of an allowed host and port that the SERVICE check refuses is
refused by that check alone.
"""
from __future__ import annotations

import asyncio
import ctypes
import errno
import ipaddress
import os
import socket
import struct
import tempfile
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urlsplit

CLONE_NEWNS, CLONE_NEWNET, CLONE_NEWUSER = 0x00020000, 0x40000000, 0x10000000
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 1 << 18
DEFAULT_PORTS = {"http": 80, "https": 443}
NAMED_HOSTS = ipaddress.ip_network("127.77.0.0/16")     # the addresses host names are given inside
CONNECT_TIMEOUT = 30.0                                   # seconds the relay waits for an endpoint


@dataclass(frozen=True)
class Service:
    """An allowed SERVICE endpoint as the network sees it: a host (a lower-case name or an IP
    address, without brackets) and a port."""

    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def services(urls: Iterable[str]) -> tuple[Service, ...]:
    """The distinct host and port of each URL, in order. ValueError names a URL that is not
    http(s) with a host, or whose port is not a port."""
    found: list[Service] = []
    for url in urls:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        try:
            port = parts.port
        except ValueError:
            raise ValueError(f"--allow-service {url}: the port is not a number from 0 to 65535") from None
        if scheme not in DEFAULT_PORTS or not parts.hostname:
            raise ValueError(f"--allow-service {url}: not an http or https URL with a host "
                             f"(the only endpoints SERVICE calls)")
        service = Service(parts.hostname, port or DEFAULT_PORTS[scheme])
        if service not in found:
            found.append(service)
    return tuple(found)


@dataclass(frozen=True)
class Listener:
    service: Service
    address: str            # where the worker finds the service's host inside its namespace


@dataclass(frozen=True)
class Plan:
    """What a worker's namespace holds: a listener per allowed endpoint, and the hosts file."""

    listeners: tuple[Listener, ...] = ()

    @property
    def hosts(self) -> str:
        """The namespace's /etc/hosts: the allowed host names, each on its address, and nothing else."""
        named = {l.service.host: l.address for l in self.listeners if not _is_ip(l.service.host)}
        return "".join(f"{address} {name}\n" for name, address in named.items())

    @property
    def addresses(self) -> tuple[str, ...]:
        """Addresses the loopback must be given (those of IP literals it does not have already)."""
        wanted = [l.address for l in self.listeners if not ipaddress.ip_address(l.address).is_loopback]
        return tuple(dict.fromkeys(wanted))


def plan(allowed: Iterable[Service]) -> Plan:
    """Where each allowed endpoint is found inside a worker's namespace."""
    allowed = tuple(allowed)
    literals = {ipaddress.ip_address(s.host) for s in allowed if _is_ip(s.host)}
    free = (a for a in NAMED_HOSTS.hosts() if a not in literals)
    given: dict[str, str] = {}
    listeners = []
    for s in allowed:
        if _is_ip(s.host):
            address = str(ipaddress.ip_address(s.host))
        else:
            if s.host not in given:
                given[s.host] = str(next(free))
            address = given[s.host]
        listeners.append(Listener(s, address))
    return Plan(tuple(listeners))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# Inside the worker -------------------------------------------------------------------------------

def leave_the_network(plan: Plan | None = None) -> list[socket.socket] | None:
    """Move this process into a network namespace of its own, reaching the endpoints of the plan
    and nothing else. Returns the listening sockets to hand to the endpoint process (none when no
    endpoint is allowed), or None when this system permits no namespace (not Linux, or namespaces
    forbidden): the process then keeps the network and the endpoint's check stands alone. Raises
    OSError, naming the step, when a namespace was entered but could not be set up."""
    if plan is None or not plan.listeners:
        return [] if _unshare(CLONE_NEWNET) else None
    hosts = _written(plan.hosts)    # before: inside a user namespace a file may not be creatable
    try:
        if not _unshare(CLONE_NEWNET | CLONE_NEWNS):
            return None
        _mount(None, "/", MS_REC | MS_PRIVATE, "making the mounts private")
        _mount(hosts, "/etc/hosts", MS_BIND, "bind-mounting the allowed hosts over /etc/hosts")
    finally:
        os.unlink(hosts)
    lo = socket.if_nametoindex("lo")
    with _Netlink() as netlink:
        netlink.link_up(lo)
        for address in plan.addresses:
            netlink.add_address(lo, address)
    return [_listen(l.address, l.service.port) for l in plan.listeners]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> bool:
    try:
        libc = _libc()
        return any(libc.unshare(f) == 0 for f in (flags, CLONE_NEWUSER | flags))
    except (OSError, AttributeError):
        return False


def _mount(source: str | None, target: str, flags: int, step: str) -> None:
    if _libc().mount(source and source.encode(), target.encode(), None, flags, None) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{step}: {os.strerror(code)}")


def _written(text: str) -> str:
    fd, path = tempfile.mkstemp(prefix="kg-hosts-")
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text)
    return path


def _listen(address: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.bind((address, port))
        sock.listen(64)
    except OSError as exc:
        sock.close()
        raise OSError(exc.errno, f"listening on {Service(address, port)} in the worker's namespace: "
                                 f"{exc.strerror}") from None
    return sock


class _Netlink:
    """Just enough rtnetlink to bring a link up and give it an address (no `ip` binary needed)."""

    NEWLINK, NEWADDR, ERROR = 16, 20, 2
    REQUEST, ACK, EXCL, CREATE = 0x1, 0x4, 0x200, 0x400
    IFF_UP, IFA_ADDRESS, IFA_LOCAL, IFA_F_NODAD, SCOPE_HOST = 0x1, 1, 2, 0x2, 254

    def __enter__(self) -> _Netlink:
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
        self.sock.settimeout(5)
        self.sock.bind((0, 0))
        self.seq = 0
        return self

    def __exit__(self, *exc) -> None:
        self.sock.close()

    def link_up(self, index: int) -> None:
        self._request(self.NEWLINK, 0, struct.pack("=BxHiII", socket.AF_UNSPEC, 0, index, self.IFF_UP, self.IFF_UP),
                      "bringing the loopback up")

    def add_address(self, index: int, address: str) -> None:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        raw = socket.inet_pton(family, address)
        head = struct.pack("=BBBBI", family, len(raw) * 8, self.IFA_F_NODAD, self.SCOPE_HOST, index)
        self._request(self.NEWADDR, self.CREATE | self.EXCL,
                      head + self._attribute(self.IFA_LOCAL, raw) + self._attribute(self.IFA_ADDRESS, raw),
                      f"giving the loopback the address {address}")

    @staticmethod
    def _attribute(kind: int, data: bytes) -> bytes:
        size = 4 + len(data)
        return struct.pack("=HH", size, kind) + data + b"\0" * (-size % 4)

    def _request(self, kind: int, flags: int, payload: bytes, step: str) -> None:
        self.seq += 1
        self.sock.send(struct.pack("=IHHII", 16 + len(payload), kind, self.REQUEST | self.ACK | flags, self.seq, 0)
                       + payload)
        while True:
            data = self.sock.recv(65536)
            offset = 0
            while offset + 16 <= len(data):
                length, typ, _, seq, _ = struct.unpack_from("=IHHII", data, offset)
                if typ == self.ERROR and seq == self.seq:
                    (code,) = struct.unpack_from("=i", data, offset + 16)
                    if code and -code != errno.EEXIST:
                        raise OSError(-code, f"{step}: {os.strerror(-code)}")
                    return
                offset += max(16, (length + 3) & ~3)


# In the endpoint process -------------------------------------------------------------------------

class Relay:
    """The endpoint process's side of a worker's allowed endpoints: accepts each connection the
    worker opens on one of its listening sockets and relays it to that socket's host and port,
    and nowhere else. Runs on the event loop it is opened on; close() ends it and every relayed
    connection."""

    def __init__(self, listening: list[tuple[socket.socket, Service]]) -> None:
        self.listening = listening
        self.tasks: set[asyncio.Task] = set()
        self.loop: asyncio.AbstractEventLoop | None = None

    def open(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        for sock, service in self.listening:
            sock.setblocking(False)
            loop.add_reader(sock.fileno(), self._accept, sock, service)

    def close(self) -> None:
        for sock, _ in self.listening:
            if self.loop is not None and sock.fileno() >= 0:
                self.loop.remove_reader(sock.fileno())
            sock.close()
        for task in list(self.tasks):
            task.cancel()

    def _accept(self, sock: socket.socket, service: Service) -> None:
        try:
            inner, _ = sock.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return
        task = self.loop.create_task(self._relay(inner, service))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _relay(self, inner: socket.socket, service: Service) -> None:
        inner.setblocking(False)
        worker_in, worker_out = await asyncio.open_connection(sock=inner)
        try:
            far_in, far_out = await asyncio.wait_for(asyncio.open_connection(service.host, service.port),
                                                     CONNECT_TIMEOUT)
        except (OSError, asyncio.TimeoutError):
            worker_out.close()          # the worker sees the connection end, as it would a refusal
            return
        try:
            await asyncio.gather(_pump(worker_in, far_out), _pump(far_in, worker_out))
        finally:
            far_out.close()
            worker_out.close()


async def _pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy until the source ends, then end the sink's direction (a half close, as TCP has)."""
    try:
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
        if sink.can_write_eof():
            sink.write_eof()
    except OSError:
        sink.close()
