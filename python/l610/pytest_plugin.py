"""pytest plugin for L610 tests (installed with the package: entry point ``pytest11``).

The same tests run on the virtual module (the default) and on hardware::

    pytest                                   # every test on a fresh virtual module
    pytest --l610-port /dev/ttyUSB2          # the same tests on a real module
    pytest --l610-port rfc2217://host:4000 --l610-baud 921600
    L610_TEST_PORT=/dev/ttyUSB2 pytest       # the same variables as the Rust hardware tests

Fixtures:

``l610_modem``
    A :class:`l610.Modem`: on ``--l610-port`` when given, else on a fresh virtual module (one
    per test). It keeps a transcript (``transcript_lines=1000``) that is printed with a
    failing test's report.
``l610_sim``
    A fresh :class:`l610.Simulator` for this test (``l610_sim.faults`` injects faults). Tests
    that use it are virtual-only: they are skipped with ``--l610-port``.
``l610_faults``
    ``l610_sim.faults`` of the simulator behind ``l610_modem`` (virtual-only).
``l610_pki``
    A :class:`l610.testing.Pki` (CA, server and client certificate and key), one per session.
``l610_tls_server``
    A :class:`l610.testing.TlsServer` (echo) with that PKI, one per test. On hardware the
    module must reach it: ``--l610-server-host`` names this machine's address as the module
    sees it (the server then listens on all interfaces); without it such tests are skipped.
``l610_server_host``
    The host name the module connects to for ``l610_tls_server`` (``127.0.0.1`` when virtual).

Marker ``@pytest.mark.l610_hardware``: the test runs only with ``--l610-port``.
"""

from __future__ import annotations

import os
from typing import Generator, Iterator, Optional

import pytest

import l610
from l610.testing import Pki, TlsServer

_TRANSCRIPT_KEY = pytest.StashKey[l610.Modem]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--l610-port``, ``--l610-baud``, ``--l610-server-host``."""
    group = parser.getgroup("l610", "Fibocom L610 driver")
    group.addoption("--l610-port", default=os.environ.get("L610_TEST_PORT") or None,
                    help="run on a real module at this port (path, socket://, rfc2217://); "
                         "default: $L610_TEST_PORT, else a fresh virtual module per test")
    group.addoption("--l610-baud", type=int, default=int(os.environ.get("L610_TEST_BAUD") or 115200),
                    help="baud rate (default: $L610_TEST_BAUD, else 115200)")
    group.addoption("--l610-server-host", default=None,
                    help="with --l610-port: this machine's address as the module reaches it, "
                         "for tests that use the local TLS server")


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``l610_hardware`` marker."""
    config.addinivalue_line(
        "markers", "l610_hardware: runs only on a real module (--l610-port)")


def pytest_collection_modifyitems(config: pytest.Config, items: "list[pytest.Item]") -> None:
    """Skip ``l610_hardware`` tests without ``--l610-port``."""
    if config.getoption("--l610-port"):
        return
    skip = pytest.mark.skip(reason="needs a real module: pass --l610-port")
    for item in items:
        if "l610_hardware" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def l610_port(request: pytest.FixtureRequest) -> Optional[str]:
    """The ``--l610-port`` given, or None (virtual module)."""
    port: Optional[str] = request.config.getoption("--l610-port")
    return port


@pytest.fixture
def l610_sim(request: pytest.FixtureRequest) -> Iterator[l610.Simulator]:
    """A fresh virtual module for this test; skipped when running on hardware."""
    if request.config.getoption("--l610-port"):
        pytest.skip("uses the virtual module (fault injection); not run with --l610-port")
    with l610.Simulator() as sim:
        yield sim


@pytest.fixture
def l610_modem(request: pytest.FixtureRequest) -> Iterator[l610.Modem]:
    """A modem on ``--l610-port``, or on a fresh virtual module."""
    port: Optional[str] = request.config.getoption("--l610-port")
    if port:
        modem = l610.Modem(port, request.config.getoption("--l610-baud"), transcript_lines=1000)
    else:
        sim: l610.Simulator = request.getfixturevalue("l610_sim")
        modem = l610.Modem(sim.port, transcript_lines=1000)
    request.node.stash[_TRANSCRIPT_KEY] = modem
    with modem:
        yield modem


@pytest.fixture
def l610_faults(l610_sim: l610.Simulator, l610_modem: l610.Modem) -> l610.Faults:
    """Fault injection of the virtual module behind ``l610_modem``."""
    return l610_sim.faults


@pytest.fixture(scope="session")
def l610_pki() -> Pki:
    """A throwaway PKI for the session (no openssl binary needed)."""
    return Pki.generate()


@pytest.fixture
def l610_server_host(request: pytest.FixtureRequest) -> str:
    """Where the module reaches ``l610_tls_server``."""
    if request.config.getoption("--l610-port"):
        host: Optional[str] = request.config.getoption("--l610-server-host")
        if not host:
            pytest.skip("the module cannot reach a server on 127.0.0.1: "
                        "pass --l610-server-host with this machine's address")
        return host
    return "127.0.0.1"


@pytest.fixture
def l610_tls_server(request: pytest.FixtureRequest, l610_pki: Pki,
                    l610_server_host: str) -> Iterator[TlsServer]:
    """A local TLS echo server with ``l610_pki``'s server certificate."""
    bind = "0.0.0.0" if request.config.getoption("--l610-port") else "127.0.0.1"
    with TlsServer(l610_pki, "echo", host=bind) as server:
        yield server


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: "pytest.CallInfo[None]"
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the modem's AT transcript to a failing test's report."""
    report: pytest.TestReport = yield
    modem = item.stash.get(_TRANSCRIPT_KEY, None)
    if report.failed and modem is not None and not modem.closed:
        try:
            text = str(modem.transcript_table())
        except l610.L610Error:
            text = ""
        if text:
            report.sections.append(("l610 AT transcript", text))
    return report
