"""``Socket.makefile``: file objects over a module socket, as ``socket.makefile`` builds them."""

from __future__ import annotations

import io
from typing import Any, Optional


class SocketIO(io.RawIOBase):
    """Raw I/O over an ``l610.Socket`` (like ``socket.SocketIO``). Closing it leaves the
    socket open, as with Python sockets."""

    def __init__(self, sock: Any, mode: str) -> None:
        if mode not in ("r", "w", "rw", "rb", "wb", "rwb"):
            raise ValueError(f"invalid mode: {mode!r}")
        super().__init__()
        self._sock = sock
        if "b" not in mode:
            mode += "b"
        self._mode = mode
        self._reading = "r" in mode
        self._writing = "w" in mode
        sock._io_ref()

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._sock._io_unref()

    def readinto(self, b: Any) -> int:
        self._checkClosed()  # type: ignore[attr-defined]
        return int(self._sock.recv_into(b))

    def write(self, b: Any) -> int:
        self._checkClosed()  # type: ignore[attr-defined]
        data = bytes(b)
        self._sock.sendall(data)
        return len(data)

    def readable(self) -> bool:
        return self._reading and not self.closed

    def writable(self) -> bool:
        return self._writing and not self.closed

    @property
    def mode(self) -> str:
        return self._mode


def makefile(
    sock: Any,
    mode: str = "r",
    buffering: Optional[int] = None,
    encoding: Optional[str] = None,
    errors: Optional[str] = None,
    newline: Optional[str] = None,
) -> Any:
    if not set(mode) <= {"r", "w", "b"}:
        raise ValueError(f"invalid mode {mode!r} (only r, w, b allowed)")
    writing = "w" in mode
    reading = "r" in mode or not writing
    binary = "b" in mode
    rawmode = ("r" if reading else "") + ("w" if writing else "")
    raw = SocketIO(sock, rawmode)
    if buffering is None:
        buffering = -1
    if buffering < 0:
        buffering = io.DEFAULT_BUFFER_SIZE
    if buffering == 0:
        if not binary:
            raise ValueError("unbuffered streams must be binary")
        return raw
    buffer: Any
    if reading and writing:
        buffer = io.BufferedRWPair(raw, raw, buffering)
    elif reading:
        buffer = io.BufferedReader(raw, buffering)
    else:
        buffer = io.BufferedWriter(raw, buffering)
    if binary:
        return buffer
    text = io.TextIOWrapper(buffer, encoding, errors, newline)
    text.mode = mode  # type: ignore[misc]
    return text
