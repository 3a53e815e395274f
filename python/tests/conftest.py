from __future__ import annotations

import socket
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

import l610

# s_server.py: the suite's own helper, openssl s_server (a TLS server we did not write). The
# examples use l610.testing instead (no openssl binary).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from s_server import TlsServer, make_pki  # noqa: E402


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def server(pki: Path) -> Iterator[TlsServer]:
    """s_server -WWW on a free port, serving index.html; killed at teardown."""
    with TlsServer(pki) as s:
        yield s


@pytest.fixture
def rev_server(pki: Path) -> Iterator[TlsServer]:
    """s_server -rev: answers each line reversed."""
    with TlsServer(pki, mode="rev") as s:
        yield s


@pytest.fixture
def sim() -> Iterator[l610.Simulator]:
    with l610.Simulator() as s:
        yield s


@pytest.fixture
def modem(sim: l610.Simulator) -> Iterator[l610.Modem]:
    with l610.Modem(sim.port, timeout=5.0, transcript_lines=10_000) as m:
        yield m


@pytest.fixture
def manual_modem() -> Iterator[l610.Modem]:
    """A modem on the module of Fibocom's manual: its clock was never set (2015-01-01)."""
    with l610.Simulator(manual=True) as s, l610.Modem(s.port, timeout=5.0, transcript_lines=1000) as m:
        yield m


@pytest.fixture
def online(modem: l610.Modem) -> l610.Modem:
    """PDP context up, the clock set and TLS 1.2 (OpenSSL 3 servers refuse the manual's
    default TLS 1.0): ready for verified connections."""
    modem.activate_pdp()
    modem.set_clock_from_host()
    modem.set_ssl_version(l610.SslVersion.TLS1_2)
    return modem


@pytest.fixture
def echo_port() -> Iterator[int]:
    """A TCP echo server on 127.0.0.1 (the peer of plain-TCP socket tests); its port."""
    srv = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return

            def pump(c: socket.socket) -> None:
                with c:
                    while data := c.recv(4096):
                        c.sendall(data)

            threading.Thread(target=pump, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield srv.getsockname()[1]
    srv.close()
