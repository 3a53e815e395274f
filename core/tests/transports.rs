//! Other transports than a local serial port: `socket://` to a module served over TCP the way
//! ser2net serves one (here a small bridge to the virtual module's pty in the test itself).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;

use l610::{ErrorKind, Modem, VerifyMode};
use l610_sim::{Sim, SimConfig};

/// A one-connection TCP ↔ pty bridge, as ser2net is for a real port.
fn serve_over_tcp(sim: &Sim) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let path = sim.pty_path().unwrap().to_owned();
    thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        let pty = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap();
        let (mut tcp_r, mut tcp_w) = (tcp.try_clone().unwrap(), tcp);
        let (mut pty_r, mut pty_w) = (pty.try_clone().unwrap(), pty);
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = tcp_r.read(&mut buf) {
                if n == 0 || pty_w.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
        });
        let mut buf = [0u8; 4096];
        while let Ok(n) = pty_r.read(&mut buf) {
            if n == 0 || tcp_w.write_all(&buf[..n]).is_err() {
                return;
            }
        }
    });
    port
}

#[test]
fn socket_url_reaches_a_module_served_over_tcp() {
    let sim = Sim::start_pty(SimConfig::default()).unwrap();
    let port = serve_over_tcp(&sim);
    let modem = Modem::open(&format!("socket://127.0.0.1:{port}"), 115200).unwrap();
    modem.set_verify_mode(VerifyMode::Verify).unwrap();
    assert_eq!(modem.verify_mode().unwrap(), VerifyMode::Verify);
}

#[test]
fn socket_url_with_nothing_listening_is_a_port_error() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let e = Modem::open(&format!("socket://127.0.0.1:{port}"), 115200).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Port, "{e}");
    assert!(e.to_string().contains("socket://127.0.0.1"), "{e}");
}

/// Any `Read + Write` that cannot be split: here a `Box<dyn SerialPort>` someone already opened
/// (its reads time out, as `connect_stream` requires), shared by the reader thread and writers.
#[test]
fn connect_stream_drives_a_single_read_write_object() {
    let sim = Sim::start_pty(SimConfig::default()).unwrap();
    let port = serialport::new(sim.pty_path().unwrap().to_str().unwrap(), 115200)
        .timeout(std::time::Duration::from_millis(20))
        .open()
        .unwrap();
    let modem = Modem::builder().connect_stream(port).unwrap();
    // Writes are not starved by a reader looping on short timeouts: many commands in a row.
    for _ in 0..20 {
        modem.set_verify_mode(VerifyMode::Verify).unwrap();
        assert_eq!(modem.verify_mode().unwrap(), VerifyMode::Verify);
    }
    modem.shutdown();
    assert_eq!(modem.verify_mode().unwrap_err().kind(), ErrorKind::Closed);
}
