"""Issue #8, defect 13: Ctrl-C ends any blocking call promptly (typed calls included), the
modem stays usable, and a KeyboardInterrupt is never swallowed on the way out."""

from __future__ import annotations

import _thread
import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest

import l610
from s_server import TlsServer

# Long enough that reaching it means the interrupt was ignored; the interrupt comes at 0.3 s.
SLOW = 30.0


def _interrupt_main() -> None:
    _thread.interrupt_main()


def _real_sigint() -> None:
    os.kill(os.getpid(), signal.SIGINT)


@pytest.fixture
def slow_modem(sim: l610.Simulator) -> Iterator[l610.Modem]:
    with l610.Modem(sim.port or "", timeout=SLOW) as m:
        yield m


@pytest.mark.parametrize(
    "call, interrupt",
    [
        (lambda m: m.verify_mode(), _interrupt_main),
        (lambda m: m.clock(), _real_sigint),
        (lambda m: m.ssl_file_counts(), _real_sigint),
    ],
    ids=["verify_mode-interrupt_main", "clock-SIGINT", "ssl_file_counts-SIGINT"],
)
def test_ctrl_c_interrupts_a_typed_call(
    sim: l610.Simulator,
    slow_modem: l610.Modem,
    call: Callable[[l610.Modem], object],
    interrupt: Callable[[], None],
) -> None:
    sim.faults.drop_next_final()  # the module never answers this command
    timer = threading.Timer(0.3, interrupt)
    start = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            call(slow_modem)
    finally:
        timer.cancel()
    assert time.monotonic() - start < SLOW / 4
    # The abandoned command was drained: the next call on the same modem gets its own answer.
    assert slow_modem.verify_mode() is l610.VerifyMode.NONE
    assert slow_modem.ssl_file_counts() == (0, 0, 0)


def test_ctrl_c_interrupts_next_urc(slow_modem: l610.Modem) -> None:
    slow_modem.drain_urcs()  # the boot URCs
    timer = threading.Timer(0.3, _real_sigint)
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        slow_modem.next_urc()  # no timeout: waits forever
    assert time.monotonic() - start < SLOW / 4
    assert slow_modem.verify_mode() is l610.VerifyMode.NONE


def test_ctrl_c_in_a_logging_handler_propagates(modem: l610.Modem) -> None:
    """The trace goes to `logging` on the calling thread; Ctrl-C landing in a handler is the
    user's, not a broken handler's: it must not be swallowed."""

    class Interrupting(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            raise KeyboardInterrupt

    logger = logging.getLogger("l610")
    handler = Interrupting(logging.DEBUG)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        with pytest.raises(KeyboardInterrupt):
            modem.verify_mode()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert modem.verify_mode() is l610.VerifyMode.NONE


def test_a_broken_logging_handler_does_not_fail_the_call(
    modem: l610.Modem, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            raise RuntimeError("broken handler")

    reported: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: reported.append(u.exc_value))
    logger = logging.getLogger("l610")
    handler = Broken(logging.DEBUG)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        assert modem.verify_mode() is l610.VerifyMode.NONE
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert reported and isinstance(reported[0], RuntimeError)


_SCRIPT = textwrap.dedent(
    """
    import l610

    with l610.Simulator() as sim, l610.Modem(sim.port, timeout={slow}) as modem:
        sim.faults.drop_next_final()
        print("ready", flush=True)
        try:
            modem.verify_mode()
        except l610.L610Error as e:  # what a script does about a slow module
            print("driver error:", e, flush=True)
    print("done", flush=True)
    """
)


def test_sigint_ends_a_script_with_keyboard_interrupt(tmp_path: Path) -> None:
    script = tmp_path / "blocked.py"
    script.write_text(_SCRIPT.format(slow=SLOW))
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.3)
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=3 * SLOW)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert time.monotonic() - start < SLOW / 2, (out, err)
    assert proc.returncode != 0, (out, err)
    assert "KeyboardInterrupt" in err
    assert "done" not in out and "driver error" not in out


def test_close_from_another_thread_wakes_a_blocked_recv(
    online: l610.Modem, rev_server: TlsServer
) -> None:
    tls = online.open_tls("127.0.0.1", rev_server.port)
    got: list[BaseException] = []

    def reader() -> None:
        try:
            tls.recv(100)  # the server says nothing: blocks until closed
        except BaseException as e:  # noqa: BLE001
            got.append(e)

    t = threading.Thread(target=reader)
    t.start()
    time.sleep(0.3)
    start = time.monotonic()
    tls.close()
    t.join(5)
    assert not t.is_alive()
    assert time.monotonic() - start < 3
    assert len(got) == 1 and isinstance(got[0], l610.Closed)
    assert online.verify_mode() is l610.VerifyMode.NONE
