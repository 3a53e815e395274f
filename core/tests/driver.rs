//! The threaded driver over the session: the defects of issue #8 that live in threads and
//! transports (a panicking reader, a vanished port, two threads opening, stale handles, a
//! second thread closing a socket another one reads), each against a real transport.

mod common;

use std::io::{self, Read, Write};
use std::net::TcpListener;
use std::os::unix::net::UnixStream;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use common::Rig;
use l610::{Error, ErrorKind, Modem, SocketState};

/// A generous bound so that a regression fails instead of hanging the suite; never a timing
/// assertion (every case here ends at once when it works).
const HANG: Duration = Duration::from_secs(60);

fn in_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(HANG).expect("the call hung")
}

struct PanickingReader;
impl Read for PanickingReader {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        thread::sleep(Duration::from_millis(20));
        panic!("a transport bug");
    }
}

/// Defect 3: a panic on the reader thread left a deaf modem whose every call timed out (or hung
/// with no timeout). Now the session is closed on the way out.
#[test]
fn a_panicking_reader_closes_the_modem() {
    let modem = Modem::builder()
        .probe_on_open(false)
        .command_timeout(Duration::from_secs(3600))
        .connect_halves(PanickingReader, io::sink())
        .unwrap();
    let err = in_thread(move || modem.verify_mode().unwrap_err());
    assert_eq!(err.kind(), ErrorKind::Closed, "{err}");
    assert!(err.to_string().contains("panicked"), "{err}");
}

/// Defect 10 (lost wake-up): the port vanishing must wake a caller that waits with no timeout.
#[test]
fn a_vanished_port_wakes_every_waiter() {
    let (ours, theirs) = UnixStream::pair().unwrap();
    let modem = Arc::new(
        Modem::builder()
            .probe_on_open(false)
            .command_timeout(Duration::from_secs(3600))
            .connect(ours)
            .unwrap(),
    );
    let m = modem.clone();
    let waiter = thread::spawn(move || m.verify_mode().unwrap_err());
    // Let the command reach the "module", then pull the plug.
    let mut theirs = theirs;
    let mut buf = [0u8; 64];
    let n = theirs.read(&mut buf).unwrap();
    assert!(buf[..n].starts_with(b"AT+GTSSLMODE?"));
    drop(theirs);
    let err = in_thread(move || waiter.join().unwrap());
    assert_eq!(err.kind(), ErrorKind::Closed, "{err}");
    assert_eq!(modem.verify_mode().unwrap_err().kind(), ErrorKind::Closed);
}

/// `Modem::shutdown` from another thread ends a call that would otherwise wait an hour.
#[test]
fn shutdown_ends_blocked_calls() {
    let (ours, mut theirs) = UnixStream::pair().unwrap();
    let modem = Arc::new(
        Modem::builder()
            .probe_on_open(false)
            .command_timeout(Duration::from_secs(3600))
            .connect(ours)
            .unwrap(),
    );
    let m = modem.clone();
    let waiter = thread::spawn(move || m.ssl_version().unwrap_err());
    let mut buf = [0u8; 64];
    let _ = theirs.read(&mut buf).unwrap();
    modem.shutdown();
    let err = in_thread(move || waiter.join().unwrap());
    assert_eq!(err.kind(), ErrorKind::Closed, "{err}");
}

/// Ctrl-C's mechanism: a cancel hook ends a command the module never answers, the command is
/// abandoned in the session, and the next command works.
#[test]
fn a_cancel_hook_ends_a_blocked_command_and_the_modem_goes_on() {
    let rig = Rig::with(
        l610_sim::SimConfig::default(),
        Modem::builder().command_timeout(Duration::from_secs(3600)),
    );
    rig.sim.faults().drop_next_final();
    let asked = std::time::Instant::now();
    let err = l610::with_cancel(
        move || asked.elapsed() > Duration::from_millis(300),
        || rig.modem.verify_mode().unwrap_err(),
    );
    assert_eq!(err.kind(), ErrorKind::Cancelled, "{err}");
    assert_eq!(rig.modem.verify_mode().unwrap(), l610::VerifyMode::None);
}

fn online() -> Rig {
    let rig = Rig::new();
    rig.modem.activate_pdp(&Default::default()).unwrap();
    rig
}

/// A TCP server on 127.0.0.1 that echoes, or (with `close_at_once`) closes after the first
/// bytes it reads.
fn tcp_server(close_at_once: bool) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            if close_at_once {
                let _ = conn.read(&mut [0u8; 16]);
                drop(conn);
                continue;
            }
            thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = conn.read(&mut buf) {
                    if n == 0 || conn.write_all(&buf[..n]).is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

/// Defect 8: two threads opening at once both failed and left a socket no handle owned
/// (16 rounds of 20). The session now reserves the id.
#[test]
fn two_threads_open_at_once() {
    let rig = Arc::new(online());
    let port = tcp_server(false);
    for round in 0..20 {
        let a = rig.clone();
        let b = rig.clone();
        let ta = thread::spawn(move || a.modem.open_tcp("127.0.0.1", port));
        let tb = thread::spawn(move || b.modem.open_tcp("127.0.0.1", port));
        let (sa, sb) = (ta.join().unwrap(), tb.join().unwrap());
        let (sa, sb) = (
            sa.unwrap_or_else(|e| panic!("round {round}: {e}")),
            sb.unwrap_or_else(|e| panic!("round {round}: {e}")),
        );
        assert_ne!(sa.id(), sb.id());
        let mut open = rig.modem.open_socket_ids().unwrap();
        open.sort_unstable();
        let mut ours = vec![sa.id(), sb.id()];
        ours.sort_unstable();
        assert_eq!(
            open, ours,
            "round {round}: the module holds only our sockets"
        );
        drop((sa, sb));
        assert_eq!(rig.modem.open_socket_ids().unwrap(), Vec::<u8>::new());
    }
}

/// Defect 7: after a peer close, a new open reused the id and dropping the old handle closed
/// the new connection.
#[test]
fn a_stale_handle_does_not_close_the_next_connection() {
    let rig = online();
    let closing = tcp_server(true);
    let echo = tcp_server(false);
    let old = rig.modem.open_tcp("127.0.0.1", closing).unwrap();
    let mut buf = [0u8; 8];
    old.send(b"bye").unwrap();
    // The server closes: the read ends the stream.
    let n = old.recv_timeout(&mut buf, Some(HANG)).unwrap();
    assert_eq!(n, 0);
    assert!(
        matches!(old.state(), SocketState::Closed(_)),
        "{:?}",
        old.state()
    );
    let new = rig.modem.open_tcp("127.0.0.1", echo).unwrap();
    assert_ne!(new.id(), old.id(), "the old handle still holds its id");
    drop(old);
    new.send(b"still here").unwrap();
    let mut got = Vec::new();
    while got.len() < 10 {
        let n = new.recv_timeout(&mut buf, Some(HANG)).unwrap();
        assert!(n > 0);
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"still here");
}

/// Defect 14's root: a reader blocked with no timeout is woken by a close from another thread.
#[test]
fn close_from_another_thread_wakes_a_blocked_reader() {
    let rig = online();
    let port = tcp_server(false);
    let sock = Arc::new(rig.modem.open_tcp("127.0.0.1", port).unwrap());
    let reader = sock.clone();
    let blocked = thread::spawn(move || reader.recv_timeout(&mut [0u8; 16], None));
    thread::sleep(Duration::from_millis(100));
    sock.close().unwrap();
    let got = in_thread(move || blocked.join().unwrap());
    assert!(matches!(got, Err(Error::Closed(_))), "{got:?}");
}

/// A scripted module on the other end of a socket pair: each command line gets the reply
/// `answer` returns for it (`None`: no reply at all). Echo off, as after `ATE0`.
fn scripted(answer: impl Fn(&str) -> Option<String> + Send + 'static) -> Modem {
    let (ours, theirs) = UnixStream::pair().unwrap();
    thread::spawn(move || {
        let mut r = io::BufReader::new(theirs.try_clone().unwrap());
        let mut w = theirs;
        let mut line = Vec::new();
        loop {
            line.clear();
            use std::io::BufRead;
            match r.read_until(b'\r', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let cmd = String::from_utf8_lossy(&line).trim().to_owned();
            if let Some(reply) = answer(&cmd) {
                if w.write_all(reply.as_bytes()).is_err() {
                    return;
                }
            }
        }
    });
    Modem::builder()
        .probe_on_open(false)
        .command_timeout(Duration::from_millis(500))
        .quiet_period(Duration::from_millis(20))
        .connect(ours)
        .unwrap()
}

/// Issue #8, errors: a bad value *from the module* is `UnexpectedResponse` (it was
/// `InvalidArgument`, blaming the caller), with the module's words in it; hostile range lists
/// neither panic nor allocate.
#[test]
fn bad_values_from_the_module_are_unexpected_responses() {
    let modem = scripted(|cmd| {
        Some(
            match cmd {
                "AT+GTSSLMODE?" => "\r\n+GTSSLMODE: 7\r\n\r\nOK\r\n",
                "AT+GTSSLMODE=?" => "\r\n+GTSSLMODE: (0-400000000)\r\n\r\nOK\r\n",
                "AT+GTSSLVER=?" => "\r\n+GTSSLVER: (é,1)\r\n\r\nOK\r\n",
                "AT+CCLK?" => "\r\n+CCLK: \"15/257/01,00:00:00+00\"\r\n\r\nOK\r\n",
                "AT+GTSSLCIPHER?" => "\r\n+GTSSLCIPHER: 1,99\r\n\r\nOK\r\n",
                _ => "\r\nERROR\r\n",
            }
            .to_owned(),
        )
    });
    let errors = [
        modem.verify_mode().map(drop).unwrap_err(),
        modem.verify_mode_support().map(drop).unwrap_err(),
        modem.ssl_version_support().map(drop).unwrap_err(),
        modem.clock().map(drop).unwrap_err(),
        modem.enabled_ciphers().map(drop).unwrap_err(),
    ];
    for e in errors {
        assert_eq!(e.kind(), ErrorKind::UnexpectedResponse, "{e}");
    }
    let e = modem.verify_mode().unwrap_err();
    assert!(e.to_string().contains("+GTSSLMODE: 7"), "{e}");
}

/// Issue #8, errors: when the follow-up commands that diagnose a failed TLS open fail too, the
/// caller still learns that the open failed (it used to get only the follow-up's timeout).
#[test]
fn a_failed_diagnosis_keeps_the_original_tls_failure() {
    let modem = scripted(|cmd| match cmd {
        "AT+MIPOPEN?" => Some("\r\n+MIPOPEN: 1,2,3,4,5,6\r\n\r\nOK\r\n".into()),
        c if c.starts_with("AT+MIPOPEN=1,") => Some("\r\nOK\r\n\r\n+MIPOPEN: 1,0\r\n".into()),
        "AT+GTSSLERR?" => None, // the module goes silent
        _ => Some("\r\nOK\r\n".into()),
    });
    let opts = l610::OpenOptions {
        check_clock: false,
        ..Default::default()
    };
    let e = modem
        .open_socket(l610::Protocol::Tls, "example.com", 443, &opts)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConnectionFailed, "{e}");
    let text = e.to_string();
    assert!(text.contains("TLS connection failed"), "{text}");
    assert!(text.contains("+MIPOPEN: <id>,0"), "{text}");
    assert!(text.contains("GTSSLERR"), "{text}");
}

/// Issue #8, errors: a port that cannot be opened keeps serialport's error as its source.
#[test]
fn port_errors_keep_their_source() {
    let e = Modem::open("/dev/l610-no-such-port", 115200).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Port);
    let source = std::error::Error::source(&e).expect("a source");
    assert!(
        source.downcast_ref::<serialport::Error>().is_some(),
        "{source:?}"
    );
}

/// Issue #9: reply orders and forms seen on hardware or by other clients that differ from the
/// virtual module's: `+MIPDNS` after the `OK`, `+MIPCALL: 0` before the `OK` of a deactivation,
/// identity lines with their prefix, a registration URC in the middle of the query.
#[test]
fn hardware_reply_orders_are_tolerated() {
    let modem = scripted(|cmd| {
        Some(
            match cmd {
                "AT+MIPDNS=\"example.com\"" => {
                    "\r\nOK\r\n\r\n+MIPDNS: \"example.com\",93.184.216.34\r\n"
                }
                "AT+MIPCALL=0" => "\r\n+MIPCALL: 0\r\n\r\nOK\r\n",
                "AT+CGMR" => "\r\n+CGMR: 16000.1208.00.86.02.02\r\n\r\nOK\r\n",
                "AT+CGSN" => "\r\n+CGSN: \"867959030123458\"\r\n\r\nOK\r\n",
                "AT+CEREG?" => "\r\n+CEREG: 5\r\n\r\n+CEREG: 0,1\r\n\r\nOK\r\n",
                "AT+CSQ" => "\r\n+CSQ: 18,99\r\n\r\nOK\r\n",
                _ => "\r\nERROR\r\n",
            }
            .to_owned(),
        )
    });
    assert_eq!(
        modem.resolve("example.com").unwrap(),
        vec!["93.184.216.34".parse::<std::net::IpAddr>().unwrap()]
    );
    modem.deactivate_pdp().unwrap();
    assert_eq!(
        modem.identity_item(l610::IdentityItem::Firmware).unwrap(),
        "16000.1208.00.86.02.02"
    );
    assert_eq!(
        modem.identity_item(l610::IdentityItem::Imei).unwrap(),
        "867959030123458"
    );
    let r = modem.registration(l610::RegistrationDomain::Eps).unwrap();
    assert_eq!(r.status, l610::RegistrationStatus::Home);
    assert!(matches!(
        modem.next_urc(Duration::from_secs(1)),
        Some(l610::Urc::Registration {
            status: l610::RegistrationStatus::Roaming,
            ..
        })
    ));
    assert_eq!(modem.signal_quality().unwrap().dbm(), Some(-77));
}
