//! Certificate and key files from the host, read and checked before anything is sent: a file
//! that is not PEM or DER, a key given as a trust file, a duplicate, a file too large for the
//! module. The checks are the driver's (`l610::ssl::prepare_file`); this adds which file it was
//! and what to do.

use std::path::{Path, PathBuf};

use l610::FileType;
use openssl::pkey::PKey;
use openssl::x509::X509;

use crate::exit::{Failure, Outcome};

/// A checked file, ready to upload.
pub struct HostFile {
    /// Where it came from.
    pub path: PathBuf,
    /// What it is for on the module.
    pub file_type: FileType,
    /// The bytes as read (the driver converts DER to PEM itself).
    pub bytes: Vec<u8>,
    /// The PEM the module will receive, for duplicate checks and sizes.
    pub pem: Vec<u8>,
}

impl HostFile {
    /// Read `path` and check it is fit to be a `file_type`.
    pub fn read(path: &Path, file_type: FileType) -> Outcome<HostFile> {
        let bytes = std::fs::read(path)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        let pem = l610::ssl::prepare_file(file_type, &bytes).map_err(|e| {
            Failure::usage(format!(
                "{} cannot be a {file_type}: {}; {}",
                path.display(),
                e.0,
                what_to_do(file_type)
            ))
        })?;
        // The driver checks the PEM framing; OpenSSL checks the content, so that a DER key given
        // as a trust file (framing alone cannot tell) is refused here too.
        let bad = |what: &str| {
            Failure::usage(format!(
                "{} cannot be a {file_type}: {what}; {}",
                path.display(),
                what_to_do(file_type)
            ))
        };
        match file_type {
            FileType::KeyFile => {
                if PKey::private_key_from_pem(&pem).is_err() {
                    return Err(bad("OpenSSL cannot read a private key from it"));
                }
            }
            _ => {
                if X509::stack_from_pem(&pem).map_or(true, |c| c.is_empty()) {
                    let is_key = PKey::private_key_from_der(&bytes).is_ok()
                        || PKey::private_key_from_pem(&bytes).is_ok();
                    return Err(bad(if is_key {
                        "it is a private key, not a certificate"
                    } else {
                        "OpenSSL cannot read a certificate from it"
                    }));
                }
            }
        }
        Ok(HostFile {
            path: path.to_owned(),
            file_type,
            bytes,
            pem,
        })
    }

    /// The certificates in it (for validity dates), when it holds certificates.
    pub fn certificates(&self) -> Vec<X509> {
        if self.file_type == FileType::KeyFile {
            return Vec::new();
        }
        X509::stack_from_pem(&self.pem).unwrap_or_default()
    }
}

fn what_to_do(file_type: FileType) -> &'static str {
    match file_type {
        FileType::TrustFile => {
            "give the CA certificate (PEM `-----BEGIN CERTIFICATE-----` or DER) that signed the \
             server's certificate, never a key"
        }
        FileType::CertFile => {
            "give the client certificate (PEM `-----BEGIN CERTIFICATE-----` or DER) with --cert \
             and its private key with --key"
        }
        FileType::KeyFile => {
            "give the client's private key (PEM `-----BEGIN PRIVATE KEY-----` or DER, not \
             password-protected) with --key"
        }
    }
}

/// Read every file and refuse duplicates (the module cannot delete a file, so a duplicate would
/// waste one of its 40 trust slots for good).
pub fn read_all(trust: &[PathBuf], identity: Option<(&Path, &Path)>) -> Outcome<Vec<HostFile>> {
    let mut files = Vec::new();
    for p in trust {
        files.push(HostFile::read(p, FileType::TrustFile)?);
    }
    if let Some((cert, key)) = identity {
        files.push(HostFile::read(cert, FileType::CertFile)?);
        files.push(HostFile::read(key, FileType::KeyFile)?);
    }
    for (i, a) in files.iter().enumerate() {
        if let Some(b) = files[..i].iter().find(|b| b.pem == a.pem) {
            return Err(Failure::usage(format!(
                "{} and {} are the same file: give each certificate once (the module cannot \
                 delete a file, so a duplicate would take a slot until the next power cycle)",
                b.path.display(),
                a.path.display()
            )));
        }
    }
    Ok(files)
}
