//! A command to send: its text, which response lines it owns, its timeout, its data payload.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use crate::framing::ReceiveFormat;
use crate::text::Text;

/// Names a submitted command; its [`Outcome`](crate::Outcome) is taken by this id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommandId(pub u64);

/// One AT command. Built with the consuming setters; submitted with
/// [`Session::submit`](crate::Session::submit).
///
/// ```
/// use l610_proto::Command;
/// let cmd = Command::new("+GTSSLMODE?").expects("+GTSSLMODE");
/// assert_eq!(cmd.line(), "AT+GTSSLMODE?");
/// ```
#[derive(Clone)]
pub struct Command {
    /// The line, then each expected prefix after a `\n`, inline when short: a clone on every
    /// submit (the common case) allocates nothing, where a `String` and a `Vec<String>` were
    /// three allocations. A line never holds a `\n` that matters: submit refuses control
    /// characters.
    pub(crate) text: Text,
    pub(crate) line_len: usize,
    pub(crate) bare_lines: bool,
    pub(crate) shape: Option<fn(&str) -> bool>,
    pub(crate) max_lines: Option<usize>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) payload: Option<Vec<u8>>,
    pub(crate) trace_payload: bool,
    pub(crate) secret: bool,
    /// The line from this byte on is a secret (a password): see [`Command::secret_from`].
    pub(crate) secret_from: Option<usize>,
    pub(crate) on_ok_format: Option<ReceiveFormat>,
    /// The length of the first prefix given with [`expects`](Self::expects): the one a
    /// response line is compared with first, found without scanning the text for its end.
    pub(crate) first_expected: Option<usize>,
}

/// Never shows the payload: it may be a private key.
impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("line", &self.shown_line())
            .field(
                "expects",
                &self.text.as_str()[self.line_len..]
                    .split('\n')
                    .skip(1)
                    .collect::<Vec<_>>(),
            )
            .field("timeout", &self.timeout)
            .field(
                "payload",
                &self
                    .payload
                    .as_ref()
                    .map(|p| format!("<{} bytes>", p.len())),
            )
            .finish_non_exhaustive()
    }
}

impl Command {
    /// `body` is everything after `AT`, e.g. `+GTSSLMODE=1` or `E0`.
    pub fn new(body: impl AsRef<str>) -> Self {
        let body = body.as_ref();
        // Room for a prefix or two, so that `expects` does not reallocate.
        let mut text = Text::with_capacity(2 + body.len() + 24);
        text.push_str("AT");
        text.push_str(body);
        Command {
            line_len: text.len(),
            text,
            bare_lines: false,
            shape: None,
            max_lines: None,
            timeout: None,
            payload: None,
            trace_payload: false,
            secret: false,
            secret_from: None,
            on_ok_format: None,
            first_expected: None,
        }
    }

    /// A command as a person types it: `AT+CSQ`, `at+csq` or just `+CSQ` (the `AT` is optional).
    pub fn from_line(line: &str) -> Self {
        let line = line.trim();
        let body = match line.get(..2) {
            Some(at) if at.eq_ignore_ascii_case("AT") => &line[2..],
            _ => line,
        };
        Command::new(body)
    }

    /// Lines starting with `prefix:` belong to this command's response; all other `+X:` lines
    /// are URCs.
    #[must_use]
    pub fn expects(mut self, prefix: &str) -> Self {
        self.first_expected.get_or_insert(prefix.len());
        self.text.push('\n');
        self.text.push_str(prefix);
        self
    }

    /// Only `+X:` lines whose parameters pass `shape`, and at most `max_lines` of them, are the
    /// response; the rest are URCs. For queries whose answer looks like a URC of the same name:
    /// `AT+MIPCLOSE?` lists open ids (`+MIPCLOSE: 1,3`) while the URC `+MIPCLOSE: 2,0` reports a
    /// close.
    #[must_use]
    pub fn response_shape(mut self, shape: fn(&str) -> bool, max_lines: usize) -> Self {
        self.shape = Some(shape);
        self.max_lines = Some(max_lines);
        self
    }

    /// Lines without a `+` prefix (e.g. `ATI`'s) belong to the response.
    #[must_use]
    pub fn bare_lines(mut self) -> Self {
        self.bare_lines = true;
        self
    }

    /// Wait this long for the final result instead of the session's default.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The command answers with the `>` prompt; then exactly these bytes are written, with no
    /// terminator. The payload is kept out of the trace unless [`trace_payload`](Self::trace_payload)
    /// is set.
    #[must_use]
    pub fn payload(mut self, bytes: Vec<u8>) -> Self {
        self.payload = Some(bytes);
        self
    }

    /// Show the payload in the trace (socket data the caller wants to see). Off by default.
    #[must_use]
    pub fn trace_payload(mut self) -> Self {
        self.trace_payload = true;
        self
    }

    /// The payload is secret (a key): besides never tracing it, every line received while the
    /// command runs, and until the line is quiet after it, is redacted from the trace — a module
    /// that restarts mid-upload echoes the rest of the key.
    #[must_use]
    pub fn secret(mut self) -> Self {
        self.secret = true;
        self.trace_payload = false;
        self
    }

    /// The command line itself holds a secret from byte `at` on (the password of
    /// `AT+MIPCALL=1,"apn","user","pwd"`): the trace, `Debug` and error texts show
    /// [`shown_line`](Self::shown_line) instead, and the module's echo of the line is redacted
    /// from the trace.
    #[must_use]
    pub fn secret_from(mut self, at: usize) -> Self {
        self.secret_from = Some(at.min(self.line_len));
        self
    }

    /// The line as traces, `Debug` and error texts may show it: [`line`](Self::line), with the
    /// part after [`secret_from`](Self::secret_from) replaced by `<redacted>`.
    pub fn shown_line(&self) -> String {
        match self.secret_from {
            Some(at) => {
                // `at` is a byte index the builder chose; never cut inside a character.
                let line = self.line();
                let at = (0..=at)
                    .rev()
                    .find(|&i| line.is_char_boundary(i))
                    .unwrap_or(0);
                format!("{}<redacted>", &line[..at])
            }
            None => String::from(self.line()),
        }
    }

    /// Whether the line holds a secret (see [`secret_from`](Self::secret_from)).
    pub fn has_secret_line(&self) -> bool {
        self.secret_from.is_some()
    }

    /// On `OK`, the module's receive format becomes `format` (for `AT+GTSET="IPRFMT",n`); the
    /// framer switches before it reads the next byte.
    #[must_use]
    pub fn switches_format(mut self, format: ReceiveFormat) -> Self {
        self.on_ok_format = Some(format);
        self
    }

    /// The command line as written, without the terminating CR.
    pub fn line(&self) -> &str {
        &self.text.as_str()[..self.line_len]
    }

    /// [`line`](Self::line) as bytes (no UTF-8 check of the inline text: the receive path).
    pub(crate) fn line_bytes(&self) -> &[u8] {
        &self.text.as_bytes()[..self.line_len]
    }

    /// The first prefix given with [`expects`](Self::expects), if any.
    #[inline]
    pub(crate) fn first_expected(&self) -> Option<&[u8]> {
        let start = self.line_len + 1;
        self.text
            .as_bytes()
            .get(start..start + self.first_expected?)
    }

    /// The prefixes given with [`expects`](Self::expects), in order.
    pub(crate) fn expected(&self) -> impl Iterator<Item = &[u8]> + '_ {
        // Bytes, not `str::split`: this runs for every `+` line while the command is in flight.
        self.text.as_bytes()[self.line_len..]
            .split(|&b| b == b'\n')
            .skip(1)
    }

    /// The timeout set on the command, if any.
    pub fn timeout_override(&self) -> Option<Duration> {
        self.timeout
    }

    /// Whether the command writes a payload after a `>` prompt.
    pub fn has_payload(&self) -> bool {
        self.payload.is_some()
    }
}

/// The information lines of a successful command (echo and final result removed).
///
/// Kept as one text, the lines joined by `\n` (a line from the module never holds CR or LF: they
/// end it), so a response costs one allocation however many lines it has.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Response {
    /// Inline when short (`+CSQ: 23,99`): no allocation at all.
    text: Text,
}

impl Response {
    /// A response of these lines (for tests and for drivers that build one themselves). A line
    /// holding `\n` becomes two lines.
    pub fn from_lines<I>(lines: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut text = Text::default();
        for (i, l) in lines.into_iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(l.as_ref());
        }
        Response { text }
    }

    /// Add a line as received (the session's receive path; it holds no CR or LF): ASCII, all
    /// the module sends, is its own text; bytes that are not UTF-8 become U+FFFD.
    pub(crate) fn push_line(&mut self, line: &[u8]) {
        self.text.push_line(line);
    }

    /// The lines in order of arrival.
    pub fn lines(&self) -> impl Iterator<Item = &str> + '_ {
        // `"".split('\n')` would give one empty line; an empty text is no line.
        (!self.text.is_empty())
            .then(|| self.text.as_str().split('\n'))
            .into_iter()
            .flatten()
    }

    /// The lines joined by `\n`.
    pub fn text(&self) -> &str {
        self.text.as_str()
    }

    /// How many lines.
    pub fn len(&self) -> usize {
        if self.text.is_empty() {
            0
        } else {
            1 + self.text.as_bytes().iter().filter(|&&b| b == b'\n').count()
        }
    }

    /// No lines (a bare `OK`).
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The lines as owned strings.
    pub fn to_lines(&self) -> Vec<String> {
        self.lines().map(String::from).collect()
    }

    /// The parameters of the first line with this prefix: `"+GTSSLMODE"` on
    /// `+GTSSLMODE: 1` gives `"1"`.
    pub fn params<'a>(&'a self, prefix: &'a str) -> Option<&'a str> {
        self.all(prefix).next()
    }

    /// The parameters of every line with this prefix.
    pub fn all<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.lines().filter_map(move |l| {
            let rest = l.strip_prefix(prefix)?.trim_start();
            rest.strip_prefix(':').map(str::trim)
        })
    }
}

/// Shows the lines, as the `Vec` it once was did.
impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Lines<'a>(&'a Response);
        impl fmt::Debug for Lines<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.0.lines()).finish()
            }
        }
        f.debug_struct("Response")
            .field("lines", &Lines(self))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn a_response_reads_as_the_lines_it_was_made_of() {
        let r = Response::from_lines(["+A: 1", "", "+B:2 ", "+A : 3"]);
        assert_eq!(r.len(), 4);
        assert!(!r.is_empty());
        assert_eq!(
            r.lines().collect::<Vec<_>>(),
            ["+A: 1", "", "+B:2 ", "+A : 3"]
        );
        assert_eq!(r.text(), "+A: 1\n\n+B:2 \n+A : 3");
        assert_eq!(r.params("+A"), Some("1"));
        assert_eq!(r.all("+A").collect::<Vec<_>>(), ["1", "3"]);
        assert_eq!(r.params("+B"), Some("2"));
        assert_eq!(r.params("+C"), None);
        assert_eq!(
            alloc::format!("{r:?}"),
            r#"Response { lines: ["+A: 1", "", "+B:2 ", "+A : 3"] }"#
        );
        let none = Response::default();
        assert_eq!((none.len(), none.is_empty()), (0, true));
        assert_eq!(none.lines().count(), 0);
        assert_eq!(none, Response::from_lines(Vec::<String>::new()));
        assert_eq!(none.to_lines(), Vec::<String>::new());
        assert_eq!(Response::from_lines(["x"]).to_lines(), vec!["x"]);
    }

    #[test]
    fn a_command_keeps_its_line_and_prefixes_apart() {
        let c = Command::new("+X=1").expects("+X").expects("+Y");
        assert_eq!(c.line(), "AT+X=1");
        assert_eq!(c.expected().collect::<Vec<_>>(), [&b"+X"[..], b"+Y"]);
        assert_eq!(c.first_expected(), Some(&b"+X"[..]));
        assert_eq!(Command::new("+Z").first_expected(), None);
        assert_eq!(
            Command::new("+Z").expects("").first_expected(),
            Some(&b""[..])
        );
        assert_eq!(Command::new("").line(), "AT");
        assert_eq!(Command::new("").expected().count(), 0);
        assert_eq!(Command::from_line(" at+csq ").line(), "AT+csq");
    }
}
