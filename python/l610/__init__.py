"""Driver for the TLS stack of the Fibocom L610 LTE module (``AT+GTSSL*``, ``AT+MIP*``),
with a virtual module (``Simulator``) for tests and notebooks.

    import l610
    from l610.testing import Pki, TlsServer

    pki = Pki.generate()                        # a throwaway CA, server and client certificate
    with TlsServer(pki) as server, l610.Simulator() as sim, l610.Modem(sim.port) as modem:
        modem.activate_pdp()                    # AT+MIPCALL=1
        modem.set_clock_from_host()             # certificates are checked against it
        print(modem.set_profile(l610.TlsProfile(trust_files=[pki.ca_pem])))  # TLS 1.2, verify
        with modem.open_tls("127.0.0.1", server.port) as tls:
            tls.sendall(b"hello\\n")
            print(tls.recv(4096))               # b'hello\\n' (the server echoes)

``l610.Modem("/dev/ttyUSB2")`` drives hardware instead (a path, ``socket://host:port``, a pyserial
URL, or a ``serial.Serial``). Errors are :class:`L610Error` subclasses whose message says what to
check; ports and files raise ``OSError`` subclasses with ``errno``, as pyserial does.

The AT trace (keys redacted) goes to the ``logging`` logger ``l610`` at DEBUG level when that is
enabled, and to :meth:`Modem.transcript` with ``Modem(..., transcript_lines=N)``. In Jupyter,
:meth:`Modem.status`, profiles, file counts, cipher lists, stats and
:meth:`Modem.transcript_table` display as tables. pytest: the plugin ``l610.pytest_plugin``
(fixtures ``l610_modem``, ``l610_sim``, ``l610_tls_server``; ``--l610-port`` for hardware).
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
    FilePermissionError,
    IoError,
    L610Error,
    LimitReached,
    MissingFileError,
    ModuleResetError,
    Overflow,
    PortError,
    PortNotFoundError,
    PortPermissionError,
    SslError,
    TimeoutError,
    UnexpectedResponse,
)
from ._l610 import Faults, Modem, Simulator, Socket
from ._types import (
    CellLocation,
    CipherList,
    CipherSuite,
    ErrorReporting,
    FileCounts,
    FileReport,
    FileSupport,
    FileType,
    Identity,
    ModemStatus,
    Operator,
    PdpStatus,
    PingReport,
    ProfileReport,
    ReceiveFormat,
    Registration,
    RegistrationDomain,
    RegistrationReporting,
    RegistrationStatus,
    SignalQuality,
    SimStatus,
    SslErrorCode,
    SslVersion,
    Stats,
    TlsProfile,
    TraceRecord,
    Transcript,
    Urc,
    VerifyMode,
)

__version__: str = _l610.__version__


class HTTPSConnection(_http_client.HTTPConnection):
    """``http.client`` over a TLS socket of the module: ``HTTPSConnection(modem, host)``.

    TLS is the module's (its ``+GTSSL*`` settings, e.g. from :meth:`Modem.set_profile`);
    ``request``/``getresponse`` work as with ``http.client.HTTPSConnection``. ``check_clock`` is
    passed to :meth:`Modem.open_tls`."""

    default_port = 443

    def __init__(
        self, modem: Modem, host: str, port: Any = None, *, check_clock: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(host, port, **kwargs)
        self._modem = modem
        self._check_clock = check_clock

    def connect(self) -> None:
        """Open the TLS socket through the module (:meth:`Modem.open_tls`)."""
        self.sock = self._modem.open_tls(self.host, self.port, check_clock=self._check_clock)


__all__ = [
    "CellLocation", "Identity", "Operator", "PingReport", "Registration", "RegistrationDomain",
    "RegistrationReporting", "RegistrationStatus", "SignalQuality", "SimStatus",
    "AtError", "CipherList", "CipherSuite", "ClockSkew", "Closed", "CmeError",
    "ConnectionFailed", "ErrorReporting", "Faults", "FileCounts", "FilePermissionError",
    "FileReport", "FileSupport", "FileType", "HTTPSConnection", "InvalidArgument", "IoError",
    "L610Error", "LimitReached", "MissingFileError", "Modem", "ModemStatus", "ModuleResetError",
    "Overflow", "PdpStatus", "PortError", "PortNotFoundError", "PortPermissionError",
    "ProfileReport", "ReceiveFormat", "Simulator", "Socket", "SslError", "SslErrorCode",
    "SslVersion", "Stats", "TimeoutError", "TlsProfile", "TraceRecord", "Transcript",
    "UnexpectedResponse", "Urc", "VerifyMode", "__version__",
]
