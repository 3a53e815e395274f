"""A pyserial script in the habits of the public L610 clients (RT-Thread, OneOS, TobudOS,
LinkSDK; docs/AT-REFERENCE.md §6), run against the virtual module: CRLF terminators, ``ATE0``
first, SIM/registration/signal checks before anything else, DNS, an MQTT CONNECT (binary, with
NUL and CR LF inside) through ``+MIPSEND``, received back in every receive format, and ping.
No part of this project's driver is involved: only bytes on the pty, read the way those
clients read them."""

from __future__ import annotations

import re

import pytest
import serial  # type: ignore[import-untyped]

import l610

T = 10.0


def mqtt_connect() -> bytes:
    client_id = b"l610\r\nsim\x00\r"
    body = b"\x00\x04MQTT\x04\x02\x00\x3c" + len(client_id).to_bytes(2, "big") + client_id
    return bytes([0x10, len(body)]) + body


class Client:
    """What the field clients do: write a line with CRLF, read until a final result."""

    def __init__(self, port: str) -> None:
        self.ser = serial.Serial(port, 115200, timeout=T)
        self.buf = b""

    def read_until(self, needle: bytes) -> bytes:
        while needle not in self.buf:
            chunk = self.ser.read(self.ser.in_waiting or 1)
            assert chunk, f"timed out waiting for {needle!r}; have {self.buf!r}"
            self.buf += chunk
        at = self.buf.index(needle) + len(needle)
        out, self.buf = self.buf[:at], self.buf[at:]
        return out

    def read_exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.ser.read(n - len(self.buf))
            assert chunk, "timed out"
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def at(self, cmd: str) -> str:
        self.ser.write(cmd.encode() + b"\r\n")
        text = self.read_until(b"OK\r\n").decode()
        assert "ERROR" not in text, f"{cmd}: {text!r}"
        return text

    def urc(self, prefix: str) -> str:
        self.read_until(b"\r\n" + prefix.encode())
        return prefix + self.read_until(b"\r\n")[:-2].decode()

    def send(self, sock: int, data: bytes) -> None:
        self.ser.write(f"AT+MIPSEND={sock},{len(data)}\r\n".encode())
        self.read_until(b">")
        self.ser.write(data)
        # Hardware's order: +MIPPUSH, then +MIPSEND with the free size, then OK.
        text = self.read_until(b"OK\r\n").decode()
        assert re.search(rf"\+MIPPUSH: {sock},0\r\n.*\+MIPSEND: {sock},0,2048\r\n", text, re.S), text


def test_a_field_client_session(echo_port: int) -> None:
    with l610.Simulator() as sim:
        c = Client(sim.port or "")
        c.ser.write(b"ATE0\r\n")
        c.read_until(b"OK\r\n")
        assert c.at("AT").strip() == "OK", "echo is off"

        # The checks every client makes before it opens anything; all must pass, none ERROR.
        assert "+CPIN: READY" in c.at("AT+CPIN?")
        for cmd in ("AT+CREG?", "AT+CGREG?", "AT+CEREG?"):
            stat = re.search(r": \d,(\d)", c.at(cmd))
            assert stat and stat.group(1) in ("1", "5"), cmd
        for cmd in ("AT+CSQ", "AT+CSQ?"):
            m = re.search(r"\+CSQ: (\d+),(\d+)", c.at(cmd))
            assert m and m.group(1) != "99", f"{cmd}: a registered module knows its signal"
        assert "+CGATT: 1" in c.at("AT+CGATT?")
        assert "+COPS: 0,0," in c.at("AT+COPS?")
        c.at('AT+CGDCONT=1,"IP","CMNET"')
        for cmd in ("AT+CGSN", "AT+CGSN=1", "AT+CIMI", "AT+CIMI?", "AT+CGMM", "AT+CGMR", "AT+CFUN?"):
            c.at(cmd)
        assert "+GTSSLVER: 0" in c.at("AT+GTSSLVER?"), "power-up state as on hardware"

        c.at('AT+MIPCALL=1,"CMNET"')
        assert re.match(r"\+MIPCALL: \d+\.\d+\.\d+\.\d+", c.urc("+MIPCALL: "))
        for form in ('AT+MIPDNS="localhost",0', 'AT+MIPDNS="localhost",2', 'AT+MIPDNS="localhost"'):
            assert '+MIPDNS: "localhost",127.0.0.1' in c.at(form)

        c.at(f'AT+MIPOPEN=1,,"127.0.0.1",{echo_port},0')
        assert c.urc("+MIPOPEN: ") == "+MIPOPEN: 1,1"
        packet = mqtt_connect()

        c.at('AT+GTSET="IPRFMT",0')  # hex on one line
        c.send(1, packet)
        assert bytes.fromhex(c.urc("+MIPRTCP: 1,").rsplit(",", 1)[1]) == packet

        for fmt in (1, 2):  # raw after the header; 2 announces the length
            c.at(f'AT+GTSET="IPRFMT",{fmt}')
            c.send(1, packet)
            header = c.read_until(b"+MIPRTCP: 1,") + c.read_until(b",")
            assert header.endswith(b","), header
            assert c.read_exact(len(packet)) == packet
            assert c.read_exact(2) == b"\r\n"

        c.at('AT+GTSET="IPRFMT",5')  # read mode: announced, then fetched
        c.send(1, packet)
        assert c.urc("+MIPREAD: ") == f"+MIPREAD: 1,{len(packet)}"
        c.ser.write(f"AT+MIPREAD=1,{len(packet)}\r\n".encode())
        c.read_until(f"+MIPDATA: 1,{len(packet)}\r\n".encode())
        assert c.read_exact(len(packet)) == packet
        c.read_until(b"OK\r\n")

        c.at('AT+MPING=1,"127.0.0.1",1,32,64,0,5000')
        assert re.match(r'\+MPING: "127\.0\.0\.1",0,0,\d+', c.urc("+MPING: "))
        assert re.match(r'\+MPINGSTAT: 0,"127\.0\.0\.1",1,1,\d+', c.urc("+MPINGSTAT: "))

        c.at("AT+MIPCLOSE=1")
        c.ser.close()
