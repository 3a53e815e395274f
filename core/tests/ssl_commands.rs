//! Every `+GTSSL*` form over a real pseudo-terminal against the virtual L610, and the manual's
//! examples 2, 3 (upload), 5 (upload) and 6 replayed through the typed API.

mod common;

use common::tls::Pki;
use common::Rig;
use l610::{CipherSuite, Error, FileCounts, FileType, SslErrorCode, SslVersion, VerifyMode};

/// Power-up as hardware reports it (AT-REFERENCE §6): the undocumented `+GTSSLVER: 0`.
#[test]
fn defaults_are_the_hardwares() {
    let rig = Rig::new();
    assert_eq!(rig.modem.ssl_version().unwrap(), SslVersion::Unspecified);
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::None);
}

#[test]
fn defaults_are_the_manuals() {
    let rig = Rig::with(l610_sim::SimConfig::manual(), l610::Modem::builder());
    let m = &rig.modem;
    assert_eq!(m.verify_mode().unwrap(), VerifyMode::None);
    assert_eq!(m.ssl_version().unwrap(), SslVersion::Tls1_0);
    assert_eq!(m.enabled_ciphers().unwrap(), vec![]);
    assert_eq!(m.ssl_file_counts().unwrap(), FileCounts::default());
    assert_eq!(m.ssl_error().unwrap(), SslErrorCode::Normal);
    assert_eq!(m.ssl_error_exec().unwrap(), SslErrorCode::Normal);
}

#[test]
fn set_read_and_test_forms() {
    let rig = Rig::new();
    let m = &rig.modem;
    m.set_verify_mode(VerifyMode::Verify).unwrap();
    assert_eq!(m.verify_mode().unwrap(), VerifyMode::Verify);
    assert_eq!(m.verify_mode_support().unwrap().values(), vec![0, 1]);

    for v in SslVersion::ALL {
        m.set_ssl_version(v).unwrap();
        assert_eq!(m.ssl_version().unwrap(), v, "the undocumented 0 too");
    }
    assert_eq!(m.ssl_version_support().unwrap(), SslVersion::ALL.to_vec());

    let (ids, cmds) = m.cipher_support().unwrap();
    assert_eq!(ids.values(), (1..=31).collect::<Vec<_>>());
    assert_eq!(cmds.values(), vec![0, 1]);
    m.set_cipher(CipherSuite::EcdheRsaAes128GcmSha256, true)
        .unwrap();
    assert_eq!(
        m.enabled_ciphers().unwrap(),
        vec![CipherSuite::EcdheRsaAes128GcmSha256]
    );
    m.set_cipher(CipherSuite::EcdheRsaAes128GcmSha256, false)
        .unwrap();
    assert_eq!(m.enabled_ciphers().unwrap(), vec![]);

    let support = m.ssl_file_support().unwrap();
    assert_eq!(support.file_types, FileType::ALL.to_vec());
    assert_eq!(support.length.unwrap().ranges, vec![(4, 8192)]);
    assert_eq!(rig.sim.state().verify, 1);
}

#[test]
fn camellia_gcm_is_refused_honestly_by_the_virtual_module() {
    let rig = Rig::new();
    let err = rig
        .modem
        .set_cipher(CipherSuite::EcdheRsaCamellia256GcmSha384, true)
        .unwrap_err();
    assert!(matches!(err, Error::Cme { code: Some(4), .. }), "{err:?}");
}

#[test]
fn files_from_pem_der_and_path_with_limits() {
    let pki = Pki::new("files");
    let rig = Rig::new();
    let m = &rig.modem;
    assert_eq!(m.load_trust_file(&pki.ca_pem).unwrap().trust, 1);
    assert_eq!(
        m.load_trust_file(&pki.ca_der).unwrap().trust,
        2,
        "DER is PEM-encoded by the driver"
    );
    assert_eq!(
        m.load_file_from_path(FileType::TrustFile, pki.dir.join("ca.pem"))
            .unwrap()
            .trust,
        3
    );
    assert_eq!(m.load_cert_file(&pki.client_cert_pem).unwrap().cert, 1);
    assert_eq!(m.load_key_file(&pki.client_key_der).unwrap().key, 1);
    assert_eq!(rig.sim.state().trust_files, 3);

    // A second CERTFILE is refused before the upload.
    let (err, sent) = rig.sent_during(|m| m.load_cert_file(&pki.client_cert_pem).unwrap_err());
    assert!(matches!(err, Error::LimitReached(_)), "{err:?}");
    assert_eq!(
        sent,
        vec!["AT+GTSSLFILE?\\r"],
        "only the count query went out"
    );

    // Key material never appears in the trace.
    let transcript = rig.transcript();
    assert!(transcript.contains("bytes redacted"));
    assert!(!transcript.contains("PRIVATE KEY") && !transcript.contains("BEGIN CERTIFICATE"));
}

#[test]
fn forty_trust_files_then_the_limit() {
    let pki = Pki::new("forty");
    let rig = Rig::new();
    for i in 1..=40 {
        assert_eq!(rig.modem.load_trust_file(&pki.ca_pem).unwrap().trust, i);
    }
    assert!(matches!(
        rig.modem.load_trust_file(&pki.ca_pem),
        Err(Error::LimitReached(_))
    ));
}

/// Example 2: verification on, no trust file → the open fails with -11 and the diagnosis says why.
#[test]
fn manual_example_2_verify_without_trust_file() {
    let rig = Rig::new();
    let m = &rig.modem;
    m.set_verify_mode(VerifyMode::Verify).unwrap();
    assert_eq!(m.verify_mode().unwrap(), VerifyMode::Verify);
    m.activate_pdp(&Default::default()).unwrap();
    let port = common::tls::free_port();
    let opts = l610::OpenOptions {
        check_clock: false,
        ..Default::default()
    };
    let err = m
        .open_socket(l610::Protocol::Tls, "127.0.0.1", port, &opts)
        .unwrap_err();
    match err {
        Error::Ssl { code, diagnosis } => {
            assert_eq!(code, SslErrorCode::CertificateValidationFailed);
            assert!(diagnosis.contains("no trust file"), "{diagnosis}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(m.ssl_error().unwrap().code(), -11);
    assert_eq!(m.ssl_file_counts().unwrap().trust, 0);
}

/// Example 3 (upload part): `AT+GTSSLFILE="TRUSTFILE",<len>`, `>`, the bytes, `OK`, count 1.
#[test]
fn manual_example_3_trust_file_upload() {
    let pki = Pki::new("ex3");
    let rig = Rig::new();
    rig.modem.set_verify_mode(VerifyMode::Verify).unwrap();
    let counts = rig.modem.load_trust_file(&pki.ca_pem).unwrap();
    assert_eq!(
        counts,
        FileCounts {
            cert: 0,
            key: 0,
            trust: 1
        }
    );
    let sent = rig.sent();
    let upload = format!("AT+GTSSLFILE=\"TRUSTFILE\",{}\\r", pki.ca_pem.len());
    let at = sent
        .iter()
        .position(|s| *s == upload)
        .expect("the upload command");
    assert_eq!(
        sent[at + 1],
        format!("<{} bytes redacted>", pki.ca_pem.len())
    );
}

/// Example 5 (upload part): CERTFILE and KEYFILE loaded, TRUSTFILE 0.
#[test]
fn manual_example_5_client_files_upload() {
    let pki = Pki::new("ex5");
    let rig = Rig::new();
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::None);
    rig.modem.load_cert_file(&pki.client_cert_pem).unwrap();
    let counts = rig.modem.load_key_file(&pki.client_key_pem).unwrap();
    assert_eq!(
        counts,
        FileCounts {
            cert: 1,
            key: 1,
            trust: 0
        }
    );
}

/// Example 6: from ciphers 1..=6 enabled, disable 1, 2, 3, 4 and 6 → only 5 remains.
#[test]
fn manual_example_6_restrict_cipher_suites() {
    let rig = Rig::new();
    let m = &rig.modem;
    assert!(m.operator().unwrap().contains("CHINA MOBILE"));
    assert_eq!(
        m.activate_pdp(&l610::PdpConfig {
            apn: Some("CMNET".into()),
            credentials: None
        })
        .unwrap(),
        "10.109.197.168"
    );
    let six: Vec<CipherSuite> = (1..=6).map(|i| CipherSuite::from_id(i).unwrap()).collect();
    assert_eq!(m.set_enabled_ciphers(&six).unwrap(), six);
    for id in [1, 2, 3, 4, 6] {
        m.set_cipher(CipherSuite::from_id(id).unwrap(), false)
            .unwrap();
    }
    assert_eq!(
        m.enabled_ciphers().unwrap(),
        vec![CipherSuite::EcdheRsaAes256GcmSha384]
    );
    // The helper does the same in one call, from any starting point.
    let only = [
        CipherSuite::EcdheRsaAes128GcmSha256,
        CipherSuite::DheRsaAes128GcmSha256,
    ];
    assert_eq!(m.set_enabled_ciphers(&only).unwrap(), only.to_vec());
    assert_eq!(rig.sim.state().ciphers, vec![25, 26]);
}

#[test]
fn power_cycle_loses_state_and_is_reported() {
    let pki = Pki::new("cycle");
    let rig = Rig::new();
    rig.modem.set_verify_mode(VerifyMode::Verify).unwrap();
    rig.modem.load_trust_file(&pki.ca_pem).unwrap();
    let boots = rig.modem.stats().resets;
    rig.modem.restart().unwrap();
    assert_eq!(rig.modem.stats().resets, boots + 1);
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::None);
    assert_eq!(rig.modem.ssl_file_counts().unwrap().trust, 0);
    assert!(rig
        .modem
        .drain_urcs()
        .contains(&l610::Urc::Boot("AT command ready".into())));
}

#[test]
fn profile_is_reapplied_after_a_restart() {
    let pki = Pki::new("profile");
    let rig = Rig::new();
    let profile = l610::TlsProfile::new()
        .trust_file(pki.ca_pem.clone())
        .client_identity(pki.client_cert_pem.clone(), pki.client_key_pem.clone())
        .ciphers(vec![CipherSuite::EcdheRsaAes256GcmSha384]);
    rig.modem.set_profile(profile, true).unwrap();
    let st = rig.sim.state();
    assert_eq!(
        (
            st.verify,
            st.ssl_version,
            st.trust_files,
            st.cert_files,
            st.key_files,
            st.ciphers.clone()
        ),
        (1, 4, 1, 1, 1, vec![5])
    );
    rig.modem.drain_urcs();
    rig.sim.power_cycle();
    let boot = rig.modem.next_urc(std::time::Duration::from_secs(5));
    assert_eq!(boot, Some(l610::Urc::Boot("AT command ready".into())));
    // The next command notices the boot and applies the profile first.
    assert_eq!(rig.modem.ssl_version().unwrap(), SslVersion::Tls1_2);
    let st = rig.sim.state();
    assert_eq!(
        (
            st.verify,
            st.trust_files,
            st.cert_files,
            st.key_files,
            st.ciphers.clone()
        ),
        (1, 1, 1, 1, vec![5])
    );
}

#[test]
fn echo_off_and_lowercase_module_answers_work() {
    let rig = Rig::new();
    rig.modem.set_echo(false).unwrap();
    assert!(!rig.sim.state().echo);
    rig.modem.set_verify_mode(VerifyMode::Verify).unwrap();
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::Verify);
    let id = rig.modem.identify().unwrap();
    assert_eq!(id[0], "Fibocom");
    rig.modem.set_echo(true).unwrap();
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::Verify);
}
