"""Enums generated from the driver's tables, and the small value types the API returns."""

from __future__ import annotations

import datetime as _dt
import enum
import html as _html
import os
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple, Union

import importlib

# The native module has no stub of its own (the stub, __init__.pyi, types what l610 exports).
_l610: Any = importlib.import_module("l610._l610")

_CIPHER_NAMES = {i: name for i, _, name in _l610.cipher_suites()}
_SSL_MEANINGS = {code: meaning for code, _, meaning in _l610.ssl_error_codes()}


def _html_table(
    header: Sequence[str], rows: Iterable[Sequence[Any]], caption: Optional[str] = None
) -> str:
    """A small HTML table for ``_repr_html_`` (every cell escaped)."""
    out = ["<table>"]
    if caption:
        out.append(f"<caption style='text-align:left'><b>{_html.escape(caption)}</b></caption>")
    out.append("<thead><tr>" + "".join(f"<th>{_html.escape(h)}</th>" for h in header)
               + "</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(
            f"<td style='text-align:left'><code>{_html.escape(str(c))}</code></td>" for c in row
        ) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _text_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The plain-text form of the same table (for ``print`` and ``text/plain``)."""
    cells = [list(map(str, header))] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class _CipherSuiteBase(enum.IntEnum):
    @property
    def manual_name(self) -> str:
        """The manual's spelling, e.g. ``TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384``."""
        return str(_CIPHER_NAMES[self.value])

    @property
    def iana_name(self) -> str:
        """The IANA spelling, e.g. ``TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384``."""
        return self.manual_name.replace("-", "_")

    @classmethod
    def lookup(cls, name: Union[str, int]) -> Any:
        """By ID, manual name or IANA name; case-insensitive, ``TLS`` prefix optional."""
        return cls(_l610.parse_cipher_suite(str(name)))


class _SslErrorCodeBase(enum.IntEnum):
    @property
    def meaning(self) -> str:
        """What the manual says the code means."""
        return str(_SSL_MEANINGS[self.value])


def _enum(base: Any, name: str, members: List[Tuple[str, int]]) -> Any:
    """An IntEnum made from a driver table (the functional API; typed by __init__.pyi)."""
    return base(name, members, module=__name__)


CipherSuite: Any = _enum(_CipherSuiteBase, "CipherSuite",
                         [(m, i) for i, m, _ in _l610.cipher_suites()])
SslErrorCode: Any = _enum(_SslErrorCodeBase, "SslErrorCode",
                          [(m, c) for c, m, _ in _l610.ssl_error_codes()])
SslVersion: Any = _enum(enum.IntEnum, "SslVersion", [(m, v) for v, m in _l610.ssl_versions()])
VerifyMode: Any = _enum(enum.IntEnum, "VerifyMode", [(m, v) for v, m in _l610.verify_modes()])
FileType: Any = _enum(enum.IntEnum, "FileType", [(m, v) for v, m in _l610.file_types()])
ReceiveFormat: Any = _enum(enum.IntEnum, "ReceiveFormat",
                           [(m, v) for v, m in _l610.receive_formats()])
ErrorReporting: Any = _enum(enum.IntEnum, "ErrorReporting",
                            [(m, v) for v, m in _l610.error_reporting_modes()])

CipherSuite.__doc__ = """The 31 ``+GTSSLCIPHER`` suites by ID (``CipherSuite(5)``), member name without the
``TLS_`` prefix, or :meth:`lookup` by the manual's or IANA's name. IDs 17-19 (CAMELLIA-GCM) have no
OpenSSL equivalent: the virtual module refuses them."""
SslErrorCode.__doc__ = """The ``+GTSSLERR`` codes of the manual (0, -1 ... -20), each with its
:attr:`meaning`. Codes the manual does not list are returned as plain ints."""
SslVersion.__doc__ = """``AT+GTSSLVER`` values: ``UNSPECIFIED`` (0, undocumented; hardware reports it
after power-up and negotiates), ``SSL3``, ``TLS1_0`` (the manual's default), ``TLS1_1``, ``TLS1_2``."""
VerifyMode.__doc__ = """``AT+GTSSLMODE``: ``NONE`` (no server verification) or ``VERIFY``."""
FileType.__doc__ = """``AT+GTSSLFILE`` file types: ``CERTFILE`` (client certificate), ``KEYFILE``
(client key), ``TRUSTFILE`` (a CA the module trusts)."""
ReceiveFormat.__doc__ = """``AT+GTSET="IPRFMT",<n>``: how received socket data is delivered: ``HEX`` (0, the
module's default), ``RAW_LINE`` (1, raw to the line's end: text protocols only), ``RAW`` (2,
binary-safe, read by length, half the bytes of hex), ``READ`` (5, the module keeps the data until
``AT+MIPREAD``). Sockets work the same in every format."""
ErrorReporting.__doc__ = """``AT+CMEE``: ``PLAIN`` (bare ``ERROR``), ``NUMERIC`` or ``VERBOSE``
``+CME ERROR``."""


class RegistrationDomain(enum.Enum):
    """Which registration (3GPP TS 27.007): ``CS`` (``AT+CREG``), ``GPRS`` (``AT+CGREG``),
    ``EPS`` (``AT+CEREG``, LTE: where an L610 registers)."""

    CS = "CS"
    GPRS = "GPRS"
    EPS = "EPS"


class RegistrationStatus(enum.IntEnum):
    """``<stat>`` of ``+CREG``/``+CGREG``/``+CEREG``. Codes beyond 5 are returned as ints."""

    NOT_REGISTERED = 0
    HOME = 1
    SEARCHING = 2
    DENIED = 3
    UNKNOWN = 4
    ROAMING = 5

    @property
    def registered(self) -> bool:
        """Home or roaming."""
        return self in (RegistrationStatus.HOME, RegistrationStatus.ROAMING)


def _registration_status(code: int) -> Any:
    try:
        return RegistrationStatus(code)
    except ValueError:
        return code


class RegistrationReporting(enum.IntEnum):
    """``AT+CREG=<n>``: ``OFF`` (0), ``STATUS`` (1: URCs on a change), ``LOCATION`` (2: with
    the cell)."""

    OFF = 0
    STATUS = 1
    LOCATION = 2


class CellLocation(NamedTuple):
    """The cell of a registration in reporting mode 2: area code, cell id (hex, as sent) and
    the access technology (7 is LTE)."""

    area: str
    cell: str
    act: Optional[int]


class Registration(NamedTuple):
    """``+CEREG: <n>,<stat>[,...]``: the reporting mode, the status, the cell (mode 2)."""

    reporting: int
    status: Any
    location: Optional[CellLocation]

    @property
    def registered(self) -> bool:
        """Registered, home or roaming."""
        return self.status in (RegistrationStatus.HOME, RegistrationStatus.ROAMING)


class SimStatus(NamedTuple):
    """``+CPIN: <code>``: ``ready`` when the code is ``READY`` (else ``SIM PIN``, ``SIM PUK``...)."""

    code: str
    ready: bool


class SignalQuality(NamedTuple):
    """``+CSQ: <rssi>,<ber>``: 0-31 (99 unknown), and the bit error rate (99 unknown)."""

    rssi: int
    ber: int

    @property
    def dbm(self) -> Optional[int]:
        """``-113 + 2 * rssi`` dBm, ``None`` when the module does not know (99)."""
        return None if self.rssi == 99 else -113 + 2 * self.rssi


class Operator(NamedTuple):
    """``+COPS: <mode>[,<format>,<name>[,<act>]]``."""

    mode: int
    format: Optional[int]
    name: Optional[str]
    act: Optional[int]


class Identity(NamedTuple):
    """The module and its SIM (``AT+CGMI``, ``+CGMM``, ``+CGMR``, ``+CGSN``, ``+CIMI``,
    ``+CCID``); IMSI and ICCID are ``None`` when the SIM does not answer."""

    manufacturer: str
    model: str
    firmware: str
    imei: str
    imsi: Optional[str]
    iccid: Optional[str]

    def _repr_html_(self) -> str:
        """The table Jupyter shows."""
        return _html_table(["", ""], [(k, "" if v is None else v)
                                      for k, v in self._asdict().items()], "module identity")


class PingReport(NamedTuple):
    """What ``AT+MPING`` measured: the address, requests sent, replies received, each reply's
    round trip and the module's average (seconds)."""

    ip: str
    sent: int
    received: int
    replies: List[float]
    average: Optional[float]

    def _repr_html_(self) -> str:
        """The table Jupyter shows."""
        rows = [(i + 1, f"{rtt * 1000:.1f} ms") for i, rtt in enumerate(self.replies)]
        avg = "-" if self.average is None else f"{self.average * 1000:.1f} ms"
        return _html_table(["reply", "round trip"], rows,
                           f"ping {self.ip}: {self.received}/{self.sent} answered, average {avg}")


class FileCounts(NamedTuple):
    """How many files of each type the module holds (``AT+GTSSLFILE?``): at most one CERTFILE,
    one KEYFILE and 40 TRUSTFILEs, lost at a power cycle."""

    cert: int
    key: int
    trust: int

    def _repr_html_(self) -> str:
        """The table Jupyter shows."""
        return _html_table(
            ["file type", "loaded", "limit"],
            [("CERTFILE", self.cert, 1), ("KEYFILE", self.key, 1), ("TRUSTFILE", self.trust, 40)],
            "SSL files on the module",
        )


class FileSupport(NamedTuple):
    """``AT+GTSSLFILE=?``: file types, accepted length ranges, raw lines."""

    file_types: List[Any]
    length: Optional[List[Tuple[int, int]]]
    raw: List[str]


class Stats(NamedTuple):
    """The driver's counters (no command is sent to read them): URCs dropped because the queue
    was full, module restarts seen, late answers after a timeout (stray), lines dropped as too
    long, bytes received, and trace lines dropped because the queue to ``logging`` was full."""

    urc_overflow: int
    resets: int
    stray: int
    oversized_lines: int
    rx_bytes: int
    trace_dropped: int = 0

    def _repr_html_(self) -> str:
        """The table Jupyter shows."""
        return _html_table(["counter", "value"], self._asdict().items(), "driver counters")


class CipherList(List[Any]):
    """A list of :class:`CipherSuite` (``AT+GTSSLCIPHER?``) shown as a table: ID, name, manual
    name. An empty list means the module uses its default suites."""

    def _rows(self) -> List[Tuple[int, str, str]]:
        return [(int(c), c.name, c.manual_name) for c in self]

    def __str__(self) -> str:
        if not self:
            return "no suites configured (the module's defaults)"
        return _text_table(["id", "suite", "manual name"], self._rows())

    def _repr_html_(self) -> str:
        """The table Jupyter shows."""
        if not self:
            return "<i>no suites configured (the module's defaults)</i>"
        return _html_table(["id", "suite", "manual name"], self._rows(), "enabled cipher suites")


class FileReport(NamedTuple):
    """One file of a profile: ``uploaded`` now, or skipped because this driver loaded the same
    file since the module's last restart. ``number`` counts within its type (0 for CERTFILE and
    KEYFILE)."""

    file_type: Any
    number: int
    size: int
    uploaded: bool


class ProfileReport(NamedTuple):
    """What :meth:`Modem.apply_profile` did: each file uploaded or skipped, and ``foreign``,
    the files the module holds that this driver did not load since the module's last restart
    (they stay until a power cycle). ``str()`` is one sentence; Jupyter shows a table."""

    files: List[FileReport]
    foreign: FileCounts
    summary: str

    @property
    def uploaded(self) -> int:
        """How many files were uploaded."""
        return sum(1 for f in self.files if f.uploaded)

    @property
    def skipped(self) -> int:
        """How many files were already loaded (not uploaded again)."""
        return len(self.files) - self.uploaded

    def __str__(self) -> str:
        return self.summary

    def _repr_html_(self) -> str:
        """The table Jupyter shows."""
        rows = [
            (FileType(f.file_type).name, f.number, f.size,
             "uploaded" if f.uploaded else "skipped: already loaded since the last restart")
            for f in self.files
        ]
        table = _html_table(["file", "#", "bytes", "action"], rows, "profile applied")
        if sum(self.foreign):
            table += (f"<p>The module also holds {self.foreign.trust} TRUSTFILE(s), "
                      f"{self.foreign.cert} CERTFILE(s) and {self.foreign.key} KEYFILE(s) this "
                      "driver did not load; they stay until a power cycle.</p>")
        return table


class TraceRecord(NamedTuple):
    """One line of the AT trace: seconds since the modem was opened, ``"tx"`` (to the module)
    or ``"rx"``, and the bytes escaped to printable text (keys redacted)."""

    time: float
    direction: str
    text: str


class Transcript(List[TraceRecord]):
    """The AT trace as a table (:meth:`Modem.transcript_table`): a list of :class:`TraceRecord`
    that Jupyter shows as a table; ``pandas.DataFrame(t.to_records())`` for analysis."""

    def to_records(self) -> List[Dict[str, Any]]:
        """One dict per line (``time``, ``direction``, ``text``), for ``pandas.DataFrame``."""
        return [r._asdict() for r in self]

    def __getitem__(self, index: Any) -> Any:
        """A slice (``t[-20:]``) is a :class:`Transcript` too, so it still shows as a table."""
        got = super().__getitem__(index)
        return Transcript(got) if isinstance(index, slice) else got

    def __str__(self) -> str:
        arrows = {"tx": "->", "rx": "<-"}
        return "\n".join(f"{r.time:10.3f} {arrows.get(r.direction, '?')} {r.text}" for r in self)

    def _repr_html_(self) -> str:
        """The table Jupyter shows."""
        arrows = {"tx": "&rarr; module", "rx": "&larr; module"}
        out = ["<table><thead><tr><th>time (s)</th><th>direction</th><th>bytes</th></tr>"
               "</thead><tbody>"]
        for r in self:
            out.append(
                f"<tr><td>{r.time:.3f}</td><td>{arrows.get(r.direction, '?')}</td>"
                f"<td style='text-align:left'><code>{_html.escape(r.text)}</code></td></tr>"
            )
        out.append("</tbody></table>")
        return "".join(out)


class PdpStatus(NamedTuple):
    """``AT+MIPCALL?``: state is "inactive", "active" or "busy"; ip when active."""

    state: str
    ip: Optional[str]


@dataclass(frozen=True)
class ModemStatus:
    """A snapshot of the module (:meth:`Modem.status`): the port, the PDP context, the module
    clock and how far it is off the host's, the TLS settings and files. Jupyter shows a table;
    ``str()`` is the same as text."""

    port: str
    pdp: PdpStatus
    clock: _dt.datetime
    clock_offset: Optional[float]
    ssl_version: Any
    verify: Any
    files: FileCounts
    ciphers: CipherList
    receive_format: Any
    restarts: int

    def rows(self) -> List[Tuple[str, str]]:
        """``(field, value)`` pairs, as shown."""
        offset = ("unknown (the module reports no time zone)" if self.clock_offset is None
                  else f"{self.clock_offset:+.0f} s from the host")
        pdp = self.pdp.state + (f" ({self.pdp.ip})" if self.pdp.ip else "")
        ciphers = ", ".join(c.name for c in self.ciphers) or "the module's defaults"
        return [
            ("port", self.port),
            ("PDP context", pdp),
            ("module clock", f"{self.clock.isoformat()} ({offset})"),
            ("TLS version", f"{self.ssl_version.name} ({int(self.ssl_version)})"),
            ("verification", self.verify.name),
            ("files", f"{self.files.trust} TRUSTFILE, {self.files.cert} CERTFILE, "
                      f"{self.files.key} KEYFILE"),
            ("cipher suites", ciphers),
            ("receive format", self.receive_format.name),
            ("restarts seen", str(self.restarts)),
        ]

    def __str__(self) -> str:
        return _text_table(["", ""], self.rows()).split("\n", 2)[2]

    def _repr_html_(self) -> str:
        """The table Jupyter shows."""
        return _html_table(["", ""], self.rows(), "L610 status")


def _status(port: str, pdp: PdpStatus, clock: _dt.datetime, version: Any, verify: Any,
            files: FileCounts, ciphers: CipherList, fmt: Any, restarts: int) -> ModemStatus:
    offset = None
    if clock.tzinfo is not None:
        offset = (clock - _dt.datetime.now(_dt.timezone.utc)).total_seconds()
    return ModemStatus(port, pdp, clock, offset, version, verify, files, ciphers, fmt, restarts)


@dataclass(frozen=True)
class Urc:
    """An unsolicited line. ``kind`` is one of boot, sim, mipcall, mipopen, mipclose,
    mipstat, miprtcp, mippush, mipread (``n`` bytes wait), registration (``domain``,
    ``status``, ``location``), mipdns (``host``, ``addrs``), ping and pingstat (``ip``,
    ``status``, ``rtt`` seconds, ``sent``, ``received``), other (``text``); the other fields are
    set as the kind has them."""

    kind: str
    text: Optional[str] = None
    id: Optional[int] = None
    connected: Optional[bool] = None
    detail: Optional[int] = None
    status: Optional[int] = None
    acked: Optional[int] = None
    n: Optional[int] = None
    data: Optional[bytes] = None
    domain: Optional[RegistrationDomain] = None
    location: Optional[CellLocation] = None
    host: Optional[str] = None
    addrs: Optional[List[Any]] = None
    ip: Optional[str] = None
    rtt: Optional[float] = None
    sent: Optional[int] = None
    received: Optional[int] = None


def _read_source(source: Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]) -> bytes:
    """The one rule for files (the core's ``read_file``): bytes are content; str and
    os.PathLike are paths (a missing file is ``FileNotFoundError``; PEM text given as a path is
    refused without being shown)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        return bytes(_l610.read_file(os.fspath(source)))
    raise TypeError(
        f"a file is bytes (its content) or a str / os.PathLike (its path), not {type(source).__name__}"
    )


def _size(item: Any) -> int:
    """The length of a file given as bytes; 0 for anything else (never its content)."""
    return len(item) if isinstance(item, (bytes, bytearray, memoryview)) else 0


_DEFAULT_VERSION, _DEFAULT_VERIFY = _l610.default_profile()


@dataclass
class TlsProfile:
    """Every ``+GTSSL*`` setting in one value (defaults: verification on, TLS 1.2), applied
    with :meth:`Modem.set_profile` (and again after every module restart).

    Files are bytes (PEM or DER: their content) or paths (``str``/``os.PathLike``, read at
    once); PEM text given as a ``str`` is refused (pass ``pem.encode()``). The repr shows how
    many files there are and their sizes, never their bytes (the key is secret). ``ciphers``
    ``None`` leaves the module's choice alone."""

    version: Any = field(default_factory=lambda: SslVersion(_DEFAULT_VERSION))
    verify: Any = field(default_factory=lambda: VerifyMode(_DEFAULT_VERIFY))
    trust_files: List[Any] = field(default_factory=list)
    client_identity: Optional[Tuple[Any, Any]] = None
    ciphers: Optional[List[Any]] = None

    def __post_init__(self) -> None:
        self.version = SslVersion(self.version)
        self.verify = VerifyMode(self.verify)
        self.trust_files = [_read_source(t) for t in self.trust_files]
        if self.client_identity is not None:
            cert, key = self.client_identity
            self.client_identity = (_read_source(cert), _read_source(key))
        if self.ciphers is not None:
            self.ciphers = [CipherSuite.lookup(c) for c in self.ciphers]

    def __repr__(self) -> str:
        # Counts and sizes, never bytes: the files may hold a private key (issue #8, defect 12).
        sizes = [_size(t) for t in self.trust_files]
        trust = f"<{len(sizes)} file{'' if len(sizes) == 1 else 's'}, {sum(sizes)} bytes>"
        identity = "None"
        if self.client_identity is not None:
            cert, key = self.client_identity
            identity = f"<certificate {_size(cert)} bytes, key {_size(key)} bytes>"
        return (
            f"TlsProfile(version={self.version!r}, verify={self.verify!r}, trust_files={trust}, "
            f"client_identity={identity}, ciphers={self.ciphers!r})"
        )

    def add_trust_file(self, source: Any) -> "TlsProfile":
        """Add a TRUSTFILE (bytes, or a path read now); returns the profile."""
        self.trust_files.append(_read_source(source))
        return self

    def set_client_identity(self, cert: Any, key: Any) -> "TlsProfile":
        """Set the CERTFILE and KEYFILE for two-way authentication; returns the profile."""
        self.client_identity = (_read_source(cert), _read_source(key))
        return self

    def _repr_html_(self) -> str:
        """The table Jupyter shows."""
        rows: List[Tuple[str, str]] = [
            ("version", f"{self.version.name} ({int(self.version)})"),
            ("verification", self.verify.name),
        ]
        rows += [(f"TRUSTFILE #{i}", f"{_size(t)} bytes") for i, t in enumerate(self.trust_files)]
        if self.client_identity is not None:
            rows.append(("CERTFILE", f"{_size(self.client_identity[0])} bytes"))
            rows.append(("KEYFILE", "redacted"))
        rows.append(("cipher suites", "the module's defaults" if self.ciphers is None
                     else ", ".join(c.name for c in self.ciphers) or "none"))
        return _html_table(["setting", "value"], rows, "TLS profile")

    def validate(self) -> None:
        """Check every file and setting without a module (raises InvalidArgument)."""
        _l610.validate_profile(
            int(self.version), int(self.verify), self.trust_files, self.client_identity,
            self.ciphers,
        )


def _datetime_from_module(
    year: int, month: int, day: int, hour: int, minute: int, second: int,
    zone_quarters: Optional[int],
) -> _dt.datetime:
    tz = None
    if zone_quarters is not None:
        tz = _dt.timezone(_dt.timedelta(minutes=15 * zone_quarters))
    return _dt.datetime(year, month, day, hour, minute, second, tzinfo=tz)


def _module_from_datetime(when: _dt.datetime) -> Tuple[int, int, int, int, int, int, Optional[int]]:
    offset = when.utcoffset()
    zone = None if offset is None else int(offset.total_seconds() // 900)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second, zone)
