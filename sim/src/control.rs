//! A text control channel for a running module, so a tester can look at its state and inject
//! faults from a shell while a client talks to it: one command per line, one answer ending
//! with a line `.`.
//!
//! ```text
//! state                     the SimState, one `name: value` per line
//! reboot | power-cycle      spontaneous reset / power loss
//! drop-final                the next final result is never sent
//! swallow-prompt            the next `>` prompt is never sent
//! delay <ms>                wait before every response (0: off)
//! chunk <bytes> <gap_ms>    split the output into small writes (`chunk off`: whole writes)
//! garbage <hex>             write these bytes to the host now
//! ```

use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::time::Duration;

use crate::{Faults, SimState};

/// What the control channel acts on: a module's faults and a way to read its state.
#[derive(Clone)]
pub struct Control {
    pub(crate) faults: Faults,
    pub(crate) state: std::sync::Arc<dyn Fn() -> SimState + Send + Sync>,
    pub(crate) power_cycle: std::sync::Arc<dyn Fn() + Send + Sync>,
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control").finish_non_exhaustive()
    }
}

impl Control {
    /// Runs one control command and returns its answer (without the closing `.`).
    pub fn execute(&self, line: &str) -> Result<String, String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let ms = |s: &str| {
            s.parse::<u64>()
                .map(Duration::from_millis)
                .map_err(|e| e.to_string())
        };
        match words.as_slice() {
            ["state"] => return Ok((self.state)().to_string()),
            ["reboot"] => self.faults.reboot(),
            ["power-cycle"] => (self.power_cycle)(),
            ["drop-final"] => self.faults.drop_next_final(),
            ["swallow-prompt"] => self.faults.swallow_next_prompt(),
            ["delay", d] => self.faults.set_response_delay(ms(d)?),
            ["chunk", "off"] => self.faults.set_chunking(None),
            ["chunk", n, gap] => {
                let n = n.parse::<usize>().map_err(|e| e.to_string())?;
                self.faults.set_chunking(Some((n, ms(gap)?)));
            }
            ["garbage", hex] => {
                let bytes = hex::decode(hex).map_err(|e| e.to_string())?;
                self.faults.inject_garbage(&bytes);
            }
            _ => return Err(format!("unknown control command: {line:?}")),
        }
        Ok("ok".into())
    }

    /// Serves the channel on a Unix socket at `path` (replacing a stale one), one client at a
    /// time, for the life of the process.
    pub fn serve_unix(&self, path: &Path) -> io::Result<()> {
        let _ = std::fs::remove_file(path);
        let listener = UnixListener::bind(path)?;
        let control = self.clone();
        std::thread::Builder::new()
            .name("l610-sim-control".into())
            .spawn(move || {
                for client in listener.incoming().flatten() {
                    let _ = control.serve_client(client);
                }
            })?;
        Ok(())
    }

    fn serve_client(&self, client: UnixStream) -> io::Result<()> {
        let mut out = client.try_clone()?;
        for line in BufReader::new(client).lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let answer = match self.execute(&line) {
                Ok(text) => text,
                Err(e) => format!("error: {e}"),
            };
            writeln!(out, "{answer}\n.")?;
        }
        Ok(())
    }
}
