//! Opt-in tests against a real L610: set `L610_TEST_PORT=/dev/ttyUSB0` (and optionally
//! `L610_TEST_BAUD`). Without it every test here returns at once. See TESTING.md.
//!
//! They only read settings and set ones the module forgets at power-down; they upload no files
//! (files cannot be deleted without a power cycle) and open no connections.

use l610::{Modem, SslVersion, VerifyMode};

fn modem() -> Option<Modem> {
    let port = std::env::var("L610_TEST_PORT").ok()?;
    let baud = std::env::var("L610_TEST_BAUD")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(115200);
    Some(Modem::open(&port, baud).expect("open L610_TEST_PORT"))
}

#[test]
fn hardware_read_forms() {
    let Some(m) = modem() else { return };
    println!("identify: {:?}", m.identify().unwrap());
    println!("files: {:?}", m.ssl_file_counts().unwrap());
    println!("version: {:?}", m.ssl_version().unwrap());
    println!("mode: {:?}", m.verify_mode().unwrap());
    println!("ciphers: {:?}", m.enabled_ciphers().unwrap());
    println!("last ssl error: {}", m.ssl_error().unwrap());
    println!("clock: {}", m.clock().unwrap());
    println!("pdp: {:?}", m.pdp_status().unwrap());
}

#[test]
fn hardware_test_forms() {
    let Some(m) = modem() else { return };
    println!("GTSSLMODE=?: {:?}", m.verify_mode_support().unwrap());
    println!("GTSSLVER=?: {:?}", m.ssl_version_support().unwrap());
    println!("GTSSLCIPHER=?: {:?}", m.cipher_support().unwrap());
    println!("GTSSLFILE=?: {:?}", m.ssl_file_support().unwrap());
}

#[test]
fn hardware_set_and_restore() {
    let Some(m) = modem() else { return };
    let (mode, version) = (m.verify_mode().unwrap(), m.ssl_version().unwrap());
    m.set_ssl_version(SslVersion::Tls1_2).unwrap();
    assert_eq!(m.ssl_version().unwrap(), SslVersion::Tls1_2);
    m.set_verify_mode(VerifyMode::Verify).unwrap();
    assert_eq!(m.verify_mode().unwrap(), VerifyMode::Verify);
    m.set_ssl_version(version).unwrap();
    m.set_verify_mode(mode).unwrap();
}
