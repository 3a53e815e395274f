"""The field basics of issue 9 from Python (SIM, registration, signal, operator, identity, DNS,
ping, read mode 5) against the virtual module over its pty."""

from __future__ import annotations

import ipaddress
import threading

import pytest

import l610


def test_sim_registration_signal_operator(modem: l610.Modem) -> None:
    sim = modem.sim_status()
    assert sim == l610.SimStatus("READY", True)
    reg = modem.registration()
    assert isinstance(reg, l610.Registration) and reg.registered
    assert reg.status is l610.RegistrationStatus.HOME
    for domain in l610.RegistrationDomain:
        assert modem.registration(domain).registered
    assert modem.is_registered()
    q = modem.signal_quality()
    assert q == l610.SignalQuality(24, 99) and q.dbm == -65
    op = modem.operator_info()
    assert isinstance(op, l610.Operator) and op.mode == 0
    assert modem.attached() is True
    assert modem.functionality() == 1


def test_identity(modem: l610.Modem) -> None:
    ident = modem.identity()
    assert ident.manufacturer == "Fibocom" and ident.model == "L610"
    assert len(ident.imei) == 15 and ident.imsi and ident.iccid
    assert "module identity" in ident._repr_html_()


def test_registration_reporting_urcs(modem: l610.Modem) -> None:
    modem.set_registration_reporting(l610.RegistrationDomain.EPS, l610.RegistrationReporting.LOCATION)
    assert modem.registration(l610.RegistrationDomain.EPS).reporting == 2
    modem.drain_urcs()
    modem.command("+CFUN=4")  # radio off: the module deregisters and says so
    urc = modem.next_urc(timeout=10)
    while urc is not None and urc.kind != "registration":
        urc = modem.next_urc(timeout=10)
    assert urc is not None and urc.domain is l610.RegistrationDomain.EPS
    assert urc.status == l610.RegistrationStatus.NOT_REGISTERED
    modem.command("+CFUN=1")
    with pytest.raises(l610.InvalidArgument):
        modem.set_registration_reporting("nowhere", 1)


def test_dns_and_ping(online: l610.Modem, echo_port: int) -> None:
    addrs = online.resolve("localhost")
    assert ipaddress.ip_address("127.0.0.1") in addrs
    with pytest.raises(l610.AtError):
        online.resolve("no-such-name.invalid")
    report = online.ping("127.0.0.1", count=2, timeout=2.0)
    assert isinstance(report, l610.PingReport)
    assert report.ip == "127.0.0.1" and report.sent == 2
    assert report.received == len(report.replies)
    assert "ping 127.0.0.1" in report._repr_html_()


def test_dns_needs_the_pdp_context(modem: l610.Modem) -> None:
    with pytest.raises(l610.CmeError):
        modem.resolve("localhost")


@pytest.mark.parametrize("fmt", list(l610.ReceiveFormat))
def test_every_receive_format_carries_binary_data(online: l610.Modem, echo_port: int,
                                                   fmt: l610.ReceiveFormat) -> None:
    online.set_receive_format(fmt)
    assert online.receive_format() is fmt
    # RAW_LINE is for text without line ends (the first CR or LF ends the data).
    data = b"text only " * 50 if fmt is l610.ReceiveFormat.RAW_LINE else bytes(range(256)) * 4
    with online.open_tcp("127.0.0.1", echo_port) as sock:
        sock.sendall(data)
        sock.settimeout(10)
        got = b""
        while len(got) < len(data):
            chunk = sock.recv(4096)
            assert chunk
            got += chunk
    assert got == data


def test_ctrl_c_ends_a_long_ping(online: l610.Modem) -> None:
    import _thread
    import time

    timer = threading.Timer(0.5, _thread.interrupt_main)
    start = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            online.ping("127.0.0.1", count=100, timeout=5.0)  # about 100 s if not interrupted
    finally:
        timer.cancel()
    assert time.monotonic() - start < 10
    assert online.signal_quality().rssi == 24  # the modem is still usable
