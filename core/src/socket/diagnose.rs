//! Turning `+GTSSLERR`, a refused `AT+MIPOPEN` and a failed TCP open into a sentence a person
//! can act on. Every binding reports these texts as they are.

use crate::error::{Error, Result};
use crate::ssl::{SslErrorCode, SslVersion, VerifyMode};
use crate::{Modem, PdpStatus};

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
            SslErrorCode::NoHandshakeResponse => {
                "the server accepted the connection but never answered the TLS handshake".into()
            }
            SslErrorCode::ClosedByServer => {
                "the server closed the connection (does it require a client certificate?)".into()
            }
            SslErrorCode::ProtocolError => self.diagnose_protocol(),
            SslErrorCode::SocketError => {
                "the TCP connection could not be made (wrong host or port, or nothing listening)"
                    .into()
            }
            SslErrorCode::ClientCertificateFileError => {
                "the loaded CERTFILE is not a usable certificate".into()
            }
            SslErrorCode::ClientKeyFileError => {
                "the loaded KEYFILE is not a usable private key (or does not match the CERTFILE)"
                    .into()
            }
            SslErrorCode::TrustFileError => "a loaded TRUSTFILE is not a usable certificate".into(),
            SslErrorCode::Normal => format!("the module reported no SSL error ({why})"),
            other => other.meaning().to_owned(),
        };
        Error::Ssl { code, diagnosis }
    }

    /// `AT+MIPOPEN` itself refused. `+CME ERROR: 3` ("operation not allowed") there almost
    /// always means no PDP context: say so when `AT+MIPCALL?` confirms it.
    pub(crate) fn open_refused(&self, e: Error) -> Error {
        let refused = matches!(&e, Error::Cme { code: Some(3), .. })
            || matches!(&e, Error::Cme { text: Some(t), .. } if t.eq_ignore_ascii_case("operation not allowed"));
        if !refused {
            return e;
        }
        match self.pdp_status() {
            Ok(PdpStatus::Inactive) | Ok(PdpStatus::Busy) => Error::ConnectionFailed(format!(
                "the PDP context is not active (AT+MIPCALL? answers 0), so the module cannot open sockets: call activate_pdp first ({e})"
            )),
            _ => e,
        }
    }

    /// A plain TCP open failed (`+MIPOPEN: <id>,0`): what to check, with the PDP state.
    pub(crate) fn tcp_failure(&self, host: &str, port: u16, why: &str) -> Error {
        let pdp = match self.pdp_status() {
            Ok(PdpStatus::Active(ip)) => format!("the PDP context is active, module IP {ip}"),
            Ok(PdpStatus::Inactive) => {
                "the PDP context is not active: call activate_pdp first".to_owned()
            }
            Ok(PdpStatus::Busy) => "the PDP context is being activated".to_owned(),
            Err(e) => format!("reading the PDP state failed: {e}"),
        };
        Error::ConnectionFailed(format!(
            "TCP connection to {host}:{port} failed ({why}): nothing listening there, a wrong host or port, or a firewall on the way ({pdp})"
        ))
    }

    /// -7: name the module's version, the usual culprit (OpenSSL 3 servers refuse TLS 1.0/1.1,
    /// the version the manual's module starts with).
    fn diagnose_protocol(&self) -> String {
        let base = "the handshake failed: the server and module share no TLS version or cipher suite, or the server refused the client";
        match self.ssl_version() {
            Ok(v @ (SslVersion::Ssl3 | SslVersion::Tls1_0 | SslVersion::Tls1_1)) => format!(
                "{base}; the module is set to {} (AT+GTSSLVER={}), which current servers (OpenSSL 3 defaults) refuse: set_ssl_version(TLS 1.2) or use a TlsProfile (TLS 1.2 by default)",
                version_name(v),
                v.value()
            ),
            Ok(v) => format!(
                "{base}; the module is set to {} (AT+GTSSLVER={}): check the server's versions and the enabled cipher suites (AT+GTSSLCIPHER?)",
                version_name(v),
                v.value()
            ),
            Err(e) => format!("{base} (reading AT+GTSSLVER? failed: {e})"),
        }
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

/// The version as people say it.
fn version_name(v: SslVersion) -> &'static str {
    match v {
        SslVersion::Unspecified => "unspecified (0: negotiate)",
        SslVersion::Ssl3 => "SSL 3.0",
        SslVersion::Tls1_0 => "TLS 1.0",
        SslVersion::Tls1_1 => "TLS 1.1",
        SslVersion::Tls1_2 => "TLS 1.2",
    }
}
