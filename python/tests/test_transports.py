"""Issue 10: `l610.Modem(port)` takes a path, a `pathlib.Path`, `socket://` (the core's TCP
transport, served by the simulator's listener as ser2net would), any pyserial URL
(`rfc2217://`, through pyserial's own RFC 2217 implementation serving the virtual module's pty)
and an open `serial.Serial`-like object (python/src/transport.rs)."""

from __future__ import annotations

import _thread
import socket
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
import serial  # type: ignore[import-untyped]
import serial.rfc2217  # type: ignore[import-untyped]

import l610


def _works(modem: l610.Modem) -> None:
    assert modem.command("+CSQ") == ["+CSQ: 24,99"]
    modem.set_verify_mode(l610.VerifyMode.VERIFY)
    assert modem.verify_mode() is l610.VerifyMode.VERIFY
    assert modem.identity().model == "L610"


def test_pathlib_path(sim: l610.Simulator) -> None:
    with l610.Modem(Path(sim.port)) as modem:
        _works(modem)
        assert modem.port == f"{sim.port} at 115200 baud"


def test_socket_url_served_by_the_simulator(sim: l610.Simulator) -> None:
    url = sim.listen()
    assert url.startswith("socket://127.0.0.1:")
    with l610.Modem(url) as modem:
        _works(modem)
        assert modem.port == url
        assert url in repr(modem)


def test_a_serial_object(sim: l610.Simulator) -> None:
    ser = serial.Serial(sim.port, 115200, timeout=1)
    with l610.Modem(ser) as modem:
        _works(modem)
        assert modem.port == sim.port
        # The reader thread reads through pyserial: a bulk answer of many lines arrives whole.
        assert len(modem.command("+GTSSLCIPHER=?")) >= 1
    ser.close()


def test_a_pyserial_socket_object(sim: l610.Simulator) -> None:
    ser = serial.serial_for_url(sim.listen(), timeout=1)
    with l610.Modem(ser) as modem:
        _works(modem)
    ser.close()


def test_not_a_port() -> None:
    with pytest.raises(TypeError, match="read\\(\\) and write\\(\\)"):
        l610.Modem(42)  # type: ignore[arg-type]


class _PtyLines:
    """The pty as the server's serial port. A pty has no modem lines (TIOCMGET/TIOCMBIS fail
    with ENOTTY), so they read as low and writes to them are ignored; everything else (baud
    rate, data bits, reads, writes) goes to pyserial's port on the pty."""

    _LINES = ("cts", "dsr", "ri", "cd")
    _CONTROLS = ("rts", "dtr", "break_condition")

    def __init__(self, port: Any) -> None:
        object.__setattr__(self, "_port", port)

    def __getattr__(self, name: str) -> Any:
        if name in self._LINES:
            return False
        return getattr(self._port, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._CONTROLS:
            return
        setattr(self._port, name, value)


class Rfc2217Server:
    """pyserial's RFC 2217 server (its examples/rfc2217_server.py, `Redirector`) serving the
    virtual module's pty to one client: pyserial's PortManager does the protocol."""

    def __init__(self, pty: str) -> None:
        self.serial = serial.serial_for_url(pty, do_not_open=True)
        self.serial.timeout = 0.05
        self.serial.open()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.alive = True
        self.lock = threading.Lock()
        self.client: Any = None
        self.threads = [threading.Thread(target=self._serve, daemon=True)]
        self.threads[0].start()

    def _write(self, data: bytes) -> None:
        with self.lock:
            self.client.sendall(data)

    def _serve(self) -> None:
        self.client, _ = self.listener.accept()
        self.client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        manager = serial.rfc2217.PortManager(_PtyLines(self.serial), self)
        self.rfc2217 = manager

        def reader() -> None:
            while self.alive:
                data = self.serial.read(self.serial.in_waiting or 1)
                if data:
                    self._write(b"".join(manager.escape(data)))

        t = threading.Thread(target=reader, daemon=True)
        self.threads.append(t)
        t.start()
        while self.alive:
            try:
                data = self.client.recv(1024)
            except OSError:
                break
            if not data:
                break
            self.serial.write(b"".join(manager.filter(data)))

    # PortManager calls these on its "connection".
    def write(self, data: bytes) -> None:
        self._write(data)

    def stop(self) -> None:
        self.alive = False
        if self.client is not None:
            try:
                self.client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.listener.close()
        for t in self.threads:
            t.join(5)
        self.serial.close()


@pytest.fixture
def rfc2217(sim: l610.Simulator) -> Iterator[Rfc2217Server]:
    server = Rfc2217Server(sim.port)
    yield server
    server.stop()


def test_rfc2217_url_through_pyserials_server(rfc2217: Rfc2217Server, sim: l610.Simulator) -> None:
    url = f"rfc2217://127.0.0.1:{rfc2217.port}"
    with l610.Modem(url, 115200) as modem:
        assert modem.port == url
        _works(modem)
        # The baud rate went through RFC 2217 to the serving side's port.
        assert rfc2217.serial.baudrate == 115200
        modem.activate_pdp()
        assert modem.pdp_status().state == "active"


def test_ctrl_c_ends_a_call_over_a_python_transport(sim: l610.Simulator) -> None:
    ser = serial.Serial(sim.port, 115200, timeout=1)
    with l610.Modem(ser, timeout=10.0) as modem:
        sim.faults.drop_next_final()  # the module never answers this command
        timer = threading.Timer(0.3, _thread.interrupt_main)
        start = time.monotonic()
        timer.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                modem.verify_mode()
        finally:
            timer.cancel()
        assert time.monotonic() - start < 7, "ended by Ctrl-C, not the 10 s timeout"
        assert modem.verify_mode() is l610.VerifyMode.NONE
    ser.close()
