//! The framer on arbitrary bytes, format switches, stalls and resets.
//!
//! Two framers read the same stream: one is handed each chunk whole (and recycles the vectors
//! of the frames it returns), the other the same chunk in small pieces. They must produce the
//! same frames — the framer is incremental, so how the bytes are split must not matter — and
//! every frame must respect the bounds: lines non-empty, without CR/LF and at most `max_line`
//! bytes, payloads at most `max_payload` bytes. Neither may panic or stop making progress.
#![no_main]

use arbitrary::Arbitrary;
use l610_proto::framing::{Frame, Framer};
use l610_proto::{FramingError, ReceiveFormat};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Limits {
    /// Tiny bounds, so over-long lines and payloads are common.
    Small { max_line: u8, max_payload: u8 },
    /// The session's defaults.
    Default,
}

#[derive(Debug, Arbitrary)]
enum Op {
    /// Bytes off the wire.
    Feed(Vec<u8>),
    /// A raw `+MIPRTCP` header whose length may or may not be true, then the bytes.
    Data {
        id: u8,
        len: u16,
        body: Vec<u8>,
        crlf: bool,
    },
    /// A line the module sends every day.
    Line(Common),
    /// `AT+GTSET="IPRFMT",n` took effect.
    Format(u8),
    /// The session's stall timer fired.
    Abort,
    /// The module restarted.
    Reset,
}

#[derive(Debug, Arbitrary, Clone, Copy)]
enum Common {
    Ok,
    Error,
    Prompt,
    Echo,
    Boot,
    HexData,
    Hostile,
}

impl Common {
    fn bytes(self) -> &'static [u8] {
        match self {
            Common::Ok => b"\r\nOK\r\n",
            Common::Error => b"\r\n+CME ERROR: 3\r\n",
            Common::Prompt => b"\r\n> ",
            Common::Echo => b"AT+MIPSEND=1,5\r",
            Common::Boot => b"\r\nAT command ready\r\n",
            Common::HexData => b"\r\n+MIPRTCP: 1,201,350A57\r\n",
            Common::Hostile => b"\r\n+MIPRTCP: 1,1099511627776,",
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    Ops {
        limits: Limits,
        /// Piece size for the second framer (1..=16).
        piece: u8,
        ops: Vec<Op>,
    },
    /// Literal module output, the rest of the input as it is (the seeds are transcripts:
    /// `fuzz/make-seeds.py`).
    Transcript {
        raw: bool,
        piece: u8,
        bytes: &'a [u8],
    },
}

/// The `at_least` of an over-long line depends on where the chunk ended; everything else must
/// match exactly.
fn normalise(f: Frame) -> Frame {
    match f {
        Frame::Error(FramingError::LineTooLong { .. }) => {
            Frame::Error(FramingError::LineTooLong { at_least: 0 })
        }
        other => other,
    }
}

struct Side {
    framer: Framer,
    frames: Vec<Frame>,
    recycle: bool,
    max_line: usize,
    max_payload: usize,
    /// Frames the bytes fed so far may still produce.
    budget: usize,
}

impl Side {
    fn new(max_line: usize, max_payload: usize, recycle: bool) -> Self {
        Side {
            framer: Framer::new(max_line, max_payload),
            frames: Vec::new(),
            recycle,
            max_line,
            max_payload,
            budget: 0,
        }
    }

    /// Pull every frame out of `bytes` (and out of what the framer replays).
    fn feed(&mut self, mut bytes: &[u8]) {
        // Each byte is read at most twice (once more when a payload is replayed as lines), so
        // more frames than that means the framer stopped making progress. The budget is kept
        // over the whole stream: a payload taken in one feed may be replayed in a later one.
        self.budget += 4 * bytes.len() + 64;
        while let Some(frame) = self.framer.next_frame(&mut bytes) {
            self.budget = self
                .budget
                .checked_sub(1)
                .expect("framer makes no progress");
            self.check(&frame);
            let frame = match frame {
                Frame::Line(v) if self.recycle => {
                    let copy = v.clone();
                    self.framer.recycle(v);
                    Frame::Line(copy)
                }
                Frame::Payload { id, data } if self.recycle => {
                    let copy = data.clone();
                    self.framer.recycle(data);
                    Frame::Payload { id, data: copy }
                }
                other => other,
            };
            self.frames.push(normalise(frame));
        }
        assert!(bytes.is_empty(), "next_frame returned None with bytes left");
    }

    fn check(&self, frame: &Frame) {
        match frame {
            Frame::Line(v) => {
                assert!(!v.is_empty(), "empty line frame");
                assert!(
                    v.len() <= self.max_line.max(1),
                    "line of {} > {}",
                    v.len(),
                    self.max_line
                );
                assert!(
                    !v.contains(&b'\r') && !v.contains(&b'\n'),
                    "line holds CR/LF: {v:?}"
                );
            }
            Frame::Payload { data, .. } => {
                assert!(
                    data.len() <= self.max_payload,
                    "payload of {} > {}",
                    data.len(),
                    self.max_payload
                );
            }
            Frame::Error(FramingError::PayloadTooLong { declared, .. }) => {
                assert!(*declared > self.max_payload as u64);
            }
            Frame::Error(FramingError::LineTooLong { at_least }) => {
                assert!(*at_least > self.max_line.max(1));
            }
            Frame::Prompt | Frame::Error(_) => {}
        }
    }

    fn abort(&mut self) {
        if let Some(e) = self.framer.abort_payload() {
            self.frames.push(Frame::Error(e));
            assert!(!self.framer.in_payload());
        }
        self.feed(&[]);
    }
}

fuzz_target!(|input: Input<'_>| {
    let (limits, piece, ops) = match input {
        Input::Ops { limits, piece, ops } => (limits, piece, ops),
        Input::Transcript { raw, piece, bytes } => (
            Limits::Default,
            piece,
            vec![Op::Format(raw.into()), Op::Feed(bytes.to_vec())],
        ),
    };
    let (max_line, max_payload) = match limits {
        Limits::Small {
            max_line,
            max_payload,
        } => (max_line as usize, max_payload as usize),
        Limits::Default => (64 * 1024, 64 * 1024),
    };
    let piece = 1 + (piece as usize % 16);
    let mut whole = Side::new(max_line, max_payload, true);
    let mut split = Side::new(max_line, max_payload, false);
    let mut buf = Vec::new();
    for op in ops {
        let bytes: &[u8] = match op {
            Op::Feed(ref b) => b,
            Op::Data {
                id,
                len,
                ref body,
                crlf,
            } => {
                buf.clear();
                // Read mode's `+MIPDATA: <id>,<len>` CR LF header too (odd ids).
                if id % 2 == 1 {
                    buf.extend_from_slice(format!("\r\n+MIPDATA: {id},{len}\r\n").as_bytes());
                } else {
                    buf.extend_from_slice(format!("\r\n+MIPRTCP: {id},{len},").as_bytes());
                }
                buf.extend_from_slice(body);
                if crlf {
                    buf.extend_from_slice(b"\r\n");
                }
                &buf
            }
            Op::Line(c) => c.bytes(),
            Op::Format(n) => {
                let f = ReceiveFormat::ALL[usize::from(n) % ReceiveFormat::ALL.len()];
                whole.framer.set_format(f);
                split.framer.set_format(f);
                continue;
            }
            Op::Abort => {
                whole.abort();
                split.abort();
                continue;
            }
            Op::Reset => {
                whole.framer.reset();
                split.framer.reset();
                continue;
            }
        };
        whole.feed(bytes);
        for p in bytes.chunks(piece) {
            split.feed(p);
        }
        assert_eq!(
            whole.frames, split.frames,
            "frames depend on how the input was split"
        );
        assert_eq!(whole.framer.in_payload(), split.framer.in_payload());
        assert_eq!(
            whole.framer.oversized_lines(),
            split.framer.oversized_lines()
        );
    }
});
