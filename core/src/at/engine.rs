//! The command runner: one command at a time on the write side, a background reader on the read
//! side.
//!
//! The reader thread owns the read half and feeds every byte to the [`Parser`] as soon as it
//! arrives, so nothing waits in the OS buffer while the application is busy; callers wait on a
//! condition variable for the parser state they need (an outcome, a prompt, socket data).

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::command::{Command, Response};
use super::parser::{Outcome, Parser};
use super::trace::{Direction, Tracer};
use crate::config::Config;
use crate::error::{Error, Result};

/// Cancels the `>` data mode when the prompt never came.
const ESC: u8 = 0x1b;

pub(crate) struct Shared {
    pub(crate) parser: Mutex<Parser>,
    pub(crate) changed: Condvar,
    /// Set by the reader thread when the transport ended (EOF or error).
    closed: Mutex<Option<String>>,
    last_rx: Mutex<Instant>,
    stop: AtomicBool,
}

pub(crate) struct Engine {
    pub(crate) shared: Arc<Shared>,
    /// The write half; holding it is holding the right to run a command.
    writer: Mutex<Box<dyn Write + Send>>,
    reader: Option<JoinHandle<()>>,
    pub(crate) config: Config,
    tracer: Tracer,
}

impl Engine {
    pub(crate) fn start(
        reader: Box<dyn Read + Send>,
        writer: Box<dyn Write + Send>,
        config: Config,
    ) -> Result<Engine> {
        let tracer = Tracer::new(config.trace_sink.clone());
        let parser = Parser::with_tracer(
            config.urc_capacity,
            config.socket_buffer,
            config.max_line,
            tracer.clone(),
        );
        let shared = Arc::new(Shared {
            parser: Mutex::new(parser),
            changed: Condvar::new(),
            closed: Mutex::new(None),
            last_rx: Mutex::new(Instant::now()),
            stop: AtomicBool::new(false),
        });
        let for_thread = shared.clone();
        let handle = std::thread::Builder::new()
            .name("l610-reader".into())
            .spawn(move || read_loop(reader, &for_thread))?;
        Ok(Engine {
            shared,
            writer: Mutex::new(writer),
            reader: Some(handle),
            config,
            tracer,
        })
    }

    pub(crate) fn parser(&self) -> MutexGuard<'_, Parser> {
        lock(&self.shared.parser)
    }

    /// Run one command to its final result.
    pub(crate) fn execute(&self, cmd: &Command) -> Result<Response> {
        // A CR or another control character inside the line would end it early and start a
        // second command the engine does not track (AT command injection through the raw API).
        if let Some(bad) = cmd.line.chars().find(|c| c.is_control()) {
            return Err(Error::InvalidArgument(format!(
                "command line {:?} contains {bad:?}; one command per call, no control characters",
                cmd.line
            )));
        }
        let mut writer = lock(&self.writer);
        self.check_open()?;
        let timeout = cmd.timeout.unwrap_or(self.config.command_timeout);
        self.parser().begin(cmd);
        let mut line = Vec::with_capacity(cmd.line.len() + 1);
        line.extend_from_slice(cmd.line.as_bytes());
        line.push(b'\r');
        self.tracer.bytes(Direction::Tx, &line);
        if let Err(e) = write_all(&mut **writer, &line, timeout) {
            self.parser().abandon();
            return Err(e.into());
        }

        if let Some(payload) = &cmd.payload {
            let prompted = self.wait(self.config.prompt_timeout, |p| {
                p.inflight.as_ref().and_then(|f| {
                    f.outcome
                        .is_some()
                        .then_some(false)
                        .or(f.prompt.then_some(true))
                })
            });
            match prompted {
                Ok(true) => {
                    if cmd.redact_payload {
                        self.tracer.redacted(Direction::Tx, payload.len());
                    } else {
                        self.tracer.bytes(Direction::Tx, payload);
                    }
                    if let Err(e) = write_all(&mut **writer, payload, timeout) {
                        self.parser().abandon();
                        return Err(e.into());
                    }
                }
                Ok(false) => {} // an outcome came instead of the prompt: report it below
                Err(e) => {
                    // The module may sit in data mode waiting for bytes: ESC cancels it.
                    self.tracer.bytes(Direction::Tx, &[ESC]);
                    let _ = write_all(&mut **writer, &[ESC], timeout);
                    self.parser().abandon();
                    self.drain();
                    return Err(match e {
                        Error::Timeout { after, .. } => Error::Timeout {
                            waiting_for: format!("the > prompt of {}", cmd.line),
                            after,
                        },
                        other => other,
                    });
                }
            }
        }

        let outcome = self.wait(timeout, |p| p.take_outcome());
        drop(writer);
        match outcome {
            Ok(Outcome::Ok(response)) => Ok(response),
            Ok(Outcome::Error) => Err(Error::AtError {
                command: cmd.line.clone(),
            }),
            Ok(Outcome::Cme { code, text }) => Err(Error::Cme {
                command: cmd.line.clone(),
                code,
                text,
            }),
            Ok(Outcome::Reset) => {
                self.drain();
                Err(Error::ModuleReset {
                    during: cmd.line.clone(),
                })
            }
            Err(e) => {
                self.parser().abandon();
                self.drain();
                Err(match e {
                    Error::Timeout { after, .. } => Error::Timeout {
                        waiting_for: format!("the final result of {}", cmd.line),
                        after,
                    },
                    other => other,
                })
            }
        }
    }

    /// Wait until `ready` returns a value, the transport closes, or `timeout` passes.
    pub(crate) fn wait<T>(
        &self,
        timeout: Duration,
        mut ready: impl FnMut(&mut Parser) -> Option<T>,
    ) -> Result<T> {
        let deadline = Instant::now() + timeout;
        let mut parser = self.parser();
        loop {
            if let Some(v) = ready(&mut parser) {
                return Ok(v);
            }
            if let Some(why) = lock(&self.shared.closed).clone() {
                return Err(Error::Closed(why));
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::Timeout {
                    waiting_for: "the module".into(),
                    after: timeout,
                });
            }
            parser = self
                .shared
                .changed
                .wait_timeout(parser, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// After a timeout: wait until the line has been quiet for a while (bounded), so that a late
    /// answer is consumed as the abandoned command's and not taken for the next one's.
    fn drain(&self) {
        let limit = Instant::now() + self.config.drain_limit;
        loop {
            let quiet_for = lock(&self.shared.last_rx).elapsed();
            if quiet_for >= self.config.quiet_period || Instant::now() >= limit {
                return;
            }
            let parser = self.parser();
            let _ = self
                .shared
                .changed
                .wait_timeout(parser, self.config.quiet_period - quiet_for);
        }
    }

    fn check_open(&self) -> Result<()> {
        match lock(&self.shared.closed).clone() {
            Some(why) => Err(Error::Closed(why)),
            None => Ok(()),
        }
    }

    /// Notify waiters after changing parser state from the caller's side.
    pub(crate) fn notify(&self) {
        self.shared.changed.notify_all();
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.reader.take() {
            // A reader with a read timeout notices the stop flag; one that blocks forever (a plain
            // pipe) is left to end with its transport rather than hang the caller.
            if self.config.join_reader {
                let _ = handle.join();
            }
        }
    }
}

fn read_loop(mut reader: Box<dyn Read + Send>, shared: &Shared) {
    let mut buf = vec![0u8; 64 * 1024];
    let why = loop {
        if shared.stop.load(Ordering::Relaxed) {
            break "modem closed".to_owned();
        }
        match reader.read(&mut buf) {
            Ok(0) => break "the transport reached end of file".to_owned(),
            Ok(n) => {
                *lock(&shared.last_rx) = Instant::now();
                lock(&shared.parser).feed(&buf[..n]);
                shared.changed.notify_all();
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut
                        | io::ErrorKind::WouldBlock
                        | io::ErrorKind::Interrupted
                ) => {}
            Err(e) => break format!("reading the transport failed: {e}"),
        }
    };
    *lock(&shared.closed) = Some(why);
    shared.changed.notify_all();
}

/// Write everything, riding out the short write timeouts of serial ports.
fn write_all(w: &mut dyn Write, mut bytes: &[u8], timeout: Duration) -> io::Result<()> {
    let deadline = Instant::now() + timeout;
    while !bytes.is_empty() {
        match w.write(bytes) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::WriteZero,
                    "the transport accepted no bytes",
                ))
            }
            Ok(n) => bytes = &bytes[n..],
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut
                        | io::ErrorKind::WouldBlock
                        | io::ErrorKind::Interrupted
                ) =>
            {
                if Instant::now() >= deadline {
                    return Err(e);
                }
            }
            Err(e) => return Err(e),
        }
    }
    loop {
        match w.flush() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// A poisoned lock only means another thread panicked mid-update; the parser state stays usable.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
