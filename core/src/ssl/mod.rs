//! The typed `+GTSSL*` API: one method per form of the manual (set, read, test).
//!
//! The commands, their parsers and the value tables live in `l610_proto::commands`; this module
//! runs them and adds what needs more than one command (limits checked against the module's
//! counts, uploads verified by reading the counts back, cipher sets reconciled).

use std::path::Path;

pub use l610_proto::commands::{
    prepare as prepare_file, CipherSuite, FileCounts, FileSupport, FileType, SslErrorCode,
    SslVersion, VerifyMode, FILE_LEN, MAX_TRUST_FILES,
};

use l610_proto::commands as cmd;
use l610_proto::ValueError;

use crate::at::engine::lock;
use crate::at::params::RangeList;
use crate::at::{Command, Response};
use crate::error::{Error, Result};
use crate::Modem;

impl Modem {
    /// Run `command` and read its answer with `parse`. An answer that does not parse is the
    /// module's doing, so it is reported as [`Error::UnexpectedResponse`], never as the caller's
    /// invalid argument.
    pub(crate) fn run_parsed<T>(
        &self,
        command: &Command,
        parse: impl FnOnce(&Response) -> std::result::Result<T, ValueError>,
    ) -> Result<T> {
        let r = self.command(command)?;
        parse(&r).map_err(|why| Error::UnexpectedResponse {
            command: command.line().to_owned(),
            response: format!("{} ({why})", r.lines().collect::<Vec<_>>().join(" | ")),
        })
    }

    /// `AT+GTSSLFILE=<type>,<len>` + `>` + the file: load a certificate or key, from PEM or DER
    /// bytes. Checks content, encoded length (4–8192) and the module's limits (1 CERTFILE, 1
    /// KEYFILE, 40 TRUSTFILEs) before uploading, and verifies the upload by reading the counts back.
    /// It always uploads (each call uses a slot, even for the same file); a
    /// [`TlsProfile`](crate::TlsProfile) applied with [`Modem::apply_profile`] uploads only the
    /// files this driver has not loaded since the module's last restart.
    pub fn load_file(&self, file_type: FileType, content: &[u8]) -> Result<FileCounts> {
        let upload = cmd::load_file(file_type, content)?.timeout(self.config().upload_timeout);
        let digest = crate::profile::digest(&cmd::prepare(file_type, content)?);
        let before = self.ssl_file_counts()?;
        if before.get(file_type) >= file_type.limit() {
            return Err(Error::LimitReached(format!(
                "the module already holds {} {file_type} (at most {}); files cannot be deleted, only lost by a power cycle",
                before.get(file_type),
                file_type.limit()
            )));
        }
        self.command(&upload)?;
        let after = self.ssl_file_counts()?;
        if after.get(file_type) != before.get(file_type) + 1 {
            return Err(Error::UnexpectedResponse {
                command: upload.line().to_owned(),
                response: format!(
                    "{file_type} count went from {} to {} after OK",
                    before.get(file_type),
                    after.get(file_type)
                ),
            });
        }
        lock(&self.loaded)
            .current(self.stats().resets)
            .insert(file_type, digest);
        Ok(after)
    }

    /// [`load_file`](Self::load_file) with the bytes of a file on the host (read with
    /// [`read_file`], so a missing file is an [`Error::Io`] of kind `NotFound`).
    pub fn load_file_from_path(
        &self,
        file_type: FileType,
        path: impl AsRef<Path>,
    ) -> Result<FileCounts> {
        let bytes = read_file(path.as_ref())?;
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
        self.run_parsed(&cmd::file_counts_query(), cmd::parse_file_counts)
    }

    /// `AT+GTSSLFILE=?`: supported types and lengths.
    pub fn ssl_file_support(&self) -> Result<FileSupport> {
        let r = self.command(&cmd::file_support_query())?;
        Ok(cmd::parse_file_support(&r))
    }

    /// `AT+GTSSLMODE=<checkmode>`.
    pub fn set_verify_mode(&self, mode: VerifyMode) -> Result<()> {
        self.command(&cmd::set_verify_mode(mode)).map(drop)
    }

    /// `AT+GTSSLMODE?`.
    pub fn verify_mode(&self) -> Result<VerifyMode> {
        self.run_parsed(&cmd::verify_mode_query(), cmd::parse_verify_mode)
    }

    /// `AT+GTSSLMODE=?`: the supported check modes.
    pub fn verify_mode_support(&self) -> Result<RangeList> {
        self.run_parsed(&cmd::verify_mode_test(), cmd::parse_verify_mode_support)
    }

    /// `AT+GTSSLVER=<sslver>`.
    pub fn set_ssl_version(&self, version: SslVersion) -> Result<()> {
        self.command(&cmd::set_ssl_version(version)).map(drop)
    }

    /// `AT+GTSSLVER?`. The undocumented 0 that hardware reports after power-up is
    /// [`SslVersion::Unspecified`].
    pub fn ssl_version(&self) -> Result<SslVersion> {
        self.run_parsed(&cmd::ssl_version_query(), cmd::parse_ssl_version)
    }

    /// `AT+GTSSLVER=?`: the supported versions.
    pub fn ssl_version_support(&self) -> Result<Vec<SslVersion>> {
        self.run_parsed(&cmd::ssl_version_test(), cmd::parse_ssl_version_support)
    }

    /// `AT+GTSSLCIPHER=<cipalgID>,<cmd>`: enable (load) or disable one suite.
    pub fn set_cipher(&self, suite: CipherSuite, enabled: bool) -> Result<()> {
        self.command(&cmd::set_cipher(suite, enabled)).map(drop)
    }

    /// `AT+GTSSLCIPHER?`: the enabled suites; empty means none configured (the module then uses
    /// its default suites).
    pub fn enabled_ciphers(&self) -> Result<Vec<CipherSuite>> {
        self.run_parsed(&cmd::enabled_ciphers_query(), cmd::parse_enabled_ciphers)
    }

    /// `AT+GTSSLCIPHER=?`: the `<cipalgID>` range and the `<cmd>` range.
    pub fn cipher_support(&self) -> Result<(RangeList, RangeList)> {
        self.run_parsed(&cmd::cipher_test(), cmd::parse_cipher_support)
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
        self.run_parsed(&cmd::ssl_error_query(), cmd::parse_ssl_error)
    }

    /// `AT+GTSSLERR` (the execute form; same answer as the read form).
    pub fn ssl_error_exec(&self) -> Result<SslErrorCode> {
        self.run_parsed(&cmd::ssl_error_exec(), cmd::parse_ssl_error)
    }
}

/// The one rule for files, in every binding: bytes are a file's content, a path is read from
/// the host. A file that cannot be read is [`Error::Io`] with the OS's kind (`NotFound`,
/// `PermissionDenied`: Python raises `FileNotFoundError`/`PermissionError`) and the path in the
/// message. PEM text passed where a path belongs (a common slip: a `str` holding the
/// certificate) is refused as [`Error::InvalidArgument`] without quoting it (it may be a key).
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    let shown = path.to_string_lossy();
    if shown.contains("-----BEGIN") || shown.contains('\n') || shown.contains('\r') {
        return Err(Error::invalid(format!(
            "a path was expected but this is PEM text ({} characters, not shown): pass the file's bytes instead (in Python: pem.encode())",
            shown.chars().count()
        )));
    }
    std::fs::read(path).map_err(|e| {
        Error::Io(std::io::Error::new(
            e.kind(),
            format!("cannot read {}: {e}", path.display()),
        ))
    })
}

fn ids(s: &[CipherSuite]) -> Vec<u8> {
    s.iter().map(|c| c.id()).collect()
}
