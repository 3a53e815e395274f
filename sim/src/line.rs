//! Assembles command lines from the host's bytes: anything before `AT`/`at` is noise, and a
//! line ends with CR, LF or CRLF. Every public L610 client ends its commands with CRLF; the
//! module ignores the LF, so the LF of a CRLF never starts or ends anything.

const MAX_LINE: usize = 4096;

#[derive(Default, PartialEq, Eq)]
enum Phase {
    #[default]
    Idle,
    GotA,
    InLine,
}

#[derive(Default)]
pub(crate) struct LineReader {
    buf: Vec<u8>,
    phase: Phase,
    /// The last byte fed ended a line with CR: an LF now is the rest of a CRLF.
    just_ended_cr: bool,
    /// This host has been seen ending a line with CRLF. Kept across resets: the host on the
    /// other end of the line is the same after a module restart.
    crlf_host: bool,
}

impl LineReader {
    /// Feeds one byte; returns the whole line (from `AT` up to and including its terminator,
    /// `\r` or `\n`) when done.
    pub(crate) fn push(&mut self, b: u8) -> Option<Vec<u8>> {
        let after_cr = std::mem::take(&mut self.just_ended_cr);
        if b == b'\n' && after_cr {
            self.crlf_host = true;
            return None;
        }
        match self.phase {
            Phase::Idle => {
                if b.eq_ignore_ascii_case(&b'a') {
                    self.buf.clear();
                    self.buf.push(b);
                    self.phase = Phase::GotA;
                }
            }
            Phase::GotA => {
                if b.eq_ignore_ascii_case(&b't') {
                    self.buf.push(b);
                    self.phase = Phase::InLine;
                } else if b.eq_ignore_ascii_case(&b'a') {
                    self.buf.clear();
                    self.buf.push(b);
                } else {
                    self.phase = Phase::Idle;
                }
            }
            Phase::InLine => {
                self.buf.push(b);
                if b == b'\r' || b == b'\n' {
                    self.phase = Phase::Idle;
                    self.just_ended_cr = b == b'\r';
                    return Some(std::mem::take(&mut self.buf));
                }
                if self.buf.len() > MAX_LINE {
                    // Runaway noise that happened to start with "AT": drop it.
                    self.buf.clear();
                    self.phase = Phase::Idle;
                }
            }
        }
        None
    }

    /// True right after a line ended with CR, before the next byte: an LF arriving now is the
    /// second half of that line's CRLF terminator, not data. The data phase, which reads the
    /// next bytes itself, takes this answer once.
    pub(crate) fn take_awaiting_lf(&mut self) -> bool {
        std::mem::take(&mut self.just_ended_cr)
    }

    /// The data phase found and dropped the LF of a CRLF.
    pub(crate) fn note_crlf(&mut self) {
        self.crlf_host = true;
    }

    /// The host has ended lines with CRLF before, so an LF is still to come after a CR.
    pub(crate) fn crlf_host(&self) -> bool {
        self.crlf_host
    }

    pub(crate) fn reset(&mut self) {
        let crlf_host = self.crlf_host;
        *self = LineReader {
            crlf_host,
            ..LineReader::default()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut r = LineReader::default();
        bytes.iter().filter_map(|&b| r.push(b)).collect()
    }

    #[test]
    fn skips_noise_and_newlines() {
        assert_eq!(
            lines(b"\xffxx\nat+x?\r\nAAT\r"),
            vec![b"at+x?\r".to_vec(), b"AT\r".to_vec()]
        );
    }

    #[test]
    fn cr_lf_and_crlf_all_end_a_line() {
        assert_eq!(
            lines(b"AT+A\rAT+B\nAT+C\r\nAT+D\r\n\r\n"),
            vec![
                b"AT+A\r".to_vec(),
                b"AT+B\n".to_vec(),
                b"AT+C\r".to_vec(),
                b"AT+D\r".to_vec()
            ]
        );
        let mut r = LineReader::default();
        assert!(!r.crlf_host());
        for &b in b"AT\r\n" {
            r.push(b);
        }
        assert!(r.crlf_host());
    }
}
