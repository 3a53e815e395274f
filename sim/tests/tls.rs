//! Real TCP and TLS sockets behind `+MIPOPEN`, against `openssl s_server` and a TCP echo
//! server, with certificates made by the test.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use common::{start_default, Host, T};

const LONG: Duration = Duration::from_secs(15);

struct Pki {
    dir: PathBuf,
}

impl Pki {
    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_string()
    }
    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.join(name)).unwrap()
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{:?}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA and a server certificate it signed, valid from today.
fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("l610-sim-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        openssl(
            &dir,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "30",
                "-subj",
                "/CN=Test CA",
            ],
        );
        openssl(
            &dir,
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "srv.key",
                "-out",
                "srv.csr",
                "-subj",
                "/CN=localhost",
            ],
        );
        openssl(
            &dir,
            &[
                "x509",
                "-req",
                "-in",
                "srv.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "srv.pem",
                "-days",
                "30",
            ],
        );
        openssl(
            &dir,
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "cli.key",
                "-out",
                "cli.csr",
                "-subj",
                "/CN=module",
            ],
        );
        openssl(
            &dir,
            &[
                "x509",
                "-req",
                "-in",
                "cli.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "cli.pem",
                "-days",
                "30",
            ],
        );
        Pki { dir }
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `openssl s_server -rev` (echoes each line reversed), killed on drop. Its stdout and
/// stderr are collected so a test can see the negotiated protocol and cipher.
struct Server {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let pki = pki();
        let port = free_port();
        let mut child = Command::new("openssl")
            .args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-cert"])
            .arg(pki.path("srv.pem"))
            .arg("-key")
            .arg(pki.path("srv.key"))
            .args(["-rev", "-naccept", "1"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let log = log.clone();
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if line.contains("ACCEPT") {
                        let _ = tx.send(());
                    }
                    let mut l = log.lock().unwrap();
                    l.push_str(&line);
                    l.push('\n');
                }
            });
        }
        rx.recv_timeout(LONG).expect("s_server did not start");
        Server { child, port, log }
    }

    fn log_contains(&self, s: &str, timeout: Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < deadline {
            if self.log.lock().unwrap().contains(s) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn upload(h: &mut Host, kind: &str, data: &[u8]) {
    h.send(format!("AT+GTSSLFILE=\"{kind}\",{}\r", data.len()).as_bytes());
    h.read_until(b"\r\n> ", T);
    h.send(data);
    assert!(h.until_final(T).ends_with("\r\nOK\r\n"));
}

fn now_cclk() -> String {
    let out = Command::new("date")
        .args(["-u", "+%y/%m/%d,%H:%M:%S"])
        .output()
        .unwrap();
    format!(
        "AT+CCLK=\"{}\"",
        String::from_utf8(out.stdout).unwrap().trim()
    )
}

fn online(h: &mut Host) {
    assert_eq!(h.at("AT+MIPCALL=1"), "\r\nOK\r\n");
    h.urc("+MIPCALL: ", T);
}

fn open(h: &mut Host, id: u8, port: u16, proto: u8) -> String {
    assert_eq!(
        h.at(&format!("AT+MIPOPEN={id},,\"127.0.0.1\",{port},{proto}")),
        "\r\nOK\r\n"
    );
    h.urc(&format!("+MIPOPEN: {id},"), LONG)
}

fn send(h: &mut Host, id: u8, data: &[u8]) {
    h.send(format!("AT+MIPSEND={id},{}\r", data.len()).as_bytes());
    h.read_until(b"\r\n> ", T);
    h.send(data);
    let r = h.until_final(T);
    // The hardware's order and free size.
    assert!(
        r.ends_with(&format!(
            "\r\n+MIPPUSH: {id},0\r\n\r\n+MIPSEND: {id},0,2048\r\n\r\nOK\r\n"
        )),
        "{r:?}"
    );
}

#[test]
fn verified_tls_round_trip_both_formats() {
    let server = Server::start(&["-tls1_2"]);
    let (sim, mut h) = start_default();
    online(&mut h);
    h.at("AT+GTSSLMODE=1");
    h.at("AT+GTSSLVER=4");
    upload(&mut h, "TRUSTFILE", &pki().read("ca.pem"));
    assert_eq!(h.at(&now_cclk()), "\r\nOK\r\n");
    assert_eq!(open(&mut h, 1, server.port, 2), "+MIPOPEN: 1,1");
    assert_eq!(sim.state().open_sockets, vec![1]);
    assert_eq!(h.at("AT+MIPOPEN?"), "\r\n+MIPOPEN: 2,3,4,5,6\r\n\r\nOK\r\n");
    assert_eq!(h.at("AT+MIPCLOSE?"), "\r\n+MIPCLOSE: 1\r\n\r\nOK\r\n");

    send(&mut h, 1, b"hello\n");
    let urc = h.urc("+MIPRTCP: 1,", T);
    assert!(urc.ends_with(",6F6C6C65680A"), "{urc}");

    assert_eq!(h.at("AT+GTSET=\"IPRFMT\",2"), "\r\nOK\r\n");
    send(&mut h, 1, b"abc\n");
    h.read_until(b"\r\n+MIPRTCP: 1,", T);
    let mut got = Vec::new();
    while got.len() < 4 {
        let head = String::from_utf8(h.read_until(b",", T)).unwrap();
        let n: usize = head.trim_end_matches(',').parse().unwrap();
        got.extend(h.read_exact(n, T));
        assert_eq!(h.read_exact(2, T), b"\r\n");
        if got.len() < 4 {
            h.read_until(b"\r\n+MIPRTCP: 1,", T);
        }
    }
    // Raw bytes, the line terminator included.
    assert_eq!(got, b"cba\n");

    assert_eq!(h.at("AT+MIPCLOSE=1"), "\r\nOK\r\n");
    // Hardware (RT-Thread's expectation) after the host closed; the manual shows `1,1`.
    assert_eq!(h.urc("+MIPCLOSE: ", T), "+MIPCLOSE: 1,0");
    assert!(sim.state().open_sockets.is_empty());
    assert_eq!(h.at("AT+GTSSLERR?"), "\r\nOK\r\n");
    assert!(server.log_contains("Protocol version: TLSv1.2", T));
}

#[test]
fn verify_without_trust_file_is_11() {
    let server = Server::start(&[]);
    let (sim, mut h) = start_default();
    online(&mut h);
    h.at("AT+GTSSLMODE=1");
    assert_eq!(open(&mut h, 1, server.port, 2), "+MIPOPEN: 1,0");
    assert_eq!(h.at("AT+GTSSLERR?"), "\r\n+GTSSLERR: -11\r\n\r\nOK\r\n");
    assert_eq!(sim.state().last_ssl_error, -11);
    assert_eq!(
        h.at("AT+MIPOPEN?"),
        "\r\n+MIPOPEN: 1,2,3,4,5,6\r\n\r\nOK\r\n"
    );
}

#[test]
fn clock_in_2015_fails_verification() {
    let server = Server::start(&[]);
    // The manual's module: no network time, so the clock stays at 2015 (example 3).
    let (_sim, mut h) = common::start(l610_sim::SimConfig::manual());
    online(&mut h);
    h.at("AT+GTSSLMODE=1");
    h.at("AT+GTSSLVER=0");
    upload(&mut h, "TRUSTFILE", &pki().read("ca.pem"));
    assert_eq!(open(&mut h, 2, server.port, 2), "+MIPOPEN: 2,0");
    assert_eq!(h.at("AT+GTSSLERR"), "\r\n+GTSSLERR: -11\r\n\r\nOK\r\n");
}

#[test]
fn tls_1_1_on_request() {
    let server = Server::start(&["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]);
    let (_sim, mut h) = start_default();
    online(&mut h);
    h.at("AT+GTSSLVER=3");
    assert_eq!(open(&mut h, 1, server.port, 2), "+MIPOPEN: 1,1");
    assert!(server.log_contains("Protocol version: TLSv1.1", T));
}

#[test]
fn version_mismatch_is_7() {
    let server = Server::start(&["-tls1_2"]);
    let (_sim, mut h) = common::start(l610_sim::SimConfig::manual());
    online(&mut h);
    // The manual's default TLS 1.0 against a TLS 1.2-only server.
    assert_eq!(open(&mut h, 1, server.port, 2), "+MIPOPEN: 1,0");
    assert_eq!(h.at("AT+GTSSLERR"), "\r\n+GTSSLERR: -7\r\n\r\nOK\r\n");
}

#[test]
fn one_cipher_is_what_the_server_sees() {
    let server = Server::start(&[]);
    let (_sim, mut h) = start_default();
    online(&mut h);
    h.at("AT+GTSSLVER=4");
    h.at("AT+GTSSLCIPHER=13,1");
    assert_eq!(open(&mut h, 1, server.port, 2), "+MIPOPEN: 1,1");
    assert!(server.log_contains("Ciphersuite: ECDHE-RSA-AES256-SHA\n", T));
    assert!(server.log_contains("Client cipher list: ECDHE-RSA-AES256-SHA:", T));
}

#[test]
fn refused_and_silent_servers() {
    let (sim, mut h) = {
        let config = l610_sim::SimConfig {
            handshake_timeout: Duration::from_millis(500),
            ..Default::default()
        };
        common::start(config)
    };
    online(&mut h);
    let closed = free_port();
    assert_eq!(open(&mut h, 1, closed, 2), "+MIPOPEN: 1,0");
    assert_eq!(h.at("AT+GTSSLERR"), "\r\n+GTSSLERR: -4\r\n\r\nOK\r\n");

    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    assert_eq!(open(&mut h, 1, port, 2), "+MIPOPEN: 1,0");
    assert_eq!(h.at("AT+GTSSLERR"), "\r\n+GTSSLERR: -8\r\n\r\nOK\r\n");

    // Accepts, then hangs up mid-handshake.
    let rude = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = rude.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (mut s, _) = rude.accept().unwrap();
        let _ = s.read(&mut [0u8; 16]);
    });
    assert_eq!(open(&mut h, 1, port, 2), "+MIPOPEN: 1,0");
    assert_eq!(h.at("AT+GTSSLERR"), "\r\n+GTSSLERR: -9\r\n\r\nOK\r\n");
    assert_eq!(sim.state().last_ssl_error, -9);
}

fn echo_server() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut buf = [0u8; 4096];
        loop {
            match s.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if s.write_all(&buf[..n]).is_err() {
                        return;
                    }
                }
            }
        }
    });
    port
}

#[test]
fn tcp_echo_and_peer_close() {
    let (sim, mut h) = start_default();
    online(&mut h);
    let port = echo_server();
    assert_eq!(open(&mut h, 3, port, 0), "+MIPOPEN: 3,1");
    // 3000 bytes come back as hex URCs of at most 1460 bytes each.
    let data: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
    let mut got = Vec::new();
    for part in [&data[..2000], &data[2000..]] {
        send(&mut h, 3, part);
        let want = got.len() + part.len();
        while got.len() < want {
            let urc = h.urc("+MIPRTCP: 3,", T);
            let hex = urc.rsplit(',').next().unwrap();
            let chunk = hex::decode(hex).unwrap();
            assert!(chunk.len() <= 1460);
            got.extend(chunk);
        }
    }
    assert_eq!(got, data);

    // Peer closes: a plain TCP listener that closes right after accepting.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        s.write_all(b"bye").unwrap();
    });
    assert_eq!(open(&mut h, 4, port, 0), "+MIPOPEN: 4,1");
    let urc = h.urc("+MIPRTCP: 4,", T);
    assert!(urc.ends_with(",627965"), "{urc}");
    assert_eq!(h.urc("+MIPSTAT: ", T), "+MIPSTAT: 4,2");
    assert_eq!(sim.state().open_sockets, vec![3]);
}

#[test]
fn binary_round_trip_is_fast() {
    let (_sim, mut h) = start_default();
    online(&mut h);
    h.at("AT+GTSET=\"IPRFMT\",2");
    let port = echo_server();
    assert_eq!(open(&mut h, 1, port, 0), "+MIPOPEN: 1,1");
    let data: Vec<u8> = (0..256 * 1024u32).map(|i| (i * 7 % 256) as u8).collect();
    let t0 = std::time::Instant::now();
    let mut got = Vec::new();
    for chunk in data.chunks(2048) {
        h.send(format!("AT+MIPSEND=1,{}\r", chunk.len()).as_bytes());
        // URCs may come before the prompt; collect them as we go.
        loop {
            let pos = find_prompt(&h.buf);
            if let Some(p) = pos {
                let head: Vec<u8> = h.buf.drain(..p + 4).collect();
                parse_raw_urcs(&head, &mut got);
                break;
            }
            let mut b = [0u8; 8192];
            if let Ok(n) = h.port.read(&mut b) {
                h.buf.extend_from_slice(&b[..n]);
            }
        }
        h.send(chunk);
        let r = h.until_final_raw(T);
        parse_raw_urcs(&r, &mut got);
    }
    let _ = TcpStream::connect(("127.0.0.1", port));
    // The echo's tail may still be on its way on a busy machine: collect until complete (a URC
    // is never split across drains, since the module emits each one whole after a quiet gap).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut rest = Vec::new();
    loop {
        rest.extend(h.drain(Duration::from_millis(300)));
        let mut tail = Vec::new();
        parse_raw_urcs(&rest, &mut tail);
        if got.len() + tail.len() >= data.len() || std::time::Instant::now() > deadline {
            got.extend(tail);
            break;
        }
    }
    assert_eq!(got.len(), data.len());
    assert_eq!(got, data);
    assert!(t0.elapsed() < Duration::from_secs(20), "{:?}", t0.elapsed());
}

fn find_prompt(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n> ")
}

/// Pulls IPRFMT 2 payloads out of a byte run (payload is length-framed).
fn parse_raw_urcs(mut bytes: &[u8], got: &mut Vec<u8>) {
    const HEAD: &[u8] = b"\r\n+MIPRTCP: 1,";
    while let Some(p) = bytes.windows(HEAD.len()).position(|w| w == HEAD) {
        bytes = &bytes[p + HEAD.len()..];
        let Some(comma) = bytes.iter().position(|&b| b == b',') else {
            return;
        };
        let n: usize = std::str::from_utf8(&bytes[..comma])
            .unwrap()
            .parse()
            .unwrap();
        if bytes.len() < comma + 1 + n + 2 {
            return;
        }
        got.extend_from_slice(&bytes[comma + 1..comma + 1 + n]);
        bytes = &bytes[comma + 1 + n + 2..];
    }
}

#[test]
fn line_rate_at_921600_is_accurate() {
    let (_sim, mut h) = common::start(l610_sim::SimConfig {
        baud: Some(921_600),
        ..Default::default()
    });
    online(&mut h);
    h.at("AT+GTSET=\"IPRFMT\",2");
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        s.write_all(&vec![0x55u8; 184_320]).unwrap();
        std::thread::sleep(Duration::from_secs(5));
    });
    assert_eq!(open(&mut h, 1, port, 0), "+MIPOPEN: 1,1");
    let t0 = std::time::Instant::now();
    let mut bytes = h.buf.len();
    let mut got = Vec::new();
    let mut all = std::mem::take(&mut h.buf);
    while got.len() < 184_320 && t0.elapsed() < LONG {
        let mut b = [0u8; 16384];
        if let Ok(n) = h.port.read(&mut b) {
            bytes += n;
            all.extend_from_slice(&b[..n]);
            got.clear();
            parse_raw_urcs(&all, &mut got);
        }
    }
    let rate = bytes as f64 / t0.elapsed().as_secs_f64();
    assert_eq!(got.len(), 184_320);
    // Never faster than the line (a loaded machine can only make it slower, so this bound is
    // safe to assert); how close it gets to the ceiling is a benchmark figure
    // (`cargo bench -p l610 --bench throughput`, BENCHMARKS.md), not a test.
    assert!(rate < 92_160.0 * 1.05, "{rate} B/s");
}

#[test]
fn two_way_authentication() {
    let pki = pki();
    let ca = pki.path("ca.pem");
    let server = Server::start(&["-Verify", "1", "-CAfile", &ca, "-tls1_2"]);
    let (_sim, mut h) = start_default();
    online(&mut h);
    h.at("AT+GTSSLVER=4");
    upload(&mut h, " CERTFILE", &pki.read("cli.pem"));
    upload(&mut h, "KEYFILE", &pki.read("cli.key"));
    assert_eq!(open(&mut h, 1, server.port, 2), "+MIPOPEN: 1,1");
    // s_server prints the client certificate it accepted.
    assert!(server.log_contains("module", T));

    // Without a client certificate the server's alert ends the handshake: -7.
    let server = Server::start(&["-Verify", "1", "-CAfile", &ca, "-tls1_2"]);
    let (_sim, mut h) = start_default();
    online(&mut h);
    h.at("AT+GTSSLVER=4");
    assert_eq!(open(&mut h, 1, server.port, 2), "+MIPOPEN: 1,0");
    assert_eq!(h.at("AT+GTSSLERR"), "\r\n+GTSSLERR: -7\r\n\r\nOK\r\n");
}

#[test]
fn bare_base64_trust_file_fails_verified_opens_with_19() {
    let server = Server::start(&["-tls1_2"]);
    let (sim, mut h) = start_default();
    online(&mut h);
    // The CA without its PEM header lines, as a host that strips them uploads it.
    let pem = String::from_utf8(pki().read("ca.pem")).unwrap();
    let bare: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(|l| format!("{l}\r\n"))
        .collect();
    upload(&mut h, "TRUSTFILE", bare.as_bytes());
    assert_eq!(sim.state().trust_files, 1);
    assert_eq!(open(&mut h, 1, server.port, 2), "+MIPOPEN: 1,1");
    assert_eq!(h.at("AT+MIPCLOSE=1"), "\r\nOK\r\n");
    h.urc("+MIPCLOSE: ", T);
    // Verification reads the trust files: every verified open fails, even with a good CA
    // loaded after it, until a power cycle.
    h.at("AT+GTSSLMODE=1");
    upload(&mut h, "TRUSTFILE", &pki().read("ca.pem"));
    let server = Server::start(&["-tls1_2"]);
    assert_eq!(h.at(&now_cclk()), "\r\nOK\r\n");
    assert_eq!(open(&mut h, 1, server.port, 2), "+MIPOPEN: 1,0");
    assert_eq!(h.at("AT+GTSSLERR"), "\r\n+GTSSLERR: -19\r\n\r\nOK\r\n");
}
