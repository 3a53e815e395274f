//! What a person reads when something goes wrong, and what a profile says it did (issue 12):
//! the texts every binding reports as they are.

mod common;

use std::time::Duration;

use common::tls::{Pki, Server};
use common::Rig;
use l610::{Error, FileType, Modem, SslErrorCode, TlsProfile};
use l610_sim::SimConfig;

/// A pty nobody answers on: the timeout names the port, the baud rate, the whole time waited
/// and what to check (it said "after 1s" with no port after waiting 3 s).
#[test]
fn a_silent_port_names_itself_and_what_to_check() {
    let (_master, slave) = serialport::TTYPort::pair().expect("pty pair");
    let path = serialport::SerialPort::name(&slave).unwrap();
    let e = Modem::builder()
        .quiet_period(Duration::from_millis(20))
        .open(&path, 9600)
        .unwrap_err();
    let text = e.to_string();
    let Error::Timeout { after, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(*after >= Duration::from_secs(3), "{after:?}");
    assert!(text.contains(&format!("{path} at 9600 baud")), "{text}");
    assert!(
        text.contains("3 tries") && text.contains("AT port"),
        "{text}"
    );
    assert_eq!(e.errno(), Some(110));
}

#[test]
fn a_missing_port_is_not_found_with_a_hint() {
    let e = Modem::open("/dev/ttyNOSUCHPORT", 115200).unwrap_err();
    assert!(matches!(e, Error::Port { .. }), "{e:?}");
    assert_eq!(e.errno(), Some(2));
    assert!(e.to_string().contains("is the module plugged in"), "{e}");
}

#[test]
fn open_before_the_pdp_context_says_activate_pdp() {
    let rig = Rig::new();
    for e in [
        rig.modem.open_tls("127.0.0.1", 4433).unwrap_err(),
        rig.modem.open_tcp("127.0.0.1", 4433).unwrap_err(),
    ] {
        assert!(matches!(e, Error::ConnectionFailed(_)), "{e:?}");
        let text = e.to_string();
        assert!(text.contains("activate_pdp"), "{text}");
        assert!(text.contains("+CME ERROR: 3"), "{text}");
    }
}

#[test]
fn a_failed_tcp_open_says_what_to_check() {
    let rig = Rig::new();
    rig.modem.activate_pdp(&Default::default()).unwrap();
    let port = common::tls::free_port();
    let e = rig.modem.open_tcp("127.0.0.1", port).unwrap_err();
    let text = e.to_string();
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(text.contains("nothing listening"), "{text}");
    assert!(text.contains("PDP context is active"), "{text}");
}

/// The manual's module starts at TLS 1.0, which a default `openssl s_server` refuses: -7 names
/// the module's version and the fix.
#[test]
fn minus_7_names_the_modules_version() {
    let pki = Pki::new("hints-v");
    let server = Server::start(&pki, &["-cipher", "DEFAULT"]);
    let rig = Rig::with(SimConfig::manual(), Modem::builder());
    rig.modem.activate_pdp(&Default::default()).unwrap();
    rig.modem.set_verify_mode(l610::VerifyMode::None).unwrap();
    let e = rig.modem.open_tls("127.0.0.1", server.port).unwrap_err();
    let Error::Ssl { code, diagnosis } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*code, SslErrorCode::ProtocolError);
    assert!(diagnosis.contains("TLS 1.0 (AT+GTSSLVER=2)"), "{diagnosis}");
    assert!(diagnosis.contains("set_ssl_version"), "{diagnosis}");
}

/// `AT` optional, the command's own information lines returned (`+CSQ` returned nothing).
#[test]
fn line_command_returns_the_commands_own_lines() {
    let rig = Rig::new();
    for line in ["AT+CSQ", "at+csq", "+CSQ", " +CSQ "] {
        let cmd = Modem::line_command(line);
        assert_eq!(cmd.line().to_ascii_uppercase(), "AT+CSQ", "{line}");
        let r = rig.modem.command(&cmd).unwrap();
        assert_eq!(r.to_lines(), ["+CSQ: 24,99"], "{line}");
    }
    let r = rig.modem.command(&Modem::line_command("ATI")).unwrap();
    assert!(!r.is_empty());
    let r = rig
        .modem
        .command(&Modem::line_command("+GTSSLVER?"))
        .unwrap();
    assert_eq!(r.to_lines(), ["+GTSSLVER: 0"]);
}

/// A profile reports what it uploaded and skipped; the same CA applied again is not uploaded
/// again (it used up the 40 slots); a file this driver did not load is reported, and a profile
/// that cannot fit is refused before anything is uploaded, naming the power cycle.
#[test]
fn profiles_tell_the_truth() {
    let pki = Pki::new("hints-p");
    let rig = Rig::new();
    let profile = TlsProfile::new().trust_file(pki.ca_pem.clone());
    let first = rig.modem.set_profile(profile.clone(), false).unwrap();
    assert_eq!((first.uploaded(), first.skipped()), (1, 0), "{first}");
    assert!(
        first.to_string().starts_with("uploaded TRUSTFILE #0"),
        "{first}"
    );
    let again = rig.modem.apply_profile(&profile).unwrap();
    assert_eq!((again.uploaded(), again.skipped()), (0, 1), "{again}");
    assert!(again.to_string().contains("already loaded"), "{again}");
    assert_eq!(rig.modem.ssl_file_counts().unwrap().trust, 1);
    // A file loaded with the single-file call counts as this driver's.
    let extra = pki.other_ca_pem();
    rig.modem.load_trust_file(&extra).unwrap();
    let with_extra = profile.clone().trust_file(extra.clone());
    let r = rig.modem.apply_profile(&with_extra).unwrap();
    assert_eq!((r.uploaded(), r.foreign.trust), (0, 0), "{r}");

    // A client certificate loaded behind the driver's back (a raw command): foreign.
    let raw = l610::proto::commands::load_file(FileType::CertFile, &pki.client_cert_pem).unwrap();
    rig.modem.command(&raw).unwrap();
    let other = l610::proto::commands::load_file(FileType::TrustFile, &pki.ca_der).unwrap();
    rig.modem.command(&other).unwrap();
    let report = rig.modem.apply_profile(&profile).unwrap();
    assert_eq!(report.foreign.trust, 1, "{report}");
    assert_eq!(report.foreign.cert, 1, "{report}");
    assert!(report.to_string().contains("did not load"), "{report}");
    let with_identity = profile
        .clone()
        .client_identity(pki.client_cert_pem.clone(), pki.client_key_pem.clone());
    let e = rig.modem.apply_profile(&with_identity).unwrap_err();
    assert!(matches!(e, Error::LimitReached(_)), "{e:?}");
    assert!(e.to_string().contains("power-cycle"), "{e}");
    assert_eq!(
        rig.modem.ssl_file_counts().unwrap().key,
        0,
        "nothing uploaded"
    );

    // After a power cycle everything is uploaded again.
    // (The boot line printed when the module started may still be queued: drop it first, so
    // the boot awaited is the power cycle's.)
    rig.modem.drain_urcs();
    rig.sim.power_cycle();
    assert!(matches!(
        rig.modem.next_urc(Duration::from_secs(5)),
        Some(l610::Urc::Boot(_))
    ));
    let after = rig.modem.reapply_profile().unwrap();
    assert_eq!(after.uploaded(), 1, "{after}");
    assert_eq!(
        after.foreign,
        l610::FileCounts {
            cert: 0,
            key: 0,
            trust: 0
        }
    );
}
