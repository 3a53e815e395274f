//! A text kept inline when short, on the heap when not: a command line with its prefixes
//! (`AT+CSQ` and `+CSQ`) and a small response (`+CSQ: 23,99`) cost no allocation, so a command
//! round trip in steady state allocates nothing in the session.

use alloc::string::String;
use core::fmt;

/// Bytes kept inline: `Text` is 40 bytes, where a `String` is 24 plus its allocation.
const INLINE: usize = 38;

#[derive(Clone)]
pub(crate) enum Text {
    /// `buf[..len]` is valid UTF-8: it is only ever filled from `&str`s.
    Inline {
        len: u8,
        buf: [u8; INLINE],
    },
    Heap(String),
}

impl Default for Text {
    fn default() -> Self {
        Text::Inline {
            len: 0,
            buf: [0; INLINE],
        }
    }
}

impl Text {
    /// Room for `capacity` bytes, inline if it fits.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        if capacity <= INLINE {
            Text::default()
        } else {
            Text::Heap(String::with_capacity(capacity))
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Text::Inline { len, buf } => &buf[..usize::from(*len)],
            Text::Heap(s) => s.as_bytes(),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Valid by construction; checked again rather than trusted (no `unsafe` here), which
            // costs a few instructions on a text this short.
            Text::Inline { .. } => core::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Text::Heap(s) => s,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.as_bytes().len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn push_str(&mut self, s: &str) {
        match self {
            Text::Inline { len, buf } => {
                let at = usize::from(*len);
                if let Some(room) = buf.get_mut(at..at + s.len()) {
                    room.copy_from_slice(s.as_bytes());
                    *len += s.len() as u8;
                } else {
                    let mut heap = String::with_capacity((at + s.len()).max(2 * INLINE));
                    heap.push_str(core::str::from_utf8(&buf[..at]).unwrap_or_default());
                    heap.push_str(s);
                    *self = Text::Heap(heap);
                }
            }
            Text::Heap(h) => h.push_str(s),
        }
    }

    /// Append a line: a `\n` first unless the text is empty, then the bytes — ASCII as they
    /// are, anything else through `from_utf8_lossy` (valid UTF-8 kept, the rest U+FFFD), so the
    /// text stays valid UTF-8. Inline ASCII is one plain copy: the receive path's short response
    /// lines skip the UTF-8 check a `&str` would cost them.
    pub(crate) fn push_line(&mut self, s: &[u8]) {
        if let Text::Inline { len, buf } = self {
            let at = usize::from(*len);
            let sep = usize::from(at > 0);
            let end = at + sep + s.len();
            if let Some(room) = buf.get_mut(at + sep..end) {
                if s.is_ascii() {
                    room.copy_from_slice(s);
                    if sep == 1 {
                        buf[at] = b'\n';
                    }
                    *len = end as u8;
                    return;
                }
            }
        }
        if !self.is_empty() {
            self.push('\n');
        }
        self.push_str(&alloc::string::String::from_utf8_lossy(s));
    }

    pub(crate) fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Text {}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        let mut t = Text::default();
        t.push_str(s);
        t
    }

    #[test]
    fn lines_copy_inline_and_anything_else_stays_valid() {
        let mut t = Text::default();
        t.push_line(b"+CSQ: 23,99");
        t.push_line(b"+X");
        assert!(matches!(t, Text::Inline { .. }));
        assert_eq!(t.as_str(), "+CSQ: 23,99\n+X");
        t.push_line(b"\xff\xc3\xa9");
        assert_eq!(t.as_str(), "+CSQ: 23,99\n+X\n\u{fffd}\u{e9}");
        let long = [b'a'; 2 * INLINE];
        t.push_line(&long);
        assert!(matches!(t, Text::Heap(_)));
        let mut want = alloc::string::String::from("+CSQ: 23,99\n+X\n\u{fffd}\u{e9}\n");
        want.push_str(core::str::from_utf8(&long).unwrap());
        assert_eq!(t.as_str(), want);
        let mut exact = Text::default();
        exact.push_line(&[b'b'; INLINE]);
        assert!(matches!(exact, Text::Inline { .. }));
        exact.push_line(b"");
        assert!(matches!(exact, Text::Heap(_)));
        assert_eq!(exact.len(), INLINE + 1);
    }

    #[test]
    fn short_texts_stay_inline_long_ones_move_to_the_heap() {
        let mut t = text("AT+CSQ");
        t.push('\n');
        t.push_str("+CSQ");
        assert!(matches!(t, Text::Inline { .. }));
        assert_eq!(t.as_str(), "AT+CSQ\n+CSQ");
        let long = "é".repeat(30);
        t.push_str(&long);
        assert!(matches!(t, Text::Heap(_)));
        assert_eq!(t.as_str(), alloc::format!("AT+CSQ\n+CSQ{long}"));
        assert_eq!(t, text(t.as_str()));
        let exact = "x".repeat(INLINE);
        assert!(matches!(text(&exact), Text::Inline { .. }));
        assert!(matches!(text(&(exact + "y")), Text::Heap(_)));
        assert!(Text::default().is_empty());
        assert!(matches!(Text::with_capacity(INLINE + 1), Text::Heap(_)));
    }
}
