"""Issue 12 as a new user meets it: errors as Python users expect them, one command() meaning,
profiles that tell the truth, a trace that costs nothing when off, tables in Jupyter."""

from __future__ import annotations

import errno
import logging
import os
import re
import time

import pytest

import l610
from l610.testing import Pki, TlsServer


# ---- errors ----

def test_a_missing_port_is_file_not_found_with_errno_and_hint() -> None:
    with pytest.raises(FileNotFoundError) as e:
        l610.Modem("/dev/ttyNOSUCHPORT")
    err = e.value
    assert isinstance(err, l610.PortError) and isinstance(err, l610.PortNotFoundError)
    assert err.errno == errno.ENOENT and err.filename == "/dev/ttyNOSUCHPORT"
    assert "is the module plugged in" in str(err)


def test_port_error_classes_follow_errno() -> None:
    """The mapping python/src/errors.rs uses (EACCES cannot be provoked as root)."""
    from l610._errors import _os_error_class

    assert _os_error_class("PortError", errno.EACCES) is l610.PortPermissionError
    assert issubclass(l610.PortPermissionError, PermissionError)
    assert _os_error_class("PortError", errno.EBUSY) is l610.PortError
    assert _os_error_class("IoError", errno.ENOENT) is l610.MissingFileError
    assert "dialout" in (l610.PortPermissionError.__doc__ or "")


def test_a_silent_port_names_port_baud_time_and_what_to_check() -> None:
    """It said "after 1s" with no port name after waiting 3 s."""
    master, slave = os.openpty()
    try:
        path = os.ttyname(slave)
        start = time.monotonic()
        with pytest.raises(l610.TimeoutError) as e:
            l610.Modem(path, 9600)
        waited = time.monotonic() - start
    finally:
        os.close(master)
        os.close(slave)
    err = e.value
    assert f"{path} at 9600 baud" in str(err) and "3 tries" in str(err)
    assert "AT port" in str(err) and "baud rate" in str(err)
    assert err.after >= 3.0 and waited >= 3.0
    assert err.errno == errno.ETIMEDOUT
    assert isinstance(err, TimeoutError)


def test_errno_is_none_where_none_fits(modem: l610.Modem) -> None:
    with pytest.raises(l610.AtError) as e:
        modem.command("+NOSUCHCOMMAND")
    assert e.value.errno is None


def test_minus_7_names_the_modules_version(manual_modem: l610.Modem) -> None:
    """The help(l610) example failed against a default server: the manual's module starts at
    TLS 1.0, and -7 did not say so."""
    pki = Pki.generate()
    with TlsServer(pki) as server:  # TLS 1.2 at least, as current servers
        manual_modem.activate_pdp()
        with pytest.raises(l610.SslError) as e:
            manual_modem.open_tls("127.0.0.1", server.port, check_clock=False)
    assert e.value.code is l610.SslErrorCode.PROTOCOL_ERROR
    assert "TLS 1.0 (AT+GTSSLVER=2)" in e.value.diagnosis
    assert "set_ssl_version" in e.value.diagnosis


def test_plain_tcp_failure_says_what_to_check(online: l610.Modem) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(l610.ConnectionFailed) as e:
        online.open_tcp("127.0.0.1", port)
    assert f"127.0.0.1:{port}" in str(e.value) and "nothing listening" in str(e.value)


# ---- command(), repr ----

def test_command_has_one_meaning(modem: l610.Modem) -> None:
    """`AT+CSQ` sent `ATAT+CSQ`; `+CSQ` returned []."""
    for line in ("AT+CSQ", "at+csq", "+CSQ"):
        assert modem.command(line) == ["+CSQ: 24,99"], line
    assert modem.command("AT") == []
    assert modem.command("ATI")[0] == "Fibocom"
    assert "-> AT+CSQ\\r" in "\n".join(modem.transcript())
    assert "ATAT" not in "\n".join(modem.transcript())


def test_repr_shows_port_and_state(sim: l610.Simulator) -> None:
    modem = l610.Modem(sim.port)
    assert re.match(rf"<l610.Modem on {sim.port} at 115200 baud, open, \d+ module restart", repr(modem))
    modem.close()
    assert repr(modem) == "<l610.Modem closed>"
    assert "running" in repr(sim)


# ---- profiles ----

def test_profiles_report_uploads_skips_and_foreign_files(modem: l610.Modem) -> None:
    pki = Pki.generate()
    other = Pki.generate()
    profile = l610.TlsProfile(trust_files=[pki.ca_pem])
    first = modem.set_profile(profile, auto_reapply=False)
    assert (first.uploaded, first.skipped) == (1, 0)
    assert first.files[0].file_type is l610.FileType.TRUSTFILE
    second = modem.apply_profile(profile)
    assert (second.uploaded, second.skipped) == (0, 1)
    assert "already loaded" in str(second)
    assert modem.ssl_file_counts().trust == 1  # the same CA did not use a second slot
    # A CA loaded behind the driver's back (a raw upload) is foreign, and said so.
    body = other.ca_pem
    modem.command(f'+GTSSLFILE="TRUSTFILE",{len(body)}', payload=body)
    report = modem.apply_profile(profile)
    assert report.foreign.trust == 1 and "did not load" in str(report)
    # A client identity that cannot fit is refused before anything is uploaded.
    modem.command(f'+GTSSLFILE="CERTFILE",{len(other.client_pem)}', payload=other.client_pem)
    with pytest.raises(l610.LimitReached, match="power-cycle"):
        modem.apply_profile(l610.TlsProfile(trust_files=[pki.ca_pem],
                                            client_identity=(pki.client_pem, pki.client_key_pem)))
    assert modem.ssl_file_counts().key == 0


# ---- the trace ----

def test_no_transcript_unless_asked(sim: l610.Simulator) -> None:
    with l610.Modem(sim.port) as modem:
        modem.verify_mode()
        with pytest.raises(l610.InvalidArgument, match="transcript_lines"):
            modem.transcript()


def test_logging_enabled_later_sees_the_next_call(sim: l610.Simulator,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    with l610.Modem(sim.port) as modem:
        modem.verify_mode()
        with caplog.at_level(logging.DEBUG, logger="l610"):
            modem.ssl_version()
    lines = [r.getMessage() for r in caplog.records if r.name == "l610"]
    assert any("-> AT+GTSSLVER?" in line for line in lines), lines
    assert not any("GTSSLMODE" in line for line in lines), "recorded while logging was off"


def test_the_transcript_is_bounded(sim: l610.Simulator) -> None:
    with l610.Modem(sim.port, transcript_lines=5) as modem:
        for _ in range(10):
            modem.verify_mode()
        assert len(modem.transcript()) == 5
        assert modem.stats().trace_dropped == 0


# ---- Jupyter ----

def test_rich_display(online: l610.Modem) -> None:
    pki = Pki.generate()
    report = online.set_profile(l610.TlsProfile(trust_files=[pki.ca_pem],
                                                ciphers=["ECDHE-ECDSA-WITH-AES-128-GCM-SHA256"]))
    status = online.status()
    assert isinstance(status, l610.ModemStatus)
    html = status._repr_html_()
    for cell in ("L610 status", online.port, "PDP context", "active", "TLS1_2", "VERIFY",
                 "1 TRUSTFILE", "ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"):
        assert cell in html, cell
    assert "module clock" in str(status) and status.clock_offset is not None
    assert abs(status.clock_offset) < 120
    assert "uploaded" in report._repr_html_()
    assert "TRUSTFILE" in online.ssl_file_counts()._repr_html_()
    ciphers = online.enabled_ciphers()
    assert isinstance(ciphers, l610.CipherList) and "TLS-ECDHE-ECDSA" in ciphers._repr_html_()
    assert "rx_bytes" in online.stats()._repr_html_()
    assert "TRUSTFILE #0" in l610.TlsProfile(trust_files=[pki.ca_pem])._repr_html_()
    t = online.transcript_table()
    assert isinstance(t, l610.Transcript) and isinstance(t[-3:], l610.Transcript)
    records = t.to_records()
    assert records and set(records[0]) == {"time", "direction", "text"}
    assert {r["direction"] for r in records} == {"tx", "rx"}
    assert "&rarr; module" in t._repr_html_()
    tricky = l610.Transcript([l610.TraceRecord(0.5, "rx", "<b>+CSQ: 24,99</b>")])
    assert "&lt;b&gt;" in tricky._repr_html_() and "<b>+CSQ" not in tricky._repr_html_()
    assert str(t).count("\n") == len(t) - 1


def test_the_queue_to_logging_is_bounded_and_overflow_counted(
    sim: l610.Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """12 000 lines arrive between two calls (the trace is logged after each call): 10 000 wait,
    the rest are counted, reported once as a warning and in stats()."""
    with l610.Modem(sim.port) as modem, caplog.at_level(logging.DEBUG, logger="l610"):
        modem.verify_mode()  # logging is on from here
        sim.faults.inject_garbage(b"+NOISE: 1\r\n" * 12_000)
        # The module writes the garbage before this command's answer: when the call returns,
        # every garbage line has been traced.
        assert modem.command("AT", timeout=30) == []
        dropped = modem.stats().trace_dropped
    assert dropped > 0
    logged = [r for r in caplog.records if r.name == "l610" and "+NOISE" in r.getMessage()]
    assert len(logged) <= 10_000
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "l610"]
    assert len(warnings) == 1 and "dropped" in warnings[0].getMessage()
