"""A fault-injecting HTTP/TCP proxy on 127.0.0.1 for the sync fault tests.

It sits between the kiosk's sync client and a real central server. It reads one HTTP/1.1
request per client connection (``Connection: close`` is forced both ways), picks a fault mode
for it, and acts:

* ``ok`` - forward to the server and relay the answer;
* ``reset_before`` - reset the connection (RST) before the request reaches the server;
* ``drop_after_commit`` - forward, let the server answer (it has committed), then reset the
  client's connection without a byte of the answer;
* ``truncate`` - forward, then relay only half of the answer and close;
* ``slow_drip`` - forward, then relay the answer a few bytes at a time;
* ``stall_before`` / ``stall_after`` - hold the connection silent past the client's read
  timeout, without / after forwarding the request to the server;
* ``http_500`` / ``http_502`` / ``http_429`` - answer by itself with that status (429 with a
  ``Retry-After``), never reaching the server.

Modes are chosen by ``chooser(request_number) -> mode``; :func:`random_chooser` mixes them with
a given fault rate. Every decision is counted in ``stats``. Loopback only.
"""

import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable

MODES = (
    "ok",
    "reset_before",
    "drop_after_commit",
    "truncate",
    "slow_drip",
    "stall_before",
    "stall_after",
    "http_500",
    "http_502",
    "http_429",
)
FAULT_MODES = tuple(m for m in MODES if m != "ok")
#: Modes in which the server received (and probably committed) the request.
FORWARDED_MODES = frozenset({"ok", "drop_after_commit", "truncate", "slow_drip", "stall_after"})

Chooser = Callable[[int], str]


def random_chooser(fault_rate: float, seed: int = 0,
                   modes: tuple[str, ...] | dict[str, float] = FAULT_MODES) -> Chooser:
    """``fault_rate`` of the requests get a fault, picked uniformly from ``modes`` or by
    the weights of a ``{mode: weight}`` mapping."""
    rng = random.Random(seed)
    lock = threading.Lock()
    names = list(modes)
    weights = list(modes.values()) if isinstance(modes, dict) else [1.0] * len(names)

    def choose(_: int) -> str:
        with lock:
            if rng.random() >= fault_rate:
                return "ok"
            return rng.choices(names, weights)[0]

    return choose


def _canned(status: int, reason: str, extra: str = "") -> bytes:
    body = f"<html><body>{status} {reason}</body></html>".encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n{extra}\r\n")
    return head.encode() + body


def _reset(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


class FaultProxy:
    def __init__(
        self,
        upstream: tuple[str, int],
        chooser: Chooser | None = None,
        *,
        stall_seconds: float = 2.0,
        drip_bytes: int = 64,
        drip_delay: float = 0.005,
        retry_after: int = 1,
    ) -> None:
        self.upstream = upstream
        self.chooser: Chooser = chooser or (lambda n: "ok")
        self.stall_seconds = stall_seconds
        self.drip_bytes = drip_bytes
        self.drip_delay = drip_delay
        self.retry_after = retry_after
        self.stats: Counter[str] = Counter()
        #: (monotonic time the request was complete, mode, HTTP method), in arrival order.
        self.log: list[tuple[float, str, str]] = []
        self._lock = threading.Lock()
        self._count = 0
        self._closing = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()
        #: Called with the mode after the server answered a forwarded request (kill tests).
        self.on_forwarded: Callable[[str], None] | None = None

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        self._closing.set()
        try:
            self._listener.close()
        except OSError:
            pass
        self._thread.join(timeout=5)

    def __enter__(self) -> "FaultProxy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def faults(self) -> int:
        return sum(v for k, v in self.stats.items() if k != "ok")

    # ------------------------------------------------------------------ internals

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _read_request(self, client: socket.socket) -> bytes | None:
        client.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        length = 0
        kept = [lines[0]]
        for line in lines[1:]:
            name = line.split(b":", 1)[0].strip().lower()
            if name == b"content-length":
                length = int(line.split(b":", 1)[1].strip())
            if name in (b"connection", b"keep-alive"):
                continue
            kept.append(line)
        kept.append(b"Connection: close")
        while len(rest) < length:
            chunk = client.recv(65536)
            if not chunk:
                return None
            rest += chunk
        return b"\r\n".join(kept) + b"\r\n\r\n" + rest

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=60) as up:
            up.sendall(request)
            parts = []
            while True:
                chunk = up.recv(65536)
                if not chunk:
                    break
                parts.append(chunk)
        return b"".join(parts)

    def _serve(self, client: socket.socket) -> None:
        try:
            request = self._read_request(client)
            if request is None:
                client.close()
                return
            with self._lock:
                self._count += 1
                number = self._count
            mode = self.chooser(number)
            with self._lock:
                self.stats[mode] += 1
                self.log.append((time.monotonic(), mode, request.split(b" ", 1)[0].decode()))
            if mode == "reset_before":
                _reset(client)
                return
            if mode == "stall_before":
                self._stall(client)
                return
            if mode in ("http_500", "http_502", "http_429"):
                status = int(mode[-3:])
                reason = {500: "Internal Server Error", 502: "Bad Gateway",
                          429: "Too Many Requests"}[status]
                extra = f"Retry-After: {self.retry_after}\r\n" if status == 429 else ""
                client.sendall(_canned(status, reason, extra))
                client.close()
                return
            response = self._forward(request)
            if self.on_forwarded is not None:
                self.on_forwarded(mode)
            if mode == "drop_after_commit":
                _reset(client)
            elif mode == "truncate":
                client.sendall(response[: max(1, len(response) // 2)])
                _reset(client)
            elif mode == "stall_after":
                self._stall(client)
            elif mode == "slow_drip":
                for i in range(0, len(response), self.drip_bytes):
                    client.sendall(response[i:i + self.drip_bytes])
                    time.sleep(self.drip_delay)
                client.close()
            else:
                client.sendall(response)
                client.close()
        except OSError:
            try:
                client.close()
            except OSError:
                pass

    def _stall(self, client: socket.socket) -> None:
        # Silent until the client gives up (its read timeout) or stall_seconds pass.
        client.settimeout(self.stall_seconds)
        try:
            client.recv(1)
        except OSError:
            pass
        _reset(client)
