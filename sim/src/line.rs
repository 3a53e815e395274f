//! Assembles command lines from the host's bytes: anything before `AT`/`at` is noise,
//! `\n` is ignored, `\r` ends the line.

const MAX_LINE: usize = 4096;

#[derive(Default)]
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
}

impl LineReader {
    /// Feeds one byte; returns the whole line (from `AT` up to and including `\r`) when done.
    pub(crate) fn push(&mut self, b: u8) -> Option<Vec<u8>> {
        if b == b'\n' {
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
                if b == b'\r' {
                    self.phase = Phase::Idle;
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

    pub(crate) fn reset(&mut self) {
        *self = LineReader::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_noise_and_newlines() {
        let mut r = LineReader::default();
        let lines: Vec<_> = b"\xffxx\nat+x?\r\nAAT\r"
            .iter()
            .filter_map(|&b| r.push(b))
            .collect();
        assert_eq!(lines, vec![b"at+x?\r".to_vec(), b"AT\r".to_vec()]);
    }
}
