"""The manual's SSL examples end to end: virtual module → openssl s_server on 127.0.0.1."""

from __future__ import annotations

import _thread
import http.client
import logging
import threading
import time
from pathlib import Path

import pytest

import l610
from s_server import TlsServer


def _read_until(sock: l610.Socket, end: bytes, limit: float = 10) -> bytes:
    got = b""
    deadline = time.monotonic() + limit
    while end not in got and time.monotonic() < deadline:
        chunk = sock.recv(4096)
        if not chunk:
            break
        got += chunk
    return got


def test_example1_no_verification(online: l610.Modem, rev_server: TlsServer) -> None:
    online.set_ssl_version(l610.SslVersion.TLS1_2)
    online.set_verify_mode(l610.VerifyMode.NONE)
    with online.open_tls("127.0.0.1", rev_server.port) as tls:
        assert tls.protocol == "tls" and 1 <= tls.id <= 6
        assert tls.send(b"hello l610\n") == 11
        assert _read_until(tls, b"\n").strip() == b"016l olleh"
    assert tls.closed
    tls.close()  # twice is fine


def test_example2_verified(online: l610.Modem, rev_server: TlsServer) -> None:
    online.load_trust_file(rev_server.ca)
    online.set_verify_mode(l610.VerifyMode.VERIFY)
    with online.open_tls("127.0.0.1", rev_server.port) as tls:
        tls.sendall(b"abc\n")
        assert _read_until(tls, b"\n").strip() == b"cba"
    assert online.ssl_error() is l610.SslErrorCode.NORMAL


def test_example3_clock_in_2015(manual_modem: l610.Modem, rev_server: TlsServer) -> None:
    modem = manual_modem
    modem.activate_pdp()
    modem.set_ssl_version(l610.SslVersion.TLS1_2)
    modem.load_trust_file(rev_server.ca)
    modem.set_verify_mode(l610.VerifyMode.VERIFY)
    with pytest.raises(l610.SslError) as e:
        modem.open_tls("127.0.0.1", rev_server.port, check_clock=False)
    assert e.value.code == -11
    assert "clock" in e.value.diagnosis.lower()
    assert modem.ssl_error() is l610.SslErrorCode.CERTIFICATE_VALIDATION_FAILED
    assert modem.ssl_error_exec() == -11


def test_example4_two_way(online: l610.Modem, pki: Path) -> None:
    with TlsServer(pki, mode="rev", extra=["-Verify", "1", "-CAfile", "ca.pem"]) as srv:
        online.set_profile(
            l610.TlsProfile(trust_files=[srv.ca]).set_client_identity(
                pki / "client.pem", pki / "client.key"))
        with online.open_tls("127.0.0.1", srv.port) as tls:
            tls.sendall(b"mutual\n")
            assert _read_until(tls, b"\n").strip() == b"lautum"


def test_one_cipher(online: l610.Modem, rev_server: TlsServer) -> None:
    online.set_enabled_ciphers([l610.CipherSuite.ECDHE_ECDSA_WITH_AES_128_GCM_SHA256])
    with online.open_tls("127.0.0.1", rev_server.port) as tls:
        tls.sendall(b"x\n")
        assert _read_until(tls, b"\n").strip() == b"x"


def test_http_client_over_tls(online: l610.Modem, server: TlsServer) -> None:
    online.load_trust_file(server.ca)
    online.set_verify_mode(l610.VerifyMode.VERIFY)
    online.set_receive_format(l610.ReceiveFormat.RAW)
    conn = l610.HTTPSConnection(online, "127.0.0.1", server.port)
    conn.request("GET", "/index.html")
    resp = conn.getresponse()
    assert resp.status == 200
    assert b"hello from s_server" in resp.read()
    conn.close()


def test_http_client_subclass_pattern(online: l610.Modem, server: TlsServer) -> None:
    class Conn(http.client.HTTPConnection):
        def connect(self) -> None:
            self.sock = online.open_tls(self.host, self.port)

    conn = Conn("127.0.0.1", server.port)
    conn.request("GET", "/index.html")
    assert conn.getresponse().read().startswith(b"<html>")
    conn.close()


def test_makefile_and_timeouts(online: l610.Modem, rev_server: TlsServer) -> None:
    with online.open_tls("127.0.0.1", rev_server.port) as tls:
        assert tls.gettimeout() is None
        tls.settimeout(0.2)
        assert tls.gettimeout() == pytest.approx(0.2)
        with pytest.raises(TimeoutError):
            tls.recv(10)
        tls.setblocking(False)
        with pytest.raises(BlockingIOError):
            tls.recv(10)
        tls.settimeout(5)
        w = tls.makefile("wb")
        w.write(b"line one\n")
        w.flush()
        r = tls.makefile("rb")
        assert r.readline() == b"eno enil\n"
        tls.sendall(b"two\n")
        buf = bytearray(64)
        n = 0
        while b"\n" not in buf[:n]:
            n += tls.recv_into(memoryview(buf)[n:])
        assert bytes(buf[:n]).strip() == b"owt"
        text = tls.makefile("rw", encoding="ascii")
        text.write("abc\n")
        text.flush()
        assert text.readline() == "cba\n"
        assert tls.buffered() == 0


def test_plain_tcp_and_peer_close(online: l610.Modem, server: TlsServer) -> None:
    # A plain TCP socket to a TLS server: the server drops us after garbage.
    with online.open_tcp("127.0.0.1", server.port) as tcp:
        assert tcp.protocol == "tcp"
        tcp.settimeout(10)
        tcp.sendall(b"this is not TLS\r\n\r\n")
        data = tcp.recv(100)
        while data:
            data = tcp.recv(100)
        assert tcp.recv(10) == b""


def test_threads_share_a_modem(online: l610.Modem, rev_server: TlsServer) -> None:
    errors: list[BaseException] = []

    def query() -> None:
        try:
            for _ in range(20):
                assert online.verify_mode() is l610.VerifyMode.NONE
                assert online.ssl_file_counts().cert == 0
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    with online.open_tls("127.0.0.1", rev_server.port) as tls:
        reader_got: list[bytes] = []
        reader = threading.Thread(target=lambda: reader_got.append(_read_until(tls, b"\n")))
        reader.start()
        workers = [threading.Thread(target=query) for _ in range(4)]
        for w in workers:
            w.start()
        tls.sendall(b"concurrent\n")
        for w in workers:
            w.join(30)
        reader.join(30)
    assert not errors
    assert reader_got == [b"tnerrucnoc\n"]


def test_ctrl_c_interrupts_blocking_recv(online: l610.Modem, rev_server: TlsServer) -> None:
    with online.open_tls("127.0.0.1", rev_server.port) as tls:
        timer = threading.Timer(0.3, _thread.interrupt_main)
        start = time.monotonic()
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            tls.recv(100)  # blocks forever: the server says nothing
        # Generous: any finite time shows the interrupt ended it; a loaded CI machine is slow.
        assert time.monotonic() - start < 10
        # The socket still works afterwards.
        tls.sendall(b"ok\n")
        assert _read_until(tls, b"\n").strip() == b"ko"


def test_ctrl_c_interrupts_open(sim: l610.Simulator, online: l610.Modem) -> None:
    sim.faults.set_response_delay(30.0)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        online.activate_pdp()
    assert time.monotonic() - start < 10, "ended by the interrupt, not by the 30 s delay"
    sim.faults.set_response_delay(0)


def test_trace_goes_to_logging(modem: l610.Modem, caplog: pytest.LogCaptureFixture, pki: Path) -> None:
    with caplog.at_level(logging.DEBUG, logger="l610"):
        modem.verify_mode()
        modem.load_key_file(pki / "client.key")
    lines = [r.getMessage() for r in caplog.records if r.name == "l610"]
    assert any("-> AT+GTSSLMODE?" in line for line in lines)
    assert any("<- +GTSSLMODE: 0" in line for line in lines)
    assert any("redacted" in line for line in lines)
    key_body = (pki / "client.key").read_text().splitlines()[1]
    assert not any(key_body in line for line in lines)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="l610"):
        modem.verify_mode()
    assert not [r for r in caplog.records if r.name == "l610"]
    assert modem.transcript()
    modem.clear_transcript()
    assert modem.transcript() == []
