//! Bad input gets an invalid-argument error before any byte is written (checked on the trace).

mod common;

use common::Rig;
use l610::{
    CipherSuite, Error, FileType, ModuleTime, OpenOptions, PdpConfig, Protocol, TlsProfile,
};

fn refused<T: std::fmt::Debug>(
    rig: &Rig,
    f: impl FnOnce(&l610::Modem) -> l610::Result<T>,
) -> Error {
    let (result, sent) = rig.sent_during(f);
    assert_eq!(
        sent,
        Vec::<String>::new(),
        "nothing may be written for bad input"
    );
    result.unwrap_err()
}

fn is_invalid(e: &Error) -> bool {
    matches!(e, Error::InvalidArgument(_))
}

#[test]
fn bad_files_are_refused_before_sending() {
    let rig = Rig::new();
    let cert = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n";
    // Too short / too long once encoded.
    assert!(is_invalid(
        &refused(&rig, |m| m.load_trust_file(b"\x30\x00"))
    ));
    let big = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        "QUFB".repeat(2100)
    );
    assert!(is_invalid(
        &refused(&rig, |m| m.load_trust_file(big.as_bytes()))
    ));
    // Not base64, not PEM, not DER.
    assert!(is_invalid(&refused(&rig, |m| m
        .load_trust_file(cert.replace("MIIB", "M*IB").as_bytes()))));
    assert!(is_invalid(&refused(&rig, |m| m
        .load_trust_file(b"hello world, not a certificate"))));
    // A certificate is not a key; a key is not a trust file.
    assert!(is_invalid(
        &refused(&rig, |m| m.load_key_file(cert.as_bytes()))
    ));
    let key = "-----BEGIN PRIVATE KEY-----\nMIIBszCCAVmgAwIBAgIU\n-----END PRIVATE KEY-----\n";
    assert!(is_invalid(
        &refused(&rig, |m| m.load_trust_file(key.as_bytes()))
    ));
    // A missing file is the OS's NotFound (FileNotFoundError in Python), with the path.
    let missing = refused(&rig, |m| {
        m.load_file_from_path(FileType::TrustFile, "/nonexistent/ca.pem")
    });
    assert!(
        matches!(&missing, l610::Error::Io(e) if e.kind() == std::io::ErrorKind::NotFound),
        "{missing:?}"
    );
    assert_eq!(missing.errno(), Some(2));
    assert!(
        missing.to_string().contains("/nonexistent/ca.pem"),
        "{missing}"
    );
    // PEM text given as a path is refused, and not printed.
    let pem_as_path = refused(&rig, |m| m.load_file_from_path(FileType::TrustFile, cert));
    assert!(is_invalid(&pem_as_path), "{pem_as_path:?}");
    assert!(!pem_as_path.to_string().contains("MIIB"), "{pem_as_path}");
    assert!(
        pem_as_path.to_string().contains("PEM text"),
        "{pem_as_path}"
    );
}

#[test]
fn injection_attempts_are_refused() {
    let rig = Rig::new();
    for host in [
        "evil\"\r\nAT+CFUN=1,1",
        "a\rb",
        "x\"",
        "\u{7f}",
        "é.example",
        "",
        &"h".repeat(256),
    ] {
        let e = refused(&rig, |m| {
            m.open_socket(Protocol::Tls, host, 443, &OpenOptions::default())
        });
        assert!(is_invalid(&e), "{host:?}: {e:?}");
    }
    let apn = PdpConfig {
        apn: Some("cmnet\"\rAT+CFUN=1,1".into()),
        credentials: None,
    };
    assert!(is_invalid(&refused(&rig, |m| m.activate_pdp(&apn))));
    // The raw escape hatch takes one command per call.
    for line in ["+CSQ\rAT+CFUN=1,1", "+CSQ\n", "+GTSSLMODE=1\u{1b}"] {
        let e = refused(&rig, |m| m.command(&l610::Command::new(line)));
        assert!(is_invalid(&e), "{line:?}: {e:?}");
    }
    assert_eq!(l610::Command::from_line("at+csq").line(), "AT+csq");
    assert_eq!(l610::Command::from_line("+CSQ").line(), "AT+CSQ");
    let creds = PdpConfig {
        apn: Some("cmnet".into()),
        credentials: Some(("u".into(), "p\n".into())),
    };
    assert!(is_invalid(&refused(&rig, |m| m.activate_pdp(&creds))));
}

#[test]
fn out_of_range_values_are_refused() {
    let rig = Rig::new();
    assert!(is_invalid(&refused(&rig, |m| m.open_socket(
        Protocol::Tcp,
        "127.0.0.1",
        0,
        &OpenOptions::default()
    ))));
    let bad_id = OpenOptions {
        id: Some(7),
        ..Default::default()
    };
    assert!(is_invalid(&refused(&rig, |m| m.open_socket(
        Protocol::Tcp,
        "127.0.0.1",
        80,
        &bad_id
    ))));
    let feb30 = ModuleTime {
        year: 2015,
        month: 2,
        day: 30,
        hour: 0,
        minute: 0,
        second: 0,
        zone_quarters: None,
    };
    assert!(is_invalid(&refused(&rig, |m| m.set_clock(&feb30))));
    let profile = TlsProfile::new(); // verification on, no trust file
    assert!(is_invalid(&refused(&rig, |m| m.apply_profile(&profile))));
    assert!("32".parse::<CipherSuite>().is_err());
    assert!("TLS-RSA-WITH-NULL".parse::<CipherSuite>().is_err());
    assert!("PEMFILE".parse::<FileType>().is_err());
    assert!(l610::SslVersion::try_from(5).is_err());
}
