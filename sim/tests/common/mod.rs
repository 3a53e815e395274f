//! A raw AT host for the tests: it talks bytes over the real pty, not through any driver.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use l610_sim::{Sim, SimConfig};

pub const T: Duration = Duration::from_secs(5);

pub struct Host {
    pub port: Box<dyn serialport::SerialPort>,
    pub buf: Vec<u8>,
}

pub fn start(config: SimConfig) -> (Sim, Host) {
    let sim = Sim::start_pty(config).unwrap();
    let mut host = Host::open(&sim);
    host.read_until(b"+SIM READY\r\n", T);
    (sim, host)
}

pub fn start_default() -> (Sim, Host) {
    start(SimConfig::default())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// End of the first final result in `buf`, if any.
fn final_end(buf: &[u8]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for pat in [&b"\r\nOK\r\n"[..], b"\r\nERROR\r\n"] {
        if let Some(p) = find(buf, pat) {
            let end = p + pat.len();
            best = Some(best.map_or(end, |b: usize| b.min(end)));
        }
    }
    if let Some(p) = find(buf, b"\r\n+CME ERROR: ") {
        if let Some(q) = find(&buf[p + 2..], b"\r\n") {
            let end = p + 2 + q + 2;
            best = Some(best.map_or(end, |b: usize| b.min(end)));
        }
    }
    best
}

impl Host {
    pub fn open(sim: &Sim) -> Host {
        let port = serialport::new(sim.pty_path().unwrap().to_str().unwrap(), 115_200)
            .timeout(Duration::from_millis(20))
            .open()
            .unwrap();
        Host {
            port,
            buf: Vec::new(),
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.port.write_all(bytes).unwrap();
        self.port.flush().unwrap();
    }

    fn fill(&mut self) {
        let mut b = [0u8; 4096];
        match self.port.read(&mut b) {
            Ok(n) => self.buf.extend_from_slice(&b[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(e) => panic!("read: {e}"),
        }
    }

    /// Everything up to and including `pat`, removed from the buffer.
    pub fn read_until(&mut self, pat: &[u8], timeout: Duration) -> Vec<u8> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(p) = find(&self.buf, pat) {
                return self.buf.drain(..p + pat.len()).collect();
            }
            if Instant::now() > deadline {
                panic!(
                    "timeout waiting for {:?}; have {:?}",
                    String::from_utf8_lossy(pat),
                    String::from_utf8_lossy(&self.buf)
                );
            }
            self.fill();
        }
    }

    pub fn read_exact(&mut self, n: usize, timeout: Duration) -> Vec<u8> {
        let deadline = Instant::now() + timeout;
        while self.buf.len() < n {
            assert!(Instant::now() < deadline, "timeout reading {n} bytes");
            self.fill();
        }
        self.buf.drain(..n).collect()
    }

    /// Everything that arrives within `d`.
    pub fn drain(&mut self, d: Duration) -> Vec<u8> {
        let deadline = Instant::now() + d;
        while Instant::now() < deadline {
            self.fill();
        }
        std::mem::take(&mut self.buf)
    }

    /// Reads up to and including the next final result.
    pub fn until_final(&mut self, timeout: Duration) -> String {
        String::from_utf8_lossy(&self.until_final_raw(timeout)).into_owned()
    }

    /// Like [`until_final`], as bytes (binary payloads survive).
    pub fn until_final_raw(&mut self, timeout: Duration) -> Vec<u8> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(end) = final_end(&self.buf) {
                return self.buf.drain(..end).collect();
            }
            if Instant::now() > deadline {
                panic!(
                    "no final result; have {:?}",
                    String::from_utf8_lossy(&self.buf)
                );
            }
            self.fill();
        }
    }

    /// Sends `line` + CR and returns everything up to the final result (echo included).
    pub fn cmd(&mut self, line: &str) -> String {
        self.send(format!("{line}\r").as_bytes());
        self.until_final(T)
    }

    /// Sends `line` + CRLF, as every public L610 client does, and returns everything up to the
    /// final result.
    pub fn crlf(&mut self, line: &str) -> String {
        self.send(format!("{line}\r\n").as_bytes());
        self.until_final(T)
    }

    /// Like [`cmd`], with the echo checked and stripped.
    pub fn at(&mut self, line: &str) -> String {
        let out = self.cmd(line);
        let echo = format!("{line}\r");
        assert!(out.starts_with(&echo), "no echo of {line:?} in {out:?}");
        out[echo.len()..].to_string()
    }

    /// Waits for a URC line starting with `prefix` and returns the whole line text.
    pub fn urc(&mut self, prefix: &str, timeout: Duration) -> String {
        let start = format!("\r\n{prefix}");
        self.read_until(start.as_bytes(), timeout);
        let rest = self.read_until(b"\r\n", timeout);
        format!(
            "{prefix}{}",
            String::from_utf8_lossy(&rest[..rest.len() - 2])
        )
    }
}
