//! A TLS profile: every `+GTSSL*` setting in one value, applied in one call.
//!
//! The module forgets all of it at power-down, so a [`Modem`] can keep the profile and apply it
//! again after a restart ([`Modem::set_profile`]). Defaults are secure: verification on, TLS 1.2.

use std::fmt;

use crate::error::{Error, Result};
use crate::ssl::{CipherSuite, FileType, SslVersion, VerifyMode};
use crate::Modem;

/// The SSL settings of a connection. Build with the consuming setters.
///
/// Its `Debug` shows files by count and size only: a profile holds a private key, and profiles
/// end up in logs.
///
/// ```
/// use l610::{TlsProfile, SslVersion};
/// let profile = TlsProfile::new().trust_file(b"-----BEGIN CERTIFICATE-----\n...".to_vec());
/// assert_eq!(profile.version, SslVersion::Tls1_2);
/// ```
#[derive(Clone, PartialEq, Eq)]
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

/// `2 files (1234, 850 bytes)`.
struct FileSizes<'a>(&'a [Vec<u8>]);

impl fmt::Debug for FileSizes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} file(s)", self.0.len())?;
        for (i, file) in self.0.iter().enumerate() {
            let sep = if i == 0 { " (" } else { ", " };
            write!(f, "{sep}{}", file.len())?;
        }
        if !self.0.is_empty() {
            f.write_str(" bytes)")?;
        }
        Ok(())
    }
}

/// `<cert 1334 bytes>, <key redacted>`: not even the key's length.
struct Identity(usize);

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<cert {} bytes>, <key redacted>", self.0)
    }
}

impl fmt::Debug for TlsProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsProfile")
            .field("version", &self.version)
            .field("verify", &self.verify)
            .field("trust_files", &FileSizes(&self.trust_files))
            .field(
                "client_identity",
                &self
                    .client_identity
                    .as_ref()
                    .map(|(cert, _)| Identity(cert.len())),
            )
            .field("ciphers", &self.ciphers)
            .finish()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Defect: the derived `Debug` printed the key's bytes.
    #[test]
    fn debug_shows_no_key_bytes() {
        let key = b"-----BEGIN PRIVATE KEY-----\nS3CR3TKEYMATERIAL0123456789\n-----END PRIVATE KEY-----\n";
        let cert = b"-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n";
        let profile = TlsProfile::new()
            .trust_file(cert.to_vec())
            .trust_file(vec![0x30; 850])
            .client_identity(cert.to_vec(), key.to_vec())
            .ciphers(vec![CipherSuite::EcdheRsaAes256GcmSha384]);
        for shown in [format!("{profile:?}"), format!("{profile:#?}")] {
            assert!(!shown.contains("S3CR3T"), "{shown}");
            assert!(!shown.contains("PRIVATE"), "{shown}");
            // The derived Debug printed bytes as numbers: `[45, 45, 45, ...`.
            assert!(!shown.contains("45, 45"), "{shown}");
            assert!(
                !shown.contains(&key.len().to_string()),
                "key length shown: {shown}"
            );
            assert!(shown.contains("<key redacted>"), "{shown}");
            assert!(
                shown.contains(&format!("<cert {} bytes>", cert.len())),
                "{shown}"
            );
            assert!(
                shown.contains(&format!("2 file(s) ({}, 850 bytes)", cert.len())),
                "{shown}"
            );
            assert!(shown.contains("EcdheRsaAes256GcmSha384"), "{shown}");
        }
        assert!(format!("{:?}", TlsProfile::new()).contains("trust_files: 0 file(s)"));
    }
}
