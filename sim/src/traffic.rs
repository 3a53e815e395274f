//! A readable log of the serial line: every byte in both directions, timestamped, one log
//! line per line on the wire, control and binary bytes escaped (`\r`, `\n`, `\x1b`).
//!
//! ```text
//! [    0.412] host> AT+CREG?\r\n
//! [    0.413] sim < \r\n+CREG: 0,1\r\n
//! ```

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

#[derive(Clone, Copy)]
pub(crate) enum Direction {
    /// Host to module.
    In,
    /// Module to host.
    Out,
}

pub(crate) struct TrafficLog {
    file: Mutex<File>,
    start: Instant,
}

impl TrafficLog {
    pub(crate) fn create(path: &Path) -> io::Result<TrafficLog> {
        let file = File::options().create(true).append(true).open(path)?;
        Ok(TrafficLog {
            file: Mutex::new(file),
            start: Instant::now(),
        })
    }

    pub(crate) fn record(&self, dir: Direction, bytes: &[u8]) {
        let t = self.start.elapsed().as_secs_f64();
        let tag = match dir {
            Direction::In => "host>",
            Direction::Out => "sim < ",
        };
        let mut text = String::new();
        // A log line ends after each LF, so a response reads as it does on a terminal.
        for piece in bytes.split_inclusive(|&b| b == b'\n') {
            text += &format!("[{t:9.3}] {tag} {}\n", escape(piece));
        }
        let mut file = self.file.lock().unwrap();
        // A log that cannot be written must not stop the module.
        let _ = file.write_all(text.as_bytes());
        let _ = file.flush();
    }
}

pub(crate) fn escape(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'\r' => s += "\\r",
            b'\n' => s += "\\n",
            b'\\' => s += "\\\\",
            0x20..=0x7e => s.push(b as char),
            _ => s += &format!("\\x{b:02x}"),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_binary() {
        assert_eq!(super::escape(b"AT\r\n\x00\x1b\\"), "AT\\r\\n\\x00\\x1b\\\\");
    }
}
