//! The native half of the Python package `l610`: a thin translation layer over the `l610` driver
//! and the `l610-sim` virtual module. No protocol logic lives here.
//!
//! Conventions: every call into the driver runs on the calling thread with the interpreter
//! released, under a cancel hook that checks for signals (`blocking::run`), so Ctrl-C interrupts
//! any call promptly and the modem stays usable. Nothing waits for the driver while attached.
//! Enum values cross as ints and are wrapped into the `enum.IntEnum` classes of `l610._types`,
//! whose members are generated from the tables exported here.

mod blocking;
mod cli;
mod errors;
mod field;
mod modem;
mod sim;
mod socket;
mod testing;
mod trace;
mod transport;

use pyo3::prelude::*;

/// `NAME_IN_UPPER_SNAKE` from a Rust variant name (`CertificateValidationFailed`).
fn upper_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// `(id, member name, manual name)` for each of the 31 `+GTSSLCIPHER` suites.
#[pyfunction]
fn cipher_suites() -> Vec<(u8, String, &'static str)> {
    l610::CipherSuite::ALL
        .iter()
        .map(|c| {
            let name = c.name();
            let member = name.strip_prefix("TLS-").unwrap_or(name).replace('-', "_");
            (c.id(), member, name)
        })
        .collect()
}

/// The id of the suite named `name` (ID, manual or IANA spelling; see `CipherSuite::from_str`).
#[pyfunction]
fn parse_cipher_suite(py: Python<'_>, name: &str) -> PyResult<u8> {
    name.parse::<l610::CipherSuite>()
        .map(|c| c.id())
        .map_err(|e| modem::value_err(py, e))
}

/// `(code, member name, meaning)` for the 21 documented `+GTSSLERR` codes.
#[pyfunction]
fn ssl_error_codes() -> Vec<(i32, String, &'static str)> {
    l610::SslErrorCode::DOCUMENTED
        .iter()
        .map(|c| (c.code(), upper_snake(&format!("{c:?}")), c.meaning()))
        .collect()
}

/// The meaning of any `+GTSSLERR` code, documented or not.
#[pyfunction]
fn ssl_error_meaning(code: i32) -> &'static str {
    l610::SslErrorCode::from_code(code).meaning()
}

/// `(value, member name)` for each `+GTSSLVER` value, the undocumented 0 included.
#[pyfunction]
fn ssl_versions() -> Vec<(u8, String)> {
    l610::SslVersion::ALL
        .iter()
        .map(|v| (v.value(), upper_snake(&format!("{v:?}"))))
        .collect()
}

/// `(value, member name)` for `+GTSSLMODE`.
#[pyfunction]
fn verify_modes() -> Vec<(u8, String)> {
    l610::VerifyMode::ALL
        .iter()
        .map(|v| (v.value(), upper_snake(&format!("{v:?}"))))
        .collect()
}

/// `(value, member name)` for `+GTSSLFILE` file types (`CERTFILE`, `KEYFILE`, `TRUSTFILE`).
#[pyfunction]
fn file_types() -> Vec<(u8, &'static str)> {
    l610::FileType::ALL
        .iter()
        .map(|t| (t.value(), t.as_at()))
        .collect()
}

/// `(IPRFMT value, member name)` for the receive formats.
#[pyfunction]
fn receive_formats() -> Vec<(u8, String)> {
    l610::ReceiveFormat::ALL
        .iter()
        .map(|f| (f.iprfmt(), upper_snake(&format!("{f:?}"))))
        .collect()
}

/// `(value, member name)` for `+CMEE`.
#[pyfunction]
fn error_reporting_modes() -> Vec<(u8, String)> {
    l610::ErrorReporting::ALL
        .iter()
        .map(|m| (m.value(), upper_snake(&format!("{m:?}"))))
        .collect()
}

/// `(version, verify)` of a new `TlsProfile`.
#[pyfunction]
fn default_profile() -> (u8, u8) {
    let p = l610::TlsProfile::new();
    (p.version.value(), p.verify.value())
}

/// Check a profile's files and settings without a module (`TlsProfile::validate`).
#[pyfunction]
#[pyo3(signature = (version, verify, trust_files, client_identity=None, ciphers=None))]
fn validate_profile(
    py: Python<'_>,
    version: u8,
    verify: u8,
    trust_files: Vec<Vec<u8>>,
    client_identity: Option<(Vec<u8>, Vec<u8>)>,
    ciphers: Option<Vec<Bound<'_, PyAny>>>,
) -> PyResult<()> {
    let profile = modem::build_profile(py, version, verify, trust_files, client_identity, ciphers)?;
    profile.validate().map_err(|e| errors::to_pyerr(py, e))
}

/// Read a file given by path with the core's one rule (`l610::ssl::read_file`): a missing
/// file is `FileNotFoundError`, PEM text given as a path is refused without being shown.
#[pyfunction]
fn read_file(py: Python<'_>, path: std::path::PathBuf) -> PyResult<Vec<u8>> {
    l610::ssl::read_file(&path).map_err(|e| errors::to_pyerr(py, e))
}

#[pymodule]
#[pyo3(name = "_l610")]
fn l610_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    blocking::init(m.py())?;
    m.add("__version__", l610::VERSION)?;
    m.add_function(wrap_pyfunction!(cipher_suites, m)?)?;
    m.add_function(wrap_pyfunction!(parse_cipher_suite, m)?)?;
    m.add_function(wrap_pyfunction!(ssl_error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(ssl_error_meaning, m)?)?;
    m.add_function(wrap_pyfunction!(ssl_versions, m)?)?;
    m.add_function(wrap_pyfunction!(verify_modes, m)?)?;
    m.add_function(wrap_pyfunction!(file_types, m)?)?;
    m.add_function(wrap_pyfunction!(receive_formats, m)?)?;
    m.add_function(wrap_pyfunction!(error_reporting_modes, m)?)?;
    m.add_function(wrap_pyfunction!(default_profile, m)?)?;
    m.add_function(wrap_pyfunction!(validate_profile, m)?)?;
    m.add_function(wrap_pyfunction!(errors::error_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(read_file, m)?)?;
    m.add_function(wrap_pyfunction!(testing::generate_pki, m)?)?;
    m.add_function(wrap_pyfunction!(cli::cli_main, m)?)?;
    m.add_class::<modem::Modem>()?;
    m.add_class::<socket::Socket>()?;
    m.add_class::<sim::Simulator>()?;
    m.add_class::<sim::Faults>()?;
    Ok(())
}
