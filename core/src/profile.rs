//! A TLS profile: every `+GTSSL*` setting in one value, applied in one call.
//!
//! The module forgets all of it at power-down, so a [`Modem`] can keep the profile and apply it
//! again after a restart ([`Modem::set_profile`]). Defaults are secure: verification on, TLS 1.2.

use std::fmt;

use crate::at::engine::lock;
use crate::error::{Error, Result};
use crate::ssl::{CipherSuite, FileCounts, FileType, SslVersion, VerifyMode};
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

/// What [`Modem::apply_profile`] did with each file, and what the module holds besides.
///
/// Files cannot be deleted on the module; a power cycle loses them all. So the driver remembers
/// which files it uploaded since the module last restarted and uploads a file only when it is
/// not among them (applying the same profile twice uploads nothing the second time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileReport {
    /// One entry per file of the profile, trust files first (in profile order), then the
    /// CERTFILE and KEYFILE.
    pub files: Vec<FileReport>,
    /// Files the module held that this driver did not upload since the module's last restart
    /// (loaded by another program, an earlier run, or before a restart this driver did not see).
    /// Extra trust files stay trusted until a power cycle.
    pub foreign: FileCounts,
}

/// One file of a profile: uploaded now, or skipped because it was already loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// CERTFILE, KEYFILE or TRUSTFILE.
    pub file_type: FileType,
    /// Its position among the profile's files of that type (0 for CERTFILE and KEYFILE).
    pub index: usize,
    /// Bytes uploaded (PEM), or that would have been.
    pub size: usize,
    /// True when uploaded by this call; false when this driver had uploaded the same file since
    /// the module's last restart.
    pub uploaded: bool,
}

impl ProfileReport {
    /// How many files this call uploaded.
    pub fn uploaded(&self) -> usize {
        self.files.iter().filter(|f| f.uploaded).count()
    }

    /// How many files were skipped (already loaded in this power cycle).
    pub fn skipped(&self) -> usize {
        self.files.len() - self.uploaded()
    }
}

/// `uploaded TRUSTFILE #0 (1180 bytes); skipped CERTFILE: already loaded since the module's
/// last restart; the module also holds 1 TRUSTFILE this driver did not load (...)`.
impl fmt::Display for ProfileReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.files.is_empty() {
            f.write_str("no files in the profile")?;
        }
        for (i, file) in self.files.iter().enumerate() {
            let sep = if i == 0 { "" } else { "; " };
            let name = match file.file_type {
                FileType::TrustFile => format!("{} #{}", file.file_type, file.index),
                _ => file.file_type.to_string(),
            };
            if file.uploaded {
                write!(f, "{sep}uploaded {name} ({} bytes)", file.size)?;
            } else {
                write!(
                    f,
                    "{sep}skipped {name}: already loaded since the module's last restart"
                )?;
            }
        }
        let FileCounts { cert, key, trust } = self.foreign;
        if cert + key + trust > 0 {
            write!(
                f,
                "; the module also holds {trust} TRUSTFILE(s), {cert} CERTFILE(s) and {key} KEYFILE(s) this driver did not load since the module's last restart (they stay until a power cycle)"
            )?;
        }
        Ok(())
    }
}

/// The files this driver uploaded since the module last restarted, by content digest (never the
/// content: it may be a key).
#[derive(Debug, Default)]
pub(crate) struct LoadedFiles {
    at_reset: u64,
    files: Vec<(FileType, u64)>,
}

impl LoadedFiles {
    /// The record for the module as it is now: emptied when it restarted since (a restart loses
    /// every file).
    pub(crate) fn current(&mut self, resets: u64) -> &mut Self {
        if self.at_reset != resets {
            self.at_reset = resets;
            self.files.clear();
        }
        self
    }

    pub(crate) fn contains(&self, t: FileType, digest: u64) -> bool {
        self.files.contains(&(t, digest))
    }

    pub(crate) fn insert(&mut self, t: FileType, digest: u64) {
        self.files.push((t, digest));
    }

    fn count(&self, t: FileType) -> u32 {
        self.files.iter().filter(|(ft, _)| *ft == t).count() as u32
    }
}

/// A digest of a prepared file, to recognise a file uploaded before. Not cryptographic: it
/// only tells this driver's own uploads apart.
pub(crate) fn digest(prepared: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    prepared.hash(&mut h);
    h.finish()
}

impl Modem {
    /// Apply every setting of `profile` (`AT+GTSSLVER`, `AT+GTSSLMODE`, `AT+GTSSLCIPHER`,
    /// `AT+GTSSLFILE`) and report what was uploaded and what skipped.
    ///
    /// A file is uploaded unless this driver uploaded the same file since the module's last
    /// restart. Files cannot be deleted or replaced, so a module that holds a CERTFILE or
    /// KEYFILE this driver did not load (or whose trust files would exceed 40) is refused with
    /// [`Error::LimitReached`] naming the remedy (a power cycle) before anything is uploaded;
    /// trust files the driver did not load are reported in [`ProfileReport::foreign`].
    pub fn apply_profile(&self, profile: &TlsProfile) -> Result<ProfileReport> {
        profile.validate()?;
        self.set_ssl_version(profile.version)?;
        self.set_verify_mode(profile.verify)?;
        if let Some(suites) = &profile.ciphers {
            self.set_enabled_ciphers(suites)?;
        }
        let counts = self.ssl_file_counts()?;
        let resets = self.stats().resets;
        let mut wanted: Vec<(FileType, usize, &[u8])> = profile
            .trust_files
            .iter()
            .enumerate()
            .map(|(i, t)| (FileType::TrustFile, i, t.as_slice()))
            .collect();
        if let Some((cert, key)) = &profile.client_identity {
            wanted.push((FileType::CertFile, 0, cert));
            wanted.push((FileType::KeyFile, 0, key));
        }
        let mut plan = Vec::with_capacity(wanted.len());
        let foreign = {
            let mut loaded = lock(&self.loaded);
            let loaded = loaded.current(resets);
            for (t, index, content) in wanted {
                let prepared = crate::ssl::prepare_file(t, content)?;
                let known = loaded.contains(t, digest(&prepared));
                plan.push((t, index, content, prepared.len(), known));
            }
            FileCounts {
                cert: counts.cert.saturating_sub(loaded.count(FileType::CertFile)),
                key: counts.key.saturating_sub(loaded.count(FileType::KeyFile)),
                trust: counts
                    .trust
                    .saturating_sub(loaded.count(FileType::TrustFile)),
            }
        };
        // Refuse before uploading anything: a half-applied profile is the worst outcome.
        for t in [FileType::TrustFile, FileType::CertFile, FileType::KeyFile] {
            let new = plan.iter().filter(|p| p.0 == t && !p.4).count() as u32;
            if new > 0 && counts.get(t) + new > t.limit() {
                let held = counts.get(t);
                let not_ours = foreign.get(t);
                return Err(Error::LimitReached(format!(
                    "the module holds {held} {t} ({not_ours} not loaded by this driver since the module's last restart) and the profile needs {new} more, beyond the limit of {}; files cannot be deleted or replaced: power-cycle the module, then apply the profile again",
                    t.limit()
                )));
            }
        }
        let mut files = Vec::with_capacity(plan.len());
        for (file_type, index, content, size, known) in plan {
            if !known {
                self.load_file(file_type, content)?;
            }
            files.push(FileReport {
                file_type,
                index,
                size,
                uploaded: !known,
            });
        }
        Ok(ProfileReport { files, foreign })
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
