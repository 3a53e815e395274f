//! One error type for the whole crate.
//!
//! Every variant has a stable [`ErrorKind`] so that the Python and C bindings can map errors 1:1
//! (an exception class, a status code) without matching on message text.

use std::time::Duration;

use crate::ssl::SslErrorCode;

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while driving the module.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value given by the caller was refused before anything was sent to the module.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    /// A module limit would be exceeded (e.g. a 41st TRUSTFILE); checked before the upload.
    #[error("module limit reached: {0}")]
    LimitReached(String),

    /// The module did not answer in time. The engine has drained the line since.
    #[error("timeout after {after:?} waiting for {waiting_for}")]
    Timeout {
        /// What was awaited: a command's final result, the `>` prompt, a URC.
        waiting_for: String,
        /// How long the engine waited.
        after: Duration,
    },

    /// The module answered `ERROR`.
    #[error("module answered ERROR to {command}")]
    AtError {
        /// The command line that failed (without key material).
        command: String,
    },

    /// The module answered `+CME ERROR: <n>` (numeric) or `+CME ERROR: <text>` (verbose).
    #[error("module answered +CME ERROR: {} to {command}", .text.as_deref().map(str::to_owned).unwrap_or_else(|| .code.map(|c| c.to_string()).unwrap_or_default()))]
    Cme {
        /// The command line that failed.
        command: String,
        /// The numeric code, when the module reported one.
        code: Option<u16>,
        /// The verbose text, when the module reported one (`AT+CMEE=2`).
        text: Option<String>,
    },

    /// A TLS connection failed; `code` is what `AT+GTSSLERR?` reported.
    #[error("TLS connection failed: +GTSSLERR: {} ({}): {diagnosis}", .code.code(), .code.meaning())]
    Ssl {
        /// The module's error code.
        code: SslErrorCode,
        /// A plain-language diagnosis built from the module's state (trust files, clock).
        diagnosis: String,
    },

    /// A socket or PDP context failed without an SSL error code (plain TCP, `+MIPSTAT`).
    #[error("connection failed: {0}")]
    ConnectionFailed(String),

    /// The module's clock is too far from the host's for certificate verification to work.
    #[error("module clock {module} is {skew_hours} hours off the host clock {host}; certificate verification would fail (set it with set_clock_from_host)")]
    ClockSkew {
        /// The module's clock as read with `AT+CCLK?`.
        module: String,
        /// The host's clock (UTC).
        host: String,
        /// The difference in whole hours.
        skew_hours: i64,
    },

    /// The module restarted (boot URC seen): echo is back on and all SSL state is lost.
    #[error("the module restarted during {during}; its SSL settings and files are lost")]
    ModuleReset {
        /// The command in flight, or "idle".
        during: String,
    },

    /// The socket or the modem is closed.
    #[error("closed: {0}")]
    Closed(String),

    /// Received data was dropped because a bounded buffer was full.
    #[error("{dropped} bytes dropped because the receive buffer of socket {socket} was full")]
    Overflow {
        /// Socket id.
        socket: u8,
        /// How many bytes were dropped.
        dropped: u64,
    },

    /// The module answered something this driver cannot make sense of.
    #[error("unexpected response to {command}: {response:?}")]
    UnexpectedResponse {
        /// The command in flight.
        command: String,
        /// What came back.
        response: String,
    },

    /// The serial port could not be opened or configured. The message ends with what to check,
    /// by the kind of failure (missing, permission, busy): the same words in every binding.
    #[error("serial port {path}: {source}{}", port_hint(.source.kind()))]
    Port {
        /// The port's path.
        path: String,
        /// What serialport reported (its kind and description).
        #[source]
        source: serialport::Error,
    },

    /// The call was cancelled by the caller's cancel hook ([`crate::with_cancel`]): Ctrl-C in
    /// Python, a flag in C. A command in flight was abandoned and the line drained.
    #[error("cancelled")]
    Cancelled,

    /// Reading or writing the transport failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Stable classification of [`Error`], for bindings. Values never change or get reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u32)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::InvalidArgument`]
    InvalidArgument = 1,
    /// [`Error::LimitReached`]
    LimitReached = 2,
    /// [`Error::Timeout`]
    Timeout = 3,
    /// [`Error::AtError`]
    AtError = 4,
    /// [`Error::Cme`]
    Cme = 5,
    /// [`Error::Ssl`]
    Ssl = 6,
    /// [`Error::ConnectionFailed`]
    ConnectionFailed = 7,
    /// [`Error::ClockSkew`]
    ClockSkew = 8,
    /// [`Error::ModuleReset`]
    ModuleReset = 9,
    /// [`Error::Closed`]
    Closed = 10,
    /// [`Error::Overflow`]
    Overflow = 11,
    /// [`Error::UnexpectedResponse`]
    UnexpectedResponse = 12,
    /// [`Error::Port`]
    Port = 13,
    /// [`Error::Io`]
    Io = 14,
    /// [`Error::Cancelled`]
    Cancelled = 15,
}

impl Error {
    /// The stable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidArgument(_) => ErrorKind::InvalidArgument,
            Error::LimitReached(_) => ErrorKind::LimitReached,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::AtError { .. } => ErrorKind::AtError,
            Error::Cme { .. } => ErrorKind::Cme,
            Error::Ssl { .. } => ErrorKind::Ssl,
            Error::ConnectionFailed(_) => ErrorKind::ConnectionFailed,
            Error::ClockSkew { .. } => ErrorKind::ClockSkew,
            Error::ModuleReset { .. } => ErrorKind::ModuleReset,
            Error::Closed(_) => ErrorKind::Closed,
            Error::Overflow { .. } => ErrorKind::Overflow,
            Error::UnexpectedResponse { .. } => ErrorKind::UnexpectedResponse,
            Error::Port { .. } => ErrorKind::Port,
            Error::Io(_) => ErrorKind::Io,
            Error::Cancelled => ErrorKind::Cancelled,
        }
    }

    /// The POSIX `errno` that matches this error, for bindings whose users expect one (Python's
    /// `OSError.errno`, as pyserial sets it): the OS's own number when the error came from the
    /// OS, else the number of its kind (`ENOENT` for a port that does not exist, `EACCES` for
    /// one the user may not open, `EBUSY` for one another program holds, `ETIMEDOUT` for a
    /// module that does not answer). `None` for errors that are not about the host's resources.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::Io(io) => io.raw_os_error().or_else(|| io_kind_errno(io.kind())),
            Error::Port { source, .. } => match source.kind() {
                serialport::ErrorKind::NoDevice => Some(libc_errno::EBUSY),
                serialport::ErrorKind::InvalidInput => Some(libc_errno::EINVAL),
                serialport::ErrorKind::Io(k) => io_kind_errno(k),
                _ => None,
            },
            Error::Timeout { .. } => Some(libc_errno::ETIMEDOUT),
            _ => None,
        }
    }

    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidArgument(msg.into())
    }
}

/// The errno values of Linux (and every other POSIX system this driver runs on) that
/// [`Error::errno`] reports; spelled out so the core needs no libc.
mod libc_errno {
    pub(super) const ENOENT: i32 = 2;
    pub(super) const EINTR: i32 = 4;
    pub(super) const EACCES: i32 = 13;
    pub(super) const EBUSY: i32 = 16;
    pub(super) const EINVAL: i32 = 22;
    pub(super) const EPIPE: i32 = 32;
    pub(super) const EADDRINUSE: i32 = 98;
    pub(super) const ECONNABORTED: i32 = 103;
    pub(super) const ECONNRESET: i32 = 104;
    pub(super) const ENOTCONN: i32 = 107;
    pub(super) const ETIMEDOUT: i32 = 110;
    pub(super) const ECONNREFUSED: i32 = 111;
}

fn io_kind_errno(kind: std::io::ErrorKind) -> Option<i32> {
    use libc_errno::*;
    use std::io::ErrorKind as K;
    Some(match kind {
        K::NotFound => ENOENT,
        K::PermissionDenied => EACCES,
        K::TimedOut => ETIMEDOUT,
        K::ConnectionRefused => ECONNREFUSED,
        K::ConnectionReset => ECONNRESET,
        K::ConnectionAborted => ECONNABORTED,
        K::NotConnected => ENOTCONN,
        K::AddrInUse => EADDRINUSE,
        K::BrokenPipe => EPIPE,
        K::Interrupted => EINTR,
        K::InvalidInput => EINVAL,
        _ => return None,
    })
}

/// What to check when a port cannot be opened, by what went wrong: appended to every
/// [`Error::Port`] message (so Rust, Python, C and the CLI give the same advice).
pub(crate) fn port_hint(kind: serialport::ErrorKind) -> &'static str {
    use std::io::ErrorKind as K;
    match kind {
        serialport::ErrorKind::Io(K::NotFound) => {
            " (no such port: is the module plugged in and powered? Its AT port is usually /dev/ttyUSB2 or /dev/ttyACM0; `ls /dev/ttyUSB* /dev/ttyACM*` lists them)"
        }
        serialport::ErrorKind::Io(K::PermissionDenied) => {
            " (permission denied: add your user to the group that owns the port, usually dialout: `sudo usermod -aG dialout $USER`, then log in again)"
        }
        serialport::ErrorKind::NoDevice => {
            " (the port is busy: another program holds it, e.g. ModemManager, minicom or a second driver; close it or `sudo systemctl stop ModemManager`)"
        }
        serialport::ErrorKind::Io(K::ConnectionRefused) => {
            " (nothing listens at that address: is the serial bridge (ser2net, l610-sim --listen) running?)"
        }
        _ => "",
    }
}

/// A value refused by the build layer of `l610-proto`: the caller's argument was invalid. (A
/// value from the module that does not parse is mapped to [`Error::UnexpectedResponse`] where it
/// is parsed, since only there is the command known.)
impl From<l610_proto::ValueError> for Error {
    fn from(e: l610_proto::ValueError) -> Self {
        Error::InvalidArgument(e.0)
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        use std::io::ErrorKind as K;
        let kind = match e.kind() {
            ErrorKind::Timeout => K::TimedOut,
            ErrorKind::InvalidArgument => K::InvalidInput,
            ErrorKind::Closed => K::NotConnected,
            ErrorKind::Cancelled => K::Interrupted,
            ErrorKind::ConnectionFailed | ErrorKind::Ssl => K::ConnectionRefused,
            _ => K::Other,
        };
        match e {
            Error::Io(io) => io,
            other => std::io::Error::new(kind, other),
        }
    }
}
