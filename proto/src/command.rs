//! A command to send: its text, which response lines it owns, its timeout, its data payload.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use crate::framing::ReceiveFormat;

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
    pub(crate) line: String,
    pub(crate) expects: Vec<String>,
    pub(crate) bare_lines: bool,
    pub(crate) shape: Option<fn(&str) -> bool>,
    pub(crate) max_lines: Option<usize>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) payload: Option<Vec<u8>>,
    pub(crate) trace_payload: bool,
    pub(crate) secret: bool,
    pub(crate) on_ok_format: Option<ReceiveFormat>,
}

/// Never shows the payload: it may be a private key.
impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("line", &self.line)
            .field("expects", &self.expects)
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
        Command {
            line: format!("AT{}", body.as_ref()),
            expects: Vec::new(),
            bare_lines: false,
            shape: None,
            max_lines: None,
            timeout: None,
            payload: None,
            trace_payload: false,
            secret: false,
            on_ok_format: None,
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
        self.expects.push(prefix.to_owned());
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

    /// On `OK`, the module's receive format becomes `format` (for `AT+GTSET="IPRFMT",n`); the
    /// framer switches before it reads the next byte.
    #[must_use]
    pub fn switches_format(mut self, format: ReceiveFormat) -> Self {
        self.on_ok_format = Some(format);
        self
    }

    /// The command line as written, without the terminating CR.
    pub fn line(&self) -> &str {
        &self.line
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    /// Response lines in order of arrival.
    pub lines: Vec<String>,
}

impl Response {
    /// The parameters of the first line with this prefix: `"+GTSSLMODE"` on
    /// `+GTSSLMODE: 1` gives `"1"`.
    pub fn params<'a>(&'a self, prefix: &'a str) -> Option<&'a str> {
        self.all(prefix).next()
    }

    /// The parameters of every line with this prefix.
    pub fn all<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.lines.iter().filter_map(move |l| {
            let rest = l.strip_prefix(prefix)?.trim_start();
            rest.strip_prefix(':').map(str::trim)
        })
    }
}
