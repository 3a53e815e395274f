//! The certificates of `l610.testing.Pki`, signed by `l610_sim::pki` with the OpenSSL the
//! extension already links (through the virtual module), so tests need neither the `openssl`
//! binary nor a Python package such as `cryptography`.

use l610_sim::pki::{ec_key, issue, Role};
use openssl::error::ErrorStack;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

type Pem = Vec<u8>;

fn generate(names: &[String], days: u32) -> Result<[Pem; 6], ErrorStack> {
    let ca_key = ec_key()?;
    let ca = issue("l610 test CA", &ca_key, None, Role::Ca, days)?;
    let server_key = ec_key()?;
    let server_cn = names.first().map_or("localhost", String::as_str);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let server = issue(
        server_cn,
        &server_key,
        Some((&ca, &ca_key)),
        Role::Server(&names),
        days,
    )?;
    let client_key = ec_key()?;
    let client = issue(
        "l610 test client",
        &client_key,
        Some((&ca, &ca_key)),
        Role::Client,
        days,
    )?;
    Ok([
        ca.to_pem()?,
        ca_key.private_key_to_pem_pkcs8()?,
        server.to_pem()?,
        server_key.private_key_to_pem_pkcs8()?,
        client.to_pem()?,
        client_key.private_key_to_pem_pkcs8()?,
    ])
}

/// `(ca, ca_key, server, server_key, client, client_key)` as PEM bytes: a fresh CA (ECDSA
/// P-256), a server certificate for `names` (DNS names or IP addresses) and a client
/// certificate, valid from a day ago for `days` days.
#[pyfunction]
#[pyo3(signature = (names, days=30))]
pub(crate) fn generate_pki<'py>(
    py: Python<'py>,
    names: Vec<String>,
    days: u32,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let pems = py
        .detach(|| generate(&names, days))
        .map_err(|e| PyRuntimeError::new_err(format!("making the test PKI failed: {e}")))?;
    Ok(pems.iter().map(|p| PyBytes::new(py, p)).collect())
}
