"""Driver for the TLS stack of the Fibocom L610 LTE module (``AT+GTSSL*``, ``AT+MIP*``),
with a virtual module (``Simulator``) for tests and notebooks.

    import l610
    with l610.Simulator() as sim, l610.Modem(sim.port) as modem:
        modem.activate_pdp()
        modem.set_clock_from_host()
        modem.load_trust_file("ca.pem")
        modem.set_verify_mode(l610.VerifyMode.VERIFY)
        with modem.open_tls("127.0.0.1", 4433) as tls:
            tls.sendall(b"GET / HTTP/1.0\\r\\n\\r\\n")
            print(tls.recv(4096))

The AT trace (keys redacted) goes to the ``logging`` logger ``l610`` at DEBUG level and to
``Modem.transcript()``.
"""

from __future__ import annotations

import http.client as _http_client
from typing import Any

from . import _l610
from ._errors import (
    AtError,
    ClockSkew,
    Closed,
    CmeError,
    ConnectionFailed,
    InvalidArgument,
    IoError,
    L610Error,
    LimitReached,
    ModuleResetError,
    Overflow,
    PortError,
    SslError,
    TimeoutError,
    UnexpectedResponse,
)
from ._l610 import Faults, Modem, Simulator, Socket
from ._types import (
    CipherSuite,
    ErrorReporting,
    FileCounts,
    FileSupport,
    FileType,
    PdpStatus,
    ReceiveFormat,
    SslErrorCode,
    SslVersion,
    Stats,
    TlsProfile,
    Urc,
    VerifyMode,
)

__version__: str = _l610.__version__


class HTTPSConnection(_http_client.HTTPConnection):
    """``http.client`` over a TLS socket of the module: ``HTTPSConnection(modem, host)``."""

    default_port = 443

    def __init__(
        self, modem: Modem, host: str, port: Any = None, *, check_clock: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(host, port, **kwargs)
        self._modem = modem
        self._check_clock = check_clock

    def connect(self) -> None:
        self.sock = self._modem.open_tls(self.host, self.port, check_clock=self._check_clock)


__all__ = [
    "AtError", "CipherSuite", "ClockSkew", "Closed", "CmeError", "ConnectionFailed",
    "ErrorReporting", "Faults", "FileCounts", "FileSupport", "FileType", "HTTPSConnection",
    "InvalidArgument", "IoError", "L610Error", "LimitReached", "Modem", "ModuleResetError",
    "Overflow", "PdpStatus", "PortError", "ReceiveFormat", "Simulator", "Socket", "SslError",
    "SslErrorCode", "SslVersion", "Stats", "TimeoutError", "TlsProfile", "UnexpectedResponse",
    "Urc", "VerifyMode", "__version__",
]
