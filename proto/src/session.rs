//! The session: the one owner of protocol state.
//!
//! Commands queue and run one at a time. A command's line goes out when it reaches the head of
//! the queue; its lifecycle — echo, `>` prompt, payload, final result, timeout, ESC when the
//! prompt never came, abandon, drain until the line is quiet, the late answer of an abandoned
//! command — is decided here and nowhere else. Every line is classified against the command in
//! flight: the echo only if it is exactly the line written; a `+NAME:` line is the response only
//! if the command expects `+NAME` (and its answer shape fits); `OK`/`ERROR`/`+CME ERROR` end it;
//! everything else is a URC, routed to the socket slots, the PDP state or a bounded queue.

use alloc::borrow::{Cow, ToOwned};
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::command::{Command, CommandId, Response};
use crate::config::SessionConfig;
use crate::event::{Event, FramingError, Outcome, Waiting};
use crate::framing::{Cut, Frame, Framer, ReceiveFormat};
use crate::sockets::{CloseReason, ReadError, Routed, SocketHandle, SocketState, Sockets};
use crate::time::Instant;
use crate::trace::{self, Direction, TraceEvent};
use crate::urc::{self, Urc};

/// Cancels the `>` data mode when the prompt never came.
const ESC: u8 = 0x1b;

/// Counters (nothing is dropped silently).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// URCs dropped because the queue was full (the oldest go first).
    pub urc_overflow: u64,
    /// Module restarts seen (boot URCs).
    pub resets: u64,
    /// Final results or prompts that arrived with no command waiting for them (late answers).
    pub stray: u64,
    /// Lines longer than the configured maximum, dropped.
    pub oversized_lines: u64,
    /// Framing errors of any kind (over-long lines included).
    pub framing_errors: u64,
    /// Socket URCs and data for ids no handle owns.
    pub stray_socket: u64,
    /// Trace and notification events dropped because the driver did not poll.
    pub events_dropped: u64,
    /// Bytes received from the module.
    pub rx_bytes: u64,
    /// Bytes handed to the driver for the module.
    pub tx_bytes: u64,
}

/// Why a command was refused before anything was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitError {
    /// The command line holds a control character: it would end the line early and start a
    /// command the session does not track (one command per submit).
    ControlCharacter,
    /// Too many commands are waiting.
    QueueFull,
    /// The session is closed.
    Closed,
}

impl fmt::Display for SubmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SubmitError::ControlCharacter => {
                "the command line contains a control character; one command per call"
            }
            SubmitError::QueueFull => "too many commands are waiting",
            SubmitError::Closed => "the session is closed",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    AwaitPrompt,
    AwaitFinal,
}

#[derive(Debug)]
struct InFlight {
    id: CommandId,
    cmd: Command,
    phase: Phase,
    deadline: Instant,
    echo_seen: bool,
    /// The response lines kept so far: built where the outcome will hold them (inline when
    /// short), so `OK` moves it out with no copy.
    response: Response,
    /// How many lines `response` holds.
    kept: usize,
    bytes: usize,
    seen_lines: usize,
    too_large: bool,
}

#[derive(Debug, Clone, Copy)]
struct Drain {
    quiet_until: Instant,
    limit: Instant,
}

/// The L610 AT session. See the crate documentation.
pub struct Session {
    cfg: SessionConfig,
    framer: Framer,
    queue: VecDeque<(CommandId, Command)>,
    inflight: Option<InFlight>,
    /// A command that timed out, was cancelled or was cut by a restart: its late answer is
    /// recognised and dropped.
    abandoned: Option<Command>,
    drain: Option<Drain>,
    /// Whether the module echoes, as last observed (on after boot).
    echo_on: bool,
    tx: Vec<u8>,
    tx_pos: usize,
    events: VecDeque<Event>,
    outcomes: Vec<(CommandId, Outcome)>,
    urcs: VecDeque<Urc>,
    sockets: Sockets,
    pdp_events: u64,
    pdp_last: Option<String>,
    stats: Stats,
    next_id: u64,
    now: Instant,
    /// When the last feed that could change framing state came (the payload stall timer runs
    /// from it; a byte inside a line, taken by the fast path, cannot start or feed a payload).
    last_rx: Instant,
    /// Received lines are redacted from the trace (a secret upload is running or just ended).
    secret_rx: bool,
    closed: Option<String>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("inflight", &self.inflight.as_ref().map(|c| c.cmd.line()))
            .field("queued", &self.queue.len())
            .field("draining", &self.drain.is_some())
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session with these timeouts and bounds.
    pub fn new(cfg: SessionConfig) -> Self {
        Session {
            framer: Framer::new(cfg.max_line, cfg.max_payload),
            sockets: Sockets::new(cfg.socket_buffer),
            cfg,
            queue: VecDeque::new(),
            inflight: None,
            abandoned: None,
            drain: None,
            echo_on: true,
            tx: Vec::new(),
            tx_pos: 0,
            events: VecDeque::new(),
            outcomes: Vec::new(),
            urcs: VecDeque::new(),
            pdp_events: 0,
            pdp_last: None,
            stats: Stats::default(),
            next_id: 1,
            now: Instant::ZERO,
            last_rx: Instant::ZERO,
            secret_rx: false,
            closed: None,
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &SessionConfig {
        &self.cfg
    }

    /// Produce [`Event::Trace`] events from now on, or stop (the work of escaping every byte is
    /// then not done at all): for a driver whose listener comes and goes (Python's `logging`).
    pub fn set_trace(&mut self, on: bool) {
        self.cfg.trace = on;
    }

    // ---- commands -------------------------------------------------------------------------

    /// Queue a command. Its line is written (see [`poll_transmit`](Self::poll_transmit)) when
    /// every command before it has ended and the line is quiet.
    pub fn submit(&mut self, cmd: Command, now: Instant) -> Result<CommandId, SubmitError> {
        if self.closed.is_some() {
            return Err(SubmitError::Closed);
        }
        if has_control(&cmd) {
            return Err(SubmitError::ControlCharacter);
        }
        if self.queue.len() >= self.cfg.max_queued {
            return Err(SubmitError::QueueFull);
        }
        let id = CommandId(self.next_id);
        self.next_id += 1;
        self.advance(now);
        if self.queue.is_empty() && self.line_free() {
            // What `start_next` would do after queueing it, without the trip through the queue.
            self.start(id, cmd);
        } else {
            self.queue.push_back((id, cmd));
        }
        Ok(id)
    }

    /// Give up on a command: a queued one is dropped unsent; the one in flight is abandoned (ESC
    /// if it still waits for its prompt) and the line drained. Its outcome becomes
    /// [`Outcome::Cancelled`] unless it already ended.
    pub fn cancel(&mut self, id: CommandId, now: Instant) {
        self.advance(now);
        if let Some(at) = self.queue.iter().position(|(q, _)| *q == id) {
            self.queue.remove(at);
            self.finish(id, Outcome::Cancelled);
            return;
        }
        if self.inflight.as_ref().is_some_and(|f| f.id == id) {
            self.abandon(Outcome::Cancelled);
            self.advance(now);
        }
    }

    /// The outcome of a command that ended, once.
    #[inline]
    pub fn take_outcome(&mut self, id: CommandId) -> Option<Outcome> {
        let at = self.outcomes.iter().position(|(o, _)| *o == id)?;
        Some(self.outcomes.swap_remove(at).1)
    }

    /// Whether the command is still queued or in flight.
    pub fn is_pending(&self, id: CommandId) -> bool {
        self.inflight.as_ref().is_some_and(|f| f.id == id)
            || self.queue.iter().any(|(q, _)| *q == id)
    }

    /// The line of the command in flight, if any.
    pub fn in_flight(&self) -> Option<&str> {
        self.inflight.as_ref().map(|f| f.cmd.line())
    }

    // ---- bytes ----------------------------------------------------------------------------

    /// Bytes for the module, if any: write them, then report how many with
    /// [`transmitted`](Self::transmitted).
    pub fn poll_transmit(&self) -> Option<&[u8]> {
        (self.tx_pos < self.tx.len()).then(|| &self.tx[self.tx_pos..])
    }

    /// `n` bytes of [`poll_transmit`](Self::poll_transmit) were handed to the transport.
    pub fn transmitted(&mut self, n: usize) {
        let n = n.min(self.tx.len() - self.tx_pos);
        self.tx_pos += n;
        self.stats.tx_bytes += n as u64;
        if self.tx_pos == self.tx.len() {
            self.tx.clear();
            self.tx_pos = 0;
        }
    }

    /// Bytes from the module, in any split.
    #[inline]
    pub fn handle_input(&mut self, bytes: &[u8], now: Instant) {
        // Fast path for a feed of one byte inside a line or between lines (a UART interrupt's):
        // no frame can end, so none of the per-frame bookkeeping below can change anything. It
        // is armed after a one-byte feed that left the framer at the start of a line or inside
        // one, never while draining (the quiet period restarts with every byte), and turned off
        // by anything else that touches the framer. With no command in flight, nothing waits in
        // the queue: every path that ends a command or a drain starts the next one. Its bytes
        // are counted in `rx_bytes` when the framer appends them to the line, not one by one.
        if let [b] = *bytes {
            if self.framer.take_fast(b) {
                self.now = now.max(self.now);
                return;
            }
        }
        self.handle_input_slow(bytes, now);
    }

    /// The way into the full path from [`handle_input`](Self::handle_input), marked cold so the
    /// fast path is laid out straight through (one taken branch per byte, the loop's own) — not
    /// `handle_input_frames` itself, which a whole-buffer feed runs hot.
    #[cold]
    #[inline(never)]
    fn handle_input_slow(&mut self, bytes: &[u8], now: Instant) {
        self.handle_input_frames(bytes, now);
    }

    #[inline(never)]
    fn handle_input_frames(&mut self, mut bytes: &[u8], now: Instant) {
        self.now = now.max(self.now);
        if bytes.is_empty() {
            self.advance(now);
            return;
        }
        self.stats.rx_bytes += bytes.len() as u64;
        self.last_rx = self.now;
        if let Some(d) = self.drain.as_mut() {
            d.quiet_until = (self.now + self.cfg.quiet_period).min(d.limit);
        }
        let one_byte = bytes.len() == 1;
        while let Some(cut) = self.framer.cut(&mut bytes) {
            match cut {
                Cut::Line(line) => self.on_line(line),
                Cut::Frame(frame) => self.on_frame(frame),
            }
        }
        // The next byte may take the fast path, if this feed was a byte too (a whole-buffer feed
        // would not use it) and the line is not draining (every byte restarts the quiet period).
        if one_byte && self.drain.is_none() {
            self.framer.arm_fast_path();
        }
        // Timers fire in `handle_timeout`; input can only have ended the command in flight.
        if self.inflight.is_none() && !self.queue.is_empty() {
            self.start_next();
        }
    }

    // ---- time -----------------------------------------------------------------------------

    /// When [`handle_timeout`](Self::handle_timeout) must be called next, if anything waits.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let mut t: Option<Instant> = None;
        let mut at = |i: Instant| t = Some(t.map_or(i, |t| t.min(i)));
        if let Some(f) = &self.inflight {
            at(f.deadline);
        }
        if let Some(d) = &self.drain {
            at(d.quiet_until.min(d.limit));
        }
        if self.framer.in_payload() {
            at(self.last_rx + self.cfg.payload_stall);
        }
        t
    }

    /// Time passed: fire whatever is due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.advance(now);
    }

    /// Run every rule that depends on time, then start the next command if the line is free.
    fn advance(&mut self, now: Instant) {
        self.now = now.max(self.now);
        let now = self.now;
        if self.framer.in_payload() && now >= self.last_rx + self.cfg.payload_stall {
            if let Some(e) = self.framer.abort_payload() {
                self.framing_error(e);
                let mut none: &[u8] = &[];
                while let Some(frame) = self.framer.next_frame(&mut none) {
                    self.on_frame(frame);
                }
            }
        }
        if let Some(f) = &self.inflight {
            if now >= f.deadline {
                let waiting = match f.phase {
                    Phase::AwaitPrompt => Waiting::Prompt,
                    Phase::AwaitFinal => Waiting::FinalResult,
                };
                self.abandon(Outcome::Timeout(waiting));
            }
        }
        if let Some(d) = self.drain {
            if now >= d.quiet_until.min(d.limit) {
                self.drain = None;
            }
        }
        self.start_next();
    }

    /// Abandon the command in flight: ESC if the module may sit in data mode waiting for a
    /// payload it never asked for, remember it to recognise its late answer, drain the line.
    fn abandon(&mut self, outcome: Outcome) {
        let Some(mut f) = self.inflight.take() else {
            return;
        };
        if f.phase == Phase::AwaitPrompt && f.cmd.payload.is_some() {
            self.unsend();
            self.send(&[ESC], false);
        }
        self.start_drain();
        f.cmd.payload = None;
        let id = f.id;
        self.abandoned = Some(f.cmd);
        self.finish(id, outcome);
    }

    fn start_drain(&mut self) {
        self.framer.pause_fast_path();
        let from = self.now.max(self.last_rx);
        let limit = self.now + self.cfg.drain_limit;
        self.drain = Some(Drain {
            quiet_until: (from + self.cfg.quiet_period).min(limit),
            limit,
        });
    }

    /// Drop bytes not yet handed to the transport (a payload the module no longer waits for).
    fn unsend(&mut self) {
        self.tx.truncate(self.tx_pos);
    }

    /// Nothing in flight, no drain, not closed: the next command may start.
    fn line_free(&self) -> bool {
        self.inflight.is_none() && self.drain.is_none() && self.closed.is_none()
    }

    fn start_next(&mut self) {
        if !self.line_free() {
            return;
        }
        let Some((id, cmd)) = self.queue.pop_front() else {
            return;
        };
        self.start(id, cmd);
    }

    fn start(&mut self, id: CommandId, cmd: Command) {
        if self.tx_pos == self.tx.len() && !cmd.secret {
            self.secret_rx = false;
        }
        if cmd.secret {
            self.secret_rx = true;
        }
        let line = cmd.line_bytes();
        self.tx.reserve(line.len() + 1);
        self.tx.extend_from_slice(line);
        self.tx.push(b'\r');
        if self.cfg.trace {
            let text = if cmd.secret_from.is_some() {
                trace::escape(cmd.shown_line().as_bytes()) + "\\r"
            } else {
                let at = self.tx.len() - line.len() - 1;
                trace::escape(&self.tx[at..])
            };
            self.trace(Direction::Tx, text);
        }
        let (phase, wait) = if cmd.payload.is_some() {
            (Phase::AwaitPrompt, self.cfg.prompt_timeout)
        } else {
            (
                Phase::AwaitFinal,
                cmd.timeout.unwrap_or(self.cfg.command_timeout),
            )
        };
        self.inflight = Some(InFlight {
            id,
            cmd,
            phase,
            deadline: self.now + wait,
            echo_seen: false,
            response: Response::default(),
            kept: 0,
            bytes: 0,
            seen_lines: 0,
            too_large: false,
        });
    }

    fn send(&mut self, bytes: &[u8], show: bool) {
        let show = show || bytes == [ESC];
        self.tx.extend_from_slice(bytes);
        if self.cfg.trace {
            let text = if show {
                trace::escape(bytes)
            } else {
                trace::redacted(bytes.len())
            };
            self.trace(Direction::Tx, text);
        }
    }

    fn finish(&mut self, id: CommandId, outcome: Outcome) {
        self.outcomes.push((id, outcome));
        self.notify(Event::CommandDone(id));
    }

    // ---- receive path ---------------------------------------------------------------------

    fn on_frame(&mut self, frame: Frame) {
        match frame {
            Frame::Line(bytes) => {
                self.on_line(&bytes);
                self.framer.recycle(bytes);
            }
            Frame::Prompt => {
                self.trace_rx(b">", false);
                let payload = match self.inflight.as_mut() {
                    Some(f) if f.phase == Phase::AwaitPrompt => {
                        f.phase = Phase::AwaitFinal;
                        f.deadline = self.now + f.cmd.timeout.unwrap_or(self.cfg.command_timeout);
                        f.cmd.payload.take().map(|p| (p, f.cmd.trace_payload))
                    }
                    _ => {
                        self.stats.stray += 1;
                        None
                    }
                };
                if let Some((p, show)) = payload {
                    self.send(&p, show);
                }
            }
            Frame::Payload { id, data } => {
                if self.cfg.trace {
                    let mut shown = alloc::format!("+MIPRTCP: {id},{},", data.len()).into_bytes();
                    shown.extend_from_slice(&data[..data.len().min(trace::MAX_TEXT)]);
                    self.trace_rx(&shown, false);
                }
                let n = data.len() as u64;
                self.deliver(Urc::MipRtcp { id, n, data });
            }
            Frame::Error(e) => self.framing_error(e),
        }
    }

    fn framing_error(&mut self, e: FramingError) {
        self.stats.framing_errors += 1;
        if let FramingError::LineTooLong { .. } = e {
            self.stats.oversized_lines += 1;
        }
        let lost = match e {
            FramingError::PayloadTooLong { socket, declared } => Some((socket, declared)),
            FramingError::PayloadStalled {
                socket,
                received,
                missing,
            } => Some((socket, (received + missing) as u64)),
            FramingError::PayloadNotTerminated { socket } => Some((socket, 0)),
            FramingError::LineTooLong { .. } => None,
        };
        if let Some((socket, bytes)) = lost {
            if let Some(h) = self.sockets.lose(socket, bytes.max(1)) {
                self.notify(Event::Socket(h));
            }
        }
        self.notify(Event::Framing(e));
    }

    /// Classify a line. Echoes and final results are decided on the bytes; the text (valid
    /// UTF-8, which is all the module sends, borrowed; anything else made valid, lossily) is
    /// taken only for a line that is kept or parsed.
    fn on_line(&mut self, line: &[u8]) {
        let final_result = final_result(line);
        let boot = final_result.is_none() && is_boot(line);
        if self.cfg.trace {
            self.trace_line(line, boot || final_result.is_some());
        }
        if boot {
            self.on_boot(&text(line));
            return;
        }
        if let Some(f) = self.inflight.as_mut() {
            if !f.echo_seen && f.seen_lines == 0 && is_echo(&f.cmd, line) {
                f.echo_seen = true;
                self.echo_on = true;
                // The module has moved on to this command: the abandoned one is over.
                self.abandoned = None;
                return;
            }
        }
        // A command that was abandoned may still answer. With echo on, whatever comes before
        // the echo of the command in flight is the old command's answer; with no command in
        // flight, everything is.
        if self.abandoned.is_some() && self.old_answer(line, final_result.is_some()) {
            return;
        }
        let Some(f) = self.inflight.as_mut() else {
            if final_result.is_some() {
                self.stats.stray += 1;
            } else {
                self.on_urc_line(line);
            }
            return;
        };
        if let Some(end) = final_result {
            self.end_command(end, line);
        } else if owns(&f.cmd, f.kept, line) {
            self.keep_line(line);
        } else {
            self.on_urc_line(line);
        }
    }

    /// Whether the line is the late answer of the abandoned command (and dropped); its final
    /// result ends it.
    #[inline(never)]
    fn old_answer(&mut self, line: &[u8], is_final: bool) -> bool {
        let before_current = self
            .inflight
            .as_ref()
            .is_none_or(|f| self.echo_on && !f.echo_seen);
        let Some(old) = self.abandoned.as_ref().filter(|_| before_current) else {
            return false;
        };
        if is_final {
            self.abandoned = None;
            self.stats.stray += 1;
            return true;
        }
        is_echo(old, line) || owns(old, 0, line)
    }

    /// The final result of the command in flight.
    fn end_command(&mut self, end: Final, line: &[u8]) {
        let Some(f) = self.inflight.as_mut() else {
            return;
        };
        if !f.echo_seen {
            self.echo_on = false;
        }
        // Read in place: the command in flight is large, and moving it out to read three fields
        // was a tenth of a small command's receive path.
        let id = f.id;
        let outcome = match end {
            Final::Ok if f.too_large => Outcome::TooLarge {
                lines: f.seen_lines,
                bytes: f.bytes,
            },
            Final::Ok => {
                if let Some(format) = f.cmd.on_ok_format {
                    self.framer.set_format(format);
                }
                Outcome::Ok(core::mem::take(&mut f.response))
            }
            // `final_result` found it one: `Some`.
            Final::Failed => final_result_slow(&text(line)).unwrap_or(Outcome::Error),
        };
        self.inflight = None;
        self.finish(id, outcome);
    }

    /// A line of the response of the command in flight: kept, or only counted once the response
    /// is over its bounds.
    fn keep_line(&mut self, line: &[u8]) {
        let Some(f) = self.inflight.as_mut() else {
            return;
        };
        // Counted as received (the bound is on the module's bytes, not on their text).
        f.seen_lines += 1;
        f.bytes = f.bytes.saturating_add(line.len());
        if f.too_large {
            return;
        }
        if f.seen_lines > self.cfg.max_response_lines || f.bytes > self.cfg.max_response_bytes {
            // Counted, not kept: a module that never stops must not grow memory.
            f.too_large = true;
            f.kept = 0;
            f.response = Response::default();
        } else {
            f.response.push_line(line);
            f.kept += 1;
        }
    }

    /// A line no command owns: a URC.
    #[inline(never)]
    fn on_urc_line(&mut self, line: &[u8]) {
        self.deliver(urc::parse(&text(line)));
    }

    #[inline(never)]
    fn on_boot(&mut self, line: &str) {
        self.stats.resets += 1;
        self.echo_on = true;
        self.abandoned = None;
        if self.inflight.is_some() {
            // The boot line may be older than the command (printed before we wrote it): then
            // the module still answers it, and that answer must not be taken for the next one's.
            self.abandon(Outcome::Reset);
        }
        // A payload the module no longer waits for must not reach it as commands.
        self.unsend();
        // The receive format and every connection are volatile.
        self.framer.set_format(ReceiveFormat::Hex);
        let mut changed = Vec::new();
        self.sockets
            .end_all(CloseReason::ModuleRestarted, &mut |h| changed.push(h));
        for h in changed {
            self.notify(Event::Socket(h));
        }
        self.pdp_last = None;
        self.start_drain();
        self.notify(Event::Reset);
        self.push_urc(Urc::Boot(line.trim().to_owned()));
    }

    #[inline(never)]
    fn deliver(&mut self, urc: Urc) {
        match self.sockets.route(&urc) {
            Routed::Changed(h) => {
                self.notify(Event::Socket(h));
                return;
            }
            Routed::Quiet => {
                self.stats.stray_socket = self.sockets.stray;
                return;
            }
            Routed::No => {}
        }
        if let Urc::MipCall(status) = urc {
            self.pdp_events += 1;
            self.notify(Event::Pdp(status.clone()));
            self.pdp_last = Some(status);
            return;
        }
        self.push_urc(urc);
    }

    fn push_urc(&mut self, urc: Urc) {
        if self.urcs.len() >= self.cfg.urc_capacity.max(1) {
            self.urcs.pop_front();
            self.stats.urc_overflow += 1;
        }
        self.urcs.push_back(urc);
        self.notify(Event::Urc);
    }

    /// Queue an event, within `event_capacity`: when full, the oldest notification goes first
    /// (a trace line, a socket or URC notice), and only when there is none the oldest
    /// `CommandDone` — whose outcome is still kept for [`take_outcome`](Self::take_outcome).
    #[inline]
    fn notify(&mut self, e: Event) {
        if self.events.len() >= self.cfg.event_capacity.max(1) {
            self.drop_oldest_event();
        }
        self.events.push_back(e);
    }

    /// The event queue is full (the driver does not poll): make room as [`notify`](Self::notify)
    /// says.
    #[cold]
    #[inline(never)]
    fn drop_oldest_event(&mut self) {
        let at = self
            .events
            .iter()
            .position(|e| !matches!(e, Event::CommandDone(_)))
            .unwrap_or(0);
        self.events.remove(at);
        self.stats.events_dropped += 1;
    }

    fn trace(&mut self, direction: Direction, text: String) {
        let at = self.now;
        self.notify(Event::Trace(TraceEvent {
            at,
            direction,
            text,
        }));
    }

    /// Trace a received line: redacted while a secret upload runs (except a boot line or a
    /// final result, which cannot hold it) and when it is the echo of a line with a password.
    fn trace_line(&mut self, line: &[u8], ends_or_boots: bool) {
        let secret_echo =
            self.inflight.as_ref().is_some_and(|f| {
                f.cmd.secret_from.is_some() && !f.echo_seen && is_echo(&f.cmd, line)
            }) || self
                .abandoned
                .as_ref()
                .is_some_and(|old| old.secret_from.is_some() && is_echo(old, line));
        self.trace_rx(line, (self.secret_rx && !ends_or_boots) || secret_echo);
    }

    fn trace_rx(&mut self, bytes: &[u8], redact: bool) {
        if self.cfg.trace {
            let text = if redact {
                trace::redacted(bytes.len())
            } else {
                trace::escape(bytes)
            };
            self.trace(Direction::Rx, text);
        }
    }

    // ---- events, URCs, state --------------------------------------------------------------

    /// Take the oldest queued URC that `wanted` picks, leaving the others in order (a driver
    /// waiting for a ping's `+MPINGSTAT` must not eat the application's URCs).
    pub fn take_urc(&mut self, mut wanted: impl FnMut(&Urc) -> bool) -> Option<Urc> {
        let at = self.urcs.iter().position(&mut wanted)?;
        self.urcs.remove(at)
    }

    /// The next event, oldest first.
    #[inline]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next queued URC no part of the session consumed.
    pub fn pop_urc(&mut self) -> Option<Urc> {
        self.urcs.pop_front()
    }

    /// Counters.
    pub fn stats(&self) -> Stats {
        Stats {
            stray_socket: self.sockets.stray,
            rx_bytes: self.stats.rx_bytes + self.framer.fast_path_bytes(),
            ..self.stats
        }
    }

    /// The receive format the framer is in.
    pub fn receive_format(&self) -> ReceiveFormat {
        self.framer.format()
    }

    /// How many `+MIPCALL` URCs were seen, and the last one's parameters (cleared by a restart).
    pub fn pdp(&self) -> (u64, Option<&str>) {
        (self.pdp_events, self.pdp_last.as_deref())
    }

    /// Why the session is closed, if it is.
    pub fn closed(&self) -> Option<&str> {
        self.closed.as_deref()
    }

    /// The transport is gone: every pending command ends with [`Outcome::Closed`], every socket
    /// closes, and later submits are refused.
    pub fn close(&mut self, why: &str) {
        if self.closed.is_some() {
            return;
        }
        self.closed = Some(why.to_owned());
        if let Some(f) = self.inflight.take() {
            self.finish(f.id, Outcome::Closed);
        }
        while let Some((id, _)) = self.queue.pop_front() {
            self.finish(id, Outcome::Closed);
        }
        self.tx.clear();
        self.tx_pos = 0;
        let mut changed = Vec::new();
        self.sockets
            .end_all(CloseReason::SessionClosed, &mut |h| changed.push(h));
        for h in changed {
            self.notify(Event::Socket(h));
        }
    }

    // ---- sockets --------------------------------------------------------------------------

    /// Reserve a socket id for a new connection: the first of `free_on_module` (what
    /// `AT+MIPOPEN?` listed) that no handle holds. The slot starts in
    /// [`SocketState::Opening`]; submit `AT+MIPOPEN=<id>,...` next.
    pub fn reserve_socket(&mut self, free_on_module: &[u8]) -> Option<SocketHandle> {
        if self.closed.is_some() {
            return None;
        }
        self.sockets.reserve(free_on_module)
    }

    /// Where the socket of `h` stands.
    pub fn socket_state(&self, h: SocketHandle) -> SocketState {
        self.sockets.state(h)
    }

    /// Bytes received for `h` and not yet read.
    pub fn socket_buffered(&self, h: SocketHandle) -> usize {
        self.sockets.buffered(h)
    }

    /// Whether [`read_socket`](Self::read_socket) would return something other than
    /// [`ReadError::WouldBlock`].
    pub fn socket_readable(&self, h: SocketHandle) -> bool {
        self.sockets.readable(h)
    }

    /// Read mode (IPRFMT 5): the `AT+MIPREAD=<id>,<max>` to submit before `h` can be read — when
    /// nothing is buffered and the module announced bytes (`+MIPREAD`); `None` otherwise. The
    /// bytes of its answer land in the socket's buffer. In the other formats the module pushes
    /// data by itself and this is always `None`.
    pub fn socket_pull(&self, h: SocketHandle, max: usize) -> Option<Command> {
        (self.framer.format() == ReceiveFormat::Read
            && !self.sockets.readable(h)
            && self.sockets.waiting(h) > 0)
            .then(|| crate::commands::read_socket_data(h.id, max))
    }

    /// Copy received bytes of `h` into `buf`. `Ok(0)` (with a non-empty `buf`) is the end of the
    /// stream: only a close by the other side is one.
    pub fn read_socket(&mut self, h: SocketHandle, buf: &mut [u8]) -> Result<usize, ReadError> {
        self.sockets.read(h, buf)
    }

    /// The host is about to close `h`: returns whether the module still has the connection (then
    /// submit `AT+MIPCLOSE=<id>`; the `+MIPCLOSE` URC that follows is attributed to the host).
    pub fn begin_close(&mut self, h: SocketHandle) -> bool {
        self.sockets.begin_close(h)
    }

    /// The connection of `h` is gone even though no URC said so (e.g. the open timed out and
    /// `AT+MIPCLOSE` was sent).
    pub fn mark_socket_closed(&mut self, h: SocketHandle) {
        self.sockets.mark_closed(h, CloseReason::Host);
    }

    /// The handle is done; the id may serve another connection. `false` for a stale handle.
    pub fn release_socket(&mut self, h: SocketHandle) -> bool {
        self.sockets.release(h)
    }
}

/// Would the submit check refuse this line? ASCII (every command the crate builds) is checked
/// a byte at a time; anything else by `char`, for the C1 controls.
fn has_control(cmd: &Command) -> bool {
    let line = cmd.line_bytes();
    if line.is_ascii() {
        line.iter().any(|&b| b < 0x20 || b == 0x7f)
    } else {
        cmd.line().chars().any(char::is_control)
    }
}

/// Whether a line starting with byte `b` may start with other characters once trimmed
/// (`str::trim` removes Unicode whitespace: ASCII 0x09..=0x0D and space, or a non-ASCII char).
#[inline]
fn may_trim(b: u8) -> bool {
    !b.is_ascii() || matches!(b, b'\t'..=b'\r' | b' ')
}

/// A line as text: borrowed when valid UTF-8, else with U+FFFD for what is not.
fn text(line: &[u8]) -> Cow<'_, str> {
    // `from_utf8` first: it checks long ASCII runs (a hex `+MIPRTCP` line) a word at a time,
    // where `from_utf8_lossy` goes byte by byte.
    match core::str::from_utf8(line) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(line),
    }
}

/// Bytes `str::trim_end` would certainly remove (ASCII white space); a non-ASCII byte may be
/// part of Unicode white space, so the callers ask `str` then.
#[inline]
fn ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// A boot URC (`AT command ready`, `RDY`); decided on the first byte for every other line.
#[inline]
fn is_boot(line: &[u8]) -> bool {
    match line {
        [b'A', b'T', b' ', ..] | [b'R', b'D', ..] => urc::is_boot(&text(line)),
        [b, ..] if may_trim(*b) => urc::is_boot(&text(line)),
        _ => false,
    }
}

/// Is the line the echo of exactly this command?
fn is_echo(cmd: &Command, line: &[u8]) -> bool {
    let echo = cmd.line_bytes();
    if line == echo {
        return true;
    }
    let Some((start, rest)) = line.split_at_checked(echo.len()) else {
        return false;
    };
    // Exact first (the module echoes as written), then without case; then nothing but trailing
    // white space.
    eq_ignore_case(start, echo)
        && (rest.iter().all(|&b| ascii_space(b))
            || (!rest.is_ascii() && text(line).trim_end().len() == echo.len()))
}

/// Does the line belong to the command's response (which has `kept` lines so far)?
fn owns(cmd: &Command, kept: usize, line: &[u8]) -> bool {
    if line.first() != Some(&b'+') {
        return cmd.bare_lines;
    }
    // The first prefix first, without a scan for its end: most commands expect one.
    let first = cmd.first_expected().and_then(|p| after_name(p, line));
    let Some(params) = first.or_else(|| cmd.expected().skip(1).find_map(|p| after_name(p, line)))
    else {
        return false;
    };
    match (cmd.shape, cmd.max_lines) {
        (Some(shape), max) => max.is_none_or(|m| kept < m) && shape(text(params).trim()),
        (None, Some(m)) => kept < m,
        (None, None) => true,
    }
}

/// If `line` starts with the name `p` (ASCII case ignored; white space may follow it before
/// the colon): the parameters after the colon, empty when there is none. Compared in place, on
/// bytes: this runs for every `+` line while a command is in flight.
fn after_name<'a>(p: &[u8], line: &'a [u8]) -> Option<&'a [u8]> {
    let (head, rest) = line.split_at_checked(p.len())?;
    if !eq_ignore_case(head, p) {
        return None;
    }
    let (gap, params) = match rest.iter().position(|&b| b == b':') {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    // A name's end is trimmed as `str::trim_end` has it: Unicode white space too.
    (gap.iter().all(|&b| ascii_space(b)) || (!gap.is_ascii() && text(gap).trim().is_empty()))
        .then_some(params)
}

/// `a == b` ignoring ASCII case, the exact byte tried first (the module answers in the case it
/// was asked).
#[inline]
fn eq_ignore_case(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&x, &y)| x == y || x.eq_ignore_ascii_case(&y))
}

/// A final result, as the receive path sees it: `OK` (whose outcome takes the response lines)
/// or a failure (typed by [`final_result_slow`] when the command ends: one byte to carry until
/// then, where an `Outcome` is a stack slot through all of [`Session::on_line`]).
#[derive(Clone, Copy)]
enum Final {
    Ok,
    Failed,
}

/// `OK`, `ERROR`, `+CME ERROR: ...`, `+CMS ERROR: ...`.
#[inline]
fn final_result(line: &[u8]) -> Option<Final> {
    // Decided on the first byte for most lines (`+CSQ: 23,99` cannot be one).
    match line {
        [b'O', b'K'] => return Some(Final::Ok),
        [b'O' | b'E', ..] | [b'+', b'C', b'M', b'E' | b'S', ..] => {}
        [b, ..] if may_trim(*b) => {}
        _ => return None,
    }
    match final_result_slow(&text(line))? {
        Outcome::Ok(_) => Some(Final::Ok),
        _ => Some(Final::Failed),
    }
}

fn final_result_slow(line: &str) -> Option<Outcome> {
    let line = line.trim();
    match line {
        "OK" => return Some(Outcome::Ok(Response::default())),
        "ERROR" => return Some(Outcome::Error),
        _ => {}
    }
    let rest = line
        .strip_prefix("+CME ERROR:")
        .or_else(|| line.strip_prefix("+CMS ERROR:"))?
        .trim();
    Some(match rest.parse::<u16>() {
        Ok(code) => Outcome::Cme {
            code: Some(code),
            text: None,
        },
        Err(_) => Outcome::Cme {
            code: None,
            text: Some(rest.to_owned()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The name before a line's colon, compared in place, means what `trim_end` of the name
    /// compared without case meant: white space (Unicode too) may follow it, nothing else.
    #[test]
    fn a_response_line_is_told_by_its_name() {
        let cases: [(&str, Option<&str>); 9] = [
            ("+CSQ: 23,99", Some(" 23,99")),
            ("+csq : 1", Some(" 1")),
            ("+CSQ\t\u{a0}:1", Some("1")),
            ("+CSQ", Some("")),
            ("+CSQ ", Some("")),
            ("+CSQX: 1", None),
            ("+CSQ x: 1", None),
            ("+CSQ\u{e9}: 1", None),
            ("+CS: 1", None),
        ];
        for (line, want) in cases {
            let got = after_name(b"+CSQ", line.as_bytes());
            assert_eq!(got, want.map(str::as_bytes), "{line:?}");
        }
        assert!(eq_ignore_case(b"AT+CSQ", b"at+cSq"));
        assert!(!eq_ignore_case(b"AT+CSQ", b"AT+CSR"));
        assert!(!eq_ignore_case(b"AT+CSQ", b"AT+CS"));
        assert!(!eq_ignore_case(b"\xc3", b"\xe3"));
    }
}
