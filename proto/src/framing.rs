//! Framing: the raw byte stream from the module, cut into lines, prompts and length-framed
//! payloads — with every size that comes off the wire bounded.
//!
//! The framer is incremental: bytes can arrive in any split (one at a time, or megabytes at once)
//! and each byte is looked at a constant number of times, so feeding a message byte by byte costs
//! the same per byte as feeding it whole (the quadratic re-scan of some AT parsers is the bug this
//! avoids). It knows nothing about commands; classification happens one layer up.
//!
//! A raw `+MIPRTCP` header announces a length; the module is not trusted with it. A length above
//! the configured maximum, a payload not followed by CR LF, or one the session declares stalled
//! ([`Framer::abort_payload`]) is a [`FramingError`]: the bytes taken as payload are read again as
//! lines (a module that restarted mid-payload printed its boot line there), and framing resyncs.

use alloc::vec::Vec;
use core::mem;

use memchr::{memchr2, memchr3};

use crate::event::FramingError;

/// How the module delivers received socket data (`AT+GTSET="IPRFMT",<n>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReceiveFormat {
    /// IPRFMT 0 (the module's default): `+MIPRTCP: <id>,<n>,<HEX>` on one line.
    #[default]
    Hex,
    /// IPRFMT 1: `+MIPRTCP: <id>,<n>,<raw bytes>` up to the line's end. Not binary-safe: the
    /// first CR or LF in the data ends it (the header has no length); for text protocols only.
    RawLine,
    /// IPRFMT 2: `+MIPRTCP: <id>,<len>,<len raw bytes>`, read by length, binary-safe.
    Raw,
    /// IPRFMT 5, read mode: the module keeps received bytes and announces them with
    /// `+MIPREAD: <id>,<len>`; the host asks with `AT+MIPREAD=<id>,<max>` and gets
    /// `+MIPDATA: <id>,<len>`, CR LF, exactly `len` raw bytes (binary-safe), then `OK`.
    Read,
}

impl ReceiveFormat {
    /// The `<n>` of `AT+GTSET="IPRFMT",<n>`.
    pub fn iprfmt(self) -> u8 {
        match self {
            ReceiveFormat::Hex => 0,
            ReceiveFormat::RawLine => 1,
            ReceiveFormat::Raw => 2,
            ReceiveFormat::Read => 5,
        }
    }

    /// Every format, in IPRFMT order.
    pub const ALL: [ReceiveFormat; 4] = [
        ReceiveFormat::Hex,
        ReceiveFormat::RawLine,
        ReceiveFormat::Raw,
        ReceiveFormat::Read,
    ];
}

/// One unit cut out of the byte stream. Hand the vectors back with [`Framer::recycle`] to keep
/// the receive path free of allocations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A non-empty line, without its CR/LF terminators. The echo of a command ends with a bare
    /// CR, responses and URCs are wrapped in CR LF; empty lines carry nothing and are skipped.
    Line(Vec<u8>),
    /// The `>` data prompt at the start of a line (one following space is consumed with it).
    Prompt,
    /// Socket data taken by length or to the line's end: a raw (IPRFMT 2) `+MIPRTCP: <id>,<len>,`
    /// followed by exactly `len` bytes and CR LF; the data of an IPRFMT 1 `+MIPRTCP` line; or the
    /// `len` bytes after a read mode `+MIPDATA: <id>,<len>` line (which is framed as a line
    /// first: it is `AT+MIPREAD`'s response).
    Payload {
        /// The socket id field as sent.
        id: u32,
        /// Exactly `len` bytes (they may contain CR and LF).
        data: Vec<u8>,
    },
    /// Something the module sent broke framing; it was discarded and framing resynced.
    Error(FramingError),
}

/// What [`Framer::cut`] hands the session: a line lent from the input, or a frame.
pub(crate) enum Cut<'a> {
    /// A whole line (non-empty, without its CR/LF) that began and ended inside the input.
    Line(&'a [u8]),
    /// Anything else, as [`Framer::next_frame`] returns it.
    Frame(Frame),
}

impl Cut<'_> {
    fn into_frame(self) -> Frame {
        match self {
            Cut::Line(line) => Frame::Line(line.to_vec()),
            Cut::Frame(frame) => frame,
        }
    }
}

const RAW_DATA_PREFIX: &[u8] = b"+MIPRTCP:";
const READ_DATA_PREFIX: &[u8] = b"+MIPDATA:";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a line: a `>` here is the data prompt.
    LineStart,
    /// Just after a prompt: swallow one optional space.
    AfterPrompt,
    /// Inside a line.
    InLine,
    /// Inside an over-long line that is being dropped up to its end.
    Discarding,
    /// Reading `remaining` payload bytes of a raw `+MIPRTCP`.
    Payload { id: u32, remaining: usize },
    /// After a payload: its CR LF (`cr` once the CR was seen).
    PayloadEnd { id: u32, cr: bool },
    /// After a `+MIPDATA: <id>,<len>` line's CR: its LF, then `len` payload bytes.
    ReadDataStart { id: u32, len: usize },
    /// The data of an IPRFMT 1 `+MIPRTCP` line, up to its CR or LF.
    LinePayload { id: u32 },
}

/// Incremental framer. See the module documentation.
#[derive(Debug)]
pub struct Framer {
    state: State,
    line: Vec<u8>,
    payload: Vec<u8>,
    /// Bytes of a discarded payload, read again as lines before new input.
    replay: Vec<u8>,
    replaying: bool,
    commas: u8,
    format: ReceiveFormat,
    max_line: usize,
    max_payload: usize,
    oversized: u64,
    /// The fast path's bytes ([`take_fast`](Self::take_fast)): the line's next bytes,
    /// kept in the framer itself with their count so that storing one cannot alias the count (as
    /// a store through the line's heap pointer could, which made the compiler reload the line's
    /// length and capacity on every byte). A caller's byte loop is 13 instructions per byte; the
    /// count itself is still stored and reloaded each time (the slow path's call joins the loop).
    /// Appended to the line before anything reads it.
    chunk: [u8; CHUNK],
    /// Bytes in `chunk`; [`PAUSED`] when the fast path is off (not inside or at the start of a
    /// line, a replay pending, the line within `CHUNK` of `max_line`, or the session draining).
    chunk_len: usize,
    /// Where the fast path's bytes start in `chunk`: 0 when armed at the start of a line, 1
    /// inside one, so that an empty chunk (`chunk_len == 0`) means "at the start of a line"
    /// without a second field to check (a CR or LF is skipped only then).
    chunk_start: usize,
    /// Bytes the fast path took, counted when appended to the line.
    fast_banked: u64,
    /// CR and LF between lines the fast path skipped.
    fast_skipped: u64,
}

/// The fast path's batch: one full-path call per 1024 bytes inside a long line (64 and 256 cost
/// more instructions per byte-at-a-time feed of the bench's stream: 1.6 % more with 256).
const CHUNK: usize = 1024;
/// `chunk_len` when the fast path is off: no byte fits.
const PAUSED: usize = CHUNK + 1;

impl Framer {
    /// A framer that drops lines longer than `max_line` bytes and refuses raw payloads longer
    /// than `max_payload` bytes.
    pub fn new(max_line: usize, max_payload: usize) -> Self {
        Framer {
            state: State::LineStart,
            line: Vec::with_capacity(256),
            payload: Vec::new(),
            replay: Vec::new(),
            replaying: false,
            commas: 0,
            format: ReceiveFormat::Hex,
            max_line: max_line.max(1),
            max_payload,
            oversized: 0,
            chunk: [0; CHUNK],
            chunk_len: PAUSED,
            chunk_start: 0,
            fast_banked: 0,
            fast_skipped: 0,
        }
    }

    /// Switch the receive format; takes effect from the next byte pushed.
    pub fn set_format(&mut self, format: ReceiveFormat) {
        // The bytes the fast path took were read in the old format.
        self.bank_fast_path();
        self.format = format;
    }

    /// The receive format in force.
    pub fn format(&self) -> ReceiveFormat {
        self.format
    }

    /// How many over-long lines were dropped.
    pub fn oversized_lines(&self) -> u64 {
        self.oversized
    }

    /// Whether a raw payload is being read (the session watches it for stalls).
    pub fn in_payload(&self) -> bool {
        matches!(
            self.state,
            State::Payload { .. } | State::PayloadEnd { .. } | State::ReadDataStart { .. }
        )
    }

    /// Take one byte the full path would only add to the line, or skip (a CR or LF between
    /// lines): the receive path's fast path for byte-at-a-time feeds (a UART interrupt's).
    /// Exactly what [`next_frame`](Self::next_frame) would do with that byte; `false` leaves the
    /// byte to it (a CR or LF that ends a line, `>`, a comma, a full chunk, or the fast path
    /// not armed: see [`arm_fast_path`](Self::arm_fast_path)).
    #[inline(always)]
    pub(crate) fn take_fast(&mut self, b: u8) -> bool {
        let n = self.chunk_len;
        let action = FAST_ACTIONS[usize::from(b)];
        if action == PUSH && n < CHUNK {
            self.chunk[n] = b;
            self.chunk_len = n + 1;
            return true;
        }
        // Only at the start of a line, before any byte of it (inside one the count starts at 1).
        if action == SKIP && n == 0 {
            self.fast_skipped += 1;
            return true;
        }
        false
    }

    /// Turn the fast path off (the session drains: every byte restarts its quiet period).
    pub(crate) fn pause_fast_path(&mut self) {
        self.bank_fast_path();
    }

    /// Bytes [`take_fast`](Self::take_fast) took, ever (the session's `rx_bytes` counts the
    /// rest).
    pub(crate) fn fast_path_bytes(&self) -> u64 {
        self.fast_banked
            + self.fast_skipped
            + self
                .chunk
                .get(self.chunk_start..self.chunk_len)
                .map_or(0, <[u8]>::len) as u64
    }

    /// Append the fast path's bytes to the line and turn it off: the line is about to be read
    /// or changed by other means.
    #[inline(always)]
    fn bank_fast_path(&mut self) {
        // One compare on the way of every frame: a whole-buffer feed never arms it.
        if self.chunk_len != PAUSED {
            self.append_chunk();
        }
    }

    /// Not inlined: only a byte-at-a-time feed arms the fast path.
    #[inline(never)]
    fn append_chunk(&mut self) {
        if let Some(taken) = self.chunk.get(self.chunk_start..self.chunk_len) {
            // Armed at the start of a line, its first byte started it (as in `step`).
            if self.state == State::LineStart && !taken.is_empty() {
                self.state = State::InLine;
            }
            // Within `max_line`: armed only with room for a whole chunk.
            self.line.extend_from_slice(taken);
            self.fast_banked += taken.len() as u64;
        }
        self.chunk_len = PAUSED;
    }

    /// Arm the fast path at the start of a line or inside one, with room for a whole chunk.
    /// Only right after [`next_frame`](Self::next_frame) returned `None`; the session arms it
    /// after a one-byte feed only, so a whole-buffer feed pays nothing for it.
    #[inline]
    pub(crate) fn arm_fast_path(&mut self) {
        if !self.replay.is_empty() || self.line.len() + CHUNK > self.max_line {
            return;
        }
        self.chunk_start = match self.state {
            State::LineStart => 0,
            State::InLine => 1,
            _ => return,
        };
        self.chunk_len = self.chunk_start;
    }

    /// Hand back a vector from a [`Frame`] so its capacity is reused.
    #[inline]
    pub fn recycle(&mut self, mut v: Vec<u8>) {
        self.bank_fast_path();
        if v.capacity() > self.line.capacity()
            && v.capacity() <= self.max_line
            && self.line.is_empty()
        {
            v.clear();
            self.line = v;
        } else if self.payload.capacity() == 0 && v.capacity() <= self.max_payload {
            v.clear();
            self.payload = v;
        }
    }

    /// The payload being read stalled (the session's timer): discard it as a framing error and
    /// read its bytes again as lines.
    pub fn abort_payload(&mut self) -> Option<FramingError> {
        self.bank_fast_path();
        match self.state {
            State::Payload { id, remaining } => {
                let received = self.payload.len();
                self.state = State::LineStart;
                self.requeue_payload(&[]);
                Some(FramingError::PayloadStalled {
                    socket: id,
                    received,
                    missing: remaining,
                })
            }
            State::PayloadEnd { id, .. } => {
                // Only the CR LF is missing; the data was complete. Treat as not terminated.
                self.state = State::LineStart;
                self.requeue_payload(&[]);
                Some(FramingError::PayloadNotTerminated { socket: id })
            }
            State::ReadDataStart { id, len } => {
                self.state = State::LineStart;
                Some(FramingError::PayloadStalled {
                    socket: id,
                    received: 0,
                    missing: len,
                })
            }
            _ => None,
        }
    }

    /// Forget any partial line or payload (after a module restart the half-line before it is
    /// meaningless).
    pub fn reset(&mut self) {
        self.bank_fast_path();
        self.state = State::LineStart;
        self.line.clear();
        self.commas = 0;
        self.payload.clear();
    }

    /// Consume bytes from the front of `bytes` until one frame is complete and return it; `None`
    /// when all bytes were consumed without completing one. Pulling one frame at a time lets the
    /// caller act on a frame (e.g. switch the receive format after `OK`) before the next byte.
    pub fn next_frame(&mut self, bytes: &mut &[u8]) -> Option<Frame> {
        self.cut(bytes).map(Cut::into_frame)
    }

    /// [`next_frame`](Self::next_frame) for the session: a line that starts and ends inside
    /// `bytes` is lent from them, not copied into the framer's line (the common case of a feed
    /// that holds whole answers).
    #[inline(always)]
    pub(crate) fn cut<'a>(&mut self, bytes: &mut &'a [u8]) -> Option<Cut<'a>> {
        self.bank_fast_path();
        if !self.replay.is_empty() {
            if let Some(frame) = self.next_replayed() {
                return Some(Cut::Frame(frame));
            }
        }
        if bytes.is_empty() {
            // What `step` makes of no bytes (a replay was the only thing that could frame).
            return None;
        }
        if self.state == State::LineStart {
            if let Some(line) = self.whole_line(bytes) {
                return Some(Cut::Line(line));
            }
        }
        self.step(bytes).map(Cut::Frame)
    }

    /// At the start of a line: skip the CR and LF before it, then take the line if it ends
    /// inside `bytes` and nothing but its end matters — not a `>` prompt, within `max_line`,
    /// not a header the raw or read formats cut at a comma or after its end. Anything else is
    /// left, at the line's first byte, to [`step`](Self::step), which frames it the same way.
    #[inline(always)]
    fn whole_line<'a>(&mut self, bytes: &mut &'a [u8]) -> Option<&'a [u8]> {
        while let [b'\r' | b'\n', rest @ ..] = *bytes {
            *bytes = rest;
        }
        let at = line_end(bytes)?;
        let line = &bytes[..at];
        let header = self.format != ReceiveFormat::Hex
            && match self.format {
                ReceiveFormat::Read => line.starts_with(READ_DATA_PREFIX),
                _ => line.starts_with(RAW_DATA_PREFIX),
            };
        if line[0] == b'>' || at > self.max_line || header {
            return None;
        }
        // The LF of its CR LF too: at the start of a line it would be skipped anyway.
        let end = if bytes.get(at..at + 2) == Some(b"\r\n") {
            at + 2
        } else {
            at + 1
        };
        *bytes = &bytes[end..];
        Some(line)
    }

    /// Bytes of a discarded payload go first; they were earlier in the stream.
    #[cold]
    #[inline(never)]
    fn next_replayed(&mut self) -> Option<Frame> {
        let replay = mem::take(&mut self.replay);
        let mut rest = &replay[..];
        self.replaying = true;
        let frame = self.step(&mut rest);
        self.replaying = false;
        let consumed = replay.len() - rest.len();
        let mut replay = replay;
        replay.drain(..consumed);
        // A frame found while replaying may itself have queued bytes to replay; those come
        // first (they were earlier in the stream).
        if !self.replay.is_empty() {
            self.replay.extend_from_slice(&replay);
        } else {
            self.replay = replay;
        }
        frame
    }

    #[inline(always)]
    fn step(&mut self, bytes: &mut &[u8]) -> Option<Frame> {
        while !bytes.is_empty() {
            let frame = match self.state {
                State::LineStart => {
                    let b = bytes[0];
                    let frame = match b {
                        b'\r' | b'\n' => None,
                        b'>' => {
                            self.state = State::AfterPrompt;
                            Some(Frame::Prompt)
                        }
                        _ => {
                            self.state = State::InLine;
                            continue;
                        }
                    };
                    *bytes = &bytes[1..];
                    frame
                }
                State::AfterPrompt => {
                    if bytes[0] == b' ' {
                        *bytes = &bytes[1..];
                    }
                    self.state = State::LineStart;
                    None
                }
                State::InLine => self.in_line(bytes),
                State::Discarding => {
                    match memchr2(b'\r', b'\n', bytes) {
                        Some(end) => {
                            *bytes = &bytes[end + 1..];
                            self.state = State::LineStart;
                        }
                        None => *bytes = &[],
                    }
                    None
                }
                State::Payload { id, remaining } => {
                    let take = remaining.min(bytes.len());
                    self.payload.extend_from_slice(&bytes[..take]);
                    *bytes = &bytes[take..];
                    self.state = if take == remaining {
                        State::PayloadEnd { id, cr: false }
                    } else {
                        State::Payload {
                            id,
                            remaining: remaining - take,
                        }
                    };
                    None
                }
                State::PayloadEnd { id, cr } => match (cr, bytes[0]) {
                    (false, b'\r') => {
                        *bytes = &bytes[1..];
                        self.state = State::PayloadEnd { id, cr: true };
                        None
                    }
                    (_, b'\n') => {
                        *bytes = &bytes[1..];
                        self.state = State::LineStart;
                        Some(Frame::Payload {
                            id,
                            data: mem::take(&mut self.payload),
                        })
                    }
                    // A CR alone ends it too (some firmware); the byte after it starts a line.
                    (true, _) => {
                        self.state = State::LineStart;
                        Some(Frame::Payload {
                            id,
                            data: mem::take(&mut self.payload),
                        })
                    }
                    // Not CR LF: the length was a lie (or the module restarted inside the
                    // payload). Read the bytes again as lines.
                    (false, _) => {
                        self.state = State::LineStart;
                        self.requeue_payload(&[]);
                        Some(Frame::Error(FramingError::PayloadNotTerminated {
                            socket: id,
                        }))
                    }
                },
                State::ReadDataStart { id, len } => {
                    // The LF of the `+MIPDATA` line's CR LF is the line's, not data.
                    if bytes[0] == b'\n' {
                        *bytes = &bytes[1..];
                    }
                    self.start_data(id, len);
                    None
                }
                State::LinePayload { id } => self.line_payload(id, bytes),
            };
            if frame.is_some() {
                return frame;
            }
        }
        None
    }

    /// Put the payload bytes (and `extra`) back in front of the input, as lines.
    fn requeue_payload(&mut self, extra: &[u8]) {
        let mut again = mem::take(&mut self.payload);
        again.extend_from_slice(extra);
        // The header line was already consumed; what follows starts a fresh line.
        again.insert(0, b'\n');
        again.extend_from_slice(&self.replay);
        self.replay = again;
    }

    /// Scan inside a line up to its end (or a comma that may end a raw `+MIPRTCP` header).
    #[inline(always)]
    fn in_line(&mut self, bytes: &mut &[u8]) -> Option<Frame> {
        // Raw formats cut `+MIPRTCP` headers at their commas (not while replaying: those bytes
        // already failed as a payload).
        let raw =
            matches!(self.format, ReceiveFormat::Raw | ReceiveFormat::RawLine) && !self.replaying;
        // memchr pays a set-up cost that only long slices repay; a byte-at-a-time feed must cost
        // about what a whole-buffer feed costs per byte.
        let found = if let [b] = **bytes {
            (b == b'\r' || b == b'\n' || (raw && b == b',')).then_some(0)
        } else if bytes.len() < 16 {
            bytes
                .iter()
                .position(|&b| b == b'\r' || b == b'\n' || (raw && b == b','))
        } else if raw {
            memchr3(b'\r', b'\n', b',', bytes)
        } else {
            memchr2(b'\r', b'\n', bytes)
        };
        let Some(at) = found else {
            let dropped = self.extend_line(bytes);
            *bytes = &[];
            return dropped;
        };
        let stop = bytes[at];
        let dropped = self.extend_line(&bytes[..at]);
        *bytes = &bytes[at + 1..];
        if self.state == State::Discarding {
            if stop != b',' {
                self.state = State::LineStart;
            }
            return dropped;
        }
        if stop == b',' {
            if self.line.len() < self.max_line {
                self.line.push(b',');
            }
            self.commas = self.commas.saturating_add(1);
            if self.commas == 2 && self.line.starts_with(RAW_DATA_PREFIX) {
                return self.start_payload();
            }
            return None;
        }
        self.end_line()
    }

    /// Append to the line, or start discarding it when it would exceed the bound.
    #[inline]
    fn extend_line(&mut self, part: &[u8]) -> Option<Frame> {
        if self.line.len() + part.len() > self.max_line {
            self.oversized += 1;
            let len = self.line.len() + part.len();
            self.line.clear();
            self.commas = 0;
            self.state = State::Discarding;
            return Some(Frame::Error(FramingError::LineTooLong { at_least: len }));
        }
        if let [one] = part {
            self.line.push(*one);
        } else {
            self.line.extend_from_slice(part);
        }
        None
    }

    fn end_line(&mut self) -> Option<Frame> {
        self.commas = 0;
        self.state = State::LineStart;
        if self.line.is_empty() {
            return None;
        }
        if self.format == ReceiveFormat::Read
            && !self.replaying
            && self.line.starts_with(READ_DATA_PREFIX)
        {
            return self.read_data_header();
        }
        let line = mem::take(&mut self.line);
        Some(Frame::Line(line))
    }

    /// A complete `+MIPDATA: <id>,<len>` line (read mode): the line goes up as the command's
    /// response, and the `len` bytes after its CR LF are payload. A length above the bound is a
    /// framing error, as for `+MIPRTCP`; what follows is read as lines.
    #[cold]
    fn read_data_header(&mut self) -> Option<Frame> {
        let mut fields = self.line[READ_DATA_PREFIX.len()..].split(|&b| b == b',');
        let (Some(id), Some(len), None) = (
            fields.next().and_then(number),
            fields.next().and_then(number),
            fields.next(),
        ) else {
            return Some(Frame::Line(mem::take(&mut self.line)));
        };
        let id = u32::try_from(id).unwrap_or(u32::MAX);
        if len > self.max_payload as u64 {
            self.line.clear();
            return Some(Frame::Error(FramingError::PayloadTooLong {
                socket: id,
                declared: len,
            }));
        }
        self.state = State::ReadDataStart {
            id,
            len: len as usize,
        };
        Some(Frame::Line(mem::take(&mut self.line)))
    }

    /// `len` bytes of payload follow (then CR LF).
    fn start_data(&mut self, id: u32, len: usize) {
        self.payload.clear();
        self.payload.reserve(len);
        self.state = if len == 0 {
            State::PayloadEnd { id, cr: false }
        } else {
            State::Payload { id, remaining: len }
        };
    }

    /// IPRFMT 1: the data runs to the line's end (its CR or LF), bounded like a raw payload.
    fn line_payload(&mut self, id: u32, bytes: &mut &[u8]) -> Option<Frame> {
        let end = memchr2(b'\r', b'\n', bytes);
        let part = &bytes[..end.unwrap_or(bytes.len())];
        if self.payload.len() + part.len() > self.max_payload {
            // No length was announced; "more than the bound" is all that is known, and it must
            // not depend on how the input was split.
            let declared = self.max_payload as u64 + 1;
            self.payload.clear();
            self.state = State::Discarding;
            return Some(Frame::Error(FramingError::PayloadTooLong {
                socket: id,
                declared,
            }));
        }
        self.payload.extend_from_slice(part);
        *bytes = &bytes[part.len()..];
        end?;
        *bytes = &bytes[1..];
        self.state = State::LineStart;
        Some(Frame::Payload {
            id,
            data: mem::take(&mut self.payload),
        })
    }

    /// The line so far is `+MIPRTCP: <id>,<len>,`: the next `len` bytes are payload.
    fn start_payload(&mut self) -> Option<Frame> {
        self.commas = 0;
        let header = &self.line[RAW_DATA_PREFIX.len()..self.line.len() - 1];
        let mut fields = header.split(|&b| b == b',');
        let (Some(id), Some(len)) = (fields.next().and_then(number), fields.next()) else {
            // Not a header: keep it as an ordinary line so nothing is silently lost.
            return None;
        };
        if self.format == ReceiveFormat::RawLine {
            // IPRFMT 1: `<n>` is not a length (as in hex); the data runs to the line's end.
            number(len)?;
            self.line.clear();
            self.payload.clear();
            self.state = State::LinePayload {
                id: u32::try_from(id).unwrap_or(u32::MAX),
            };
            return None;
        }
        let len = number(len)?;
        self.line.clear();
        let id = u32::try_from(id).unwrap_or(u32::MAX);
        if len > self.max_payload as u64 {
            // Never allocate what the module announces; what follows is read as lines.
            self.state = State::LineStart;
            return Some(Frame::Error(FramingError::PayloadTooLong {
                socket: id,
                declared: len,
            }));
        }
        self.start_data(id, len as usize);
        None
    }
}

/// What [`Framer::take_fast`] does with a byte: add it to the line, skip it, or leave it to the
/// full path. One load from a table per byte, no branch on the byte's value (a byte-at-a-time
/// feed runs it once per byte, and such a branch is one more taken jump in its loop).
const PUSH: u8 = 0;
const SKIP: u8 = 1;
const SLOW: u8 = 2;

/// The fast path's table: CR and LF are skipped at the start of a line (inside one they end it:
/// the full path), `>` may be the prompt and a comma may end a raw `+MIPRTCP` header, so both go
/// to the full path whatever the state and format (one table, no pointer to load per byte).
static FAST_ACTIONS: [u8; 256] = {
    let mut t = [PUSH; 256];
    t[b'\r' as usize] = SKIP;
    t[b'\n' as usize] = SKIP;
    t[b'>' as usize] = SLOW;
    t[b',' as usize] = SLOW;
    t
};

/// Where the line that starts `bytes` ends: its first CR or LF. Eight bytes at a time for the
/// first 64 (a command's answer line is short, and memchr's set-up costs more than such a line's
/// scan), memchr beyond (a hex `+MIPRTCP` line).
#[inline]
fn line_end(bytes: &[u8]) -> Option<usize> {
    const LO: u64 = u64::from_ne_bytes([0x01; 8]);
    const HI: u64 = u64::from_ne_bytes([0x80; 8]);
    /// The bytes of `w` that are zero, as their high bits; only the lowest is exact (a borrow
    /// can mark the byte above a zero), which is the one wanted.
    fn zero_bytes(w: u64) -> u64 {
        w.wrapping_sub(LO) & !w & HI
    }
    let mut at = 0;
    while let Some(word) = bytes.get(at..at + 8) {
        if at == 64 {
            return memchr2(b'\r', b'\n', &bytes[at..]).map(|i| at + i);
        }
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let hits =
            zero_bytes(w ^ (LO * u64::from(b'\r'))) | zero_bytes(w ^ (LO * u64::from(b'\n')));
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .map(|i| at + i)
}

/// A decimal field with optional spaces around it; `None` for anything else (or over u64).
fn number(field: &[u8]) -> Option<u64> {
    let s = core::str::from_utf8(field).ok()?.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn frames(f: &mut Framer, input: &[u8], split: usize) -> Vec<Frame> {
        let mut out = Vec::new();
        for mut part in input.chunks(split.max(1)) {
            while let Some(fr) = f.next_frame(&mut part) {
                out.push(fr);
            }
        }
        out
    }

    fn raw(max_payload: usize) -> Framer {
        let mut f = Framer::new(4096, max_payload);
        f.set_format(ReceiveFormat::Raw);
        f
    }

    fn line(s: &[u8]) -> Frame {
        Frame::Line(s.to_vec())
    }

    #[test]
    fn the_fast_paths_table_leaves_every_byte_that_matters_to_the_full_path() {
        for b in 0..=255u8 {
            let want = match b {
                b'\r' | b'\n' => SKIP,
                b'>' | b',' => SLOW,
                _ => PUSH,
            };
            assert_eq!(FAST_ACTIONS[usize::from(b)], want, "{b}");
        }
    }

    /// The word-at-a-time scan against the obvious one: every end position, in the first word,
    /// in the 64 scanned by words and beyond, next to bytes one bit away from CR and LF (a
    /// borrow in the zero-byte test must not mark them).
    #[test]
    fn line_end_finds_the_first_cr_or_lf_wherever_it_is() {
        for filler in [b'a', 0x0c, 0x0e, 0x8d, 0x8a, 0x0b, 0x09, 0x00, 0xff] {
            for len in 0..160 {
                let mut v = vec![filler; len];
                assert_eq!(line_end(&v), None, "{filler:#x} {len}");
                for end in [b'\r', b'\n'] {
                    for at in 0..len {
                        v.fill(filler);
                        v[at] = end;
                        if at + 1 < len {
                            v[at + 1] = b'\r' ^ b'\n' ^ end;
                        }
                        assert_eq!(line_end(&v), Some(at), "{filler:#x} {len} {at}");
                    }
                }
            }
        }
    }

    /// Lines lent from the input and lines the full path copies are the same frames, and what
    /// the lending path must leave alone (a prompt, an over-long line, a raw or read header) is
    /// still framed by the full path.
    #[test]
    fn whole_lines_lent_from_the_input_frame_as_copied_ones() {
        let mut f = Framer::new(8, 4096);
        let mut input: &[u8] = b"\r\n\r\nAT+X\r\r\n> \r\n0123456789\r\nOK\r\n";
        let mut got = Vec::new();
        while let Some(cut) = f.cut(&mut input) {
            got.push(match cut {
                Cut::Line(l) => alloc::format!("lent {}", core::str::from_utf8(l).unwrap()),
                Cut::Frame(fr) => alloc::format!("{fr:?}"),
            });
        }
        assert_eq!(
            got,
            [
                "lent AT+X",
                "Prompt",
                "Error(LineTooLong { at_least: 10 })",
                "lent OK"
            ]
        );
        for format in [
            ReceiveFormat::Raw,
            ReceiveFormat::RawLine,
            ReceiveFormat::Read,
        ] {
            let mut f = Framer::new(4096, 4096);
            f.set_format(format);
            let (mut header, prefix): (&[u8], _) = if format == ReceiveFormat::Read {
                (b"+MIPDATA: 1,2\r\nab\r\n", READ_DATA_PREFIX)
            } else {
                (b"+MIPRTCP: 1,2,ab\r\n", RAW_DATA_PREFIX)
            };
            let first = f.cut(&mut header);
            assert!(
                matches!(&first, Some(Cut::Frame(_))),
                "{format:?}: a {prefix:?} header is the full path's"
            );
        }
    }

    #[test]
    fn echo_response_final() {
        let input = b"AT+GTSSLMODE?\r\r\n+GTSSLMODE: 1\r\n\r\nOK\r\n";
        for split in [1, 2, 3, 100] {
            assert_eq!(
                frames(&mut Framer::new(4096, 4096), input, split),
                vec![line(b"AT+GTSSLMODE?"), line(b"+GTSSLMODE: 1"), line(b"OK")]
            );
        }
    }

    #[test]
    fn prompt_with_and_without_space() {
        for input in [&b"AT+MIPSEND=1,3\r\r\n> "[..], b"AT+MIPSEND=1,3\r> "] {
            let got = frames(&mut Framer::new(4096, 4096), input, 1);
            assert_eq!(got, vec![line(b"AT+MIPSEND=1,3"), Frame::Prompt]);
        }
    }

    #[test]
    fn raw_payload_with_crlf_inside() {
        let input = b"\r\n+MIPRTCP: 1,6,a\r\nb,\r\r\n\r\nOK\r\n";
        for split in [1, 5, 1000] {
            assert_eq!(
                frames(&mut raw(4096), input, split),
                vec![
                    Frame::Payload {
                        id: 1,
                        data: b"a\r\nb,\r".to_vec()
                    },
                    line(b"OK"),
                ]
            );
        }
    }

    #[test]
    fn commas_in_other_lines_are_kept_in_raw_format() {
        let got = frames(&mut raw(4096), b"\r\n+GTSSLCIPHER: 1,2,3\r\n", 1);
        assert_eq!(got, vec![line(b"+GTSSLCIPHER: 1,2,3")]);
    }

    #[test]
    fn oversized_lines_are_dropped_and_counted() {
        let mut f = Framer::new(8, 8);
        let got = frames(&mut f, b"\r\n0123456789abc\r\nOK\r\n", 100);
        assert_eq!(
            got,
            vec![
                Frame::Error(FramingError::LineTooLong { at_least: 13 }),
                line(b"OK")
            ]
        );
        assert_eq!(f.oversized_lines(), 1);
    }

    /// Defect 1: the announced length was trusted (abort on 2^40, panic on u64::MAX, a wedge
    /// on 2^31). Now it is a typed framing error and the lines after it still frame.
    #[test]
    fn announced_lengths_beyond_the_bound_are_refused() {
        for len in [
            "1099511627776",
            "18446744073709551615",
            "2147483648",
            "99999999999999999999999",
        ] {
            let input = alloc::format!("\r\n+MIPRTCP: 1,{len},xyz\r\nOK\r\n");
            for split in [1, 7, 1000] {
                let got = frames(&mut raw(65536), input.as_bytes(), split);
                assert_eq!(
                    got.last(),
                    Some(&line(b"OK")),
                    "{len} split {split}: {got:?}"
                );
                assert!(
                    matches!(got[0], Frame::Error(FramingError::PayloadTooLong { .. }))
                        || matches!(got[0], Frame::Line(_)),
                    "{got:?}"
                );
            }
        }
    }

    /// Defect 2: a reboot inside a payload. The boot line and what follows are read again as
    /// lines once the payload is seen not to end in CR LF.
    #[test]
    fn restart_inside_a_payload_is_found_again() {
        let input =
            b"\r\n+MIPRTCP: 1,40,abc\r\nAT command ready\r\n\r\n+SIM READY\r\n\r\nXXXXOK\r\n";
        let got = frames(&mut raw(4096), input, 3);
        assert!(
            got.contains(&Frame::Error(FramingError::PayloadNotTerminated {
                socket: 1
            })),
            "{got:?}"
        );
        assert!(got.contains(&line(b"AT command ready")), "{got:?}");
        assert!(got.contains(&line(b"+SIM READY")), "{got:?}");
    }

    #[test]
    fn stalled_payload_is_replayed_as_lines() {
        let mut f = raw(4096);
        let got = frames(&mut f, b"\r\n+MIPRTCP: 1,100,ab\r\nAT command ready\r\n", 4);
        assert!(got.is_empty(), "{got:?}");
        assert!(f.in_payload());
        assert!(matches!(
            f.abort_payload(),
            Some(FramingError::PayloadStalled {
                socket: 1,
                received: 22,
                missing: 78
            })
        ));
        let got = frames(&mut f, b"", 1);
        assert!(got.is_empty());
        let mut empty: &[u8] = &[];
        let mut out = Vec::new();
        while let Some(fr) = f.next_frame(&mut empty) {
            out.push(fr);
        }
        assert_eq!(out, vec![line(b"ab"), line(b"AT command ready")]);
    }
}
