//! End to end against `openssl s_server` (a TLS server we did not write) through the virtual L610,
//! which does real TLS: the manual's examples 1–6, a version and a cipher matrix, 1 MiB echoed in
//! both receive formats, peer close, a silent server, the wrong CA, client auth without a cert.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::tls::{Pki, Server};
use common::Rig;
use l610::{
    CipherSuite, Error, OpenOptions, Protocol, ReceiveFormat, SslErrorCode, SslVersion, VerifyMode,
};
use l610_sim::SimConfig;

fn online() -> Rig {
    online_with(l610_sim::SimConfig::default())
}

fn online_with(config: l610_sim::SimConfig) -> Rig {
    let rig = Rig::with(config, l610::Modem::builder());
    rig.modem.activate_pdp(&Default::default()).unwrap();
    rig
}

fn no_clock_check() -> OpenOptions {
    OpenOptions {
        check_clock: false,
        ..Default::default()
    }
}

fn ssl_code(e: Error) -> (SslErrorCode, String) {
    match e {
        Error::Ssl { code, diagnosis } => (code, diagnosis),
        other => panic!("expected an SSL error, got {other:?}"),
    }
}

/// Read until `needle` shows up in what the socket received.
fn read_until(sock: &mut l610::Socket, needle: &str) -> String {
    sock.set_read_timeout(Some(Duration::from_secs(10)));
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains(needle) {
        let n = sock.read(&mut buf).expect("data before the timeout");
        assert!(
            n > 0,
            "closed before {needle:?}; got {:?}",
            String::from_utf8_lossy(&got)
        );
        got.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&got).into_owned()
}

#[test]
fn example_1_no_verification() {
    let pki = Pki::new("e1");
    let server = Server::start(&pki, &[]);
    let rig = online();
    assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::None);
    let sock = rig.modem.open_tls("127.0.0.1", server.port).unwrap();
    assert_eq!(sock.id(), 1);
    assert_eq!(rig.modem.open_socket_ids().unwrap(), vec![1]);
    sock.close().unwrap();
    assert_eq!(rig.modem.open_socket_ids().unwrap(), Vec::<u8>::new());
    assert_eq!(rig.modem.free_socket_ids().unwrap(), vec![1, 2, 3, 4, 5, 6]);
}

#[test]
fn examples_2_3_4_trust_file_and_clock() {
    let pki = Pki::new("e234");
    let server = Server::start(&pki, &[]);
    // The manual's module has no network time: its clock is wrong until set (example 3).
    let rig = online_with(l610_sim::SimConfig::manual());
    let m = &rig.modem;
    m.set_verify_mode(VerifyMode::Verify).unwrap();
    // 2: no trust file.
    let (code, why) = ssl_code(
        m.open_socket(Protocol::Tls, "127.0.0.1", server.port, &no_clock_check())
            .unwrap_err(),
    );
    assert_eq!(
        (code, why.contains("no trust file")),
        (SslErrorCode::CertificateValidationFailed, true),
        "{why}"
    );
    // 3: trust file, but the module clock is in 2015. The driver says so before connecting...
    m.load_trust_file(&pki.ca_pem).unwrap();
    let err = m.open_tls("127.0.0.1", server.port).unwrap_err();
    assert!(
        matches!(&err, Error::ClockSkew { module, .. } if module.starts_with("2015")),
        "{err:?}"
    );
    // ... and when told to connect anyway the module fails with -11, diagnosed as the clock.
    let (code, why) = ssl_code(
        m.open_socket(Protocol::Tls, "127.0.0.1", server.port, &no_clock_check())
            .unwrap_err(),
    );
    assert_eq!(code, SslErrorCode::CertificateValidationFailed);
    assert!(
        why.contains("certificate not valid at the module's clock, 2015-01-01"),
        "{why}"
    );
    // 4: set the clock; the verified connection succeeds.
    m.set_clock_from_host().unwrap();
    let mut sock = m.open_tls("127.0.0.1", server.port).unwrap();
    sock.write_all(b"hello through the module\n").unwrap();
    assert!(
        server.wait_for("hello through the module", Duration::from_secs(10)),
        "{}",
        server.output()
    );
    sock.close().unwrap();
}

#[test]
fn example_5_two_way_authentication_and_pushed_data() {
    let pki = Pki::new("e5");
    let mut server = Server::start(&pki, &["-Verify", "1"]);
    let rig = online();
    let m = &rig.modem;
    m.load_cert_file(&pki.client_cert_pem).unwrap();
    m.load_key_file(&pki.client_key_pem).unwrap();
    let mut sock = m.open_tls("127.0.0.1", server.port).unwrap();
    assert!(
        server.wait_for("l610 client", Duration::from_secs(10)),
        "server saw the client certificate: {}",
        server.output()
    );
    // The server pushes lines like the manual's date server; they arrive as hex +MIPRTCP.
    server.send("Wed Jan 21 15:58:04 MSK 2015\nWed Jan 21 15:58:05 MSK 2015\n");
    let got = read_until(&mut sock, "15:58:05");
    assert!(got.starts_with("Wed Jan 21 15:58:04 MSK 2015\n"), "{got}");
    assert!(rig.transcript().contains("+MIPRTCP: 1,"));
}

#[test]
fn client_auth_required_but_no_client_certificate() {
    let pki = Pki::new("noclient");
    let server = Server::start(&pki, &["-Verify", "1"]);
    let rig = online();
    let (code, _) = ssl_code(rig.modem.open_tls("127.0.0.1", server.port).unwrap_err());
    assert!(
        matches!(
            code,
            SslErrorCode::ProtocolError | SslErrorCode::ClosedByServer
        ),
        "{code:?}"
    );
}

#[test]
fn example_6_cipher_restriction_is_what_the_server_negotiates() {
    let pki = Pki::new("e6");
    let server = Server::start(&pki, &[]);
    let rig = online();
    rig.modem.set_ssl_version(SslVersion::Tls1_2).unwrap();
    let six: Vec<CipherSuite> = (1..=6).map(|i| CipherSuite::from_id(i).unwrap()).collect();
    rig.modem.set_enabled_ciphers(&six).unwrap();
    for id in [1, 2, 3, 4, 6] {
        rig.modem
            .set_cipher(CipherSuite::from_id(id).unwrap(), false)
            .unwrap();
    }
    assert_eq!(
        rig.modem.enabled_ciphers().unwrap(),
        vec![CipherSuite::EcdheRsaAes256GcmSha384]
    );
    let sock = rig.modem.open_tls("127.0.0.1", server.port).unwrap();
    assert!(
        server.wait_for("ECDHE-RSA-AES256-GCM-SHA384", Duration::from_secs(10)),
        "{}",
        server.output()
    );
    sock.close().unwrap();
}

/// OpenSSL's name for each suite the virtual module can offer (17–19 have none).
fn openssl_name(s: CipherSuite) -> Option<&'static str> {
    Some(match s.id() {
        1 => "ECDHE-RSA-CHACHA20-POLY1305",
        2 => "ECDHE-ECDSA-CHACHA20-POLY1305",
        3 => "DHE-RSA-CHACHA20-POLY1305",
        4 => "ECDHE-ECDSA-AES256-GCM-SHA384",
        5 => "ECDHE-RSA-AES256-GCM-SHA384",
        6 => "DHE-RSA-AES256-GCM-SHA384",
        7 => "ECDHE-ECDSA-AES256-CCM",
        8 => "DHE-RSA-AES256-CCM",
        9 => "ECDHE-ECDSA-AES256-SHA384",
        10 => "ECDHE-RSA-AES256-SHA384",
        11 => "DHE-RSA-AES256-SHA256",
        12 => "ECDHE-ECDSA-AES256-SHA",
        13 => "ECDHE-RSA-AES256-SHA",
        14 => "DHE-RSA-AES256-SHA",
        15 => "ECDHE-ECDSA-AES256-CCM8",
        16 => "DHE-RSA-AES256-CCM8",
        20 => "ECDHE-ECDSA-CAMELLIA256-SHA384",
        21 => "ECDHE-RSA-CAMELLIA256-SHA384",
        22 => "DHE-RSA-CAMELLIA256-SHA256",
        23 => "DHE-RSA-CAMELLIA256-SHA",
        24 => "ECDHE-ECDSA-AES128-GCM-SHA256",
        25 => "ECDHE-RSA-AES128-GCM-SHA256",
        26 => "DHE-RSA-AES128-GCM-SHA256",
        27 => "ECDHE-ECDSA-AES128-CCM",
        28 => "DHE-RSA-AES128-CCM",
        29 => "ECDHE-ECDSA-AES128-SHA256",
        30 => "ECDHE-RSA-AES128-SHA256",
        31 => "DHE-RSA-AES128-SHA256",
        _ => return None,
    })
}

#[test]
fn cipher_matrix_every_supported_suite_alone_is_negotiated() {
    let pki = Pki::new("ciphers");
    let rig = online();
    rig.modem.set_ssl_version(SslVersion::Tls1_2).unwrap();
    for suite in CipherSuite::ALL {
        let Some(name) = openssl_name(suite) else {
            assert!(
                rig.modem.set_cipher(suite, true).is_err(),
                "{suite} has no OpenSSL equivalent"
            );
            continue;
        };
        // s_server prints the negotiated suite on each connection; a fresh server per suite keeps
        // the assertion unambiguous. DHE suites need DH parameters on the server side.
        let server = Server::start(
            &pki,
            &["-cipher", "ALL:@SECLEVEL=0", "-dhparam", &dhparam(&pki)],
        );
        rig.modem.set_enabled_ciphers(&[suite]).unwrap();
        let sock = rig
            .modem
            .open_tls("127.0.0.1", server.port)
            .unwrap_or_else(|e| panic!("{suite}: {e}"));
        assert!(
            server.wait_for(&format!("CIPHER is {name}"), Duration::from_secs(10)),
            "{suite}: {}",
            server.output()
        );
        sock.close().unwrap();
    }
}

fn dhparam(pki: &Pki) -> String {
    let path = pki.dir.join("dh.pem");
    if !path.exists() {
        let dh = openssl::dh::Dh::get_2048_256().unwrap();
        std::fs::write(&path, dh.params_to_pem().unwrap()).unwrap();
    }
    path.to_str().unwrap().to_owned()
}

#[test]
fn version_matrix() {
    let pki = Pki::new("versions");
    let rig = online();
    // Each server accepts only the one version, so a completed handshake is the proof.
    for (version, flag) in [
        (SslVersion::Tls1_0, "-tls1"),
        (SslVersion::Tls1_1, "-tls1_1"),
        (SslVersion::Tls1_2, "-tls1_2"),
    ] {
        let server = Server::start(&pki, &[flag]);
        rig.modem.set_ssl_version(version).unwrap();
        let sock = rig
            .modem
            .open_tls("127.0.0.1", server.port)
            .unwrap_or_else(|e| panic!("{version:?}: {e}"));
        assert!(
            server.wait_for("CIPHER is", Duration::from_secs(10)),
            "{}",
            server.output()
        );
        sock.close().unwrap();
    }
    // A server that only speaks TLS 1.2 refuses a module set to TLS 1.0: protocol error.
    let server = Server::start(&pki, &["-tls1_2"]);
    rig.modem.set_ssl_version(SslVersion::Tls1_0).unwrap();
    let (code, _) = ssl_code(rig.modem.open_tls("127.0.0.1", server.port).unwrap_err());
    assert_eq!(code, SslErrorCode::ProtocolError);
    // SSL 3.0 is not to be had.
    rig.modem.set_ssl_version(SslVersion::Ssl3).unwrap();
    let (code, _) = ssl_code(rig.modem.open_tls("127.0.0.1", server.port).unwrap_err());
    assert_eq!(code, SslErrorCode::ProtocolError);
}

#[test]
fn wrong_ca_is_minus_11() {
    let pki = Pki::new("wrongca");
    let server = Server::start(&pki, &[]);
    let rig = online();
    rig.modem.set_clock_from_host().unwrap();
    rig.modem.set_verify_mode(VerifyMode::Verify).unwrap();
    rig.modem.load_trust_file(&pki.other_ca_pem()).unwrap();
    let (code, why) = ssl_code(rig.modem.open_tls("127.0.0.1", server.port).unwrap_err());
    assert_eq!(code, SslErrorCode::CertificateValidationFailed);
    assert!(
        why.contains("not signed by any of the 1 loaded trust file"),
        "{why}"
    );
}

#[test]
fn server_that_never_answers_the_handshake() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let rig = Rig::with(
        SimConfig {
            handshake_timeout: Duration::from_secs(1),
            ..Default::default()
        },
        l610::Modem::builder(),
    );
    rig.modem.activate_pdp(&Default::default()).unwrap();
    let (code, _) = ssl_code(rig.modem.open_tls("127.0.0.1", port).unwrap_err());
    assert_eq!(code, SslErrorCode::NoHandshakeResponse);
    drop(listener);
    // Nothing listening at all: the TCP connection itself fails.
    let (code, _) = ssl_code(rig.modem.open_tls("127.0.0.1", port).unwrap_err());
    assert_eq!(code, SslErrorCode::SocketError);
}

/// 1 MiB of pseudo-random bytes sent through the module and echoed back by `openssl s_server`
/// (its stdout looped to its stdin), byte-exact, in each receive format.
#[test]
fn one_mib_echoed_through_tls_both_receive_formats() {
    let pki = Pki::new("mib");
    let rig = online();
    let data: Vec<u8> = (0..1u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for format in [ReceiveFormat::Hex, ReceiveFormat::Raw] {
        rig.modem.set_receive_format(format).unwrap();
        let server = ShellServer::echo(&pki);
        let sock = std::sync::Arc::new(rig.modem.open_tls("127.0.0.1", server.port).unwrap());
        let writer = sock.clone();
        let sent = data.clone();
        let t = std::thread::spawn(move || writer.send(&sent).unwrap());
        let mut got = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        while got.len() < data.len() {
            let n = sock
                .recv_timeout(&mut buf, Some(Duration::from_secs(60)))
                .unwrap();
            assert!(n > 0, "{format:?}: closed after {} bytes", got.len());
            got.extend_from_slice(&buf[..n]);
        }
        t.join().unwrap();
        assert!(got == data, "{format:?}: 1 MiB echoed byte-exact");
    }
}

#[test]
fn one_mib_echoed_over_plain_tcp_both_formats() {
    let rig = online();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().take(2) {
            let mut c = conn.unwrap();
            std::thread::spawn(move || {
                let mut r = c.try_clone().unwrap();
                let _ = std::io::copy(&mut r, &mut c);
            });
        }
    });
    let data: Vec<u8> = (0..1u32 << 20).map(|i| (i ^ (i >> 7)) as u8).collect();
    for format in [ReceiveFormat::Hex, ReceiveFormat::Raw] {
        rig.modem.set_receive_format(format).unwrap();
        let sock = std::sync::Arc::new(rig.modem.open_tcp("127.0.0.1", port).unwrap());
        let writer = sock.clone();
        let sent = data.clone();
        let t = std::thread::spawn(move || writer.send(&sent).unwrap());
        let mut got = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        while got.len() < data.len() {
            let n = sock
                .recv_timeout(&mut buf, Some(Duration::from_secs(60)))
                .unwrap();
            assert!(n > 0);
            got.extend_from_slice(&buf[..n]);
        }
        t.join().unwrap();
        assert!(got == data, "{format:?}: echo is byte-exact");
    }
}

#[test]
fn peer_close_mid_stream() {
    let pki = Pki::new("peerclose");
    let rig = online();
    let file = pki.dir.join("some.bin");
    std::fs::write(&file, vec![7u8; 5000]).unwrap();
    let server = ShellServer::send_file(&pki, &file);
    let mut sock = rig.modem.open_tls("127.0.0.1", server.port).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(10)));
    let mut got = Vec::new();
    sock.read_to_end(&mut got).unwrap();
    assert_eq!(got.len(), 5000, "all data, then end of stream");
    assert!(matches!(sock.state(), l610::SocketState::Closed(_)));
    let err = sock.send(b"more").unwrap_err();
    assert!(matches!(err, Error::Closed(_)), "{err:?}");
}

/// `openssl s_server -quiet -naccept 1` in a shell pipeline: an echo (stdout looped to stdin
/// through a fifo) or a file sender (the file on stdin; end of file closes the connection).
struct ShellServer {
    port: u16,
    child: std::process::Child,
}

impl ShellServer {
    fn echo(pki: &Pki) -> ShellServer {
        let fifo = pki.dir.join(format!("loop-{}", common::tls::free_port()));
        ShellServer::start(
            pki,
            &format!(
                "mkfifo '{f}'; {{s_server}} < '{f}' | cat > '{f}'",
                f = fifo.display()
            ),
        )
    }

    fn send_file(pki: &Pki, file: &std::path::Path) -> ShellServer {
        ShellServer::start(
            pki,
            &format!("(sleep 1; cat '{}') | {{s_server}}", file.display()),
        )
    }

    fn start(pki: &Pki, pipeline: &str) -> ShellServer {
        let port = common::tls::free_port();
        let s_server = format!(
            "openssl s_server -quiet -naccept 1 -cipher ALL:@SECLEVEL=0 -accept 127.0.0.1:{port} -cert {} -key {}",
            pki.path("server.pem"),
            pki.path("server.key")
        );
        let child = std::process::Command::new("sh")
            .arg("-c")
            .arg(pipeline.replace("{s_server}", &s_server))
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        assert!(wait_listening(port), "s_server did not listen on {port}");
        ShellServer { port, child }
    }
}

/// Wait for a listening socket without connecting to it (a probe would use up `-naccept 1`).
fn wait_listening(port: u16) -> bool {
    let needle = format!(":{port:04X} 00000000:0000 0A");
    for _ in 0..200 {
        if std::fs::read_to_string("/proc/net/tcp").is_ok_and(|t| t.contains(&needle)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

impl Drop for ShellServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
