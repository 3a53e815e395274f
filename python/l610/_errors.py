"""The exception hierarchy. Instances are raised by the native module (one mapping, in
python/src/errors.rs); each carries the fields of the driver's error as attributes."""

from __future__ import annotations

import builtins
from typing import Any, Optional


class L610Error(Exception):
    """Base class of every error the driver reports. ``kind`` is the core's stable number
    (the same as C's ``l610_status``); ``errno`` is set where a POSIX errno fits (ports, files,
    timeouts), else ``None``. The message is the core's, word for word the same in Rust, C and
    the CLI."""

    kind: int = 0


class InvalidArgument(L610Error, ValueError):
    """A value was refused before anything was sent to the module."""


class LimitReached(L610Error):
    """A module limit would be exceeded (a 41st TRUSTFILE, no free socket id)."""


class TimeoutError(L610Error, builtins.TimeoutError):
    """The module did not answer in time (also the builtin ``TimeoutError``/``socket.timeout``)."""

    waiting_for: str = ""
    after: float = 0.0


class AtError(L610Error):
    """The module answered ``ERROR``."""

    command: str = ""


class CmeError(AtError):
    """The module answered ``+CME ERROR: <code>`` or ``+CME ERROR: <text>``."""

    code: Optional[int] = None
    text: Optional[str] = None


class SslError(L610Error, ConnectionError):
    """A TLS connection failed; ``code`` is what ``AT+GTSSLERR?`` reported."""

    code: Any = None
    diagnosis: str = ""


class ConnectionFailed(L610Error, ConnectionError):
    """A socket or the PDP context failed without an SSL error code."""


class ClockSkew(L610Error):
    """The module clock is too far off the host's for certificate verification."""

    module_clock: str = ""
    host_clock: str = ""
    skew_hours: int = 0


class ModuleResetError(L610Error):
    """The module restarted; its SSL settings and files are lost."""

    during: str = ""


class Closed(L610Error, ConnectionError):
    """The socket, the modem or the simulator is closed."""


class Overflow(L610Error):
    """Received data was dropped because the receive buffer was full."""

    socket: int = 0
    dropped: int = 0


class UnexpectedResponse(L610Error):
    """The module answered something the driver cannot make sense of."""

    command: str = ""
    response: str = ""


class PortError(L610Error, OSError):
    """The serial port could not be opened or configured.

    An ``OSError`` with ``errno`` set, as pyserial raises it; ``path`` (and ``filename``) is the
    port. The message ends with what to check (plugged in? the ``dialout`` group? another
    program holding it?). A missing port is also a ``FileNotFoundError``
    (:class:`PortNotFoundError`), one you may not open a ``PermissionError``
    (:class:`PortPermissionError`)."""

    path: str = ""


class PortNotFoundError(PortError, FileNotFoundError):
    """The port does not exist (``errno.ENOENT``)."""


class PortPermissionError(PortError, PermissionError):
    """The port may not be opened by this user (``errno.EACCES``): join the ``dialout`` group."""


class IoError(L610Error, OSError):
    """Reading or writing the transport failed, or a file given by path could not be read.

    ``errno`` is set; a missing file is also a ``FileNotFoundError``
    (:class:`MissingFileError`), an unreadable one a ``PermissionError``
    (:class:`FilePermissionError`)."""


class MissingFileError(IoError, FileNotFoundError):
    """A file given by path does not exist (``errno.ENOENT``)."""


class FilePermissionError(IoError, PermissionError):
    """A file given by path may not be read (``errno.EACCES``)."""


_ENOENT, _EACCES = 2, 13
_OS_ERROR_CLASSES = {
    ("PortError", _ENOENT): PortNotFoundError,
    ("PortError", _EACCES): PortPermissionError,
    ("IoError", _ENOENT): MissingFileError,
    ("IoError", _EACCES): FilePermissionError,
}


def _os_error_class(base: str, errno: Optional[int]) -> type:
    """The class for a port or I/O error with ``errno`` (python/src/errors.rs calls this)."""
    found = _OS_ERROR_CLASSES.get((base, errno or 0))
    if found is not None:
        return found
    cls = globals()[base]
    assert isinstance(cls, type)
    return cls


def _ssl_error_code(code: int) -> Any:
    """An ``SslErrorCode`` member, or the plain int for a code the manual does not list."""
    from ._types import SslErrorCode

    try:
        return SslErrorCode(code)
    except ValueError:
        return code
