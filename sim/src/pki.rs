//! Certificates for tests of a driver: a CA, the servers it signs and the clients it signs. They
//! are made with the OpenSSL the virtual module links already. So a test suite, or
//! `l610.testing.Pki` in Python, needs neither the `openssl` binary nor another package to mint
//! them. This is the one place that signs certificates: the Rust suites and the Python
//! extension all call [`issue`].

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
};
use openssl::x509::{X509Name, X509};

/// What a certificate is for.
#[derive(Debug, Clone, Copy)]
pub enum Role<'a> {
    /// A CA: may sign certificates (basic constraints CA, key usage keyCertSign and cRLSign).
    Ca,
    /// A TLS server for these names (DNS names or IP addresses, in the subject alternative
    /// name), extended key usage serverAuth.
    Server(&'a [&'a str]),
    /// A TLS client, extended key usage clientAuth.
    Client,
}

/// A fresh ECDSA P-256 key (cheap to make).
pub fn ec_key() -> Result<PKey<Private>, ErrorStack> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1)?;
    PKey::from_ec_key(EcKey::generate(&group)?)
}

/// A fresh 2048-bit RSA key.
pub fn rsa_key() -> Result<PKey<Private>, ErrorStack> {
    PKey::from_rsa(Rsa::generate(2048)?)
}

/// A certificate for `cn` and `key`, signed by `issuer` (self-signed when `None`), valid from a
/// day ago for `days` days. It is valid at the host's clock, and at a module clock a little behind
/// it, but not at an unset module's (the hardware starts in 1970, the manual's in 2015).
pub fn issue(
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
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
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

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::stack::Stack;
    use openssl::x509::store::X509StoreBuilder;
    use openssl::x509::X509StoreContext;

    fn verifies(ca: &X509, cert: &X509) -> bool {
        let mut store = X509StoreBuilder::new().unwrap();
        store.add_cert(ca.clone()).unwrap();
        let store = store.build();
        let mut ctx = X509StoreContext::new().unwrap();
        ctx.init(&store, cert, &Stack::new().unwrap(), |c| c.verify_cert())
            .unwrap()
    }

    #[test]
    fn a_ca_signs_servers_and_clients_that_verify() {
        let ca_key = ec_key().unwrap();
        let ca = issue("test CA", &ca_key, None, Role::Ca, 30).unwrap();
        let key = ec_key().unwrap();
        let names = ["localhost", "127.0.0.1"];
        let server = issue(
            "localhost",
            &key,
            Some((&ca, &ca_key)),
            Role::Server(&names),
            30,
        );
        let server = server.unwrap();
        let client = issue("client", &key, Some((&ca, &ca_key)), Role::Client, 30).unwrap();
        assert!(verifies(&ca, &server));
        assert!(verifies(&ca, &client));
        let other_key = ec_key().unwrap();
        let other = issue("other CA", &other_key, None, Role::Ca, 30).unwrap();
        assert!(!verifies(&other, &server));
        let sans: Vec<String> = server
            .subject_alt_names()
            .unwrap()
            .iter()
            .map(|n| match (n.dnsname(), n.ipaddress()) {
                (Some(d), _) => d.to_owned(),
                (None, Some(ip)) => format!("{ip:?}"),
                _ => String::new(),
            })
            .collect();
        assert_eq!(sans, ["localhost", "[127, 0, 0, 1]"]);
    }
}
