//! Framing: the raw byte stream from the module, cut into lines, prompts and length-framed payloads.
//!
//! The framer is incremental: bytes can arrive in any split (one at a time, or megabytes at once)
//! and each byte is looked at a constant number of times, so feeding a message byte by byte costs
//! the same per byte as feeding it whole (the quadratic re-scan of some AT parsers is the bug this
//! avoids). It knows nothing about commands; classification happens one layer up.

use memchr::{memchr2, memchr3};

/// One unit cut out of the byte stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A non-empty line, without its CR/LF terminators. The echo of a command ends with a bare
    /// CR, responses and URCs are wrapped in CR LF; empty lines carry nothing and are skipped.
    Line(Vec<u8>),
    /// The `>` data prompt at the start of a line (one following space is consumed with it).
    Prompt,
    /// A length-framed URC in raw receive format (`AT+GTSET="IPRFMT",2`):
    /// `+MIPRTCP: <id>,<len>,` followed by exactly `len` raw bytes, which may contain CR and LF.
    Payload {
        /// The header up to the length, e.g. `+MIPRTCP: 1,5`.
        header: Vec<u8>,
        /// Exactly `len` bytes.
        data: Vec<u8>,
    },
}

/// How the module delivers received socket data (`AT+GTSET="IPRFMT",<n>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReceiveFormat {
    /// IPRFMT 0 (the module's default): `+MIPRTCP: <id>,<n>,<HEX>` on one line.
    #[default]
    Hex,
    /// IPRFMT 2: `+MIPRTCP: <id>,<len>,<len raw bytes>`, read by length, binary-safe.
    Raw,
}

impl ReceiveFormat {
    /// The `<n>` of `AT+GTSET="IPRFMT",<n>`.
    pub fn iprfmt(self) -> u8 {
        match self {
            ReceiveFormat::Hex => 0,
            ReceiveFormat::Raw => 2,
        }
    }
}

const RAW_DATA_PREFIX: &[u8] = b"+MIPRTCP:";

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
    Payload { remaining: usize },
}

/// Incremental framer. See the module documentation.
#[derive(Debug)]
pub struct Framer {
    state: State,
    line: Vec<u8>,
    payload_header: Vec<u8>,
    payload: Vec<u8>,
    commas: u8,
    format: ReceiveFormat,
    max_line: usize,
    oversized: u64,
}

impl Framer {
    /// A framer that drops lines longer than `max_line` bytes (and counts them).
    pub fn new(max_line: usize) -> Self {
        Framer {
            state: State::LineStart,
            line: Vec::with_capacity(256),
            payload_header: Vec::new(),
            payload: Vec::new(),
            commas: 0,
            format: ReceiveFormat::Hex,
            max_line,
            oversized: 0,
        }
    }

    /// Switch the receive format; takes effect from the next byte pushed.
    pub fn set_format(&mut self, format: ReceiveFormat) {
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

    /// Forget any partial line (after a module restart the half-line before it is meaningless).
    pub fn reset(&mut self) {
        self.state = State::LineStart;
        self.line.clear();
        self.commas = 0;
        self.payload.clear();
    }

    /// Consume bytes from the front of `bytes` until one frame is complete and return it; `None`
    /// when all bytes were consumed without completing one. Pulling one frame at a time lets the
    /// caller act on a frame (e.g. switch the receive format after `OK`) before the next byte.
    #[inline]
    pub fn next_frame(&mut self, bytes: &mut &[u8]) -> Option<Frame> {
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
                State::Payload { remaining } => {
                    let take = remaining.min(bytes.len());
                    self.payload.extend_from_slice(&bytes[..take]);
                    *bytes = &bytes[take..];
                    if take == remaining {
                        // The CR LF after the payload is skipped as an empty line.
                        self.state = State::LineStart;
                        Some(Frame::Payload {
                            header: std::mem::take(&mut self.payload_header),
                            data: std::mem::take(&mut self.payload),
                        })
                    } else {
                        self.state = State::Payload {
                            remaining: remaining - take,
                        };
                        None
                    }
                }
            };
            if frame.is_some() {
                return frame;
            }
        }
        None
    }

    /// Feed bytes and hand every complete frame to `emit`, in order (for callers that never
    /// need to act between frames).
    pub fn push(&mut self, mut bytes: &[u8], emit: &mut dyn FnMut(Frame)) {
        while let Some(frame) = self.next_frame(&mut bytes) {
            emit(frame);
        }
    }

    /// Scan inside a line up to its end (or a comma that may end a raw `+MIPRTCP` header).
    #[inline]
    fn in_line(&mut self, bytes: &mut &[u8]) -> Option<Frame> {
        let raw = self.format == ReceiveFormat::Raw;
        // memchr pays a set-up cost that only long slices repay; a byte-at-a-time feed must cost
        // about what a whole-buffer feed costs per byte.
        let found = if bytes.len() < 16 {
            bytes
                .iter()
                .position(|&b| b == b'\r' || b == b'\n' || (raw && b == b','))
        } else if raw {
            memchr3(b'\r', b'\n', b',', bytes)
        } else {
            memchr2(b'\r', b'\n', bytes)
        };
        let Some(at) = found else {
            self.extend_line(bytes);
            *bytes = &[];
            return None;
        };
        let stop = bytes[at];
        self.extend_line(&bytes[..at]);
        *bytes = &bytes[at + 1..];
        if self.state == State::Discarding {
            if stop != b',' {
                self.state = State::LineStart;
            }
            return None;
        }
        if stop == b',' {
            self.line.push(b',');
            self.commas += 1;
            if self.commas == 2 && self.line.starts_with(RAW_DATA_PREFIX) {
                return self.start_payload();
            }
            return None;
        }
        self.end_line()
    }

    #[inline]
    fn extend_line(&mut self, part: &[u8]) {
        if self.line.len() + part.len() > self.max_line {
            self.oversized += 1;
            self.line.clear();
            self.commas = 0;
            self.state = State::Discarding;
        } else if let [one] = part {
            self.line.push(*one);
        } else {
            self.line.extend_from_slice(part);
        }
    }

    fn end_line(&mut self) -> Option<Frame> {
        self.commas = 0;
        self.state = State::LineStart;
        if self.line.is_empty() {
            return None;
        }
        let line = std::mem::replace(&mut self.line, Vec::with_capacity(256));
        Some(Frame::Line(line))
    }

    /// The line so far is `+MIPRTCP: <id>,<len>,`: the next `len` bytes are payload.
    fn start_payload(&mut self) -> Option<Frame> {
        self.commas = 0;
        let header = &self.line[..self.line.len() - 1];
        let len = header
            .rsplit(|&b| b == b',')
            .next()
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| s.trim().parse::<usize>().ok());
        match len {
            Some(0) => {
                let frame = Frame::Payload {
                    header: header.to_vec(),
                    data: Vec::new(),
                };
                self.line.clear();
                self.state = State::LineStart;
                Some(frame)
            }
            Some(len) => {
                self.payload_header = header.to_vec();
                self.line.clear();
                self.payload = Vec::with_capacity(len);
                self.state = State::Payload { remaining: len };
                None
            }
            // Not a length: keep it as an ordinary line so nothing is silently lost.
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(format: ReceiveFormat, input: &[u8], split: usize) -> Vec<Frame> {
        let mut f = Framer::new(4096);
        f.set_format(format);
        let mut out = Vec::new();
        for part in input.chunks(split.max(1)) {
            f.push(part, &mut |fr| out.push(fr));
        }
        out
    }

    #[test]
    fn echo_response_final() {
        let input = b"AT+GTSSLMODE?\r\r\n+GTSSLMODE: 1\r\n\r\nOK\r\n";
        for split in [1, 2, 3, 100] {
            assert_eq!(
                frames(ReceiveFormat::Hex, input, split),
                vec![
                    Frame::Line(b"AT+GTSSLMODE?".to_vec()),
                    Frame::Line(b"+GTSSLMODE: 1".to_vec()),
                    Frame::Line(b"OK".to_vec()),
                ]
            );
        }
    }

    #[test]
    fn prompt_with_and_without_space() {
        for input in [&b"AT+MIPSEND=1,3\r\r\n> "[..], b"AT+MIPSEND=1,3\r> "] {
            let got = frames(ReceiveFormat::Hex, input, 1);
            assert_eq!(
                got,
                vec![Frame::Line(b"AT+MIPSEND=1,3".to_vec()), Frame::Prompt]
            );
        }
    }

    #[test]
    fn raw_payload_with_crlf_inside() {
        let input = b"\r\n+MIPRTCP: 1,6,a\r\nb,\r\n\r\n\r\nOK\r\n";
        for split in [1, 5, 1000] {
            assert_eq!(
                frames(ReceiveFormat::Raw, input, split),
                vec![
                    Frame::Payload {
                        header: b"+MIPRTCP: 1,6".to_vec(),
                        data: b"a\r\nb,\r".to_vec()
                    },
                    Frame::Line(b"OK".to_vec()),
                ]
            );
        }
    }

    #[test]
    fn commas_in_other_lines_are_kept_in_raw_format() {
        let got = frames(ReceiveFormat::Raw, b"\r\n+GTSSLCIPHER: 1,2,3\r\n", 1);
        assert_eq!(got, vec![Frame::Line(b"+GTSSLCIPHER: 1,2,3".to_vec())]);
    }

    #[test]
    fn oversized_lines_are_dropped_and_counted() {
        let mut f = Framer::new(8);
        let mut out = Vec::new();
        f.push(b"\r\n0123456789abc\r\nOK\r\n", &mut |fr| out.push(fr));
        assert_eq!(out, vec![Frame::Line(b"OK".to_vec())]);
        assert_eq!(f.oversized_lines(), 1);
    }
}
