//! The session under arbitrary sequences of driver calls and module output, in virtual time.
//!
//! Commands come from a small realistic set (a query, a test form, `ATI`, a payload command, a
//! secret upload, the receive-format switch, `+MIPOPEN`, a shaped `+MIPCLOSE?`); module output is
//! arbitrary bytes mixed with the fragments a module really sends (echoes of the command in
//! flight, final results, prompts, boot lines, socket URCs, raw and hex data, hostile headers),
//! handed over in arbitrary splits. Invariants:
//! - nothing panics, and no call sequence makes the session stop progressing;
//! - while a command is pending, `poll_timeout()` is `Some` (else nothing would ever end it);
//! - every submitted id gets exactly one outcome and at most one `CommandDone` event (none only
//!   when a full event queue dropped it, counted), once time runs far enough with no more input;
//! - socket reads respect the buffer, `Ok(0)` only at an end of stream, bounds hold;
//! - a secret payload never shows in a transmit trace event.
#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Duration;

use arbitrary::Arbitrary;
use l610_proto::{
    Command, CommandId, Direction, Event, Instant, ReadError, ReceiveFormat, Session,
    SessionConfig, SocketHandle, SocketState,
};
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"SECRETKEYMATERIAL";

#[derive(Debug, Arbitrary)]
enum Config {
    Default {
        trace: bool,
    },
    /// Tiny bounds, so every overflow path is reached.
    Small {
        trace: bool,
    },
}

#[derive(Debug, Arbitrary, Clone)]
enum Cmd {
    /// `AT+GTSSLMODE?`, expecting `+GTSSLMODE`.
    Query,
    /// `AT+GTSSLVER=?` test form.
    Test,
    /// `ATI`: bare lines are the response.
    Info,
    /// `AT+MIPSEND=1,<n>` with an n-byte payload after `>`.
    Send(u8),
    /// `AT+GTSSLFILE="TRUSTFILE",1,<n>` with a secret payload.
    Upload(u8),
    /// `AT+GTSET="IPRFMT",2`, switching the framer to raw on OK.
    RawFormat,
    /// `AT+GTSET="IPRFMT",0`.
    HexFormat,
    /// `AT+GTSET="IPRFMT",1` (raw to the line's end) or `5` (read mode).
    OtherFormat(bool),
    /// Read mode's pull for a held socket (`Session::socket_pull`), else `AT+MIPREAD=1,<n>`.
    Pull(u8),
    /// `AT+MIPOPEN=<id>,...`.
    Open(u8),
    /// `AT+MIPCLOSE?` whose answer looks like the `+MIPCLOSE` URC.
    CloseQuery,
    /// A query with its own timeout (ms).
    Slow(u16),
}

fn close_list(params: &str) -> bool {
    params.split(',').all(|p| p.trim().parse::<u8>().is_ok())
}

impl Cmd {
    fn build(&self) -> Command {
        match *self {
            Cmd::Query => Command::new("+GTSSLMODE?").expects("+GTSSLMODE"),
            Cmd::Test => Command::new("+GTSSLVER=?").expects("+GTSSLVER"),
            Cmd::Info => Command::new("I").bare_lines(),
            Cmd::Send(n) => Command::new(format!("+MIPSEND=1,{n}"))
                .payload((0..n).map(|i| b'a' + i % 26).collect())
                .trace_payload(),
            Cmd::Upload(n) => {
                let mut key = SECRET.to_vec();
                key.extend((0..n).map(|i| b'0' + i % 10));
                Command::new(format!("+GTSSLFILE=\"TRUSTFILE\",1,{}", key.len()))
                    .payload(key)
                    .secret()
            }
            Cmd::RawFormat => {
                Command::new("+GTSET=\"IPRFMT\",2").switches_format(ReceiveFormat::Raw)
            }
            Cmd::HexFormat => {
                Command::new("+GTSET=\"IPRFMT\",0").switches_format(ReceiveFormat::Hex)
            }
            Cmd::OtherFormat(read) => l610_proto::commands::set_receive_format(if read {
                ReceiveFormat::Read
            } else {
                ReceiveFormat::RawLine
            }),
            Cmd::Pull(n) => l610_proto::commands::read_socket_data(1, n.into()),
            Cmd::Open(id) => Command::new(format!("+MIPOPEN={},,\"127.0.0.1\",443,2", 1 + id % 6)),
            Cmd::CloseQuery => Command::new("+MIPCLOSE?")
                .expects("+MIPCLOSE")
                .response_shape(close_list, 1),
            Cmd::Slow(ms) => Command::new("+CCLK?")
                .expects("+CCLK")
                .timeout(Duration::from_millis(ms.into())),
        }
    }
}

/// What the module sends.
#[derive(Debug, Arbitrary)]
enum Frag {
    Bytes(Vec<u8>),
    /// The echo of the command in flight (`\r`), or of any command when none is.
    Echo,
    EchoCrLf,
    Ok,
    Error,
    Cme(u16),
    CmeText,
    Prompt,
    PromptNoSpace,
    Boot,
    Rdy,
    Sim,
    Answer(u8),
    InfoLine,
    MipOpen {
        id: u8,
        state: u8,
    },
    /// Raw (IPRFMT 2) data; `lie` replaces the true length.
    RawData {
        id: u8,
        data: Vec<u8>,
        lie: Option<u16>,
    },
    HexData {
        id: u8,
        data: Vec<u8>,
    },
    MipClose {
        id: u8,
        detail: Option<u8>,
    },
    MipClosed {
        id: u8,
    },
    MipStat {
        id: u8,
        status: u8,
    },
    MipCall(bool),
    /// Read mode: `+MIPREAD: <id>,<len>`, and `+MIPDATA: <id>,<len>` CR LF data (`lie` replaces
    /// the true length).
    MipRead {
        id: u8,
        len: u16,
    },
    MipData {
        id: u8,
        data: Vec<u8>,
        lie: Option<u16>,
    },
    MipPush(u8),
    Hostile,
    LongLine(u16),
}

impl Frag {
    fn write(&self, s: &Session, out: &mut Vec<u8>) {
        let crlf = |out: &mut Vec<u8>, line: &[u8]| {
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(line);
            out.extend_from_slice(b"\r\n");
        };
        match self {
            Frag::Bytes(b) => out.extend_from_slice(b),
            Frag::Echo | Frag::EchoCrLf => {
                out.extend_from_slice(s.in_flight().unwrap_or("AT+GTSSLMODE?").as_bytes());
                out.extend_from_slice(if matches!(self, Frag::Echo) {
                    b"\r"
                } else {
                    b"\r\r\n"
                });
            }
            Frag::Ok => crlf(out, b"OK"),
            Frag::Error => crlf(out, b"ERROR"),
            Frag::Cme(n) => crlf(out, format!("+CME ERROR: {n}").as_bytes()),
            Frag::CmeText => crlf(out, b"+CME ERROR: operation not allowed"),
            Frag::Prompt => out.extend_from_slice(b"\r\n> "),
            Frag::PromptNoSpace => out.extend_from_slice(b">"),
            Frag::Boot => crlf(out, b"AT command ready"),
            Frag::Rdy => crlf(out, b"RDY"),
            Frag::Sim => crlf(out, b"+SIM READY"),
            Frag::Answer(n) => {
                let line = match n % 5 {
                    0 => "+GTSSLMODE: 1",
                    1 => "+GTSSLVER: (0-4)",
                    2 => "+MIPCLOSE: 1,3",
                    3 => "+CCLK: \"15/01/23,15:30:36+00\"",
                    _ => "+GTSSLMODE: (0,1)",
                };
                crlf(out, line.as_bytes());
            }
            Frag::InfoLine => crlf(out, b"Fibocom L610"),
            Frag::MipOpen { id, state } => crlf(
                out,
                format!("+MIPOPEN: {},{}", id % 8, state % 3).as_bytes(),
            ),
            Frag::RawData { id, data, lie } => {
                let len = lie.map_or(data.len(), usize::from);
                out.extend_from_slice(format!("\r\n+MIPRTCP: {},{len},", id % 8).as_bytes());
                out.extend_from_slice(data);
                out.extend_from_slice(b"\r\n");
            }
            Frag::HexData { id, data } => {
                let hex: String = data.iter().map(|b| format!("{b:02X}")).collect();
                crlf(
                    out,
                    format!("+MIPRTCP: {},{},{hex}", id % 8, data.len()).as_bytes(),
                );
            }
            Frag::MipClose { id, detail } => {
                let line = match detail {
                    Some(d) => format!("+MIPCLOSE: {},{d}", id % 8),
                    None => format!("+MIPCLOSE: {}", id % 8),
                };
                crlf(out, line.as_bytes());
            }
            Frag::MipClosed { id } => crlf(out, format!("+MIPCLOSED: {},0", id % 8).as_bytes()),
            Frag::MipStat { id, status } => crlf(
                out,
                format!("+MIPSTAT: {},{}", id % 8, status % 4).as_bytes(),
            ),
            Frag::MipCall(up) => crlf(
                out,
                if *up {
                    b"+MIPCALL: 10.109.197.168"
                } else {
                    b"+MIPCALL: 0"
                },
            ),
            Frag::MipRead { id, len } => {
                crlf(out, format!("+MIPREAD: {},{len}", id % 8).as_bytes())
            }
            Frag::MipData { id, data, lie } => {
                let len = lie.map_or(data.len(), usize::from);
                out.extend_from_slice(format!("\r\n+MIPDATA: {},{len}\r\n", id % 8).as_bytes());
                out.extend_from_slice(data);
                out.extend_from_slice(b"\r\n");
            }
            Frag::MipPush(id) => crlf(out, format!("+MIPPUSH: {},0", id % 8).as_bytes()),
            Frag::Hostile => out.extend_from_slice(b"\r\n+MIPRTCP: 1,1099511627776,"),
            Frag::LongLine(n) => {
                out.extend_from_slice(b"\r\n+GTSSLMODE: ");
                out.extend(std::iter::repeat_n(b'7', usize::from(*n)));
                out.extend_from_slice(b"\r\n");
            }
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Op {
    Submit(Cmd),
    /// Module output, handed over in pieces of `piece` bytes (0: whole), `dt` ms apart.
    Input {
        frags: Vec<Frag>,
        piece: u8,
        dt: u8,
    },
    /// Virtual time passes (ms), then `handle_timeout`.
    Advance(u16),
    /// A long pause (s).
    Jump(u8),
    /// `handle_timeout` exactly when `poll_timeout` asks.
    FireTimer,
    Cancel(u8),
    Transmit(u16),
    TransmitAll,
    Events(u8),
    Take(u8),
    Reserve(Vec<u8>),
    Read {
        handle: u8,
        len: u8,
    },
    Release(u8),
    BeginClose(u8),
    MarkClosed(u8),
    PopUrc,
    Close,
}

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    Ops {
        config: Config,
        ops: Vec<Op>,
    },
    /// Literal module output, the rest of the input as it is (the seeds are the manual's
    /// transcripts: `fuzz/make-seeds.py`). Every echo in it (`AT...` up to CR) is submitted as a
    /// command first; then the bytes arrive in pieces (`piece` bytes, or lines for 0), 1 ms apart.
    Transcript {
        trace: bool,
        piece: u8,
        bytes: &'a [u8],
    },
}

struct Harness {
    s: Session,
    now: Instant,
    ids: Vec<CommandId>,
    outcomes: HashMap<CommandId, u32>,
    done_events: HashMap<CommandId, u32>,
    handles: Vec<SocketHandle>,
    socket_buffer: usize,
}

impl Harness {
    fn new(cfg: SessionConfig) -> Self {
        Harness {
            socket_buffer: cfg.socket_buffer,
            s: Session::new(cfg),
            now: Instant::ZERO,
            ids: Vec::new(),
            outcomes: HashMap::new(),
            done_events: HashMap::new(),
            handles: Vec::new(),
        }
    }

    fn check(&self) {
        if self.ids.iter().any(|&id| self.s.is_pending(id)) {
            assert!(
                self.s.poll_timeout().is_some(),
                "a command is pending but no timer is set: {:?}",
                self.s
            );
        }
        for &h in &self.handles {
            assert!(self.s.socket_buffered(h) <= self.socket_buffer.max(1));
        }
    }

    fn events(&mut self, max: usize) {
        for _ in 0..max {
            let Some(e) = self.s.poll_event() else {
                break;
            };
            match e {
                Event::CommandDone(id) => {
                    assert!(self.ids.contains(&id), "CommandDone for unknown {id:?}");
                    *self.done_events.entry(id).or_default() += 1;
                }
                Event::Trace(t) if t.direction == Direction::Tx => {
                    assert!(
                        !t.text.as_bytes().windows(SECRET.len()).any(|w| w == SECRET),
                        "secret payload in the trace: {t:?}"
                    );
                }
                _ => {}
            }
        }
    }

    fn take(&mut self, id: CommandId) {
        if self.s.take_outcome(id).is_some() {
            let n = self.outcomes.entry(id).or_default();
            *n += 1;
            assert_eq!(*n, 1, "two outcomes for {id:?}");
        }
    }

    fn handle(&self, i: u8) -> Option<SocketHandle> {
        (!self.handles.is_empty()).then(|| self.handles[usize::from(i) % self.handles.len()])
    }

    fn id(&self, i: u8) -> Option<CommandId> {
        (!self.ids.is_empty()).then(|| self.ids[usize::from(i) % self.ids.len()])
    }
}

fn run_ops(config: Config, ops: Vec<Op>) -> Harness {
    let cfg = match config {
        Config::Default { trace } => SessionConfig {
            trace,
            ..SessionConfig::default()
        },
        Config::Small { trace } => SessionConfig {
            max_line: 64,
            max_payload: 32,
            max_response_lines: 2,
            max_response_bytes: 48,
            urc_capacity: 2,
            event_capacity: 4,
            socket_buffer: 16,
            max_queued: 3,
            trace,
            ..SessionConfig::default()
        },
    };
    let mut h = Harness::new(cfg);
    let mut buf = Vec::new();
    for op in ops {
        match op {
            Op::Submit(c) => {
                if let Ok(id) = h.s.submit(c.build(), h.now) {
                    assert!(!h.ids.contains(&id), "id {id:?} given twice");
                    h.ids.push(id);
                }
            }
            Op::Input { frags, piece, dt } => {
                buf.clear();
                for f in &frags {
                    f.write(&h.s, &mut buf);
                }
                let piece = if piece == 0 {
                    buf.len().max(1)
                } else {
                    piece.into()
                };
                for p in buf.chunks(piece) {
                    h.now = h.now + Duration::from_millis(dt.into());
                    h.s.handle_input(p, h.now);
                }
            }
            Op::Advance(ms) => {
                h.now = h.now + Duration::from_millis(ms.into());
                h.s.handle_timeout(h.now);
            }
            Op::Jump(s) => {
                h.now = h.now + Duration::from_secs(s.into());
                h.s.handle_timeout(h.now);
            }
            Op::FireTimer => {
                if let Some(t) = h.s.poll_timeout() {
                    h.now = h.now.max(t);
                    h.s.handle_timeout(h.now);
                }
            }
            Op::Cancel(i) => {
                if let Some(id) = h.id(i) {
                    h.s.cancel(id, h.now);
                }
            }
            Op::Transmit(n) => {
                if let Some(tx) = h.s.poll_transmit() {
                    assert!(!tx.is_empty());
                    h.s.transmitted(n.into());
                }
            }
            Op::TransmitAll => {
                if let Some(tx) = h.s.poll_transmit() {
                    let n = tx.len();
                    h.s.transmitted(n);
                    assert!(h.s.poll_transmit().is_none());
                }
            }
            Op::Events(n) => h.events(n.into()),
            Op::Take(i) => {
                if let Some(id) = h.id(i) {
                    h.take(id);
                }
            }
            Op::Reserve(ids) => {
                if let Some(handle) = h.s.reserve_socket(&ids) {
                    assert!(ids.contains(&handle.id), "{handle:?} not among {ids:?}");
                    assert_eq!(h.s.socket_state(handle), SocketState::Opening);
                    assert!(!h.handles.contains(&handle), "{handle:?} handed out twice");
                    h.handles.push(handle);
                }
            }
            Op::Read { handle, len } => {
                if let Some(handle) = h.handle(handle) {
                    let mut b = vec![0u8; len.into()];
                    let state = h.s.socket_state(handle);
                    let readable = h.s.socket_readable(handle);
                    let buffered = h.s.socket_buffered(handle);
                    if h.s.socket_pull(handle, b.len()).is_some() {
                        assert!(!readable, "a pull is due on a readable socket");
                    }
                    let got = h.s.read_socket(handle, &mut b);
                    if !b.is_empty() {
                        assert_eq!(
                            readable,
                            !matches!(got, Err(ReadError::WouldBlock)),
                            "socket_readable disagrees with read_socket: {got:?} in {state:?}"
                        );
                    }
                    if let Ok(n) = got {
                        assert!(n <= buffered, "read {n} of {buffered} buffered bytes");
                    }
                    match got {
                        Ok(0) if !b.is_empty() => assert!(
                            matches!(state, SocketState::Closed(r) if r.is_end_of_stream()),
                            "end of stream in state {state:?}"
                        ),
                        Ok(n) => assert!(n <= b.len()),
                        Err(ReadError::Released) => assert_eq!(state, SocketState::Released),
                        Err(_) => {}
                    }
                }
            }
            Op::Release(i) => {
                if let Some(handle) = h.handle(i) {
                    let was = h.s.socket_state(handle);
                    let released = h.s.release_socket(handle);
                    assert_eq!(released, was != SocketState::Released, "{was:?}");
                    assert_eq!(h.s.socket_state(handle), SocketState::Released);
                }
            }
            Op::BeginClose(i) => {
                if let Some(handle) = h.handle(i) {
                    let _ = h.s.begin_close(handle);
                }
            }
            Op::MarkClosed(i) => {
                if let Some(handle) = h.handle(i) {
                    h.s.mark_socket_closed(handle);
                }
            }
            Op::PopUrc => {
                let _ = h.s.pop_urc();
            }
            Op::Close => h.s.close("fuzz"),
        }
        h.check();
    }
    h
}

fn settle(mut h: Harness) {
    // No more input: time runs on until nothing waits. Each pending command needs at most a
    // timeout and a drain; a payload stall and a restart drain come on top.
    let mut rounds = 4 * (h.ids.len() + 4);
    while let Some(t) = h.s.poll_timeout() {
        rounds = rounds
            .checked_sub(1)
            .unwrap_or_else(|| panic!("timers never settle: {:?} at {:?}", h.s, t));
        h.now = h.now.max(t) + Duration::from_millis(1);
        h.s.handle_timeout(h.now);
        h.check();
    }
    h.events(usize::MAX);
    let debug = debug();
    for id in h.ids.clone() {
        assert!(!h.s.is_pending(id), "{id:?} still pending");
        if debug {
            if let Some(o) = h.s.take_outcome(id) {
                eprintln!("{id:?}: {o:?}");
                *h.outcomes.entry(id).or_default() += 1;
            }
        }
        h.take(id);
        assert_eq!(h.outcomes.get(&id), Some(&1), "{id:?} has no outcome");
        // A full event queue drops `CommandDone` last, and counts it (the outcome itself is
        // kept for `take_outcome`), so a missing one is allowed only when drops were counted.
        match h.done_events.get(&id) {
            Some(1) => {}
            None => assert!(
                h.s.stats().events_dropped > 0,
                "{id:?}: no CommandDone event and none dropped"
            ),
            Some(n) => panic!("{id:?}: {n} CommandDone events"),
        }
        assert!(h.s.take_outcome(id).is_none());
    }
}

/// `L610_FUZZ_DEBUG=1 cargo +nightly fuzz run session <file>` prints every outcome (to see what a
/// seed reaches).
fn debug() -> bool {
    static DEBUG: OnceLock<bool> = OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("L610_FUZZ_DEBUG").is_some())
}

/// Submit every command whose echo is in `bytes`, then feed `bytes`.
fn run_transcript(trace: bool, piece: u8, bytes: &[u8]) -> Harness {
    let mut h = Harness::new(SessionConfig {
        trace,
        ..SessionConfig::default()
    });
    for line in bytes.split(|&b| b == b'\r' || b == b'\n') {
        let Ok(line) = std::str::from_utf8(line) else {
            continue;
        };
        if !line
            .get(..2)
            .is_some_and(|at| at.eq_ignore_ascii_case("AT"))
        {
            continue;
        }
        if let Ok(id) = h.s.submit(command_for(line), h.now) {
            h.ids.push(id);
        }
    }
    // Piece 0: line by line, as a module answers a command at a time.
    let pieces: Vec<&[u8]> = if piece == 0 {
        bytes
            .split_inclusive(|&b| b == b'\r' || b == b'\n')
            .collect()
    } else {
        bytes.chunks(piece.into()).collect()
    };
    for p in pieces {
        if let Some(tx) = h.s.poll_transmit() {
            let n = tx.len();
            h.s.transmitted(n);
        }
        h.now = h.now + Duration::from_millis(1);
        h.s.handle_input(p, h.now);
        h.events(16);
        h.check();
    }
    h
}

/// A command as a driver would build it for this echo: its `+NAME` answer lines are the response,
/// and `+GTSSLFILE=`/`+MIPSEND=` carry a payload of the announced length.
fn command_for(line: &str) -> Command {
    let cmd = Command::from_line(line);
    let body = &line[2..];
    let name = body
        .split(['=', '?'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase();
    let mut cmd = if name.starts_with('+') {
        cmd.expects(&name)
    } else {
        cmd.bare_lines()
    };
    if body.contains('=') && (name == "+GTSSLFILE" || name == "+MIPSEND") {
        let n = body
            .rsplit(',')
            .next()
            .and_then(|n| n.trim().parse::<usize>().ok())
            .unwrap_or(0)
            .min(4096);
        cmd = cmd.payload(vec![b'k'; n]);
    }
    cmd
}

fuzz_target!(|input: Input<'_>| {
    let h = match input {
        Input::Ops { config, ops } => run_ops(config, ops),
        Input::Transcript {
            trace,
            piece,
            bytes,
        } => run_transcript(trace, piece, bytes),
    };
    settle(h);
});
