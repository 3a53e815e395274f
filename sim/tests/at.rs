//! The AT surface of the virtual module, spoken byte by byte over a real pty.

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::{start, start_default, Host, T};
use l610_sim::{Sim, SimConfig};

const CERT: &[u8] = b"-----BEGIN CERTIFICATE-----\r\nQUJDRA==\r\n-----END CERTIFICATE-----\r\n";
const BOOT: &[u8] = b"\r\nAT command ready\r\n\r\n+SIM READY\r\n";
const KEY: &[u8] = b"-----BEGIN PRIVATE KEY-----\nQUJDRA==\n-----END PRIVATE KEY-----\n";

fn upload(h: &mut Host, kind: &str, data: &[u8]) -> String {
    h.send(format!("AT+GTSSLFILE={kind},{}\r", data.len()).as_bytes());
    h.read_until(b"\r\n> ", T);
    h.send(data);
    h.until_final(T)
}

#[test]
fn raw_pty_exchange_is_exact() {
    let (_sim, mut h) = start_default();
    h.drain(Duration::from_millis(50));
    h.send(b"AT\r");
    assert_eq!(h.read_exact(b"AT\r\r\nOK\r\n".len(), T), b"AT\r\r\nOK\r\n");
}

#[test]
fn boot_lines_then_reopen_path() {
    let sim = Sim::start_pty(SimConfig::default()).unwrap();
    let mut h = Host::open(&sim);
    assert_eq!(h.read_exact(BOOT.len(), T), BOOT);
    drop(h);
    // The module keeps its own hold on the line: closing and reopening the path is fine.
    let mut h = Host::open(&sim);
    assert_eq!(h.at("AT"), "\r\nOK\r\n");
}

#[test]
fn echo_off_and_on() {
    let (sim, mut h) = start_default();
    assert_eq!(h.cmd("ATE0"), "ATE0\r\r\nOK\r\n");
    assert!(!sim.state().echo);
    assert_eq!(h.cmd("AT"), "\r\nOK\r\n");
    assert_eq!(h.cmd("ATE1"), "\r\nOK\r\n");
    assert_eq!(h.cmd("AT"), "AT\r\r\nOK\r\n");

    let (sim, mut h) = start(SimConfig {
        echo: false,
        ..SimConfig::default()
    });
    assert!(!sim.state().echo);
    assert_eq!(h.cmd("AT+CSQ"), "\r\n+CSQ: 24,99\r\n\r\nOK\r\n");
}

#[test]
fn noise_newlines_and_case() {
    let (_sim, mut h) = start_default();
    h.send(b"\xff\x00zz\nat+gtsslmode?\r\n");
    assert_eq!(
        h.until_final(T),
        "at+gtsslmode?\r\r\n+GTSSLMODE: 0\r\n\r\nOK\r\n"
    );
    assert_eq!(h.at("AT+NOPE"), "\r\nERROR\r\n");
    assert_eq!(h.at("AT+GTSSLMODE=2"), "\r\nERROR\r\n");
    assert_eq!(h.at("AT+GTSSLMODE=x"), "\r\nERROR\r\n");
}

#[test]
fn identification_and_network() {
    let (_sim, mut h) = start_default();
    assert_eq!(
        h.at("ATI"),
        "\r\nFibocom\r\n\r\nL610\r\n\r\nRevision: 16000.1208.00.86.02.02 (virtual)\r\n\r\nOK\r\n"
    );
    assert_eq!(
        h.at("AT+COPS?"),
        "\r\n+COPS: 0,0,\"CHINA MOBILE\",7\r\n\r\nOK\r\n"
    );
    assert_eq!(h.at("AT+CFUN?"), "\r\n+CFUN: 1\r\n\r\nOK\r\n");
}

#[test]
fn ssl_defaults_and_forms() {
    let (sim, mut h) = start_default();
    assert_eq!(h.at("AT+GTSSLMODE?"), "\r\n+GTSSLMODE: 0\r\n\r\nOK\r\n");
    assert_eq!(
        h.at("AT+GTSSLMODE=?"),
        "\r\n+GTSSLMODE: (0,1)\r\n\r\nOK\r\n"
    );
    assert_eq!(h.at("AT+GTSSLMODE=1"), "\r\nOK\r\n");
    assert_eq!(h.at("AT+GTSSLMODE?"), "\r\n+GTSSLMODE: 1\r\n\r\nOK\r\n");

    // Hardware reports the undocumented 0 after power-up (negotiate TLS 1.0-1.2).
    assert_eq!(h.at("AT+GTSSLVER?"), "\r\n+GTSSLVER: 0\r\n\r\nOK\r\n");
    assert_eq!(h.at("AT+GTSSLVER=?"), "\r\n+GTSSLVER: (0-4)\r\n\r\nOK\r\n");
    assert_eq!(h.at("AT+GTSSLVER=4"), "\r\nOK\r\n");
    assert_eq!(h.at("AT+GTSSLVER=5"), "\r\nERROR\r\n");
    assert_eq!(h.at("AT+GTSSLVER?"), "\r\n+GTSSLVER: 4\r\n\r\nOK\r\n");

    assert_eq!(h.at("AT+GTSSLCIPHER?"), "\r\nOK\r\n");
    assert_eq!(
        h.at("AT+GTSSLCIPHER=?"),
        "\r\n+GTSSLCIPHER: (1-31),(0-1)\r\n\r\nOK\r\n"
    );
    for id in [25, 5, 6] {
        assert_eq!(h.at(&format!("AT+GTSSLCIPHER={id},1")), "\r\nOK\r\n");
    }
    assert_eq!(h.at("AT+GTSSLCIPHER=6,0"), "\r\nOK\r\n");
    assert_eq!(h.at("AT+GTSSLCIPHER=18,1"), "\r\n+CME ERROR: 4\r\n");
    assert_eq!(h.at("AT+GTSSLCIPHER=18,0"), "\r\nOK\r\n");
    assert_eq!(h.at("AT+GTSSLCIPHER=32,1"), "\r\nERROR\r\n");
    assert_eq!(
        h.at("AT+GTSSLCIPHER?"),
        "\r\n+GTSSLCIPHER: 5,25\r\n\r\nOK\r\n"
    );

    assert_eq!(h.at("AT+GTSSLERR"), "\r\nOK\r\n");
    assert_eq!(h.at("AT+GTSSLERR?"), "\r\nOK\r\n");
    assert_eq!(
        h.at("AT+GTSSLFILE=?"),
        "\r\n+GTSSLFILE: (\"CERTFILE\",\"KEYFILE\",\"TRUSTFILE\"),(4-8192)\r\n\r\nOK\r\n"
    );
    let s = sim.state();
    assert_eq!((s.verify, s.ssl_version, s.ciphers), (1, 4, vec![5, 25]));

    // The manual's power-up state.
    let (_sim, mut h) = start(SimConfig::manual());
    assert_eq!(h.at("AT+GTSSLVER?"), "\r\n+GTSSLVER: 2\r\n\r\nOK\r\n");
}

#[test]
fn ssl_files_and_limits() {
    let (sim, mut h) = start_default();
    assert_eq!(
        h.at("AT+GTSSLFILE?"),
        "\r\n+GTSSLFILE: CERTFILE,0\r\n\r\n+GTSSLFILE: KEYFILE,0\r\n\r\n+GTSSLFILE: TRUSTFILE,0\r\n\r\nOK\r\n"
    );
    assert!(upload(&mut h, "\" CERTFILE\"", CERT).ends_with("\r\nOK\r\n"));
    assert!(upload(&mut h, "\"keyfile\"", KEY).ends_with("\r\nOK\r\n"));
    // At most one CERTFILE and one KEYFILE: refused before the prompt.
    assert_eq!(
        h.cmd("AT+GTSSLFILE=\"CERTFILE\",40"),
        "AT+GTSSLFILE=\"CERTFILE\",40\r\r\nERROR\r\n"
    );
    assert_eq!(h.at("AT+GTSSLFILE=KEYFILE,40"), "\r\nERROR\r\n");
    // A key is not a trust file, bad base64 is not PEM.
    assert!(upload(&mut h, "\"TRUSTFILE\"", KEY).ends_with("\r\nERROR\r\n"));
    let bad = b"-----BEGIN CERTIFICATE-----\nQU*D\n-----END CERTIFICATE-----\n";
    assert!(upload(&mut h, "\"TRUSTFILE\"", bad).ends_with("\r\nERROR\r\n"));
    assert_eq!(h.at("AT+GTSSLFILE=\"TRUSTFILE\",3"), "\r\nERROR\r\n");
    assert_eq!(h.at("AT+GTSSLFILE=\"TRUSTFILE\",8193"), "\r\nERROR\r\n");
    assert_eq!(h.at("AT+GTSSLFILE=\"OTHER\",100"), "\r\nERROR\r\n");
    for _ in 0..40 {
        assert!(upload(&mut h, "\"TRUSTFILE\"", CERT).ends_with("\r\nOK\r\n"));
    }
    assert_eq!(h.at("AT+GTSSLFILE=\"TRUSTFILE\",100"), "\r\nERROR\r\n");
    assert_eq!(
        h.at("AT+GTSSLFILE?"),
        "\r\n+GTSSLFILE: CERTFILE,1\r\n\r\n+GTSSLFILE: KEYFILE,1\r\n\r\n+GTSSLFILE: TRUSTFILE,40\r\n\r\nOK\r\n"
    );
    let s = sim.state();
    assert_eq!((s.cert_files, s.key_files, s.trust_files), (1, 1, 40));
}

#[test]
fn data_mode_idle_timeout_and_esc() {
    let (sim, mut h) = start(SimConfig {
        data_mode_idle_timeout: Duration::from_millis(300),
        ..SimConfig::default()
    });
    h.send(b"AT+GTSSLFILE=\"TRUSTFILE\",100\r");
    h.read_until(b"\r\n> ", T);
    let t0 = Instant::now();
    h.send(&CERT[..10]);
    assert_eq!(h.until_final(T), "\r\nERROR\r\n");
    let waited = t0.elapsed();
    // At least the idle timeout; the upper bound only says it did end (load makes it later).
    assert!(waited >= Duration::from_millis(280) && waited < Duration::from_secs(10));

    // After a visible prompt ESC is data like any byte: 1 of 100 bytes, then the idle timeout.
    h.send(b"AT+GTSSLFILE=\"TRUSTFILE\",100\r");
    h.read_until(b"\r\n> ", T);
    h.send(b"\x1b");
    assert_eq!(h.until_final(T), "\r\nERROR\r\n");

    // ESC right behind the command line, before the prompt could appear.
    sim.faults().set_response_delay(Duration::from_millis(100));
    h.send(b"AT+GTSSLFILE=\"TRUSTFILE\",100\r\x1b");
    assert_eq!(
        h.until_final(T),
        "AT+GTSSLFILE=\"TRUSTFILE\",100\r\r\nERROR\r\n"
    );
    sim.faults().set_response_delay(Duration::ZERO);
    assert_eq!(sim.state().trust_files, 0);
    assert_eq!(h.at("AT"), "\r\nOK\r\n");
}

#[test]
fn cmee_forms() {
    let (_sim, mut h) = start_default();
    assert_eq!(h.at("AT+CMEE?"), "\r\n+CMEE: 1\r\n\r\nOK\r\n");
    assert_eq!(
        h.at("AT+MIPOPEN=1,,\"127.0.0.1\",1,0"),
        "\r\n+CME ERROR: 3\r\n"
    );
    assert_eq!(h.at("AT+CMEE=2"), "\r\nOK\r\n");
    assert_eq!(
        h.at("AT+MIPOPEN=1,,\"127.0.0.1\",1,0"),
        "\r\n+CME ERROR: operation not allowed\r\n"
    );
    assert_eq!(
        h.at("AT+GTSSLCIPHER=17,1"),
        "\r\n+CME ERROR: operation not supported\r\n"
    );
    assert_eq!(h.at("AT+CMEE=0"), "\r\nOK\r\n");
    assert_eq!(h.at("AT+MIPOPEN=1,,\"127.0.0.1\",1,0"), "\r\nERROR\r\n");
    assert_eq!(h.at("AT+CMEE=3"), "\r\nERROR\r\n");
}

#[test]
fn clock_set_and_read() {
    // The manual's module: nobody set the clock and there is no network time.
    let (sim, mut h) = start(SimConfig::manual());
    assert!(h
        .at("AT+CCLK?")
        .starts_with("\r\n+CCLK: \"15/01/01,00:00:0"));
    assert_eq!(h.at("AT+CCLK=\"15/01/23,15:30:36\""), "\r\nOK\r\n");
    assert!(h
        .at("AT+CCLK?")
        .starts_with("\r\n+CCLK: \"15/01/23,15:30:3"));
    assert_eq!(h.at("AT+CCLK=\"24/06/30,23:59:00+32\""), "\r\nOK\r\n");
    let r = h.at("AT+CCLK?");
    assert!(r.starts_with("\r\n+CCLK: \"24/06/30,23:59:0"), "{r}");
    assert!(r.ends_with("+32\"\r\n\r\nOK\r\n"), "{r}");
    // 2024-06-30 23:59 at UTC+8 is 15:59 UTC.
    assert!((sim.state().clock_unix - 1_719_763_140).abs() < 5);
    assert_eq!(h.at("AT+CCLK=\"24/06/31,00:00:00\""), "\r\nERROR\r\n");
    assert_eq!(h.at("AT+CCLK=\"24/06/30,00:00:00-20\""), "\r\nOK\r\n");
    assert!(h.at("AT+CCLK?").contains("-20\""));
}

#[test]
fn mipcall_lifecycle() {
    let (sim, mut h) = start_default();
    assert_eq!(h.at("AT+MIPCALL?"), "\r\n+MIPCALL: 0\r\n\r\nOK\r\n");
    assert_eq!(h.at("AT+MIPCALL=1,\"CMNET\""), "\r\nOK\r\n");
    assert_eq!(h.urc("+MIPCALL: ", T), "+MIPCALL: 10.109.197.168");
    assert!(sim.state().pdp_active);
    assert_eq!(
        h.at("AT+MIPCALL?"),
        "\r\n+MIPCALL: 1,10.109.197.168\r\n\r\nOK\r\n"
    );
    assert_eq!(
        h.at("AT+MIPOPEN?"),
        "\r\n+MIPOPEN: 1,2,3,4,5,6\r\n\r\nOK\r\n"
    );
    assert_eq!(h.at("AT+MIPCLOSE?"), "\r\n+MIPCLOSE: 0\r\n\r\nOK\r\n");
    assert_eq!(h.at("AT+MIPCLOSE=1"), "\r\nERROR\r\n");
    assert_eq!(h.at("AT+MIPSEND=1,5"), "\r\nERROR\r\n");
    // TobudOS waits for `+MIPCALL: 0` before the `OK`.
    assert_eq!(h.at("AT+MIPCALL=0"), "\r\n+MIPCALL: 0\r\n\r\nOK\r\n");
    assert!(!sim.state().pdp_active);

    // The manual's order: `OK`, then the URC.
    let (_sim, mut h) = start(SimConfig::manual());
    h.at("AT+MIPCALL=1");
    h.urc("+MIPCALL: ", T);
    assert_eq!(h.at("AT+MIPCALL=0"), "\r\nOK\r\n");
    assert_eq!(h.urc("+MIPCALL: ", T), "+MIPCALL: 0");
}

#[test]
fn cfun_reset_forgets_everything() {
    let (sim, mut h) = start_default();
    h.at("AT+GTSSLMODE=1");
    h.at("AT+GTSSLCIPHER=5,1");
    upload(&mut h, "\"TRUSTFILE\"", CERT);
    h.at("AT+MIPCALL=1");
    h.urc("+MIPCALL: ", T);
    assert_eq!(h.cmd("ATE0"), "ATE0\r\r\nOK\r\n");
    assert_eq!(h.cmd("AT+CFUN=1,1"), "\r\nOK\r\n");
    assert_eq!(h.read_exact(BOOT.len(), T), BOOT);
    let s = sim.state();
    assert!(s.echo && !s.pdp_active);
    assert_eq!(
        (s.verify, s.ssl_version, s.trust_files, s.boots),
        (0, 0, 0, 2)
    );
    assert!(s.ciphers.is_empty());
    assert_eq!(h.at("AT+GTSSLMODE?"), "\r\n+GTSSLMODE: 0\r\n\r\nOK\r\n");

    sim.power_cycle();
    h.read_until(b"+SIM READY\r\n", T);
    assert_eq!(sim.state().boots, 3);
}

#[test]
fn fault_response_delay_and_dropped_final() {
    let (sim, mut h) = start_default();
    sim.faults().set_response_delay(Duration::from_millis(200));
    h.send(b"AT\r");
    h.read_until(b"AT\r", T);
    assert!(h.drain(Duration::from_millis(120)).is_empty());
    assert_eq!(h.until_final(T), "\r\nOK\r\n");
    sim.faults().set_response_delay(Duration::ZERO);

    sim.faults().drop_next_final();
    h.send(b"AT+CSQ\r");
    let got = h.drain(Duration::from_millis(300));
    assert_eq!(got, b"AT+CSQ\r\r\n+CSQ: 24,99\r\n");
    assert_eq!(h.at("AT"), "\r\nOK\r\n");
}

#[test]
fn fault_garbage_reboot_chunking_prompt() {
    let (sim, mut h) = start_default();
    sim.faults().inject_garbage(b"\x00\xffjunk");
    assert_eq!(h.read_exact(6, T), b"\x00\xffjunk");

    sim.faults().reboot();
    h.read_until(b"\r\nAT command ready\r\n\r\n+SIM READY\r\n", T);
    assert_eq!(sim.state().boots, 2);

    sim.faults()
        .set_chunking(Some((3, Duration::from_millis(20))));
    h.send(b"AT\r");
    let t0 = Instant::now();
    let mut reads = 0;
    let mut got = Vec::new();
    while got.len() < 9 && t0.elapsed() < T {
        let mut b = [0u8; 64];
        if let Ok(n) = h.port.read(&mut b) {
            got.extend_from_slice(&b[..n]);
            reads += 1;
        }
    }
    assert_eq!(got, b"AT\r\r\nOK\r\n");
    assert!(reads >= 3, "{reads} reads");
    assert!(t0.elapsed() >= Duration::from_millis(40));
    sim.faults().set_chunking(None);

    sim.faults().swallow_next_prompt();
    h.send(b"AT+GTSSLFILE=\"TRUSTFILE\",100\r");
    h.read_until(b"AT+GTSSLFILE=\"TRUSTFILE\",100\r", T);
    assert!(h.drain(Duration::from_millis(200)).is_empty());
    h.send(b"\x1b");
    assert_eq!(h.until_final(T), "\r\nERROR\r\n");
}

#[test]
fn in_memory_module() {
    let (sim, mut host) = Sim::start_in_memory(SimConfig::default()).unwrap();
    assert!(sim.pty_path().is_none());
    host.set_read_timeout(Some(T)).unwrap();
    let mut buf = vec![0u8; BOOT.len()];
    host.read_exact(&mut buf).unwrap();
    host.write_all(b"AT+GTSSLVER?\r").unwrap();
    let want = b"AT+GTSSLVER?\r\r\n+GTSSLVER: 0\r\n\r\nOK\r\n";
    let mut buf = vec![0u8; want.len()];
    host.read_exact(&mut buf).unwrap();
    assert_eq!(buf, want);
    sim.stop();
    // The module's end is closed once it stops.
    assert_eq!(host.read(&mut [0u8; 8]).unwrap(), 0);
}

#[test]
fn line_rate_is_emulated() {
    let (_sim, mut h) = start(SimConfig {
        baud: Some(9600),
        ..SimConfig::default()
    });
    // ATI: 2 + 6 echo... measure a long response: 40 trust files is slow; use ATI a few times.
    h.drain(Duration::from_millis(100));
    let t0 = Instant::now();
    let mut total = 0;
    for _ in 0..3 {
        total += h.cmd("ATI").len();
    }
    let secs = t0.elapsed().as_secs_f64();
    let rate = total as f64 / secs;
    // Never faster than the line; load can only slow it (closeness is BENCHMARKS.md's).
    assert!(rate < 960.0 * 1.1, "{rate} B/s");
}
