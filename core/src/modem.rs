//! The modem handle: commands, URCs, counters, restarts.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use l610_proto::commands;

use crate::at::engine::{lock, Engine};
use crate::at::{Command, Response, Stats, Urc};
use crate::config::{Config, ModemBuilder};
use crate::error::{Error, Result};
use crate::profile::{ProfileReport, TlsProfile};

/// A connected L610. `Send + Sync`: share it between threads (one command runs at a time; socket
/// reads do not wait for commands).
pub struct Modem {
    pub(crate) engine: Arc<Engine>,
    profile: Mutex<ProfileState>,
    /// The files this driver uploaded since the module's last restart (profile.rs).
    pub(crate) loaded: Mutex<crate::profile::LoadedFiles>,
}

#[derive(Default)]
struct ProfileState {
    profile: Option<TlsProfile>,
    auto: bool,
    applied_at_reset: u64,
}

impl std::fmt::Debug for Modem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Modem")
            .field("config", &self.engine.config)
            .finish_non_exhaustive()
    }
}

pub use l610_proto::commands::ErrorReporting;

/// What to check when the port opens but nothing answers `AT`.
const SILENT_PORT_HINT: &str = "is the module powered and booted (it needs ~10 s after power-on), \
is this its AT port (the L610 shows several; the others stay silent), is the baud rate the \
module's (115200 unless changed with AT+IPR), and is no other program (ModemManager) using it?";

impl Modem {
    /// Configure before opening.
    pub fn builder() -> ModemBuilder {
        ModemBuilder::default()
    }

    /// Open a serial port with the default configuration.
    ///
    /// ```no_run
    /// let modem = l610::Modem::open("/dev/ttyUSB0", 115200)?;
    /// println!("{:?}", modem.ssl_file_counts()?);
    /// # Ok::<(), l610::Error>(())
    /// ```
    pub fn open(path: &str, baud: u32) -> Result<Modem> {
        ModemBuilder::default().open(path, baud)
    }

    pub(crate) fn start(
        reader: Box<dyn Read + Send>,
        writer: Box<dyn Write + Send>,
        config: Config,
    ) -> Result<Modem> {
        let probe = config.probe_on_open;
        let modem = Modem {
            engine: Arc::new(Engine::start(reader, writer, config)?),
            profile: Mutex::default(),
            loaded: Mutex::default(),
        };
        if probe {
            modem.probe()?;
        }
        Ok(modem)
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.engine.config
    }

    /// What the modem was opened on: `/dev/ttyUSB0 at 115200 baud`, `socket://host:port`, or
    /// what [`ModemBuilder::endpoint`] named; `None` for an unnamed transport.
    pub fn endpoint(&self) -> Option<&str> {
        self.engine.config.endpoint.as_deref()
    }

    /// A command as a person types it, with the meaning every binding gives it (Python's
    /// `Modem.command`, C's `l610_modem_command`, the CLI): the leading `AT` is optional
    /// (`AT+CSQ`, `at+csq`, `+CSQ` are the same command), and the response is every information
    /// line of the command: its own `+NAME:` lines (`+CSQ: 24,99` for `+CSQ`, `+CSQ?` or
    /// `+CSQ=...`) and lines without a prefix (`ATI`'s). `+X:` lines of other names are URCs,
    /// as for every command. Add prefixes with [`Command::expects`] for a command that answers
    /// under another name.
    ///
    /// ```
    /// let cmd = l610::Modem::line_command("at+csq");
    /// assert_eq!(cmd.line(), "AT+csq");
    /// ```
    pub fn line_command(line: &str) -> Command {
        let cmd = Command::from_line(line).bare_lines();
        let body = &cmd.line()[2..];
        // The name is the command up to its `=`, `?` or end: `+CSQ` for `+CSQ=?`. Basic
        // commands (`E0`, `I`) have no `+NAME:` answer; their bare lines are already kept.
        let name_len = body
            .find(|c: char| c == '=' || c == '?' || c.is_ascii_whitespace())
            .unwrap_or(body.len());
        let name = body[..name_len].to_ascii_uppercase();
        if name.len() > 1 && name.starts_with(['+', '^', '$', '%', '#', '*']) {
            cmd.expects(&name)
        } else {
            cmd
        }
    }

    /// Send any command (for what the typed API does not cover). Bring-up engineers' escape hatch.
    /// A payload given with [`Command::payload`] is kept out of the trace unless the command
    /// says [`Command::trace_payload`].
    pub fn command(&self, cmd: &Command) -> Result<Response> {
        self.reapply_profile_if_restarted()?;
        self.execute(cmd)
    }

    /// Run a command with its timeout reported in the error.
    pub(crate) fn execute(&self, cmd: &Command) -> Result<Response> {
        self.engine.execute(cmd).map_err(|e| match e {
            Error::Timeout { waiting_for, .. } => {
                let after = if waiting_for.starts_with("the > prompt") {
                    self.config().prompt_timeout
                } else {
                    cmd.timeout_override()
                        .unwrap_or(self.config().command_timeout)
                };
                Error::Timeout { waiting_for, after }
            }
            other => other,
        })
    }

    /// Close the modem now: every blocked call (in any thread, sockets included) returns
    /// [`Error::Closed`], the reader thread stops, and no trace callback runs after this returns.
    /// Dropping the last handle does the same.
    pub fn shutdown(&self) {
        self.engine.shutdown("the modem was shut down");
    }

    /// Send `AT` until the module answers `OK` (three tries, 1 s each), syncing a line that had
    /// garbage or a half-finished command on it. A module that never answers is
    /// [`Error::Timeout`] naming the port, the baud rate, the time waited and what to check.
    pub fn probe(&self) -> Result<()> {
        const TRIES: u32 = 3;
        let cmd = Command::new("").timeout(Duration::from_secs(1));
        let started = std::time::Instant::now();
        let mut last = None;
        for _ in 0..TRIES {
            match self.execute(&cmd) {
                Ok(_) => return Ok(()),
                // A boot line (ModuleReset) or garbage (ERROR) while syncing: try again.
                Err(e @ (Error::Closed(_) | Error::Io(_) | Error::Cancelled)) => return Err(e),
                Err(e) => last = Some(e),
            }
        }
        match last {
            Some(Error::Timeout { .. }) | None => Err(Error::Timeout {
                waiting_for: format!(
                    "an answer to AT on {} ({TRIES} tries): {}",
                    self.endpoint().unwrap_or("the transport"),
                    SILENT_PORT_HINT
                ),
                after: started.elapsed(),
            }),
            Some(e) => Err(e),
        }
    }

    /// `ATE1` / `ATE0`. The driver works either way; off saves a few bytes per command.
    pub fn set_echo(&self, on: bool) -> Result<()> {
        self.command(&commands::set_echo(on)).map(drop)
    }

    /// `AT+CMEE=<n>`.
    pub fn set_error_reporting(&self, mode: ErrorReporting) -> Result<()> {
        self.command(&commands::set_error_reporting(mode)).map(drop)
    }

    /// `ATI`: the module's identification lines.
    pub fn identify(&self) -> Result<Vec<String>> {
        Ok(commands::parse_identification(
            &self.command(&commands::identification_query())?,
        ))
    }

    /// `AT+COPS?`: the operator line's parameters, e.g. `0,0,"CHINA MOBILE",7`.
    pub fn operator(&self) -> Result<String> {
        self.run_parsed(&commands::operator_query(), commands::parse_operator)
    }

    /// `AT+CFUN=1,1`: restart the module and wait for its boot URC. All SSL state is lost.
    pub fn restart(&self) -> Result<()> {
        let before = self.stats().resets;
        self.execute(&Command::new("+CFUN=1,1"))?;
        self.wait_for(Duration::from_secs(30), |s| {
            (s.stats().resets > before).then_some(())
        })
    }

    /// Wait up to `timeout` for the next URC no other part of the driver consumed.
    pub fn next_urc(&self, timeout: Duration) -> Option<Urc> {
        self.wait_for(timeout, |s| s.pop_urc()).ok()
    }

    /// Take every queued URC.
    pub fn drain_urcs(&self) -> Vec<Urc> {
        let mut s = self.engine.session();
        std::iter::from_fn(|| s.pop_urc()).collect()
    }

    /// Turn the AT trace on or off from now on. It starts on when a trace sink was given or the
    /// `log` target `l610::trace` was enabled at open; a binding whose listener comes and goes
    /// (Python's `logging`) turns it off while nobody listens, so the bytes are not even
    /// formatted. Redaction is the same either way.
    pub fn set_tracing(&self, on: bool) {
        self.engine.session().set_trace(on);
    }

    /// Counters: URC overflow, restarts, late answers, dropped lines, framing errors, bytes.
    pub fn stats(&self) -> Stats {
        self.engine.session().stats()
    }

    /// Remember `profile`; with `auto_reapply`, apply it again before the next command after every
    /// module restart (the module forgets SSL settings and files at power-down). Applies it now
    /// and reports what was uploaded ([`Modem::apply_profile`]).
    pub fn set_profile(&self, profile: TlsProfile, auto_reapply: bool) -> Result<ProfileReport> {
        let resets = self.stats().resets;
        {
            let mut st = lock(&self.profile);
            *st = ProfileState {
                profile: Some(profile.clone()),
                auto: auto_reapply,
                applied_at_reset: resets,
            };
        }
        self.apply_profile(&profile)
    }

    /// Apply the remembered profile again now.
    pub fn reapply_profile(&self) -> Result<ProfileReport> {
        let profile = lock(&self.profile).profile.clone();
        match profile {
            Some(p) => self.apply_profile(&p),
            None => Err(Error::invalid("no profile set (use set_profile)")),
        }
    }

    fn reapply_profile_if_restarted(&self) -> Result<()> {
        let resets = self.stats().resets;
        let todo = {
            let mut st = lock(&self.profile);
            if st.auto && st.applied_at_reset != resets {
                st.applied_at_reset = resets;
                st.profile.clone()
            } else {
                None
            }
        };
        match todo {
            Some(p) => {
                log::info!(target: "l610", "module restarted: re-applying the TLS profile");
                let report = self.apply_profile(&p)?;
                log::info!(target: "l610", "profile re-applied: {report}");
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Wait until `ready` holds, for the socket and PDP layers.
    pub(crate) fn wait_for<T>(
        &self,
        timeout: Duration,
        ready: impl FnMut(&mut crate::at::Session) -> Option<T>,
    ) -> Result<T> {
        use crate::at::engine::Interrupted;
        let deadline = std::time::Instant::now().checked_add(timeout);
        self.engine.drive(deadline, ready).map_err(|e| match e {
            Interrupted::Timeout => Error::Timeout {
                waiting_for: "the module".into(),
                after: timeout,
            },
            Interrupted::Closed(why) => Error::Closed(why),
            Interrupted::Cancelled => Error::Cancelled,
            Interrupted::Io(e) => Error::Io(e),
        })
    }
}
