"""Enums generated from the driver's tables, and the small value types the API returns."""

from __future__ import annotations

import datetime as _dt
import enum
import os
from dataclasses import dataclass, field
from typing import Any, List, NamedTuple, Optional, Tuple, Union

from . import _l610

_CIPHER_NAMES = {i: name for i, _, name in _l610.cipher_suites()}
_SSL_MEANINGS = {code: meaning for code, _, meaning in _l610.ssl_error_codes()}


class _CipherSuiteBase(enum.IntEnum):
    @property
    def manual_name(self) -> str:
        """The manual's spelling, e.g. ``TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384``."""
        return _CIPHER_NAMES[self.value]

    @property
    def iana_name(self) -> str:
        return self.manual_name.replace("-", "_")

    @classmethod
    def lookup(cls, name: Union[str, int]) -> Any:
        """By ID, manual name or IANA name; case-insensitive, ``TLS`` prefix optional."""
        return cls(_l610.parse_cipher_suite(str(name)))


class _SslErrorCodeBase(enum.IntEnum):
    @property
    def meaning(self) -> str:
        return _SSL_MEANINGS[self.value]


CipherSuite = _CipherSuiteBase(  # type: ignore[call-overload]
    "CipherSuite", [(m, i) for i, m, _ in _l610.cipher_suites()], module=__name__
)
SslErrorCode = _SslErrorCodeBase(  # type: ignore[call-overload]
    "SslErrorCode", [(m, c) for c, m, _ in _l610.ssl_error_codes()], module=__name__
)
SslVersion = enum.IntEnum(  # type: ignore[misc]
    "SslVersion", [(m, v) for v, m in _l610.ssl_versions()], module=__name__
)
VerifyMode = enum.IntEnum(  # type: ignore[misc]
    "VerifyMode", [(m, v) for v, m in _l610.verify_modes()], module=__name__
)
FileType = enum.IntEnum(  # type: ignore[misc]
    "FileType", [(m, v) for v, m in _l610.file_types()], module=__name__
)
ReceiveFormat = enum.IntEnum(  # type: ignore[misc]
    "ReceiveFormat", [(m, v) for v, m in _l610.receive_formats()], module=__name__
)
ErrorReporting = enum.IntEnum(  # type: ignore[misc]
    "ErrorReporting", [(m, v) for v, m in _l610.error_reporting_modes()], module=__name__
)


class FileCounts(NamedTuple):
    """How many files of each type the module holds (``AT+GTSSLFILE?``)."""

    cert: int
    key: int
    trust: int


class FileSupport(NamedTuple):
    """``AT+GTSSLFILE=?``: file types, accepted length ranges, raw lines."""

    file_types: List[Any]
    length: Optional[List[Tuple[int, int]]]
    raw: List[str]


class Stats(NamedTuple):
    """The engine's counters."""

    urc_overflow: int
    resets: int
    stray: int
    oversized_lines: int
    rx_bytes: int


class PdpStatus(NamedTuple):
    """``AT+MIPCALL?``: state is "inactive", "active" or "busy"; ip when active."""

    state: str
    ip: Optional[str]


@dataclass(frozen=True)
class Urc:
    """An unsolicited line. ``kind`` is one of boot, sim, mipcall, mipopen, mipclose,
    mipstat, miprtcp, other; the other fields are set as the kind has them."""

    kind: str
    text: Optional[str] = None
    id: Optional[int] = None
    connected: Optional[bool] = None
    detail: Optional[int] = None
    status: Optional[int] = None
    acked: Optional[int] = None
    n: Optional[int] = None
    data: Optional[bytes] = None


def _read_source(source: Union[bytes, bytearray, str, "os.PathLike[str]"]) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    with open(os.fspath(source), "rb") as f:
        return f.read()


def _size(item: Any) -> int:
    """The length of a file given as bytes; 0 for anything else (never its content)."""
    return len(item) if isinstance(item, (bytes, bytearray, memoryview)) else 0


_DEFAULT_VERSION, _DEFAULT_VERIFY = _l610.default_profile()


@dataclass
class TlsProfile:
    """Every ``+GTSSL*`` setting in one value (defaults: verification on, TLS 1.2).

    Files may be given as bytes (PEM or DER) or paths; paths are read at once. The repr shows
    how many files there are and their sizes, never their bytes (the key is secret)."""

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
        self.trust_files.append(_read_source(source))
        return self

    def set_client_identity(self, cert: Any, key: Any) -> "TlsProfile":
        self.client_identity = (_read_source(cert), _read_source(key))
        return self

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
