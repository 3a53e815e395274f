//! `<file_type>` of `+GTSSLFILE`, and turning user bytes (PEM or DER) into what the module takes.
//!
//! The module only takes base64 text, 4–8192 bytes long, CR/LF included in the count. Everything
//! is checked here, before a byte is sent: an upload that the module would refuse halfway, or
//! silently store as garbage, costs a module power cycle to undo (files cannot be deleted).

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::error::{Error, Result};

/// Smallest and largest `<file_len>` the module accepts.
pub const FILE_LEN: std::ops::RangeInclusive<usize> = 4..=8192;
/// At most one CERTFILE, one KEYFILE and 40 TRUSTFILEs can be loaded.
pub const MAX_TRUST_FILES: u32 = 40;

/// Which kind of file (`AT+GTSSLFILE=<file_type>,<file_len>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum FileType {
    /// `CERTFILE`: the client certificate, for two-way authentication (at most 1).
    CertFile = 0,
    /// `KEYFILE`: the client private key (at most 1).
    KeyFile = 1,
    /// `TRUSTFILE`: a CA / trust certificate used to verify servers (at most 40).
    TrustFile = 2,
}

impl FileType {
    /// All three, in the order `AT+GTSSLFILE?` lists them.
    pub const ALL: [FileType; 3] = [FileType::CertFile, FileType::KeyFile, FileType::TrustFile];

    /// The module's word: `CERTFILE`, `KEYFILE`, `TRUSTFILE`.
    pub fn as_at(self) -> &'static str {
        match self {
            FileType::CertFile => "CERTFILE",
            FileType::KeyFile => "KEYFILE",
            FileType::TrustFile => "TRUSTFILE",
        }
    }

    /// How many of this type the module holds at most.
    pub fn limit(self) -> u32 {
        match self {
            FileType::TrustFile => MAX_TRUST_FILES,
            _ => 1,
        }
    }

    fn accepts_label(self, label: &str) -> bool {
        match self {
            FileType::CertFile | FileType::TrustFile => label == "CERTIFICATE",
            FileType::KeyFile => {
                matches!(label, "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY")
            }
        }
    }
}

impl fmt::Display for FileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_at())
    }
}

impl FromStr for FileType {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().trim_matches('"').trim();
        FileType::ALL
            .into_iter()
            .find(|t| t.as_at().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                Error::invalid(format!(
                    "unknown file type {s:?} (CERTFILE, KEYFILE or TRUSTFILE)"
                ))
            })
    }
}

/// Check `content` (PEM text, or DER which is PEM-encoded here) for `file_type` and return the
/// exact bytes to upload.
pub fn prepare(file_type: FileType, content: &[u8]) -> Result<Vec<u8>> {
    let trimmed = content.trim_ascii_start();
    let pem = if trimmed.starts_with(b"-----BEGIN ") {
        check_pem(file_type, content)?;
        content.to_vec()
    } else {
        der_to_pem(file_type, content)?
    };
    if !FILE_LEN.contains(&pem.len()) {
        return Err(Error::invalid(format!(
            "{file_type} is {} bytes once base64/PEM-encoded; the module accepts {}..={}",
            pem.len(),
            FILE_LEN.start(),
            FILE_LEN.end()
        )));
    }
    Ok(pem)
}

/// Every block must be `-----BEGIN X-----`, base64 lines, `-----END X-----`, with X fit for the
/// file type.
fn check_pem(file_type: FileType, content: &[u8]) -> Result<()> {
    let text = std::str::from_utf8(content)
        .map_err(|_| Error::invalid(format!("{file_type}: PEM text is not ASCII")))?;
    let bad = |why: String| Error::invalid(format!("{file_type}: {why}"));
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .peekable();
    let mut blocks = 0;
    while let Some(begin) = lines.next() {
        let label = begin
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
            .ok_or_else(|| {
                bad(format!(
                    "expected a -----BEGIN ...----- line, found {begin:?}"
                ))
            })?;
        if !file_type.accepts_label(label) {
            return Err(bad(format!(
                "a {label} block does not belong in a {file_type}"
            )));
        }
        let end = format!("-----END {label}-----");
        let mut body = String::new();
        loop {
            match lines.next() {
                Some(l) if l == end => break,
                Some(l) if l.starts_with("-----") => {
                    return Err(bad(format!("unexpected {l:?} inside a {label} block")))
                }
                Some(l) if l.contains(':') => {} // RFC 1421 headers of encrypted keys
                Some(l) => body.push_str(l),
                None => return Err(bad(format!("missing {end}"))),
            }
        }
        STANDARD
            .decode(body.as_bytes())
            .map_err(|e| bad(format!("the {label} body is not valid base64: {e}")))?;
        blocks += 1;
    }
    if blocks == 0 {
        return Err(bad("no PEM block found".into()));
    }
    if file_type == FileType::KeyFile && blocks > 1 {
        return Err(bad("a KEYFILE holds exactly one key".into()));
    }
    Ok(())
}

/// DER bytes become one PEM block with 64-character lines.
fn der_to_pem(file_type: FileType, der: &[u8]) -> Result<Vec<u8>> {
    // Every certificate and key in DER is an ASN.1 SEQUENCE.
    if der.len() < 4 || der[0] != 0x30 {
        return Err(Error::invalid(format!(
            "{file_type}: neither PEM text nor DER (an ASN.1 SEQUENCE)"
        )));
    }
    let label = match file_type {
        FileType::CertFile | FileType::TrustFile => "CERTIFICATE",
        FileType::KeyFile => key_label(der),
    };
    let b64 = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    Ok(pem.into_bytes())
}

/// PKCS#8, PKCS#1 (RSA) and SEC1 (EC) keys all start `SEQUENCE { INTEGER version, ... }`; the
/// element after the version tells them apart.
fn key_label(der: &[u8]) -> &'static str {
    let after_len = |at: usize| -> Option<usize> {
        let first = *der.get(at)?;
        if first < 0x80 {
            Some(at + 1)
        } else {
            Some(at + 1 + usize::from(first & 0x7f))
        }
    };
    let next_tag = (|| {
        let content = after_len(1)?;
        if *der.get(content)? != 0x02 {
            return None;
        }
        let int_len = *der.get(content + 1)? as usize;
        der.get(content + 2 + int_len).copied()
    })();
    match next_tag {
        Some(0x02) => "RSA PRIVATE KEY",
        Some(0x04) => "EC PRIVATE KEY",
        _ => "PRIVATE KEY",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str =
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n";

    #[test]
    fn pem_is_checked_and_passed_through() {
        assert_eq!(
            prepare(FileType::TrustFile, PEM.as_bytes()).unwrap(),
            PEM.as_bytes()
        );
        assert!(
            prepare(FileType::KeyFile, PEM.as_bytes()).is_err(),
            "a certificate is not a key"
        );
        let bad = PEM.replace("MIIB", "MI!B");
        assert!(prepare(FileType::TrustFile, bad.as_bytes()).is_err());
        let unterminated = PEM.replace("-----END CERTIFICATE-----\n", "");
        assert!(prepare(FileType::TrustFile, unterminated.as_bytes()).is_err());
    }

    #[test]
    fn der_is_encoded() {
        let der = [0x30, 0x03, 0x02, 0x01, 0x00];
        let pem = String::from_utf8(prepare(FileType::CertFile, &der).unwrap()).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\nMAMCAQA=\n"));
        let rsa = [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x05];
        assert!(String::from_utf8(prepare(FileType::KeyFile, &rsa).unwrap())
            .unwrap()
            .contains("RSA PRIVATE KEY"));
        assert!(prepare(FileType::CertFile, b"hello").is_err());
    }

    #[test]
    fn length_limits() {
        let big = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            "QUFB".repeat(2100)
        );
        assert!(
            matches!(prepare(FileType::TrustFile, big.as_bytes()), Err(Error::InvalidArgument(m)) if m.contains("8192"))
        );
    }
}
