//! `<err_code>` of `+GTSSLERR`: the manual's 21 codes and their meaning.

use std::fmt;

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
            /// Every documented code, 0 down to -20.
            pub const DOCUMENTED: [SslErrorCode; 21] = [$(SslErrorCode::$variant,)*];

            /// The module's number (0, -1, ..., -20).
            pub fn code(self) -> i32 {
                match self { $(SslErrorCode::$variant => $code,)* SslErrorCode::Unknown(c) => c }
            }

            /// The code for a number.
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

#[cfg(test)]
mod tests {
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
}
