"""Type stubs for l610 (hand-written). python/ci.sh checks them against the runtime with
``mypy.stubtest`` (allowlist: python/stubtest-allowlist.txt) and type-checks every Python snippet
of the READMEs, the examples and the tests against them with ``mypy --strict``
(python/tests/test_typing.py)."""

import builtins
import datetime
import enum
import http.client
import ipaddress
import os
from types import TracebackType
from typing import (
    Any, Dict, List, Literal, NamedTuple, Optional, Protocol, Sequence, SupportsIndex, Tuple,
    Type, TypedDict, Union, final, overload,
)

class _SerialLike(Protocol):
    """What ``Modem(port)`` accepts besides paths and URLs: a ``serial.Serial``-like object."""
    def read(self, size: int = ..., /) -> bytes: ...
    def write(self, data: bytes, /) -> Optional[int]: ...

__version__: str
__all__: List[str]
# The native module: private, typed by the names this stub gives its classes and functions.
_l610: Any

_Source = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]
_Suite = Union["CipherSuite", int, str]

class CipherSuite(enum.IntEnum):
    ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 1
    ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = 2
    DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 3
    ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 4
    ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 5
    DHE_RSA_WITH_AES_256_GCM_SHA384 = 6
    ECDHE_ECDSA_WITH_AES_256_CCM = 7
    DHE_RSA_WITH_AES_256_CCM = 8
    ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 = 9
    ECDHE_RSA_WITH_AES_256_CBC_SHA384 = 10
    DHE_RSA_WITH_AES_256_CBC_SHA256 = 11
    ECDHE_ECDSA_WITH_AES_256_CBC_SHA = 12
    ECDHE_RSA_WITH_AES_256_CBC_SHA = 13
    DHE_RSA_WITH_AES_256_CBC_SHA = 14
    ECDHE_ECDSA_WITH_AES_256_CCM_8 = 15
    DHE_RSA_WITH_AES_256_CCM_8 = 16
    ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384 = 17
    ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384 = 18
    DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384 = 19
    ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384 = 20
    ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384 = 21
    DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256 = 22
    DHE_RSA_WITH_CAMELLIA_256_CBC_SHA = 23
    ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 24
    ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 25
    DHE_RSA_WITH_AES_128_GCM_SHA256 = 26
    ECDHE_ECDSA_WITH_AES_128_CCM = 27
    DHE_RSA_WITH_AES_128_CCM = 28
    ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 = 29
    ECDHE_RSA_WITH_AES_128_CBC_SHA256 = 30
    DHE_RSA_WITH_AES_128_CBC_SHA256 = 31
    @property
    def manual_name(self) -> str: ...
    @property
    def iana_name(self) -> str: ...
    @classmethod
    def lookup(cls, name: Union[str, int]) -> "CipherSuite": ...

class SslErrorCode(enum.IntEnum):
    NORMAL = 0
    PARAMETER_ERROR = -1
    EXECUTION_FAILED = -2
    FILE_READ_ERROR = -3
    SOCKET_ERROR = -4
    SOCKET_READ_ERROR = -5
    SOCKET_WRITE_ERROR = -6
    PROTOCOL_ERROR = -7
    NO_HANDSHAKE_RESPONSE = -8
    CLOSED_BY_SERVER = -9
    UNKNOWN_ERROR = -10
    CERTIFICATE_VALIDATION_FAILED = -11
    CERTIFICATE_LENGTH_MISMATCH = -12
    MISSING_RSA_ENCRYPTION_CERTIFICATE = -13
    MISSING_RSA_SIGNATURE_CERTIFICATE = -14
    PUBLIC_KEY_PARAMETER_NOT_FOUND = -15
    UNKNOWN_CERTIFICATE_TYPE = -16
    CLIENT_CERTIFICATE_FILE_ERROR = -17
    CLIENT_KEY_FILE_ERROR = -18
    TRUST_FILE_ERROR = -19
    RECEIVE_TIMEOUT = -20
    @property
    def meaning(self) -> str: ...

class SslVersion(enum.IntEnum):
    UNSPECIFIED = 0
    SSL3 = 1
    TLS1_0 = 2
    TLS1_1 = 3
    TLS1_2 = 4

class VerifyMode(enum.IntEnum):
    NONE = 0
    VERIFY = 1

class FileType(enum.IntEnum):
    CERTFILE = 0
    KEYFILE = 1
    TRUSTFILE = 2

class ReceiveFormat(enum.IntEnum):
    HEX = 0
    RAW_LINE = 1
    RAW = 2
    READ = 5

class ErrorReporting(enum.IntEnum):
    PLAIN = 0
    NUMERIC = 1
    VERBOSE = 2

class RegistrationDomain(enum.Enum):
    CS = "CS"
    GPRS = "GPRS"
    EPS = "EPS"

class RegistrationStatus(enum.IntEnum):
    NOT_REGISTERED = 0
    HOME = 1
    SEARCHING = 2
    DENIED = 3
    UNKNOWN = 4
    ROAMING = 5
    @property
    def registered(self) -> bool: ...

class RegistrationReporting(enum.IntEnum):
    OFF = 0
    STATUS = 1
    LOCATION = 2

class CellLocation(NamedTuple):
    area: str
    cell: str
    act: Optional[int]

class Registration(NamedTuple):
    reporting: int
    status: Union[RegistrationStatus, int]
    location: Optional[CellLocation]
    @property
    def registered(self) -> bool: ...

class SimStatus(NamedTuple):
    code: str
    ready: bool

class SignalQuality(NamedTuple):
    rssi: int
    ber: int
    @property
    def dbm(self) -> Optional[int]: ...

class Operator(NamedTuple):
    mode: int
    format: Optional[int]
    name: Optional[str]
    act: Optional[int]

class Identity(NamedTuple):
    manufacturer: str
    model: str
    firmware: str
    imei: str
    imsi: Optional[str]
    iccid: Optional[str]
    def _repr_html_(self) -> str: ...

class PingReport(NamedTuple):
    ip: str
    sent: int
    received: int
    replies: List[float]
    average: Optional[float]
    def _repr_html_(self) -> str: ...

class FileCounts(NamedTuple):
    cert: int
    key: int
    trust: int
    def _repr_html_(self) -> str: ...

class FileSupport(NamedTuple):
    file_types: List[FileType]
    length: Optional[List[Tuple[int, int]]]
    raw: List[str]

class Stats(NamedTuple):
    urc_overflow: int
    resets: int
    stray: int
    oversized_lines: int
    rx_bytes: int
    trace_dropped: int = 0
    def _repr_html_(self) -> str: ...

class PdpStatus(NamedTuple):
    state: Literal["inactive", "active", "busy"]
    ip: Optional[str]

class CipherList(List[CipherSuite]):
    def _repr_html_(self) -> str: ...

class FileReport(NamedTuple):
    file_type: FileType
    number: int
    size: int
    uploaded: bool

class ProfileReport(NamedTuple):
    files: List[FileReport]
    foreign: FileCounts
    summary: str
    @property
    def uploaded(self) -> int: ...
    @property
    def skipped(self) -> int: ...
    def _repr_html_(self) -> str: ...

class TraceRecord(NamedTuple):
    time: float
    direction: Literal["tx", "rx"]
    text: str

class Transcript(List[TraceRecord]):
    def to_records(self) -> List[Dict[str, Any]]: ...
    @overload
    def __getitem__(self, index: SupportsIndex) -> TraceRecord: ...
    @overload
    def __getitem__(self, index: slice) -> "Transcript": ...
    def _repr_html_(self) -> str: ...

class ModemStatus:
    port: str
    pdp: PdpStatus
    clock: datetime.datetime
    clock_offset: Optional[float]
    ssl_version: SslVersion
    verify: VerifyMode
    files: FileCounts
    ciphers: CipherList
    receive_format: ReceiveFormat
    restarts: int
    def __init__(
        self,
        port: str,
        pdp: PdpStatus,
        clock: datetime.datetime,
        clock_offset: Optional[float],
        ssl_version: SslVersion,
        verify: VerifyMode,
        files: FileCounts,
        ciphers: CipherList,
        receive_format: ReceiveFormat,
        restarts: int,
    ) -> None: ...
    def rows(self) -> List[Tuple[str, str]]: ...
    def _repr_html_(self) -> str: ...

class Urc:
    kind: Literal[
        "boot", "sim", "mipcall", "mipopen", "mipclose", "mipstat", "miprtcp", "mippush",
        "mipread", "registration", "mipdns", "ping", "pingstat", "other",
    ]
    text: Optional[str]
    id: Optional[int]
    connected: Optional[bool]
    detail: Optional[int]
    status: Optional[int]
    acked: Optional[int]
    n: Optional[int]
    data: Optional[bytes]
    domain: Optional[RegistrationDomain]
    location: Optional[CellLocation]
    host: Optional[str]
    addrs: Optional[List[Union[ipaddress.IPv4Address, ipaddress.IPv6Address]]]
    ip: Optional[str]
    rtt: Optional[float]
    sent: Optional[int]
    received: Optional[int]
    def __init__(
        self,
        kind: str,
        text: Optional[str] = None,
        id: Optional[int] = None,
        connected: Optional[bool] = None,
        detail: Optional[int] = None,
        status: Optional[int] = None,
        acked: Optional[int] = None,
        n: Optional[int] = None,
        data: Optional[bytes] = None,
        domain: Optional[RegistrationDomain] = None,
        location: Optional[CellLocation] = None,
        host: Optional[str] = None,
        addrs: Optional[List[Union[ipaddress.IPv4Address, ipaddress.IPv6Address]]] = None,
        ip: Optional[str] = None,
        rtt: Optional[float] = None,
        sent: Optional[int] = None,
        received: Optional[int] = None,
    ) -> None: ...

class TlsProfile:
    version: SslVersion
    verify: VerifyMode
    trust_files: List[bytes]
    client_identity: Optional[Tuple[bytes, bytes]]
    ciphers: Optional[List[CipherSuite]]
    def __init__(
        self,
        version: Union[SslVersion, int] = ...,
        verify: Union[VerifyMode, int] = ...,
        trust_files: Sequence[_Source] = ...,
        client_identity: Optional[Tuple[_Source, _Source]] = None,
        ciphers: Optional[Sequence[_Suite]] = None,
    ) -> None: ...
    def add_trust_file(self, source: _Source) -> "TlsProfile": ...
    def set_client_identity(self, cert: _Source, key: _Source) -> "TlsProfile": ...
    def validate(self) -> None: ...
    def __repr__(self) -> str: ...  # file counts and sizes, never their bytes
    def _repr_html_(self) -> str: ...

class SimState(TypedDict):
    echo: bool
    verify: int
    ssl_version: int
    ciphers: List[int]
    cert_files: int
    key_files: int
    trust_files: int
    iprfmt: int
    pdp_active: bool
    open_sockets: List[int]
    boots: int
    last_ssl_error: int
    clock_unix: int

@final
class Faults:
    def set_response_delay(self, seconds: float) -> None: ...
    def drop_next_final(self) -> None: ...
    def inject_garbage(self, data: bytes) -> None: ...
    def reboot(self) -> None: ...
    def set_chunking(self, size: Optional[int] = None, gap: float = 0.001) -> None: ...
    def swallow_next_prompt(self) -> None: ...

@final
class Simulator:
    def __new__(
        cls,
        *,
        echo: bool = True,
        baud: Optional[int] = None,
        handshake_timeout: float = 30.0,
        data_mode_idle_timeout: float = 12.0,
        in_memory: bool = False,
        manual: bool = False,
    ) -> "Simulator": ...
    @property
    def port(self) -> str: ...
    def listen(self, host: str = "127.0.0.1", port: int = 0) -> str: ...
    @property
    def faults(self) -> Faults: ...
    @property
    def running(self) -> bool: ...
    def power_cycle(self) -> None: ...
    def state(self) -> SimState: ...
    def stop(self) -> None: ...
    def __enter__(self) -> "Simulator": ...
    def __exit__(
        self, t: Optional[Type[BaseException]], v: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None: ...

@final
class Socket:
    @property
    def id(self) -> int: ...
    @property
    def protocol(self) -> Literal["tls", "tcp"]: ...
    @property
    def closed(self) -> bool: ...
    def buffered(self) -> int: ...
    def send(self, data: bytes) -> int: ...
    def sendall(self, data: bytes) -> None: ...
    def recv(self, bufsize: int) -> bytes: ...
    def recv_into(self, buffer: Union[bytearray, memoryview], nbytes: int = 0) -> int: ...
    def settimeout(self, value: Optional[float]) -> None: ...
    def gettimeout(self) -> Optional[float]: ...
    def setblocking(self, flag: bool) -> None: ...
    def close(self) -> None: ...
    def close_now(self) -> None: ...
    def shutdown(self, how: int = 2) -> None: ...
    def makefile(
        self,
        mode: str = "r",
        buffering: Optional[int] = None,
        *,
        encoding: Optional[str] = None,
        errors: Optional[str] = None,
        newline: Optional[str] = None,
    ) -> Any: ...
    def __enter__(self) -> "Socket": ...
    def __exit__(
        self, t: Optional[Type[BaseException]], v: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None: ...

@final
class Modem:
    def __new__(
        cls,
        port: Union[str, "os.PathLike[str]", _SerialLike],
        baudrate: int = 115200,
        timeout: float = 5.0,
        *,
        open_timeout: Optional[float] = None,
        pdp_timeout: Optional[float] = None,
        upload_timeout: Optional[float] = None,
        probe: bool = True,
        transcript_lines: int = 0,
    ) -> "Modem": ...
    @staticmethod
    def from_simulator(
        sim: Simulator,
        timeout: float = 5.0,
        *,
        open_timeout: Optional[float] = None,
        pdp_timeout: Optional[float] = None,
        upload_timeout: Optional[float] = None,
        probe: bool = True,
        transcript_lines: int = 0,
    ) -> "Modem": ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    @property
    def port(self) -> str: ...
    def __enter__(self) -> "Modem": ...
    def __exit__(
        self, t: Optional[Type[BaseException]], v: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None: ...
    # AT escape hatch and housekeeping
    def command(
        self,
        line: str,
        *,
        expects: Sequence[str] = ...,
        timeout: Optional[float] = None,
        payload: Optional[bytes] = None,
        redact_payload: bool = False,
        trace_payload: bool = False,
    ) -> List[str]: ...
    def probe(self) -> None: ...
    def set_echo(self, on: bool) -> None: ...
    def set_error_reporting(self, mode: Union[ErrorReporting, int]) -> None: ...
    def identify(self) -> List[str]: ...
    def operator(self) -> str: ...
    def restart(self) -> None: ...
    # field basics
    def sim_status(self) -> SimStatus: ...
    def registration(
        self, domain: Optional[Union[RegistrationDomain, str]] = None
    ) -> Registration: ...
    def set_registration_reporting(
        self, domain: Union[RegistrationDomain, str], mode: Union[RegistrationReporting, int]
    ) -> None: ...
    def is_registered(self) -> bool: ...
    def signal_quality(self) -> SignalQuality: ...
    def operator_info(self) -> Operator: ...
    def attached(self) -> bool: ...
    def functionality(self) -> int: ...
    def identity(self) -> Identity: ...
    def resolve(self, host: str) -> List[Union[ipaddress.IPv4Address, ipaddress.IPv6Address]]: ...
    def ping(
        self, host: str, *, count: int = 4, size: int = 32, ttl: int = 64, timeout: float = 5.0
    ) -> PingReport: ...
    def next_urc(self, timeout: Optional[float] = None) -> Optional[Urc]: ...
    def drain_urcs(self) -> List[Urc]: ...
    def stats(self) -> Stats: ...
    def transcript(self) -> List[str]: ...
    def transcript_table(self) -> Transcript: ...
    def clear_transcript(self) -> None: ...
    def status(self) -> ModemStatus: ...
    # SSL files
    def load_file(self, file_type: Union[FileType, int], source: _Source) -> FileCounts: ...
    def load_trust_file(self, source: _Source) -> FileCounts: ...
    def load_cert_file(self, source: _Source) -> FileCounts: ...
    def load_key_file(self, source: _Source) -> FileCounts: ...
    def ssl_file_counts(self) -> FileCounts: ...
    def ssl_file_support(self) -> FileSupport: ...
    # verification, version, ciphers, errors
    def set_verify_mode(self, mode: Union[VerifyMode, int]) -> None: ...
    def verify_mode(self) -> VerifyMode: ...
    def verify_mode_support(self) -> List[int]: ...
    def set_ssl_version(self, version: Union[SslVersion, int]) -> None: ...
    def ssl_version(self) -> SslVersion: ...
    def ssl_version_support(self) -> List[SslVersion]: ...
    def set_cipher(self, suite: _Suite, enabled: bool = True) -> None: ...
    def enabled_ciphers(self) -> CipherList: ...
    def set_enabled_ciphers(self, suites: Sequence[_Suite]) -> CipherList: ...
    def cipher_support(self) -> Tuple[List[int], List[int]]: ...
    def ssl_error(self) -> Union[SslErrorCode, int]: ...
    def ssl_error_exec(self) -> Union[SslErrorCode, int]: ...
    # profile
    def set_profile(self, profile: TlsProfile, auto_reapply: bool = True) -> ProfileReport: ...
    def apply_profile(self, profile: TlsProfile) -> ProfileReport: ...
    def reapply_profile(self) -> ProfileReport: ...
    # PDP context
    def activate_pdp(
        self, apn: Optional[str] = None, user: Optional[str] = None, password: Optional[str] = None
    ) -> str: ...
    def deactivate_pdp(self) -> None: ...
    def pdp_status(self) -> PdpStatus: ...
    # clock
    def clock(self) -> datetime.datetime: ...
    def set_clock(self, when: datetime.datetime) -> None: ...
    def set_clock_from_host(self) -> datetime.datetime: ...
    # sockets
    def set_receive_format(self, format: Union[ReceiveFormat, int]) -> None: ...
    def receive_format(self) -> ReceiveFormat: ...
    def free_socket_ids(self) -> List[int]: ...
    def open_socket_ids(self) -> List[int]: ...
    def open_tls(
        self,
        host: str,
        port: int,
        *,
        timeout: Optional[float] = None,
        check_clock: bool = True,
        id: Optional[int] = None,
        source_port: Optional[int] = None,
    ) -> Socket: ...
    def open_tcp(
        self,
        host: str,
        port: int,
        *,
        timeout: Optional[float] = None,
        id: Optional[int] = None,
        source_port: Optional[int] = None,
    ) -> Socket: ...

class HTTPSConnection(http.client.HTTPConnection):
    def __init__(
        self,
        modem: Modem,
        host: str,
        port: Optional[int] = None,
        *,
        check_clock: bool = True,
        timeout: float = ...,
        blocksize: int = 8192,
    ) -> None: ...

# Exceptions
class L610Error(Exception):
    kind: int
    errno: Optional[int]

class InvalidArgument(L610Error, ValueError): ...
class LimitReached(L610Error): ...

class TimeoutError(L610Error, builtins.TimeoutError):
    waiting_for: str
    after: float

class AtError(L610Error):
    command: str

class CmeError(AtError):
    code: Optional[int]
    text: Optional[str]

class SslError(L610Error, ConnectionError):
    code: Union[SslErrorCode, int]
    diagnosis: str

class ConnectionFailed(L610Error, ConnectionError): ...

class ClockSkew(L610Error):
    module_clock: str
    host_clock: str
    skew_hours: int

class ModuleResetError(L610Error):
    during: str

class Closed(L610Error, ConnectionError): ...

class Overflow(L610Error):
    socket: int
    dropped: int

class UnexpectedResponse(L610Error):
    command: str
    response: str

class PortError(L610Error, OSError):
    path: str

class PortNotFoundError(PortError, FileNotFoundError): ...
class PortPermissionError(PortError, PermissionError): ...
class IoError(L610Error, OSError): ...
class MissingFileError(IoError, FileNotFoundError): ...
class FilePermissionError(IoError, PermissionError): ...
