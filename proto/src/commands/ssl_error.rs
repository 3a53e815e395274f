//! `+GTSSLERR`: the error of the last SSL connection, the manual's 21 codes and their meaning.

use alloc::format;
use core::fmt;

use super::{bad_answer, decimal, one_line};
use crate::params::split;
use crate::{Command, Response, ValueError};

const GTSSLERR: &str = "+GTSSLERR";

macro_rules! codes {
    ($($code:literal $variant:ident $meaning:literal,)*) => {
        /// The error of the last SSL connection, as `AT+GTSSLERR?` reports it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum SslErrorCode {
            $(
                #[doc = $meaning]
                $variant,
            )*
            /// A code the manual does not list (kept losslessly).
            Unknown(i32),
        }

        impl SslErrorCode {
            /// Every `<err_code>` of `+GTSSLERR` the manual documents, 0 down to -20.
            pub const DOCUMENTED: [SslErrorCode; 21] = [$(SslErrorCode::$variant,)*];

            /// The module's `<err_code>` (0, -1, ..., -20).
            pub fn code(self) -> i32 {
                match self { $(SslErrorCode::$variant => $code,)* SslErrorCode::Unknown(c) => c }
            }

            /// The code for a `+GTSSLERR` number; undocumented numbers are kept as
            /// [`Unknown`](SslErrorCode::Unknown).
            pub fn from_code(code: i32) -> SslErrorCode {
                match code { $($code => SslErrorCode::$variant,)* c => SslErrorCode::Unknown(c) }
            }

            /// The manual's meaning.
            pub fn meaning(self) -> &'static str {
                match self { $(SslErrorCode::$variant => $meaning,)* SslErrorCode::Unknown(_) => "code not documented in the manual" }
            }
        }
    };
}

codes! {
    0 Normal "normal (no error)",
    -1 ParameterError "parameter error",
    -2 ExecutionFailed "the SSL connection failed to execute",
    -3 FileReadError "file read error",
    -4 SocketError "connection cannot complete: the socket cannot read or write effectively",
    -5 SocketReadError "read/write cannot complete: the socket cannot be read effectively",
    -6 SocketWriteError "read/write cannot complete: the socket cannot be written effectively",
    -7 ProtocolError "SSL protocol error",
    -8 NoHandshakeResponse "the server did not respond to the handshake the client initiated",
    -9 ClosedByServer "the SSL connection was actively closed by the server",
    -10 UnknownError "unknown error",
    -11 CertificateValidationFailed "certificate validation failed (no TRUSTFILE, or certificate expired / not yet valid per the module clock)",
    -12 CertificateLengthMismatch "certificate length information does not match",
    -13 MissingRsaEncryptionCertificate "missing RSA encryption certificate",
    -14 MissingRsaSignatureCertificate "missing RSA signature certificate",
    -15 PublicKeyParameterNotFound "public key information parameter cannot be found",
    -16 UnknownCertificateType "unknown certificate type",
    -17 ClientCertificateFileError "client certificate file error",
    -18 ClientKeyFileError "client key file error",
    -19 TrustFileError "trusted server certificate file error",
    -20 ReceiveTimeout "data timeout while receiving in the SSL session",
}

impl fmt::Display for SslErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.meaning())
    }
}

/// `AT+GTSSLERR?` (the read form); read the answer with [`parse_ssl_error`].
pub fn ssl_error_query() -> Command {
    Command::new(format!("{GTSSLERR}?")).expects(GTSSLERR)
}

/// `AT+GTSSLERR` (the execute form; the manual gives it the same answer as the read form); read
/// the answer with [`parse_ssl_error`].
pub fn ssl_error_exec() -> Command {
    Command::new(GTSSLERR).expects(GTSSLERR)
}

/// The answer to either form of `AT+GTSSLERR`: `+GTSSLERR: <err_code>`, or `OK` alone when there
/// was no error ([`SslErrorCode::Normal`]). Undocumented codes that fit an `i32` are kept as
/// [`SslErrorCode::Unknown`]; anything else is an error.
pub fn parse_ssl_error(r: &Response) -> Result<SslErrorCode, ValueError> {
    if r.all(GTSSLERR).next().is_none() {
        return Ok(SslErrorCode::Normal);
    }
    let params = one_line(r, GTSSLERR)?;
    match split(params).as_slice() {
        [n] => decimal(n)
            .and_then(|n| i32::try_from(n).ok())
            .map(SslErrorCode::from_code)
            .ok_or_else(|| bad_answer(GTSSLERR, params, "is not an error code")),
        _ => Err(bad_answer(
            GTSSLERR,
            params,
            "is not exactly one error code",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::resp;
    use super::*;

    #[test]
    fn all_21_codes_round_trip() {
        for (i, c) in SslErrorCode::DOCUMENTED.iter().enumerate() {
            assert_eq!(c.code(), -(i as i32));
            assert_eq!(SslErrorCode::from_code(c.code()), *c);
        }
        assert_eq!(SslErrorCode::from_code(-99), SslErrorCode::Unknown(-99));
        assert_eq!(
            SslErrorCode::from_code(-11).meaning().split(' ').next(),
            Some("certificate")
        );
    }

    #[test]
    fn builds_both_forms() {
        assert_eq!(ssl_error_query().line(), "AT+GTSSLERR?");
        assert_eq!(ssl_error_exec().line(), "AT+GTSSLERR");
    }

    #[test]
    fn parses_good_answers() {
        assert_eq!(parse_ssl_error(&resp(&[])), Ok(SslErrorCode::Normal));
        assert_eq!(
            parse_ssl_error(&resp(&["+GTSSLERR: -11"])),
            Ok(SslErrorCode::CertificateValidationFailed)
        );
        assert_eq!(
            parse_ssl_error(&resp(&["+GTSSLERR: 0"])),
            Ok(SslErrorCode::Normal)
        );
        assert_eq!(
            parse_ssl_error(&resp(&["+GTSSLERR: -99"])),
            Ok(SslErrorCode::Unknown(-99))
        );
    }

    #[test]
    fn hostile_answers_are_value_errors() {
        for lines in [
            &["+GTSSLERR: "][..],
            &["+GTSSLERR: -"],
            &["+GTSSLERR: -11,2"],
            &["+GTSSLERR: 2147483648"],
            &["+GTSSLERR: -99999999999999999999999"],
            &["+GTSSLERR: -1１"],
            &["+GTSSLERR: eleven"],
            &["+GTSSLERR: -11", "+GTSSLERR: -7"],
        ] {
            assert!(parse_ssl_error(&resp(lines)).is_err(), "{lines:?}");
        }
    }
}
