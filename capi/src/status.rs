//! `l610_status`: the one result type of every function, and its text. Shared with the
//! `no_std` library (`capi-proto/`); the driver's `ErrorKind` mapping is in `driver_error.rs`.

use core::ffi::c_char;

use crate::ffi::copy_text;

/// The result of every function. Values never change and are never reused.
///
/// 1–99 are the driver's error kinds (`l610::ErrorKind`, same numbers); 100 and up are raised
/// by the C layer itself.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_status {
    /// Success.
    L610_OK = 0,
    /// A value given by the caller was refused before anything was sent to the module
    /// (including a string that is not UTF-8, or an enum value out of range).
    L610_INVALID_ARGUMENT = 1,
    /// A module limit would be exceeded (e.g. a 41st TRUSTFILE); checked before the upload.
    L610_LIMIT_REACHED = 2,
    /// The module did not answer in time (or no socket data arrived in time).
    L610_TIMEOUT = 3,
    /// The module answered `ERROR`.
    L610_AT_ERROR = 4,
    /// The module answered `+CME ERROR` (see `l610_modem_last_cme_code`).
    L610_CME_ERROR = 5,
    /// A TLS connection failed (see `l610_modem_last_ssl_error`).
    L610_SSL_ERROR = 6,
    /// A socket or PDP context failed without an SSL error code.
    L610_CONNECTION_FAILED = 7,
    /// The module clock is too far off the host's for certificate verification.
    L610_CLOCK_SKEW = 8,
    /// The module restarted; its SSL settings and files are lost.
    L610_MODULE_RESET = 9,
    /// The socket or the modem is closed.
    L610_CLOSED = 10,
    /// Received data was dropped because the receive buffer was full.
    L610_OVERFLOW = 11,
    /// The module answered something the driver cannot make sense of.
    L610_UNEXPECTED_RESPONSE = 12,
    /// The serial port could not be opened or configured.
    L610_PORT_ERROR = 13,
    /// Reading or writing the transport failed.
    L610_IO_ERROR = 14,
    /// The call was interrupted by `l610_modem_interrupt` (a command in flight was abandoned and
    /// the line drained: the next call works).
    L610_CANCELLED = 15,
    /// A required pointer argument was NULL.
    L610_NULL_ARGUMENT = 100,
    /// The library panicked (a bug); the call had no effect or an unknown partial effect.
    L610_PANIC = 101,
    /// The caller's buffer is too small; see the function for what was written.
    L610_BUFFER_TOO_SMALL = 102,
    /// An error this version of the C layer does not know (a newer driver error kind).
    L610_UNKNOWN_ERROR = 103,
    /// The requested detail does not exist (e.g. the last error was not a `+CME ERROR`).
    L610_NOT_AVAILABLE = 104,
    /// Nothing to read yet (`l610_session_socket_read`; the thread-free session never waits).
    L610_WOULD_BLOCK = 105,
}

use l610_status::*;

impl l610_status {
    fn from_u32(v: u32) -> Option<l610_status> {
        ALL.iter().copied().find(|s| *s as u32 == v)
    }

    fn text(self) -> &'static str {
        match self {
            L610_OK => "ok",
            L610_INVALID_ARGUMENT => "invalid argument",
            L610_LIMIT_REACHED => "module limit reached",
            L610_TIMEOUT => "timeout",
            L610_AT_ERROR => "the module answered ERROR",
            L610_CME_ERROR => "the module answered +CME ERROR",
            L610_SSL_ERROR => "TLS connection failed",
            L610_CONNECTION_FAILED => "connection failed",
            L610_CLOCK_SKEW => "module clock too far off the host clock",
            L610_MODULE_RESET => "the module restarted; its SSL state is lost",
            L610_CLOSED => "closed",
            L610_OVERFLOW => "received data dropped: receive buffer full",
            L610_UNEXPECTED_RESPONSE => "unexpected response from the module",
            L610_PORT_ERROR => "serial port error",
            L610_IO_ERROR => "I/O error",
            L610_CANCELLED => "cancelled",
            L610_NULL_ARGUMENT => "a required pointer argument was NULL",
            L610_PANIC => "internal error (panic) in libl610",
            L610_BUFFER_TOO_SMALL => "buffer too small",
            L610_UNKNOWN_ERROR => "unknown error",
            L610_NOT_AVAILABLE => "not available",
            L610_WOULD_BLOCK => "nothing to read yet",
        }
    }
}

const ALL: [l610_status; 22] = [
    L610_OK,
    L610_INVALID_ARGUMENT,
    L610_LIMIT_REACHED,
    L610_TIMEOUT,
    L610_AT_ERROR,
    L610_CME_ERROR,
    L610_SSL_ERROR,
    L610_CONNECTION_FAILED,
    L610_CLOCK_SKEW,
    L610_MODULE_RESET,
    L610_CLOSED,
    L610_OVERFLOW,
    L610_UNEXPECTED_RESPONSE,
    L610_PORT_ERROR,
    L610_IO_ERROR,
    L610_CANCELLED,
    L610_NULL_ARGUMENT,
    L610_PANIC,
    L610_BUFFER_TOO_SMALL,
    L610_UNKNOWN_ERROR,
    L610_NOT_AVAILABLE,
    L610_WOULD_BLOCK,
];

/// Copy a short English description of `status` (e.g. `"timeout"`) into `buf`.
///
/// `buf` holds `len` bytes and receives NUL-terminated text; `*written` receives its length
/// without the NUL. If the text does not fit, returns `L610_BUFFER_TOO_SMALL`, writes as much as
/// fits (NUL-terminated, when `len > 0`) and sets `*written` to the full length, so a buffer of
/// `*written + 1` bytes will do; `buf` may be NULL when `len` is 0 to ask for the length.
/// An unknown status number gets the text `"unknown status"`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn l610_status_text(
    status: u32,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    ffi_boundary! {{
        let text = l610_status::from_u32(status).map_or("unknown status", l610_status::text);
        match unsafe { copy_text(text, buf, len, written) } {
            Ok(()) => L610_OK,
            Err(f) => f.status(),
        }
    }}
}
