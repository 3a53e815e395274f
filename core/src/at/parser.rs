//! The receive path: frames classified against the command in flight.
//!
//! A line is the echo only if it is the exact command line we wrote; a `+NAME:` line is the
//! command's response only if the command expects `+NAME`; `OK`/`ERROR`/`+CME ERROR` end it. Every
//! other line is a URC: socket URCs go to the socket table, the rest to a bounded queue whose
//! overflow is counted. The parser has no threads and no I/O, so transcripts can be replayed
//! through it byte by byte in tests and benchmarks exactly as the engine's reader thread does.

use std::collections::VecDeque;

use super::command::{Command, Response};
use super::framing::{Frame, Framer, ReceiveFormat};
use super::trace::{Direction, Tracer};
use super::urc::{self, Urc};
use crate::socket::table::SocketTable;

/// How a command ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `OK`, with the response lines.
    Ok(Response),
    /// `ERROR`.
    Error,
    /// `+CME ERROR: <n>` or `+CME ERROR: <text>` (also `+CMS ERROR`).
    Cme {
        /// Numeric code, if numeric.
        code: Option<u16>,
        /// Verbose text, if verbose.
        text: Option<String>,
    },
    /// A boot URC arrived while the command was in flight.
    Reset,
}

#[derive(Debug, Clone)]
pub(crate) struct InFlight {
    line: String,
    expects: Vec<String>,
    bare_lines: bool,
    wants_prompt: bool,
    on_ok_format: Option<ReceiveFormat>,
    echo_seen: bool,
    pub(crate) prompt: bool,
    lines: Vec<String>,
    pub(crate) outcome: Option<Outcome>,
}

/// Counters the engine reports (nothing is dropped silently).
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
    /// Bytes received from the module.
    pub rx_bytes: u64,
}

/// The receive path of the engine. See the module documentation.
pub struct Parser {
    framer: Framer,
    pub(crate) inflight: Option<InFlight>,
    /// A command that timed out; its late answer is recognised and dropped.
    abandoned: Option<InFlight>,
    /// Whether the module echoes, as last observed (on after boot).
    echo_on: bool,
    urcs: VecDeque<Urc>,
    urc_capacity: usize,
    pub(crate) sockets: SocketTable,
    /// Last `+MIPCALL:` URC and how many have been seen.
    pub(crate) pdp_event: (u64, Option<String>),
    stats: Stats,
    tracer: Tracer,
}

impl std::fmt::Debug for Parser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parser")
            .field("inflight", &self.inflight)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new(256, 1 << 20, 1 << 16)
    }
}

impl Parser {
    /// A parser with a URC queue of `urc_capacity`, socket buffers of `socket_capacity` bytes,
    /// and lines of at most `max_line` bytes.
    pub fn new(urc_capacity: usize, socket_capacity: usize, max_line: usize) -> Self {
        Parser::with_tracer(urc_capacity, socket_capacity, max_line, Tracer::new(None))
    }

    pub(crate) fn with_tracer(
        urc_capacity: usize,
        socket_capacity: usize,
        max_line: usize,
        tracer: Tracer,
    ) -> Self {
        Parser {
            framer: Framer::new(max_line),
            inflight: None,
            abandoned: None,
            echo_on: true,
            urcs: VecDeque::new(),
            urc_capacity: urc_capacity.max(1),
            sockets: SocketTable::new(socket_capacity),
            pdp_event: (0, None),
            stats: Stats::default(),
            tracer,
        }
    }

    /// Start tracking `cmd` as the command in flight (the caller then writes it).
    pub fn begin(&mut self, cmd: &Command) {
        self.inflight = Some(InFlight {
            line: cmd.line.clone(),
            expects: cmd.expects.clone(),
            bare_lines: cmd.bare_lines,
            wants_prompt: cmd.payload.is_some(),
            on_ok_format: cmd.on_ok_format,
            echo_seen: false,
            prompt: false,
            lines: Vec::new(),
            outcome: None,
        });
    }

    /// The command in flight got its prompt (and still has no outcome).
    pub fn prompted(&self) -> bool {
        self.inflight
            .as_ref()
            .is_some_and(|f| f.prompt && f.outcome.is_none())
    }

    /// Take the outcome of the command in flight, if it has one; the command is then done.
    pub fn take_outcome(&mut self) -> Option<Outcome> {
        let outcome = self.inflight.as_mut()?.outcome.take()?;
        self.inflight = None;
        Some(outcome)
    }

    /// The command in flight timed out: forget it, but recognise its late answer.
    pub fn abandon(&mut self) {
        self.abandoned = self.inflight.take();
    }

    /// The next queued URC.
    pub fn next_urc(&mut self) -> Option<Urc> {
        self.urcs.pop_front()
    }

    /// Take everything received for socket `id` so far (for replays; sockets read through
    /// [`crate::Socket`]).
    pub fn take_socket_data(&mut self, id: u8) -> Vec<u8> {
        let mut out = vec![0; self.sockets.buffered(id)];
        let n = self.sockets.read(id, &mut out).unwrap_or(0);
        out.truncate(n);
        out
    }

    /// Counters.
    pub fn stats(&self) -> Stats {
        Stats {
            oversized_lines: self.framer.oversized_lines(),
            ..self.stats
        }
    }

    /// The receive format the framer is in.
    pub fn format(&self) -> ReceiveFormat {
        self.framer.format()
    }

    /// Feed bytes from the module.
    #[inline]
    pub fn feed(&mut self, mut bytes: &[u8]) {
        self.stats.rx_bytes += bytes.len() as u64;
        while let Some(frame) = self.framer.next_frame(&mut bytes) {
            self.on_frame(frame);
        }
    }

    fn on_frame(&mut self, frame: Frame) {
        match frame {
            Frame::Line(bytes) => {
                self.tracer.bytes(Direction::Rx, &bytes);
                // Valid UTF-8 (all the module sends) is taken without a copy.
                let line = String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                self.on_line(line);
            }
            Frame::Prompt => {
                self.tracer.bytes(Direction::Rx, b">");
                match self.inflight.as_mut() {
                    Some(f) if f.wants_prompt && f.outcome.is_none() => f.prompt = true,
                    _ => self.stats.stray += 1,
                }
            }
            Frame::Payload { header, data } => {
                if self.tracer.enabled() {
                    let mut shown = header.clone();
                    shown.push(b',');
                    shown.extend_from_slice(&data);
                    self.tracer.bytes(Direction::Rx, &shown);
                }
                self.deliver(urc::parse_raw_data(&header, data));
            }
        }
    }

    fn on_line(&mut self, line: String) {
        if urc::is_boot(&line) {
            self.on_boot(line);
            return;
        }
        let final_result = final_result(&line);
        let current = self.inflight.as_mut().filter(|f| f.outcome.is_none());
        if let Some(f) = &current {
            if !f.echo_seen && f.lines.is_empty() && is_echo(f, &line) {
                let f = current.unwrap();
                f.echo_seen = true;
                self.echo_on = true;
                // The module has moved on to this command: the abandoned one is over.
                self.abandoned = None;
                return;
            }
        }
        // A command that timed out may still answer. With echo on, whatever comes before the
        // echo of the command in flight is the old command's answer; with no command in flight,
        // everything is.
        let before_current = current
            .as_ref()
            .is_none_or(|f| self.echo_on && !f.echo_seen);
        if let Some(old) = self.abandoned.as_ref().filter(|_| before_current) {
            if final_result.is_some() {
                self.abandoned = None;
                self.stats.stray += 1;
                return;
            }
            if is_echo(old, &line) || owns(old, &line) {
                return;
            }
        }
        if let Some(f) = current {
            if let Some(outcome) = final_result {
                if !f.echo_seen {
                    self.echo_on = false;
                }
                let outcome = match outcome {
                    Outcome::Ok(_) => {
                        if let Some(format) = f.on_ok_format {
                            self.framer.set_format(format);
                        }
                        Outcome::Ok(Response {
                            lines: std::mem::take(&mut f.lines),
                        })
                    }
                    other => other,
                };
                f.outcome = Some(outcome);
                return;
            }
            if owns(f, &line) {
                f.lines.push(line);
                return;
            }
        } else if final_result.is_some() {
            self.stats.stray += 1;
            return;
        }
        self.deliver(urc::parse(&line));
    }

    fn on_boot(&mut self, line: String) {
        self.stats.resets += 1;
        self.echo_on = true;
        self.abandoned = None;
        if let Some(f) = self.inflight.as_mut().filter(|f| f.outcome.is_none()) {
            // The boot line may be older than the command (printed before we wrote it): then the
            // module still answers it, and that answer must not be taken for the next command's.
            self.abandoned = Some(InFlight {
                outcome: None,
                ..f.clone()
            });
            f.outcome = Some(Outcome::Reset);
        }
        // The receive format and every connection are volatile.
        self.framer.set_format(ReceiveFormat::Hex);
        self.sockets.reset_all();
        self.pdp_event = (self.pdp_event.0, None);
        self.push_urc(Urc::Boot(line));
    }

    fn deliver(&mut self, urc: Urc) {
        if self.sockets.route(&urc) {
            return;
        }
        if let Urc::MipCall(ref status) = urc {
            self.pdp_event = (self.pdp_event.0 + 1, Some(status.clone()));
            return;
        }
        self.push_urc(urc);
    }

    fn push_urc(&mut self, urc: Urc) {
        if self.urcs.len() >= self.urc_capacity {
            self.urcs.pop_front();
            self.stats.urc_overflow += 1;
            log::warn!(target: "l610", "URC queue full ({}); dropped the oldest", self.urc_capacity);
        }
        self.urcs.push_back(urc);
    }
}

/// Is the line the echo of exactly this command?
fn is_echo(f: &InFlight, line: &str) -> bool {
    line.trim_end().eq_ignore_ascii_case(&f.line)
}

/// Does the line belong to the command's response?
fn owns(f: &InFlight, line: &str) -> bool {
    if line.starts_with('+') {
        let name = line.split(':').next().unwrap_or("").trim();
        f.expects.iter().any(|p| p.eq_ignore_ascii_case(name))
    } else {
        f.bare_lines
    }
}

/// `OK`, `ERROR`, `+CME ERROR: ...`, `+CMS ERROR: ...`.
fn final_result(line: &str) -> Option<Outcome> {
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

    fn run(cmd: &Command, input: &[u8]) -> (Option<Outcome>, Parser) {
        let mut p = Parser::default();
        p.begin(cmd);
        p.feed(input);
        (p.take_outcome(), p)
    }

    #[test]
    fn urc_between_echo_and_response_is_not_the_response() {
        let cmd = Command::new("+GTSSLMODE?").expects("+GTSSLMODE");
        let (out, mut p) = run(&cmd, b"AT+GTSSLMODE?\r\r\n+MIPOPEN: 1,1\r\n\r\n+SIM READY\r\n\r\n+GTSSLMODE: 1\r\n\r\nOK\r\n");
        assert_eq!(
            out,
            Some(Outcome::Ok(Response {
                lines: vec!["+GTSSLMODE: 1".into()]
            }))
        );
        assert_eq!(p.next_urc(), Some(Urc::Sim("READY".into())));
        assert_eq!(p.sockets.state(1), crate::socket::SocketState::Open);
    }

    #[test]
    fn echo_off_works_too() {
        let cmd = Command::new("+GTSSLVER?").expects("+GTSSLVER");
        let (out, _) = run(&cmd, b"\r\n+GTSSLVER: 0\r\n\r\nOK\r\n");
        assert_eq!(
            out,
            Some(Outcome::Ok(Response {
                lines: vec!["+GTSSLVER: 0".into()]
            }))
        );
    }

    #[test]
    fn cme_numeric_and_verbose() {
        let cmd = Command::new("+MIPOPEN=1,,\"a\",1,2");
        assert_eq!(
            run(&cmd, b"\r\n+CME ERROR: 3\r\n").0,
            Some(Outcome::Cme {
                code: Some(3),
                text: None
            })
        );
        assert_eq!(
            run(&cmd, b"\r\n+CME ERROR: operation not allowed\r\n").0,
            Some(Outcome::Cme {
                code: None,
                text: Some("operation not allowed".into())
            })
        );
    }

    #[test]
    fn boot_fails_the_command_in_flight() {
        let cmd = Command::new("+GTSSLMODE?").expects("+GTSSLMODE");
        let (out, p) = run(
            &cmd,
            b"AT+GTSSLMODE?\r\r\nAT command ready\r\n\r\n+SIM READY\r\n",
        );
        assert_eq!(out, Some(Outcome::Reset));
        assert_eq!(p.stats().resets, 1);
    }

    #[test]
    fn late_answer_after_timeout_is_not_taken_for_the_next_command() {
        let mut p = Parser::default();
        let slow = Command::new("+GTSSLMODE?").expects("+GTSSLMODE");
        p.begin(&slow);
        p.feed(b"AT+GTSSLMODE?\r");
        p.abandon();
        let next = Command::new("+GTSSLVER?").expects("+GTSSLVER");
        p.begin(&next);
        // The module answers the slow one first, then echoes and answers ours.
        p.feed(b"\r\n+GTSSLMODE: 1\r\n\r\nOK\r\nAT+GTSSLVER?\r\r\n+GTSSLVER: 4\r\n\r\nOK\r\n");
        assert_eq!(
            p.take_outcome(),
            Some(Outcome::Ok(Response {
                lines: vec!["+GTSSLVER: 4".into()]
            }))
        );
    }
}
