"""Round trip of ``AT+GTSSLMODE?`` on the virtual module (pty): ``l610`` (``modem.verify_mode()``)
versus a plain pyserial script doing the same exchange. Prints median/mean in µs and the ratio.

    python python/bench/roundtrip.py [-n 2000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Callable, List

import serial  # type: ignore[import-untyped]

import l610


def measure(fn: Callable[[], object], n: int) -> List[float]:
    for _ in range(50):
        fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        fn()
        out.append((time.perf_counter_ns() - t0) / 1000.0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=2000)
    n = ap.parse_args().n
    with l610.Simulator() as sim:
        port = sim.port or ""
        with l610.Modem(port) as modem:
            modem.set_echo(False)
            l610_us = measure(modem.verify_mode, n)

        # Same exchange by hand: write the command, read until the final OK.
        with serial.Serial(port, 115200, timeout=1) as ser:
            ser.reset_input_buffer()

            def plain() -> bytes:
                ser.write(b"AT+GTSSLMODE?\r")
                buf = b""
                while not buf.endswith(b"OK\r\n"):
                    chunk = ser.read(ser.in_waiting or 1)
                    if not chunk:
                        raise RuntimeError(f"no OK after {buf!r}")
                    buf += chunk
                return buf

            assert b"+GTSSLMODE: 0" in plain()
            serial_us = measure(plain, n)

    ml, ms = statistics.median(l610_us), statistics.median(serial_us)
    print(f"N={n} round trips of AT+GTSSLMODE? on the virtual module (pty, echo off)")
    print(f"l610 modem.verify_mode(): median {ml:8.1f} µs  mean {statistics.fmean(l610_us):8.1f} µs")
    print(f"pyserial write+read:      median {ms:8.1f} µs  mean {statistics.fmean(serial_us):8.1f} µs")
    print(f"ratio l610/pyserial (median): {ml / ms:.2f}")


if __name__ == "__main__":
    main()
