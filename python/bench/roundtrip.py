"""Round trip of ``AT+GTSSLMODE?`` on the virtual module (pty): ``l610`` (``modem.verify_mode()``)
versus a plain pyserial script doing the same exchange.

Runs alternate (l610, pyserial, l610, pyserial, ...) on one virtual module, ``--runs`` of each
(default 5), ``-n`` round trips per run. Prints each run's medians and ratio, then the median of
the per-run ratios: the figure issue #8's target is stated in (at most 1.0).

    python python/bench/roundtrip.py [-n 2000] [--runs 5] [--quantiles]

With ``--quantiles`` each run also prints its 10th, 50th and 90th percentile: the quickest tenth
shows the cost with the least scheduling noise of a shared machine.
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


def run_l610(port: str, n: int) -> List[float]:
    with l610.Modem(port) as modem:
        modem.set_echo(False)
        out = measure(modem.verify_mode, n)
    return out


def run_pyserial(port: str, n: int) -> List[float]:
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
        return measure(plain, n)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=2000, help="round trips per run")
    ap.add_argument("--runs", type=int, default=5, help="alternating runs of each (>= 1)")
    ap.add_argument("--quantiles", action="store_true", help="print p10/p50/p90 of each run")
    args = ap.parse_args()
    n, runs = args.n, max(1, args.runs)
    ratios: List[float] = []
    all_l610: List[float] = []
    all_serial: List[float] = []
    print(f"N={n} round trips of AT+GTSSLMODE? per run, {runs} alternating runs each, "
          "on the virtual module (pty, echo off)")
    with l610.Simulator() as sim:
        port = sim.port or ""
        for i in range(runs):
            l610_us = run_l610(port, n)
            serial_us = run_pyserial(port, n)
            ml, ms = statistics.median(l610_us), statistics.median(serial_us)
            ratios.append(ml / ms)
            all_l610 += l610_us
            all_serial += serial_us
            print(f"run {i + 1}: l610 median {ml:8.1f} µs  pyserial median {ms:8.1f} µs  "
                  f"ratio {ml / ms:.2f}")
            if args.quantiles:
                for name, xs in (("l610", l610_us), ("pyserial", serial_us)):
                    q = statistics.quantiles(xs, n=10)
                    print(f"       {name:9s} p10 {q[0]:7.1f}  p50 {q[4]:7.1f}  p90 {q[8]:7.1f} µs")
    ml, ms = statistics.median(all_l610), statistics.median(all_serial)
    print(f"l610 modem.verify_mode(): median {ml:8.1f} µs  mean {statistics.fmean(all_l610):8.1f} µs")
    print(f"pyserial write+read:      median {ms:8.1f} µs  mean {statistics.fmean(all_serial):8.1f} µs")
    print(f"ratio l610/pyserial per run: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"ratio l610/pyserial, median of {runs} runs: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
