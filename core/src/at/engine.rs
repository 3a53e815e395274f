//! The std driver of the session: a reader thread that moves bytes from the port into the
//! session, and callers that wait for what they need while moving the session's bytes to the
//! port and its timers forward.
//!
//! Threads and locks (lock order: `port` → `session` → the tracer's dispatch lock, and `park`
//! alone; nothing is ever acquired in the other direction, `writer` and `port` are only *tried*
//! while `session` is held, and `writer` is never held with `port`):
//!
//! - The read half is behind the `port` lock; whoever holds it reads and feeds the bytes to the
//!   session before letting go (so bytes reach the session in the order they came).
//! - The **reader thread** reads when no caller does. It feeds every byte to the session as it
//!   arrives, fires timers (the port's read timeout wakes it every 50 ms), and wakes waiters. It
//!   never writes: a blocked write must not stop the reading that would unblock it.
//! - **Callers** (any thread: a command, a socket read) wait for the state they need. While
//!   waiting they write whatever the session has to transmit (whoever holds `writer` writes; the
//!   others wait), fire due timers, and check their cancel hook (`crate::cancel`) at least every
//!   50 ms. A caller that may block for a read timeout (its deadline and the session's timers are
//!   further away than that) reads the port itself when it is free, so the answer it waits for
//!   wakes it directly — not the reader thread, which would then have to wake it (a second
//!   thread hop per round trip). The others wait on the condition variable.
//! - So that the next call finds the port free, the reader thread keeps off it while callers read
//!   and for [`READER_GRACE`] after (`reader_off_until`); a caller that cannot read (a deadline
//!   too close) calls it back at once. Only transports whose reads time out take part (what
//!   `Config::join_reader` says); over others the reader thread alone reads, as it must.
//! - **Trace callbacks** run on whichever of these threads collected the event, after the
//!   session lock is released, holding only the tracer's dispatch lock.

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use l610_proto::{Command, CommandId, Event, Outcome, Response, Session, SubmitError, Waiting};

use super::trace::Tracer;
use crate::cancel;
use crate::config::Config;
use crate::error::{Error, Result};

/// The most a waiter sleeps before looking at its cancel hook again.
const CANCEL_POLL: Duration = Duration::from_millis(50);
/// The most one write takes from the session, so that a restart or a cancel can still cut an
/// unsent payload short.
const WRITE_CHUNK: usize = 1024;
/// The read timeout of the transports the engine opens (`config.rs`): how long a read may block.
const READ_TIMEOUT: Duration = Duration::from_millis(50);
/// How long the reader thread stays off the port after a caller read it: the gap between two
/// calls of a script is far shorter, and a URC that comes while nobody calls waits no longer.
const READER_GRACE: Duration = Duration::from_millis(10);
/// Read buffer: the largest burst the session takes in one feed.
const READ_BUFFER: usize = 64 * 1024;

/// The read half and its buffer, behind one lock.
struct Port {
    /// `None` once the modem is shut down and the reader thread has ended.
    reader: Option<Box<dyn Read + Send>>,
    buf: Vec<u8>,
}

pub(crate) struct Shared {
    session: Mutex<Session>,
    changed: Condvar,
    /// Callers sleeping on `changed` (incremented with `session` held, before the wait): a
    /// notification with nobody to wake is skipped — it is a system call each time, two per
    /// round trip of a caller that reads the port itself.
    sleepers: AtomicUsize,
    port: Mutex<Port>,
    /// Callers read the port themselves (see the module documentation): the reader thread keeps
    /// off it until this time (nanoseconds after `epoch`).
    reader_off_until: AtomicU64,
    /// Where the reader thread waits while it keeps off the port; `park_wake` calls it back.
    park: Mutex<()>,
    park_wake: Condvar,
    /// Whether callers may read: the read half times out (see [`READ_TIMEOUT`]).
    callers_read: bool,
    /// The write half; `None` once the modem is shut down.
    writer: Mutex<Option<Box<dyn Write + Send>>>,
    epoch: Instant,
    tracer: Tracer,
    stop: AtomicBool,
}

pub(crate) struct Engine {
    pub(crate) shared: Arc<Shared>,
    reader: Mutex<Option<JoinHandle<()>>>,
    pub(crate) config: Config,
}

/// Why a wait ended without its value.
pub(crate) enum Interrupted {
    Timeout,
    Closed(String),
    Cancelled,
    Io(io::Error),
}

impl Engine {
    pub(crate) fn start(
        reader: Box<dyn Read + Send>,
        writer: Box<dyn Write + Send>,
        config: Config,
    ) -> Result<Engine> {
        let mut session_config = config.session();
        session_config.trace = Tracer::wanted(&config.trace_sink);
        let shared = Arc::new(Shared {
            session: Mutex::new(Session::new(session_config)),
            changed: Condvar::new(),
            sleepers: AtomicUsize::new(0),
            port: Mutex::new(Port {
                reader: Some(reader),
                buf: vec![0u8; READ_BUFFER],
            }),
            reader_off_until: AtomicU64::new(0),
            park: Mutex::new(()),
            park_wake: Condvar::new(),
            // A read half without a timeout could hold a caller past its cancel hook.
            callers_read: config.join_reader && config.callers_read,
            writer: Mutex::new(Some(writer)),
            epoch: Instant::now(),
            tracer: Tracer::new(config.trace_sink.clone()),
            stop: AtomicBool::new(false),
        });
        let for_thread = shared.clone();
        let handle = std::thread::Builder::new()
            .name("l610-reader".into())
            .spawn(move || read_loop(&for_thread))?;
        Ok(Engine {
            shared,
            reader: Mutex::new(Some(handle)),
            config,
        })
    }

    /// The session, locked. Keep it short; never block while holding it.
    pub(crate) fn session(&self) -> MutexGuard<'_, Session> {
        lock(&self.shared.session)
    }

    pub(crate) fn now(&self) -> l610_proto::Instant {
        self.shared.now()
    }

    /// Run one command to its outcome.
    pub(crate) fn execute(&self, cmd: &Command) -> Result<Response> {
        // Error texts name the command, never a password in it.
        let line = cmd.shown_line();
        let id = {
            let mut s = self.session();
            let now = self.now();
            s.submit(cmd.clone(), now).map_err(|e| match e {
                SubmitError::ControlCharacter => Error::InvalidArgument(format!(
                    "command line {line:?} contains a control character; one command per call"
                )),
                SubmitError::QueueFull => Error::LimitReached(format!(
                    "{line}: too many commands are waiting for the module"
                )),
                SubmitError::Closed => {
                    Error::Closed(s.closed().unwrap_or("the modem is closed").to_owned())
                }
            })?
        };
        match self.wait_outcome(id)? {
            Outcome::Closed => {
                let why = self.session().closed().unwrap_or("closed").to_owned();
                Err(Error::Closed(format!("{why} (during {line})")))
            }
            outcome => outcome_to_result(&line, outcome),
        }
    }

    /// Wait for a command's outcome; on cancel, cancel the command in the session (which
    /// abandons it and drains the line) and report [`Error::Cancelled`].
    fn wait_outcome(&self, id: CommandId) -> Result<Outcome> {
        match self.drive(None, |s| s.take_outcome(id)) {
            Ok(o) => Ok(o),
            Err(Interrupted::Cancelled) => {
                {
                    let mut s = self.session();
                    let now = self.now();
                    s.cancel(id, now);
                    // Whatever it ended with, the caller asked to stop.
                    let _ = s.take_outcome(id);
                }
                self.shared.wake();
                // Send the ESC a cancel may have queued, without waiting for anything else.
                let _ = self.flush_now();
                Err(Error::Cancelled)
            }
            Err(Interrupted::Closed(why)) => Err(Error::Closed(why)),
            Err(Interrupted::Io(e)) => Err(Error::Io(e)),
            Err(Interrupted::Timeout) => unreachable!("no deadline was given"),
        }
    }

    /// Wait until `ready` gives a value, the deadline passes, the session closes, or the cancel
    /// hook fires — moving the session's bytes to the port and its timers forward meanwhile.
    pub(crate) fn drive<T>(
        &self,
        deadline: Option<Instant>,
        mut ready: impl FnMut(&mut Session) -> Option<T>,
    ) -> std::result::Result<T, Interrupted> {
        let sh = &*self.shared;
        let mut s = lock(&sh.session);
        loop {
            let now = sh.now();
            s.handle_timeout(now);
            let traces = take_traces(&mut s);
            if !traces.is_empty() {
                s = sh.deliver(s, traces);
                continue;
            }
            // Pending bytes go out first: a command's outcome may already be known (a timeout)
            // while its ESC still waits to be written.
            if s.poll_transmit().is_some() {
                if let Ok(mut w) = sh.writer.try_lock() {
                    if let Some(writer) = w.as_mut() {
                        let bytes = take_chunk(&mut s);
                        drop(s);
                        let written = write_all(&mut **writer, &bytes);
                        drop(w);
                        sh.wake();
                        if let Err(e) = written {
                            let mut s = lock(&sh.session);
                            s.close(&format!("writing to the port failed: {e}"));
                            drop(s);
                            sh.wake();
                            return Err(Interrupted::Io(e));
                        }
                        s = lock(&sh.session);
                        continue;
                    }
                }
            }
            if let Some(v) = ready(&mut s) {
                return Ok(v);
            }
            if let Some(why) = s.closed() {
                return Err(Interrupted::Closed(why.to_owned()));
            }
            if cancel::requested() {
                return Err(Interrupted::Cancelled);
            }
            let wall = Instant::now();
            if deadline.is_some_and(|d| wall >= d) {
                return Err(Interrupted::Timeout);
            }
            let mut wake = wall + CANCEL_POLL;
            if let Some(d) = deadline {
                wake = wake.min(d);
            }
            if let Some(t) = s.poll_timeout() {
                wake = wake.min(sh.wall(t));
            }
            let sleep = wake
                .saturating_duration_since(wall)
                .max(Duration::from_micros(100));
            if sh.callers_read {
                // Read the port ourselves if nothing is due before a read could time out.
                if sleep >= READ_TIMEOUT {
                    sh.keep_reader_off();
                    if let Ok(mut port) = sh.port.try_lock() {
                        drop(s);
                        let ended = sh.read_once(&mut port);
                        drop(port);
                        sh.wake();
                        if let Some(why) = ended {
                            // The reader thread meets the same end on its next read.
                            sh.call_reader_back();
                            return Err(Interrupted::Closed(why));
                        }
                        s = lock(&sh.session);
                        continue;
                    }
                } else {
                    // Someone must read while we sleep: the reader thread.
                    sh.call_reader_back();
                }
            }
            sh.sleepers.fetch_add(1, Ordering::SeqCst);
            s = sh
                .changed
                .wait_timeout(s, sleep)
                .unwrap_or_else(|e| e.into_inner())
                .0;
            sh.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Write what the session has queued, if no other thread is writing.
    fn flush_now(&self) -> io::Result<()> {
        let sh = &*self.shared;
        let Ok(mut w) = sh.writer.try_lock() else {
            return Ok(());
        };
        let Some(writer) = w.as_mut() else {
            return Ok(());
        };
        loop {
            let bytes = take_chunk(&mut lock(&sh.session));
            if bytes.is_empty() {
                return Ok(());
            }
            write_all(&mut **writer, &bytes)?;
        }
    }

    /// Wake every waiter (after changing session state from the caller's side).
    pub(crate) fn notify(&self) {
        self.shared.wake();
    }

    /// Close the session and stop the reader: every waiter returns `Closed` at once, no trace
    /// callback runs after this returns, later calls fail with `Closed`.
    pub(crate) fn shutdown(&self, why: &str) {
        let sh = &*self.shared;
        sh.stop.store(true, Ordering::Relaxed);
        lock(&sh.session).close(why);
        sh.wake();
        sh.call_reader_back();
        sh.tracer.detach();
        if let Some(handle) = lock(&self.reader).take() {
            // A reader with a read timeout notices the stop flag; one that blocks forever (a
            // plain pipe) is left to end with its transport rather than hang the caller.
            if self.config.join_reader {
                let _ = handle.join();
                // Close the read half now, as the reader thread's end did when it owned it.
                if let Ok(mut port) = sh.port.try_lock() {
                    port.reader = None;
                }
            }
        }
        // Drop the write half (closes the port) once no thread is writing.
        *lock(&sh.writer) = None;
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.shutdown("the modem was closed");
    }
}

impl Shared {
    fn now(&self) -> l610_proto::Instant {
        l610_proto::Instant::from_epoch(self.epoch.elapsed())
    }

    fn nanos(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// Wake the callers sleeping on `changed` (after a change of session state, made with
    /// `session` held, or after letting go of `port`), if there are any.
    fn wake(&self) {
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            self.changed.notify_all();
        }
    }

    /// A caller reads (or is about to): the reader thread keeps off the port for a while.
    fn keep_reader_off(&self) {
        let until = self.nanos().saturating_add(READER_GRACE.as_nanos() as u64);
        self.reader_off_until.fetch_max(until, Ordering::Relaxed);
    }

    /// The reader thread must read again now (a caller waits without reading, or the end).
    fn call_reader_back(&self) {
        if self.reader_off_until.load(Ordering::Relaxed) == 0 {
            return;
        }
        let _g = lock(&self.park);
        self.reader_off_until.store(0, Ordering::Relaxed);
        self.park_wake.notify_all();
    }

    /// One read from the port (held by the caller) fed to the session, then wake waiters' state:
    /// `Some(why)` when the transport ended (the session is then closed).
    fn read_once(&self, port: &mut Port) -> Option<String> {
        let Port { reader, buf } = port;
        let Some(reader) = reader.as_mut() else {
            return Some("the modem was closed".to_owned());
        };
        let got = match reader.read(buf) {
            Ok(0) => Err("the transport reached end of file".to_owned()),
            Ok(n) => Ok(&buf[..n]),
            Err(e) if is_transient(&e) => Ok(&[][..]),
            Err(e) => Err(format!("reading the port failed: {e}")),
        };
        let mut s = lock(&self.session);
        let got = match got {
            Ok(got) => got,
            Err(why) => {
                s.close(&why);
                return Some(why);
            }
        };
        let now = self.now();
        s.handle_input(got, now);
        let traces = take_traces(&mut s);
        if !traces.is_empty() {
            let s = self.deliver(s, traces);
            drop(s);
        }
        None
    }

    fn wall(&self, t: l610_proto::Instant) -> Instant {
        self.epoch + t.since_epoch()
    }

    /// Deliver trace events in order: take the dispatch lock, then let go of the session.
    fn deliver<'a>(
        &'a self,
        s: MutexGuard<'a, Session>,
        traces: Vec<l610_proto::TraceEvent>,
    ) -> MutexGuard<'a, Session> {
        let sink = self.tracer.lock();
        drop(s);
        Tracer::deliver(&sink, traces);
        drop(sink);
        lock(&self.session)
    }
}

/// Take every event; the std driver reads state from the session, so only traces matter here.
fn take_traces(s: &mut Session) -> Vec<l610_proto::TraceEvent> {
    let mut traces = Vec::new();
    while let Some(e) = s.poll_event() {
        match e {
            Event::Trace(t) => traces.push(t),
            Event::Framing(f) => log::warn!(target: "l610", "framing error from the module: {f:?}"),
            _ => {}
        }
    }
    traces
}

fn take_chunk(s: &mut Session) -> Vec<u8> {
    match s.poll_transmit() {
        Some(b) => {
            let chunk = b[..b.len().min(WRITE_CHUNK)].to_vec();
            s.transmitted(chunk.len());
            chunk
        }
        None => Vec::new(),
    }
}

pub(crate) fn outcome_to_result(line: &str, outcome: Outcome) -> Result<Response> {
    match outcome {
        Outcome::Ok(response) => Ok(response),
        Outcome::Error => Err(Error::AtError {
            command: line.to_owned(),
        }),
        Outcome::Cme { code, text } => Err(Error::Cme {
            command: line.to_owned(),
            code,
            text,
        }),
        Outcome::Reset => Err(Error::ModuleReset {
            during: line.to_owned(),
        }),
        Outcome::Timeout(waiting) => Err(Error::Timeout {
            waiting_for: match waiting {
                Waiting::Prompt => format!("the > prompt of {line}"),
                Waiting::FinalResult => format!("the final result of {line}"),
            },
            after: Duration::ZERO,
        }),
        Outcome::TooLarge { lines, bytes } => Err(Error::UnexpectedResponse {
            command: line.to_owned(),
            response: format!("{lines} lines, {bytes} bytes: more than the driver keeps"),
        }),
        Outcome::Cancelled => Err(Error::Cancelled),
        Outcome::Closed => Err(Error::Closed(format!("the modem closed during {line}"))),
    }
}

fn read_loop(shared: &Shared) {
    // If anything below panics, the session is closed on the way out: a deaf modem whose every
    // call times out is worse than one that says it is closed.
    struct CloseOnExit<'a>(&'a Shared, Option<String>);
    impl Drop for CloseOnExit<'_> {
        fn drop(&mut self) {
            let why = self
                .1
                .take()
                .unwrap_or_else(|| "the reader thread panicked".to_owned());
            lock(&self.0.session).close(&why);
            self.0.wake();
        }
    }
    let mut guard = CloseOnExit(shared, None);
    let why = loop {
        if shared.stop.load(Ordering::Relaxed) {
            break "the modem was closed".to_owned();
        }
        // Keep off the port while callers read it (they call us back when they need us).
        if shared.callers_read {
            let mut g = lock(&shared.park);
            loop {
                let (until, now) = (
                    shared.reader_off_until.load(Ordering::Relaxed),
                    shared.nanos(),
                );
                if now >= until || shared.stop.load(Ordering::Relaxed) {
                    break;
                }
                g = shared
                    .park_wake
                    .wait_timeout(g, Duration::from_nanos(until - now))
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
        }
        let mut port = lock(&shared.port);
        let ended = shared.read_once(&mut port);
        drop(port);
        shared.wake();
        if let Some(why) = ended {
            break why;
        }
    };
    guard.1 = Some(why);
}

/// A port's read or write timed out, would block or was interrupted: try again, it has not
/// failed.
fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
    )
}

/// Write everything, riding out the short write timeouts of serial ports.
fn write_all(w: &mut dyn Write, mut bytes: &[u8]) -> io::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !bytes.is_empty() {
        match w.write(bytes) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::WriteZero,
                    "the transport accepted no bytes",
                ))
            }
            Ok(n) => bytes = &bytes[n..],
            Err(e) if is_transient(&e) => {
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

/// A poisoned lock only means another thread panicked mid-update; the state stays usable.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
