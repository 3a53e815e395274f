//! A command to send: its text, what response lines it owns, its timeout, its data payload.

use std::time::Duration;

/// One AT command. Built with the consuming setters; sent with [`crate::Modem::command`].
///
/// ```
/// use l610::at::Command;
/// let cmd = Command::new("+GTSSLMODE?").expects("+GTSSLMODE");
/// assert_eq!(cmd.line(), "AT+GTSSLMODE?");
/// ```
#[derive(Debug, Clone)]
pub struct Command {
    pub(crate) line: String,
    pub(crate) expects: Vec<String>,
    pub(crate) bare_lines: bool,
    pub(crate) timeout: Option<Duration>,
    pub(crate) payload: Option<Vec<u8>>,
    pub(crate) redact_payload: bool,
    pub(crate) on_ok_format: Option<super::ReceiveFormat>,
}

impl Command {
    /// `body` is everything after `AT`, e.g. `+GTSSLMODE=1` or `E0`.
    pub fn new(body: impl AsRef<str>) -> Self {
        Command {
            line: format!("AT{}", body.as_ref()),
            expects: Vec::new(),
            bare_lines: false,
            timeout: None,
            payload: None,
            redact_payload: false,
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

    /// Lines without a `+` prefix (e.g. `ATI`'s) belong to the response.
    #[must_use]
    pub fn bare_lines(mut self) -> Self {
        self.bare_lines = true;
        self
    }

    /// Wait this long for the final result instead of the modem's default.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The command answers with the `>` prompt; then exactly these bytes are written, with no
    /// terminator.
    #[must_use]
    pub fn payload(mut self, bytes: Vec<u8>) -> Self {
        self.payload = Some(bytes);
        self
    }

    /// Keep the payload out of the trace (certificates, keys).
    #[must_use]
    pub fn redact_payload(mut self) -> Self {
        self.redact_payload = true;
        self
    }

    /// On `OK`, the module's receive format becomes `format` (for `AT+GTSET="IPRFMT",n`); the
    /// framer switches before it reads the next byte.
    #[must_use]
    pub(crate) fn switches_format(mut self, format: super::ReceiveFormat) -> Self {
        self.on_ok_format = Some(format);
        self
    }

    /// The command line as written, without the terminating CR.
    pub fn line(&self) -> &str {
        &self.line
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
