//! Certificates, `openssl s_server` on 127.0.0.1 (both from the driver's `core/tests/common`),
//! and the `l610` binary run as a user would run it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// `l610` with a generous timeout: a hung verb fails the test instead of hanging it.
pub fn l610() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("l610").unwrap();
    c.timeout(Duration::from_secs(120));
    c.env_remove("L610_PORT");
    c
}

/// stdout of a finished command as JSON.
pub fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

// The PKI and `openssl s_server` of the driver's own tests: one copy for both suites.
#[path = "../../../core/tests/common/tls.rs"]
mod tls;
pub use tls::{free_port, Pki, Server};

/// `l610 sim` as a separate process (the virtual module on a pty, as `l610-sim` runs it); its
/// pty path read from its first line. Killed on drop.
pub struct SimProcess {
    child: Child,
    pub pty: String,
}

impl SimProcess {
    pub fn start(args: &[&str]) -> SimProcess {
        let bin = assert_cmd::cargo::cargo_bin("l610");
        let mut child = Command::new(bin)
            .arg("sim")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let pty = line
            .strip_prefix("pty: ")
            .unwrap_or_else(|| panic!("first line {line:?}"))
            .trim()
            .to_owned();
        assert!(Path::new(&pty).exists(), "{pty}");
        SimProcess { child, pty }
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
