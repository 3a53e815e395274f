"""The exception hierarchy. Instances are raised by the native module (one mapping, in
python/src/errors.rs); each carries the fields of the driver's error as attributes."""

from __future__ import annotations

import builtins
from typing import Any, Optional


class L610Error(Exception):
    """Base class of every error the driver reports. ``kind`` is the core's stable number."""

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
    """The serial port could not be opened or configured."""

    path: str = ""


class IoError(L610Error, OSError):
    """Reading or writing the transport failed."""


def _ssl_error_code(code: int) -> Any:
    """An ``SslErrorCode`` member, or the plain int for a code the manual does not list."""
    from ._types import SslErrorCode

    try:
        return SslErrorCode(code)
    except ValueError:
        return code
