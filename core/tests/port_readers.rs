//! Who reads the port: a waiting caller reads it itself (no hop through the reader thread), the
//! reader thread keeps off it meanwhile and for a moment after, and comes back when a caller
//! cannot read (its deadline is too close) or nobody waits. Whatever the turn-taking, every byte
//! reaches the session once and in order, and no caller is left without a reader.

mod common;

use std::io::{self, BufRead, Write};
use std::os::unix::net::UnixStream;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use common::Rig;
use l610::{Modem, Urc, VerifyMode};

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

/// A module on a socket pair that answers `AT+GTSSLMODE?` and sends whatever the test puts on
/// `urcs` on its own, between answers.
fn module() -> (Modem, mpsc::Sender<&'static str>) {
    let (ours, theirs) = UnixStream::pair().unwrap();
    let (urc_tx, urc_rx) = mpsc::channel::<&'static str>();
    let mut w = theirs.try_clone().unwrap();
    let writer = Arc::new(std::sync::Mutex::new(theirs.try_clone().unwrap()));
    let w2 = writer.clone();
    thread::spawn(move || {
        for urc in urc_rx {
            let mut w = w2.lock().unwrap();
            if w.write_all(urc.as_bytes()).is_err() {
                return;
            }
        }
    });
    thread::spawn(move || {
        let mut r = io::BufReader::new(theirs);
        let mut line = Vec::new();
        loop {
            line.clear();
            match r.read_until(b'\r', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let reply: &[u8] = match String::from_utf8_lossy(&line).trim() {
                "AT+GTSSLMODE?" => b"\r\n+GTSSLMODE: 1\r\n\r\nOK\r\n",
                _ => b"\r\nOK\r\n",
            };
            let _guard = writer.lock().unwrap();
            if w.write_all(reply).is_err() {
                return;
            }
        }
    });
    let modem = Modem::builder().probe_on_open(false).connect(ours).unwrap();
    (modem, urc_tx)
}

/// A URC that comes right after a call, while nobody waits, is read: by the reader thread once
/// its time off the port is over.
#[test]
fn a_urc_that_comes_while_nobody_waits_is_read() {
    let (modem, urcs) = module();
    assert_eq!(modem.verify_mode().unwrap(), VerifyMode::Verify);
    urcs.send("\r\n+SIM READY\r\n").unwrap();
    let asked = Instant::now();
    loop {
        let got = modem.drain_urcs();
        if !got.is_empty() {
            assert_eq!(got, vec![Urc::Sim("READY".into())]);
            break;
        }
        assert!(asked.elapsed() < HANG, "the URC was never read");
        thread::sleep(Duration::from_millis(1));
    }
}

/// A caller whose deadline is closer than a read could block does not read; it calls the reader
/// thread back, which reads for it (right after a call, when the reader thread keeps off).
#[test]
fn a_caller_that_cannot_read_calls_the_reader_thread_back() {
    let (modem, urcs) = module();
    for _ in 0..20 {
        assert_eq!(modem.verify_mode().unwrap(), VerifyMode::Verify);
        urcs.send("\r\n+SIM READY\r\n").unwrap();
        let asked = Instant::now();
        let got = loop {
            if let Some(u) = modem.next_urc(Duration::from_millis(5)) {
                break u;
            }
            assert!(asked.elapsed() < HANG, "no reader read the URC");
        };
        assert_eq!(got, Urc::Sim("READY".into()));
    }
}

/// Callers on several threads, each reading the port when it is free, URCs in between, and a
/// thread that only waits for URCs with short deadlines (so it never reads, it calls the reader
/// thread back): every command gets its own answer, every URC arrives once.
#[test]
fn callers_on_many_threads_take_turns_at_the_port() {
    const WORKERS: usize = 3;
    const COMMANDS: usize = 100;
    const URC_EVERY: usize = 10;
    let rig = Arc::new(Rig::new());
    // What the module printed at boot is not the point.
    rig.modem.drain_urcs();
    let before = rig.modem.stats();
    let urcs_seen = in_thread({
        let rig = rig.clone();
        move || {
            let waiter = {
                let rig = rig.clone();
                thread::spawn(move || {
                    let mut seen = 0;
                    let asked = Instant::now();
                    while seen < WORKERS * COMMANDS / URC_EVERY && asked.elapsed() < HANG {
                        if let Some(u) = rig.modem.next_urc(Duration::from_millis(5)) {
                            assert_eq!(u, Urc::Sim("READY".into()));
                            seen += 1;
                        }
                    }
                    seen
                })
            };
            let workers: Vec<_> = (0..WORKERS)
                .map(|_| {
                    let rig = rig.clone();
                    thread::spawn(move || {
                        for i in 0..COMMANDS {
                            assert_eq!(rig.modem.verify_mode().unwrap(), VerifyMode::None);
                            if i % URC_EVERY == 0 {
                                rig.sim.faults().inject_garbage(b"\r\n+SIM READY\r\n");
                            }
                        }
                    })
                })
                .collect();
            for w in workers {
                w.join().unwrap();
            }
            waiter.join().unwrap()
        }
    });
    assert_eq!(urcs_seen, WORKERS * COMMANDS / URC_EVERY);
    let after = rig.modem.stats();
    assert_eq!(
        (after.stray, after.framing_errors, after.resets),
        (before.stray, before.framing_errors, before.resets),
        "{after:?}"
    );
}
