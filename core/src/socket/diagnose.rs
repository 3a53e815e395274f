//! Turning `+GTSSLERR` into a sentence a person can act on.

use crate::error::{Error, Result};
use crate::ssl::{SslErrorCode, VerifyMode};
use crate::Modem;

impl Modem {
    /// A failed TLS open: read the module's error code and explain it from the module's state.
    /// When the follow-up commands fail too, the original failure is what the caller gets, with
    /// the follow-up error appended.
    pub(crate) fn ssl_failure(&self, why: &str) -> Error {
        let code = match self.ssl_error() {
            Ok(code) => code,
            Err(e) => {
                return Error::ConnectionFailed(format!(
                    "TLS connection failed ({why}); reading +GTSSLERR then failed: {e}"
                ))
            }
        };
        let diagnosis = match code {
            SslErrorCode::CertificateValidationFailed => match self.diagnose_validation() {
                Ok(d) => d,
                Err(e) => format!("{} (diagnosing it failed: {e})", code.meaning()),
            },
            SslErrorCode::NoHandshakeResponse => "the server accepted the connection but never answered the TLS handshake".into(),
            SslErrorCode::ClosedByServer => "the server closed the connection (does it require a client certificate?)".into(),
            SslErrorCode::ProtocolError => {
                "the handshake failed: the server and module share no TLS version or cipher suite, or the server refused the client".into()
            }
            SslErrorCode::SocketError => "the TCP connection could not be made (wrong host or port, or nothing listening)".into(),
            SslErrorCode::ClientCertificateFileError => "the loaded CERTFILE is not a usable certificate".into(),
            SslErrorCode::ClientKeyFileError => "the loaded KEYFILE is not a usable private key (or does not match the CERTFILE)".into(),
            SslErrorCode::TrustFileError => "a loaded TRUSTFILE is not a usable certificate".into(),
            SslErrorCode::Normal => format!("the module reported no SSL error ({why})"),
            other => other.meaning().to_owned(),
        };
        Error::Ssl { code, diagnosis }
    }

    /// -11 has two causes the manual names: no trust file, or the module clock.
    fn diagnose_validation(&self) -> Result<String> {
        let counts = self.ssl_file_counts()?;
        if self.verify_mode()? == VerifyMode::Verify && counts.trust == 0 {
            return Ok("no trust file loaded (load the server's CA with load_trust_file)".into());
        }
        let clock = self.clock()?;
        let shown = format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            clock.year, clock.month, clock.day, clock.hour, clock.minute
        );
        let skew = (clock.to_unix() - crate::clock::now_utc().to_unix()).abs();
        Ok(if skew > 86_400 {
            format!("certificate not valid at the module's clock, {shown} (set it with set_clock_from_host)")
        } else {
            format!(
                "the server's certificate is not signed by any of the {} loaded trust file(s), or has expired (module clock {shown} is close to the host's)",
                counts.trust
            )
        })
    }
}
