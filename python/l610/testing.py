"""Helpers for tests and notebooks: a throwaway PKI and a local TLS server.

Nothing here needs the ``openssl`` binary or another package: the certificates are made by the
OpenSSL the extension already links (``Pki.generate``), the server is Python's :mod:`ssl` on
127.0.0.1 in a thread (``TlsServer``). The pytest plugin (``l610.pytest_plugin``) and the
quickstart notebook use them.

    from l610.testing import Pki, TlsServer
    pki = Pki.generate()
    with TlsServer(pki, mode="reverse") as server:
        ...   # modem.open_tls("127.0.0.1", server.port) with pki.ca_pem as the trust file
"""

from __future__ import annotations

import importlib
import os
import socket
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, List, Literal, Optional, Sequence, Type, Union

# The native module has no stub of its own (only the names re-exported by l610 do).
_l610: Any = importlib.import_module("l610._l610")

__all__ = ["Pki", "TlsServer", "ServerMode"]

ServerMode = Literal["echo", "reverse", "http"]


@dataclass(frozen=True)
class Pki:
    """A CA, a server certificate (for ``localhost`` and ``127.0.0.1`` by default) and a client
    certificate, all ECDSA P-256, as PEM bytes. :meth:`write` puts them into a directory as
    ``ca.pem``, ``server.pem``/``server.key``, ``client.pem``/``client.key``. The repr shows no
    key."""

    ca_pem: bytes
    ca_key_pem: bytes = field(repr=False)
    server_pem: bytes
    server_key_pem: bytes = field(repr=False)
    client_pem: bytes
    client_key_pem: bytes = field(repr=False)

    @classmethod
    def generate(cls, names: Sequence[str] = ("localhost", "127.0.0.1"), days: int = 30) -> "Pki":
        """A fresh PKI; the server certificate names ``names`` (DNS names or IP addresses) and
        everything is valid from a day ago for ``days`` days."""
        parts = _l610.generate_pki(list(names), days)
        return cls(*(bytes(p) for p in parts))

    def write(self, directory: Union[str, "os.PathLike[str]"]) -> Path:
        """Write the PEM files into ``directory`` (created if needed); returns it as a Path."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        for name, data in (
            ("ca.pem", self.ca_pem), ("ca.key", self.ca_key_pem),
            ("server.pem", self.server_pem), ("server.key", self.server_key_pem),
            ("client.pem", self.client_pem), ("client.key", self.client_key_pem),
        ):
            path = d / name
            path.write_bytes(data)
            if name.endswith(".key"):
                path.chmod(0o600)
        return d

    def __repr__(self) -> str:
        return (f"<l610.testing.Pki: CA {len(self.ca_pem)} bytes, server and client "
                "certificates, keys not shown>")


class TlsServer:
    """A TLS server on ``host`` (127.0.0.1) and a free port, in a thread, with the PKI's
    server certificate. ``mode``: ``"echo"`` sends back what it receives, ``"reverse"`` answers
    each line reversed (like ``openssl s_server -rev``), ``"http"`` answers one HTTP request with
    ``body``. ``require_client_cert`` asks for a client certificate signed by the PKI's CA;
    ``minimum_version`` defaults to TLS 1.2 (what current servers accept). Handshake failures
    are kept in :attr:`errors`. Stops on :meth:`stop` or at the end of a ``with``; each
    connection is served in a thread of its own."""

    def __init__(
        self,
        pki: Pki,
        mode: ServerMode = "echo",
        *,
        host: str = "127.0.0.1",
        body: bytes = b"<html>hello from l610.testing</html>\n",
        require_client_cert: bool = False,
        minimum_version: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2,
    ) -> None:
        if mode not in ("echo", "reverse", "http"):
            raise ValueError(f"mode must be 'echo', 'reverse' or 'http', not {mode!r}")
        self.pki = pki
        self.mode: ServerMode = mode
        self.body = body
        self.errors: List[BaseException] = []
        self.connections = 0
        self._dir = tempfile.TemporaryDirectory(prefix="l610-tls-")
        pki.write(self._dir.name)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = minimum_version
        ctx.load_cert_chain(os.path.join(self._dir.name, "server.pem"),
                            os.path.join(self._dir.name, "server.key"))
        if require_client_cert:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(cadata=pki.ca_pem.decode())
        self._ctx = ctx
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.1)
        self.host = host
        self.port: int = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._threads: List[threading.Thread] = []
        self._open: List[socket.socket] = []
        self._accepter = threading.Thread(target=self._accept, name="l610-tls-server", daemon=True)
        self._accepter.start()

    @property
    def ca_pem(self) -> bytes:
        """The CA certificate a client must trust (the PKI's)."""
        return self.pki.ca_pem

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            self._open.append(conn)
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(t)
            t.start()

    def _serve(self, raw: socket.socket) -> None:
        raw.settimeout(30)
        try:
            with self._ctx.wrap_socket(raw, server_side=True) as tls:
                if self.mode == "echo":
                    while not self._stop.is_set():
                        data = tls.recv(4096)
                        if not data:
                            return
                        tls.sendall(data)
                elif self.mode == "reverse":
                    buf = b""
                    while not self._stop.is_set():
                        data = tls.recv(4096)
                        if not data:
                            return
                        buf += data
                        while b"\n" in buf:
                            line, buf = buf.split(b"\n", 1)
                            tls.sendall(line.rstrip(b"\r")[::-1] + b"\n")
                else:
                    request = b""
                    while b"\r\n\r\n" not in request:
                        data = tls.recv(4096)
                        if not data:
                            return
                        request += data
                    tls.sendall(
                        b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                        + str(len(self.body)).encode() + b"\r\n\r\n" + self.body
                    )
        except (OSError, ssl.SSLError) as e:
            if not self._stop.is_set():
                self.errors.append(e)
        finally:
            raw.close()

    def stop(self) -> None:
        """Stop accepting, close the listener and wait for the threads (idempotent)."""
        self._stop.set()
        self._listener.close()
        self._accepter.join(5)
        for conn in self._open:
            # Wakes a thread blocked in recv; the connection is closed by its thread.
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for t in self._threads:
            t.join(5)
        self._dir.cleanup()

    def __enter__(self) -> "TlsServer":
        return self

    def __exit__(self, t: Optional[Type[BaseException]], v: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "stopped" if self._stop.is_set() else "running"
        return f"<l610.testing.TlsServer {self.mode} on {self.host}:{self.port}, {state}>"
