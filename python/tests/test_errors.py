"""Every exception type: the hierarchy, and each raised by the driver where the module can
be made to produce it."""

from __future__ import annotations

import builtins
from pathlib import Path
import socket

import pytest

import l610
import importlib
from typing import Any

_l610: Any = importlib.import_module("l610._l610")


def test_hierarchy() -> None:
    assert issubclass(l610.TimeoutError, builtins.TimeoutError)
    assert issubclass(l610.TimeoutError, socket.timeout)
    assert issubclass(l610.InvalidArgument, ValueError)
    assert issubclass(l610.PortError, OSError)
    assert issubclass(l610.IoError, OSError)
    assert issubclass(l610.CmeError, l610.AtError)
    assert issubclass(l610.SslError, ConnectionError)
    for name in l610.__all__:
        obj = getattr(l610, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, l610.L610Error)


def test_every_core_kind_has_a_class() -> None:
    kinds = _l610.error_kinds()
    assert [k for k, _ in kinds] == list(range(1, 15))
    for _, name in kinds:
        cls = getattr(l610, name)
        assert issubclass(cls, l610.L610Error) and cls is not l610.L610Error


def test_invalid_argument(modem: l610.Modem) -> None:
    with pytest.raises(l610.InvalidArgument) as e:
        modem.set_cipher(99)
    assert e.value.kind == 1


def test_at_error(modem: l610.Modem) -> None:
    with pytest.raises(l610.AtError) as e:
        modem.command("+NOSUCHCOMMAND")
    assert e.value.command == "AT+NOSUCHCOMMAND"
    assert not isinstance(e.value, l610.CmeError)


def test_cme_error_numeric_and_verbose(modem: l610.Modem) -> None:
    with pytest.raises(l610.CmeError) as e:
        modem.command("+MIPOPEN=1,,\"127.0.0.1\",9,0")  # no PDP context: +CME ERROR: 3
    assert e.value.code == 3 and e.value.text is None
    modem.set_error_reporting(l610.ErrorReporting.VERBOSE)
    with pytest.raises(l610.CmeError) as e:
        modem.command("+MIPOPEN=1,,\"127.0.0.1\",9,0")
    assert e.value.text == "operation not allowed"


def test_open_without_pdp_says_activate_pdp(modem: l610.Modem) -> None:
    """It was a bare "+CME ERROR: 3"."""
    for open_ in (modem.open_tcp, modem.open_tls):
        with pytest.raises(l610.ConnectionFailed, match="call activate_pdp first"):
            open_("127.0.0.1", 9)


def test_timeout(sim: l610.Simulator) -> None:
    with l610.Modem(sim.port or "", timeout=0.5) as modem:
        sim.faults.drop_next_final()
        with pytest.raises(l610.TimeoutError) as e:
            modem.verify_mode()
        assert e.value.after == pytest.approx(0.5)
        with pytest.raises(TimeoutError):
            sim.faults.drop_next_final()
            modem.verify_mode()
        # The engine drained the line: the next command gets its own answer.
        assert modem.verify_mode() == l610.VerifyMode.NONE


def test_ssl_error(online: l610.Modem, server: object) -> None:
    from s_server import TlsServer

    assert isinstance(server, TlsServer)
    online.set_verify_mode(l610.VerifyMode.VERIFY)
    with pytest.raises(l610.SslError) as e:
        online.open_tls("127.0.0.1", server.port)  # no trust file
    assert e.value.code is l610.SslErrorCode.CERTIFICATE_VALIDATION_FAILED
    assert e.value.diagnosis


def test_limit_reached(modem: l610.Modem, pki: object) -> None:
    from pathlib import Path

    assert isinstance(pki, Path)
    modem.load_cert_file(pki / "client.pem")
    with pytest.raises(l610.LimitReached):
        modem.load_cert_file(pki / "client.pem")


def test_clock_skew(pki: object) -> None:
    from pathlib import Path

    assert isinstance(pki, Path)
    # The manual's module: nobody set its clock, it is still at 2015-01-01.
    with l610.Simulator(manual=True) as sim, l610.Modem(sim.port or "", timeout=5.0) as modem:
        _clock_skew(modem, pki)


def _clock_skew(modem: l610.Modem, pki: Path) -> None:
    modem.activate_pdp()
    modem.load_trust_file(pki / "ca.pem")
    modem.set_verify_mode(l610.VerifyMode.VERIFY)
    with pytest.raises(l610.ClockSkew) as e:
        modem.open_tls("127.0.0.1", 443)
    assert e.value.skew_hours < -24


def test_connection_failed(online: l610.Modem) -> None:
    from s_server import free_port

    with pytest.raises(l610.ConnectionFailed):
        online.open_tcp("127.0.0.1", free_port())


def test_module_reset(sim: l610.Simulator, modem: l610.Modem) -> None:
    sim.faults.set_response_delay(1.0)
    import threading

    threading.Timer(0.2, sim.faults.reboot).start()
    with pytest.raises(l610.ModuleResetError):
        modem.verify_mode()
    sim.faults.set_response_delay(0)
    assert modem.stats().resets >= 2


def test_closed(modem: l610.Modem) -> None:
    modem.close()
    assert modem.closed
    with pytest.raises(l610.Closed):
        modem.verify_mode()


def test_port_error() -> None:
    with pytest.raises(l610.PortError) as e:
        l610.Modem("/dev/no-such-l610")
    assert isinstance(e.value, OSError)
    assert e.value.path == "/dev/no-such-l610"


def test_simulator_stopped() -> None:
    sim = l610.Simulator()
    sim.stop()
    sim.stop()
    with pytest.raises(l610.Closed):
        sim.state()
