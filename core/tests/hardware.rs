//! Opt-in tests against a real L610: set `L610_TEST_PORT=/dev/ttyUSB0` (and optionally
//! `L610_TEST_BAUD`). Without it every test here returns at once. See TESTING.md.
//!
//! A rack: `L610_TEST_PORT` may list several modules, separated by commas, as paths or as
//! `socket://HOST:PORT` of ser2net on other hosts; every test then runs on each of them.
//!
//! They only read settings and set ones the module forgets at power-down; they upload no files
//! (files cannot be deleted without a power cycle) and open no connections.

use l610::{Modem, SslVersion, VerifyMode};

/// Every module of `L610_TEST_PORT`, each named by its path or URL.
fn modems() -> Vec<(String, Modem)> {
    let Ok(ports) = std::env::var("L610_TEST_PORT") else {
        return Vec::new();
    };
    let baud = std::env::var("L610_TEST_BAUD")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(115200);
    ports
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let m = Modem::open(p, baud).unwrap_or_else(|e| panic!("open {p}: {e}"));
            (p.to_owned(), m)
        })
        .collect()
}

#[test]
fn hardware_read_forms() {
    for (port, m) in modems() {
        println!("== {port}");
        println!("identify: {:?}", m.identify().unwrap());
        println!("files: {:?}", m.ssl_file_counts().unwrap());
        println!("version: {:?}", m.ssl_version().unwrap());
        println!("mode: {:?}", m.verify_mode().unwrap());
        println!("ciphers: {:?}", m.enabled_ciphers().unwrap());
        println!("last ssl error: {}", m.ssl_error().unwrap());
        println!("clock: {}", m.clock().unwrap());
        println!("pdp: {:?}", m.pdp_status().unwrap());
    }
}

#[test]
fn hardware_test_forms() {
    for (port, m) in modems() {
        println!("== {port}");
        println!("GTSSLMODE=?: {:?}", m.verify_mode_support().unwrap());
        println!("GTSSLVER=?: {:?}", m.ssl_version_support().unwrap());
        println!("GTSSLCIPHER=?: {:?}", m.cipher_support().unwrap());
        println!("GTSSLFILE=?: {:?}", m.ssl_file_support().unwrap());
    }
}

#[test]
fn hardware_set_and_restore() {
    for (_, m) in modems() {
        let (mode, version) = (m.verify_mode().unwrap(), m.ssl_version().unwrap());
        m.set_ssl_version(SslVersion::Tls1_2).unwrap();
        assert_eq!(m.ssl_version().unwrap(), SslVersion::Tls1_2);
        m.set_verify_mode(VerifyMode::Verify).unwrap();
        assert_eq!(m.verify_mode().unwrap(), VerifyMode::Verify);
        m.set_ssl_version(version).unwrap();
        m.set_verify_mode(mode).unwrap();
    }
}
