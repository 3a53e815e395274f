//! The certificates of `l610.testing.Pki`, made with the OpenSSL the extension already links
//! (through the virtual module), so tests need neither the `openssl` binary nor a Python
//! package such as `cryptography`.

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
};
use openssl::x509::{X509Name, X509};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

fn name(cn: &str) -> Result<X509Name, ErrorStack> {
    let mut n = X509Name::builder()?;
    n.append_entry_by_nid(Nid::COMMONNAME, cn)?;
    Ok(n.build())
}

fn serial() -> Result<Asn1Integer, ErrorStack> {
    let mut bn = BigNum::new()?;
    bn.rand(64, MsbOption::MAYBE_ZERO, false)?;
    bn.to_asn1_integer()
}

fn ec_key() -> Result<PKey<Private>, ErrorStack> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
    PKey::from_ec_key(EcKey::generate(&group)?)
}

enum Role<'a> {
    Ca,
    Server(&'a [String]),
    Client,
}

fn sign(
    cn: &str,
    key: &PKey<Private>,
    issuer: Option<(&X509, &PKey<Private>)>,
    role: Role<'_>,
    days: u32,
) -> Result<X509, ErrorStack> {
    let mut b = X509::builder()?;
    b.set_version(2)?;
    let serial = serial()?;
    b.set_serial_number(&serial)?;
    let subject = name(cn)?;
    b.set_subject_name(&subject)?;
    match issuer {
        Some((c, _)) => b.set_issuer_name(c.subject_name())?,
        None => b.set_issuer_name(&subject)?,
    }
    b.set_pubkey(key)?;
    // Valid from a day ago: a module clock a little behind the host's still accepts it.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let not_before = Asn1Time::from_unix(now - 86_400)?;
    b.set_not_before(&not_before)?;
    let not_after = Asn1Time::days_from_now(days)?;
    b.set_not_after(&not_after)?;
    match role {
        Role::Ca => {
            b.append_extension(BasicConstraints::new().critical().ca().build()?)?;
            b.append_extension(KeyUsage::new().key_cert_sign().crl_sign().build()?)?;
        }
        Role::Server(names) => {
            let ctx = b.x509v3_context(issuer.map(|(c, _)| c.as_ref()), None);
            let mut san = SubjectAlternativeName::new();
            for n in names {
                if n.parse::<std::net::IpAddr>().is_ok() {
                    san.ip(n);
                } else {
                    san.dns(n);
                }
            }
            let san = san.build(&ctx)?;
            b.append_extension(san)?;
            b.append_extension(ExtendedKeyUsage::new().server_auth().build()?)?;
        }
        Role::Client => {
            b.append_extension(ExtendedKeyUsage::new().client_auth().build()?)?;
        }
    }
    b.sign(issuer.map_or(key, |(_, k)| k), MessageDigest::sha256())?;
    Ok(b.build())
}

type Pem = Vec<u8>;

fn generate(names: &[String], days: u32) -> Result<[Pem; 6], ErrorStack> {
    let ca_key = ec_key()?;
    let ca = sign("l610 test CA", &ca_key, None, Role::Ca, days)?;
    let server_key = ec_key()?;
    let server_cn = names.first().map_or("localhost", String::as_str);
    let server = sign(
        server_cn,
        &server_key,
        Some((&ca, &ca_key)),
        Role::Server(names),
        days,
    )?;
    let client_key = ec_key()?;
    let client = sign(
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
