//! The driver's errors as C failures: `l610::Error` to an `l610_status` (same numbers as
//! `l610::ErrorKind`), its words, and the module's codes (`+CME ERROR`, `+GTSSLERR`).

use alloc::boxed::Box;

use driver::ErrorKind;

use crate::ffi::{Fail, Failure};
use crate::status::l610_status::{self, *};

impl From<driver::Error> for Fail {
    fn from(e: driver::Error) -> Self {
        let (cme, ssl) = match &e {
            driver::Error::Cme { code, .. } => (*code, None),
            driver::Error::Ssl { code, diagnosis } => {
                (None, Some((code.code(), diagnosis.clone())))
            }
            _ => (None, None),
        };
        Fail::Status(Box::new(Failure {
            status: from_kind(e.kind()),
            message: e.to_string(),
            cme,
            ssl,
        }))
    }
}

pub(crate) fn from_kind(kind: ErrorKind) -> l610_status {
    match kind {
        ErrorKind::InvalidArgument => L610_INVALID_ARGUMENT,
        ErrorKind::LimitReached => L610_LIMIT_REACHED,
        ErrorKind::Timeout => L610_TIMEOUT,
        ErrorKind::AtError => L610_AT_ERROR,
        ErrorKind::Cme => L610_CME_ERROR,
        ErrorKind::Ssl => L610_SSL_ERROR,
        ErrorKind::ConnectionFailed => L610_CONNECTION_FAILED,
        ErrorKind::ClockSkew => L610_CLOCK_SKEW,
        ErrorKind::ModuleReset => L610_MODULE_RESET,
        ErrorKind::Closed => L610_CLOSED,
        ErrorKind::Overflow => L610_OVERFLOW,
        ErrorKind::UnexpectedResponse => L610_UNEXPECTED_RESPONSE,
        ErrorKind::Port => L610_PORT_ERROR,
        ErrorKind::Io => L610_IO_ERROR,
        ErrorKind::Cancelled => L610_CANCELLED,
        _ => L610_UNKNOWN_ERROR,
    }
}

// The numbers must be the driver's `ErrorKind` numbers (`ErrorKind as u32`).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_numbers_as_error_kind() {
        use ErrorKind as K;
        for k in [
            K::InvalidArgument,
            K::LimitReached,
            K::Timeout,
            K::AtError,
            K::Cme,
            K::Ssl,
            K::ConnectionFailed,
            K::ClockSkew,
            K::ModuleReset,
            K::Closed,
            K::Overflow,
            K::UnexpectedResponse,
            K::Port,
            K::Io,
            K::Cancelled,
        ] {
            assert_eq!(from_kind(k) as u32, k as u32, "{k:?}");
        }
    }
}
