//! Exit codes and the one-line error every failure becomes.
//!
//! The codes are part of the interface (scripts branch on them) and documented in the README:
//! they never change meaning.

use std::fmt;

use l610::{Error, ErrorKind};

/// Everything went as asked (for `diagnose`: every step passed or only warned).
pub const OK: i32 = 0;
/// Bad usage: unknown option, bad value, a file that is not what it should be. Nothing was sent
/// to the module.
pub const USAGE: i32 = 2;
/// The module refused or failed: `ERROR`, `+CME ERROR`, a limit, no SIM, not registered, no PDP
/// context, an answer that makes no sense, a restart.
pub const MODULE: i32 = 3;
/// A TLS (or TCP) connection through the module failed: `+GTSSLERR`, a clock that makes every
/// certificate invalid, nothing listening.
pub const TLS: i32 = 4;
/// The module did not answer in time (a port that does not answer, too).
pub const TIMEOUT: i32 = 5;
/// The port cannot be opened or read (no such device, permission, a vanished USB port).
pub const PORT: i32 = 6;
/// Interrupted (Ctrl-C).
pub const INTERRUPTED: i32 = 130;

/// A failure with its exit code and the one line that tells the user what to do.
#[derive(Debug)]
pub struct Failure {
    /// One of the constants above.
    pub code: i32,
    /// The line printed after `l610: `.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Failure {
    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: USAGE,
            message: message.into(),
        }
    }

    /// A module error (exit 3).
    pub fn module(message: impl Into<String>) -> Self {
        Failure {
            code: MODULE,
            message: message.into(),
        }
    }

    /// A driver error while doing `what`, with the driver's own words and a hint for the user.
    pub fn driver(what: &str, e: Error) -> Self {
        let code = code_of(&e);
        let hint = hint(&e);
        let message = match hint {
            Some(h) => format!("{what}: {e}; {h}"),
            None => format!("{what}: {e}"),
        };
        Failure { code, message }
    }
}

/// The exit code for a driver error.
pub fn code_of(e: &Error) -> i32 {
    match e.kind() {
        ErrorKind::InvalidArgument => USAGE,
        ErrorKind::Timeout => TIMEOUT,
        ErrorKind::Ssl | ErrorKind::ClockSkew | ErrorKind::ConnectionFailed => TLS,
        ErrorKind::Port | ErrorKind::Io => PORT,
        ErrorKind::Cancelled => INTERRUPTED,
        _ => MODULE,
    }
}

/// What the user can do about it, in CLI terms (the driver's messages name API calls).
fn hint(e: &Error) -> Option<&'static str> {
    Some(match e {
        Error::ClockSkew { .. } => "run `l610 clock --sync`, or pass --sync-clock",
        Error::Ssl { code, .. } => match code.code() {
            -11 => "`l610 diagnose HOST:PORT --ca CA.pem` checks the clock and the trust files",
            -7 | -8 => "`l610 diagnose HOST:PORT` lists the versions and suites the server accepts",
            -9 => "if the server wants a client certificate, pass --cert and --key",
            _ => "`l610 diagnose HOST:PORT` goes through every step",
        },
        Error::LimitReached(_) => "the module forgets its files only at a power cycle",
        Error::ModuleReset { .. } => "the module restarted: its TLS settings and files are gone",
        _ => return None,
    })
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::driver("module", e)
    }
}

/// The result type of every verb.
pub type Outcome<T = ()> = Result<T, Failure>;
