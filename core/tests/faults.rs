//! Each injected fault gives a clear typed error within its timeout, and the next command works.

mod common;

use std::time::{Duration, Instant};

use common::{short_timeouts, Rig};
use l610::{Error, VerifyMode};
use l610_sim::SimConfig;

/// The manual's power-up state (TLS 1.0), which the assertions below read back.
fn rig() -> Rig {
    Rig::with(SimConfig::manual(), short_timeouts())
}

#[test]
fn dropped_final_result_times_out_then_recovers() {
    let rig = rig();
    rig.sim.faults().drop_next_final();
    let start = Instant::now();
    let err = rig.modem.verify_mode().unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::None);
}

#[test]
fn late_answer_is_not_taken_for_the_next_command() {
    let rig = rig();
    rig.modem.set_verify_mode(VerifyMode::Verify).unwrap();
    // Longer than the 800 ms command timeout plus the drain: the answer comes after we gave up.
    rig.sim
        .faults()
        .set_response_delay(Duration::from_millis(1200));
    let err = rig.modem.verify_mode().unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    rig.sim.faults().set_response_delay(Duration::ZERO);
    // The late "+GTSSLMODE: 1 / OK" must not answer this one.
    assert_eq!(rig.modem.ssl_version().unwrap(), l610::SslVersion::Tls1_0);
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::Verify);
}

#[test]
fn garbage_on_the_line_is_survived() {
    let rig = rig();
    rig.sim
        .faults()
        .inject_garbage(b"\x00\xff\x13garbage\r\n\xfe\r\n");
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::None);
    rig.sim.faults().inject_garbage(b"+WEIRD: 1\r\n");
    assert_eq!(rig.modem.ssl_version().unwrap(), l610::SslVersion::Tls1_0);
    assert!(
        !rig.modem.drain_urcs().is_empty(),
        "the garbage lines are kept as URCs, not lost"
    );
}

#[test]
fn spontaneous_reboot_is_a_typed_error_and_state_is_known_lost() {
    let rig = rig();
    rig.modem.set_verify_mode(VerifyMode::Verify).unwrap();
    rig.modem.drain_urcs();
    let resets = rig.modem.stats().resets;
    rig.sim.faults().reboot();
    let boot = rig.modem.next_urc(Duration::from_secs(3));
    assert_eq!(boot, Some(l610::Urc::Boot("AT command ready".into())));
    assert_eq!(rig.modem.stats().resets, resets + 1);
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::None);
}

#[test]
fn reboot_during_a_command_fails_it_with_module_reset() {
    let rig = rig();
    rig.sim
        .faults()
        .set_response_delay(Duration::from_millis(300));
    let faults = rig.sim.faults().clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(100));
        faults.reboot();
    });
    let err = rig.modem.verify_mode().unwrap_err();
    t.join().unwrap();
    assert!(matches!(err, Error::ModuleReset { .. }), "{err:?}");
    rig.sim.faults().set_response_delay(Duration::ZERO);
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::None);
}

#[test]
fn output_in_tiny_chunks_changes_nothing() {
    let pki = common::tls::Pki::new("chunks");
    let rig = rig();
    rig.sim
        .faults()
        .set_chunking(Some((1, Duration::from_micros(200))));
    assert_eq!(rig.modem.ssl_file_counts().unwrap().trust, 0);
    assert_eq!(rig.modem.load_trust_file(&pki.ca_pem).unwrap().trust, 1);
    rig.sim.faults().set_chunking(Some((3, Duration::ZERO)));
    assert_eq!(rig.modem.cipher_support().unwrap().0.values().len(), 31);
}

#[test]
fn prompt_that_never_comes_is_cancelled_with_esc() {
    let pki = common::tls::Pki::new("prompt");
    let rig = rig();
    rig.sim.faults().swallow_next_prompt();
    let err = rig.modem.load_trust_file(&pki.ca_pem).unwrap_err();
    assert!(
        matches!(&err, Error::Timeout { waiting_for, .. } if waiting_for.contains("prompt")),
        "{err:?}"
    );
    assert!(rig.sent().iter().any(|s| s == "\\x1b"), "ESC was sent");
    assert_eq!(
        rig.modem.ssl_file_counts().unwrap().trust,
        0,
        "nothing half-loaded"
    );
    assert_eq!(rig.modem.load_trust_file(&pki.ca_pem).unwrap().trust, 1);
}

#[test]
fn data_mode_idle_timeout_of_the_module() {
    // The module gives up on a silent upload after its idle timeout (12 s; 300 ms here) with
    // ERROR; the driver reports it as such. Simulated by a raw command with no payload bytes.
    let rig = Rig::with(
        SimConfig {
            data_mode_idle_timeout: Duration::from_millis(300),
            ..Default::default()
        },
        short_timeouts(),
    );
    let cmd = l610::Command::new("+GTSSLFILE=\"TRUSTFILE\",100");
    let err = rig.modem.command(&cmd).unwrap_err();
    assert!(matches!(err, Error::AtError { .. }), "{err:?}");
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::None);
}
