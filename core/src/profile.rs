//! A TLS profile: every `+GTSSL*` setting in one value, applied in one call.
//!
//! The module forgets all of it at power-down, so a [`Modem`] can keep the profile and apply it
//! again after a restart ([`Modem::set_profile`]). Defaults are secure: verification on, TLS 1.2.

use crate::error::{Error, Result};
use crate::ssl::{CipherSuite, FileType, SslVersion, VerifyMode};
use crate::Modem;

/// The SSL settings of a connection. Build with the consuming setters.
///
/// ```
/// use l610::{TlsProfile, SslVersion};
/// let profile = TlsProfile::new().trust_file(b"-----BEGIN CERTIFICATE-----\n...".to_vec());
/// assert_eq!(profile.version, SslVersion::Tls1_2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct TlsProfile {
    /// `+GTSSLVER`; default TLS 1.2.
    pub version: SslVersion,
    /// `+GTSSLMODE`; default verify.
    pub verify: VerifyMode,
    /// TRUSTFILEs (PEM or DER), in load order.
    pub trust_files: Vec<Vec<u8>>,
    /// CERTFILE and KEYFILE for two-way authentication.
    pub client_identity: Option<(Vec<u8>, Vec<u8>)>,
    /// `+GTSSLCIPHER`: exactly these suites; `None` leaves the module's choice alone.
    pub ciphers: Option<Vec<CipherSuite>>,
}

impl Default for TlsProfile {
    fn default() -> Self {
        TlsProfile {
            version: SslVersion::Tls1_2,
            verify: VerifyMode::Verify,
            trust_files: Vec::new(),
            client_identity: None,
            ciphers: None,
        }
    }
}

impl TlsProfile {
    /// Verification on, TLS 1.2, no files.
    pub fn new() -> Self {
        TlsProfile::default()
    }

    /// Set the protocol version.
    pub fn version(mut self, version: SslVersion) -> Self {
        self.version = version;
        self
    }

    /// Set the verification mode.
    pub fn verify(mut self, verify: VerifyMode) -> Self {
        self.verify = verify;
        self
    }

    /// Add a trust file.
    pub fn trust_file(mut self, pem_or_der: Vec<u8>) -> Self {
        self.trust_files.push(pem_or_der);
        self
    }

    /// Set the client certificate and key.
    pub fn client_identity(mut self, cert: Vec<u8>, key: Vec<u8>) -> Self {
        self.client_identity = Some((cert, key));
        self
    }

    /// Enable exactly these cipher suites.
    pub fn ciphers(mut self, suites: Vec<CipherSuite>) -> Self {
        self.ciphers = Some(suites);
        self
    }

    /// Check every file before anything is sent.
    pub fn validate(&self) -> Result<()> {
        if self.verify == VerifyMode::Verify && self.trust_files.is_empty() {
            return Err(Error::invalid(
                "verification is on but the profile has no trust file",
            ));
        }
        if self.trust_files.len() > crate::ssl::MAX_TRUST_FILES as usize {
            return Err(Error::invalid("a profile can hold at most 40 trust files"));
        }
        for t in &self.trust_files {
            crate::ssl::prepare_file(FileType::TrustFile, t)?;
        }
        if let Some((cert, key)) = &self.client_identity {
            crate::ssl::prepare_file(FileType::CertFile, cert)?;
            crate::ssl::prepare_file(FileType::KeyFile, key)?;
        }
        Ok(())
    }
}

impl Modem {
    /// Apply every setting of `profile`. Files cannot be deleted or replaced on the module, so
    /// they are uploaded only when the module holds fewer than the profile (after a restart it
    /// holds none); a module that holds other files must be power-cycled first.
    pub fn apply_profile(&self, profile: &TlsProfile) -> Result<()> {
        profile.validate()?;
        self.set_ssl_version(profile.version)?;
        self.set_verify_mode(profile.verify)?;
        if let Some(suites) = &profile.ciphers {
            self.set_enabled_ciphers(suites)?;
        }
        let counts = self.ssl_file_counts()?;
        if (counts.trust as usize) < profile.trust_files.len() {
            if counts.trust > 0 {
                return Err(Error::LimitReached(format!(
                    "the module holds {} trust file(s) that cannot be deleted; restart it before applying a profile with {}",
                    counts.trust,
                    profile.trust_files.len()
                )));
            }
            for t in &profile.trust_files {
                self.load_trust_file(t)?;
            }
        }
        if let Some((cert, key)) = &profile.client_identity {
            if counts.cert == 0 {
                self.load_cert_file(cert)?;
            }
            if counts.key == 0 {
                self.load_key_file(key)?;
            }
        }
        Ok(())
    }
}
