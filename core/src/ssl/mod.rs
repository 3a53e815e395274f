//! The typed `+GTSSL*` API: one method per form of the manual (set, read, test).

mod cipher;
mod error_code;
mod file;
mod version;

use std::path::Path;

pub use cipher::CipherSuite;
pub use error_code::SslErrorCode;
pub use file::{prepare as prepare_file, FileType, FILE_LEN, MAX_TRUST_FILES};
pub use version::{SslVersion, VerifyMode};

use crate::at::params::{int, split, unquote, RangeList};
use crate::at::Command;
use crate::error::{Error, Result};
use crate::modem::unexpected;
use crate::Modem;

/// How many files of each type the module holds (`AT+GTSSLFILE?`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FileCounts {
    /// CERTFILE count (0 or 1).
    pub cert: u32,
    /// KEYFILE count (0 or 1).
    pub key: u32,
    /// TRUSTFILE count (0–40).
    pub trust: u32,
}

impl FileCounts {
    /// The count for one type.
    pub fn get(&self, t: FileType) -> u32 {
        match t {
            FileType::CertFile => self.cert,
            FileType::KeyFile => self.key,
            FileType::TrustFile => self.trust,
        }
    }
}

/// What `AT+GTSSLFILE=?` reports. The manual does not give its format; the driver reads a
/// parenthesised list of types and a length range, and keeps the raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSupport {
    /// File types listed.
    pub file_types: Vec<FileType>,
    /// Accepted `<file_len>` range, if listed.
    pub length: Option<RangeList>,
    /// The response lines as received.
    pub raw: Vec<String>,
}

impl Modem {
    /// `AT+GTSSLFILE=<type>,<len>` + `>` + the file: load a certificate or key, from PEM or DER
    /// bytes. Checks content, encoded length (4–8192) and the module's limits (1 CERTFILE, 1
    /// KEYFILE, 40 TRUSTFILEs) before uploading, and verifies the upload by reading the counts back.
    pub fn load_file(&self, file_type: FileType, content: &[u8]) -> Result<FileCounts> {
        let pem = file::prepare(file_type, content)?;
        let before = self.ssl_file_counts()?;
        if before.get(file_type) >= file_type.limit() {
            return Err(Error::LimitReached(format!(
                "the module already holds {} {file_type} (at most {}); files cannot be deleted, only lost by a power cycle",
                before.get(file_type),
                file_type.limit()
            )));
        }
        let cmd = Command::new(format!(
            "+GTSSLFILE=\"{}\",{}",
            file_type.as_at(),
            pem.len()
        ))
        .payload(pem)
        .redact_payload()
        .timeout(self.config().upload_timeout);
        self.command(&cmd)?;
        let after = self.ssl_file_counts()?;
        if after.get(file_type) != before.get(file_type) + 1 {
            return Err(Error::UnexpectedResponse {
                command: cmd.line().to_owned(),
                response: format!(
                    "{file_type} count went from {} to {} after OK",
                    before.get(file_type),
                    after.get(file_type)
                ),
            });
        }
        Ok(after)
    }

    /// [`load_file`](Self::load_file) with the bytes of a file on the host.
    pub fn load_file_from_path(
        &self,
        file_type: FileType,
        path: impl AsRef<Path>,
    ) -> Result<FileCounts> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(|e| Error::invalid(format!("cannot read {}: {e}", path.display())))?;
        self.load_file(file_type, &bytes)
    }

    /// Load a TRUSTFILE (CA certificate).
    pub fn load_trust_file(&self, content: &[u8]) -> Result<FileCounts> {
        self.load_file(FileType::TrustFile, content)
    }

    /// Load the CERTFILE (client certificate).
    pub fn load_cert_file(&self, content: &[u8]) -> Result<FileCounts> {
        self.load_file(FileType::CertFile, content)
    }

    /// Load the KEYFILE (client private key). Its body never appears in the trace.
    pub fn load_key_file(&self, content: &[u8]) -> Result<FileCounts> {
        self.load_file(FileType::KeyFile, content)
    }

    /// `AT+GTSSLFILE?`: how many files of each type are loaded.
    pub fn ssl_file_counts(&self) -> Result<FileCounts> {
        let r = self.command(&Command::new("+GTSSLFILE?").expects("+GTSSLFILE"))?;
        let mut counts = FileCounts::default();
        let mut seen = 0;
        for params in r.all("+GTSSLFILE") {
            let p = split(params);
            let (Some(t), Some(n)) = (
                p.first().and_then(|t| t.parse::<FileType>().ok()),
                p.get(1).and_then(|n| int(n)),
            ) else {
                return Err(unexpected("AT+GTSSLFILE?", &r));
            };
            match t {
                FileType::CertFile => counts.cert = n,
                FileType::KeyFile => counts.key = n,
                FileType::TrustFile => counts.trust = n,
            }
            seen += 1;
        }
        if seen != 3 {
            return Err(unexpected("AT+GTSSLFILE?", &r));
        }
        Ok(counts)
    }

    /// `AT+GTSSLFILE=?`: supported types and lengths.
    pub fn ssl_file_support(&self) -> Result<FileSupport> {
        let r = self.command(&Command::new("+GTSSLFILE=?").expects("+GTSSLFILE"))?;
        let params = r.params("+GTSSLFILE").unwrap_or("");
        let groups = split(params);
        let file_types = groups
            .first()
            .map(|g| g.trim_matches(|c| c == '(' || c == ')'))
            .map(|g| {
                g.split(',')
                    .filter_map(|t| unquote(t).parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        Ok(FileSupport {
            file_types,
            length: groups.get(1).and_then(|g| RangeList::parse(g)),
            raw: r.lines,
        })
    }

    /// `AT+GTSSLMODE=<checkmode>`.
    pub fn set_verify_mode(&self, mode: VerifyMode) -> Result<()> {
        self.command(&Command::new(format!("+GTSSLMODE={}", mode as u8)))
            .map(drop)
    }

    /// `AT+GTSSLMODE?`.
    pub fn verify_mode(&self) -> Result<VerifyMode> {
        VerifyMode::try_from(self.read_int("+GTSSLMODE")?)
    }

    /// `AT+GTSSLMODE=?`: the supported check modes.
    pub fn verify_mode_support(&self) -> Result<RangeList> {
        self.read_ranges("+GTSSLMODE").map(|mut g| g.swap_remove(0))
    }

    /// `AT+GTSSLVER=<sslver>`.
    pub fn set_ssl_version(&self, version: SslVersion) -> Result<()> {
        self.command(&Command::new(format!("+GTSSLVER={}", version.value())))
            .map(drop)
    }

    /// `AT+GTSSLVER?`. The undocumented 0 that hardware reports after power-up is
    /// [`SslVersion::Unspecified`].
    pub fn ssl_version(&self) -> Result<SslVersion> {
        SslVersion::try_from(self.read_int("+GTSSLVER")?).map_err(|_| Error::UnexpectedResponse {
            command: "AT+GTSSLVER?".into(),
            response: "a version outside 0..=4".into(),
        })
    }

    /// `AT+GTSSLVER=?`: the supported versions.
    pub fn ssl_version_support(&self) -> Result<Vec<SslVersion>> {
        let ranges = self.read_ranges("+GTSSLVER")?;
        Ok(ranges[0]
            .values()
            .into_iter()
            .filter_map(|v| SslVersion::try_from(v).ok())
            .collect())
    }

    /// `AT+GTSSLCIPHER=<cipalgID>,<cmd>`: enable (load) or disable one suite.
    pub fn set_cipher(&self, suite: CipherSuite, enabled: bool) -> Result<()> {
        self.command(&Command::new(format!(
            "+GTSSLCIPHER={},{}",
            suite.id(),
            u8::from(enabled)
        )))
        .map(drop)
    }

    /// `AT+GTSSLCIPHER?`: the enabled suites; empty means none configured (the module then uses
    /// its default suites).
    pub fn enabled_ciphers(&self) -> Result<Vec<CipherSuite>> {
        let r = self.command(&Command::new("+GTSSLCIPHER?").expects("+GTSSLCIPHER"))?;
        let Some(params) = r.params("+GTSSLCIPHER") else {
            return Ok(Vec::new());
        };
        split(params)
            .into_iter()
            .filter(|p| !p.is_empty())
            .map(|p| {
                int::<u8>(p)
                    .and_then(CipherSuite::from_id)
                    .ok_or_else(|| unexpected("AT+GTSSLCIPHER?", &r))
            })
            .collect()
    }

    /// `AT+GTSSLCIPHER=?`: the `<cipalgID>` range and the `<cmd>` range.
    pub fn cipher_support(&self) -> Result<(RangeList, RangeList)> {
        let mut g = self.read_ranges("+GTSSLCIPHER")?;
        if g.len() < 2 {
            return Err(Error::UnexpectedResponse {
                command: "AT+GTSSLCIPHER=?".into(),
                response: "one range where two were expected".into(),
            });
        }
        let cmds = g.swap_remove(1);
        Ok((g.swap_remove(0), cmds))
    }

    /// Enable exactly `suites`: enable each, disable every other enabled one, and verify by reading
    /// the list back. An empty set disables all, so the module falls back to its defaults.
    pub fn set_enabled_ciphers(&self, suites: &[CipherSuite]) -> Result<Vec<CipherSuite>> {
        let current = self.enabled_ciphers()?;
        for s in suites.iter().filter(|s| !current.contains(s)) {
            self.set_cipher(*s, true)?;
        }
        for s in current.iter().filter(|s| !suites.contains(s)) {
            self.set_cipher(*s, false)?;
        }
        let now = self.enabled_ciphers()?;
        let mut wanted = suites.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        let mut got = now.clone();
        got.sort_unstable();
        if got != wanted {
            return Err(Error::UnexpectedResponse {
                command: "AT+GTSSLCIPHER?".into(),
                response: format!(
                    "enabled {:?} after asking for {:?}",
                    ids(&got),
                    ids(&wanted)
                ),
            });
        }
        Ok(now)
    }

    /// `AT+GTSSLERR?`: the error of the last SSL connection ([`SslErrorCode::Normal`] when the
    /// module answers `OK` alone).
    pub fn ssl_error(&self) -> Result<SslErrorCode> {
        self.read_ssl_error("+GTSSLERR?")
    }

    /// `AT+GTSSLERR` (the execute form; same answer as the read form).
    pub fn ssl_error_exec(&self) -> Result<SslErrorCode> {
        self.read_ssl_error("+GTSSLERR")
    }

    fn read_ssl_error(&self, body: &str) -> Result<SslErrorCode> {
        let r = self.command(&Command::new(body).expects("+GTSSLERR"))?;
        match r.params("+GTSSLERR") {
            None => Ok(SslErrorCode::Normal),
            Some(p) => int::<i32>(p)
                .map(SslErrorCode::from_code)
                .ok_or_else(|| unexpected(&format!("AT{body}"), &r)),
        }
    }

    /// `AT<prefix>?` answering `<prefix>: <n>`.
    fn read_int(&self, prefix: &str) -> Result<i64> {
        let r = self.command(&Command::new(format!("{prefix}?")).expects(prefix))?;
        r.params(prefix)
            .and_then(int)
            .ok_or_else(|| unexpected(&format!("AT{prefix}?"), &r))
    }

    /// `AT<prefix>=?` answering `<prefix>: (..),(..)`.
    fn read_ranges(&self, prefix: &str) -> Result<Vec<RangeList>> {
        let r = self.command(&Command::new(format!("{prefix}=?")).expects(prefix))?;
        let groups: Option<Vec<RangeList>> = r
            .params(prefix)
            .map(|p| split(p).into_iter().filter_map(RangeList::parse).collect());
        groups
            .filter(|g| !g.is_empty())
            .ok_or_else(|| unexpected(&format!("AT{prefix}=?"), &r))
    }
}

fn ids(s: &[CipherSuite]) -> Vec<u8> {
    s.iter().map(|c| c.id()).collect()
}
