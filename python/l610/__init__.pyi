"""Type stubs for l610 (hand-written; tests/test_stubs.py checks them against the runtime)."""

import builtins
import datetime
import enum
import http.client
import os
from types import TracebackType
from typing import Any, Dict, List, Literal, Optional, Sequence, Tuple, Type, TypedDict, Union, NamedTuple

__version__: str
__all__: List[str]

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

class FileCounts(NamedTuple):
    cert: int
    key: int
    trust: int

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

class PdpStatus(NamedTuple):
    state: Literal["inactive", "active", "busy"]
    ip: Optional[str]

class Urc:
    kind: Literal["boot", "sim", "mipcall", "mipopen", "mipclose", "mipstat", "miprtcp", "other"]
    text: Optional[str]
    id: Optional[int]
    connected: Optional[bool]
    detail: Optional[int]
    status: Optional[int]
    acked: Optional[int]
    n: Optional[int]
    data: Optional[bytes]

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

class Faults:
    def set_response_delay(self, seconds: float) -> None: ...
    def drop_next_final(self) -> None: ...
    def inject_garbage(self, data: bytes) -> None: ...
    def reboot(self) -> None: ...
    def set_chunking(self, size: Optional[int] = None, gap: float = 0.001) -> None: ...
    def swallow_next_prompt(self) -> None: ...

class Simulator:
    def __init__(
        self,
        *,
        echo: bool = True,
        baud: Optional[int] = None,
        handshake_timeout: float = 30.0,
        data_mode_idle_timeout: float = 12.0,
        in_memory: bool = False,
        manual: bool = False,
    ) -> None: ...
    @property
    def port(self) -> Optional[str]: ...
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
    ) -> bool: ...

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
    ) -> bool: ...

class Modem:
    def __init__(
        self,
        port: str,
        baudrate: int = 115200,
        timeout: float = 5.0,
        *,
        open_timeout: Optional[float] = None,
        pdp_timeout: Optional[float] = None,
        upload_timeout: Optional[float] = None,
        probe: bool = True,
        transcript_lines: int = 10000,
    ) -> None: ...
    @staticmethod
    def from_simulator(
        sim: Simulator,
        timeout: float = 5.0,
        *,
        open_timeout: Optional[float] = None,
        pdp_timeout: Optional[float] = None,
        upload_timeout: Optional[float] = None,
        probe: bool = True,
        transcript_lines: int = 10000,
    ) -> "Modem": ...
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def __enter__(self) -> "Modem": ...
    def __exit__(
        self, t: Optional[Type[BaseException]], v: Optional[BaseException], tb: Optional[TracebackType]
    ) -> bool: ...
    # AT escape hatch and housekeeping
    def command(
        self,
        body: str,
        *,
        expects: Sequence[str] = ...,
        bare_lines: bool = False,
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
    def next_urc(self, timeout: Optional[float] = None) -> Optional[Urc]: ...
    def drain_urcs(self) -> List[Urc]: ...
    def stats(self) -> Stats: ...
    def transcript(self) -> List[str]: ...
    def clear_transcript(self) -> None: ...
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
    def enabled_ciphers(self) -> List[CipherSuite]: ...
    def set_enabled_ciphers(self, suites: Sequence[_Suite]) -> List[CipherSuite]: ...
    def cipher_support(self) -> Tuple[List[int], List[int]]: ...
    def ssl_error(self) -> Union[SslErrorCode, int]: ...
    def ssl_error_exec(self) -> Union[SslErrorCode, int]: ...
    # profile
    def set_profile(self, profile: TlsProfile, auto_reapply: bool = True) -> None: ...
    def apply_profile(self, profile: TlsProfile) -> None: ...
    def reapply_profile(self) -> None: ...
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

class IoError(L610Error, OSError): ...
