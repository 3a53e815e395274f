//! The typed commands: for each AT command a builder that returns a [`Command`] and a parser that
//! reads its [`Response`], plus the module's value tables (cipher IDs, error codes, versions, file
//! types) in exactly one place.
//!
//! Nothing here does I/O: a driver submits the built command to a [`Session`](crate::Session) and
//! hands the response to the matching `parse_*` function.
//!
//! ```
//! use l610_proto::commands::{parse_verify_mode, verify_mode_query};
//! use l610_proto::{Response, VerifyMode};
//!
//! let cmd = verify_mode_query();
//! assert_eq!(cmd.line(), "AT+GTSSLMODE?");
//! let answer = Response::from_lines(["+GTSSLMODE: 1"]);
//! assert_eq!(parse_verify_mode(&answer), Ok(VerifyMode::Verify));
//! ```
//!
//! Errors: a builder's [`ValueError`] means the caller's value was refused before anything was
//! sent; a parser's means the module answered something outside what the manual allows (drivers
//! report it as an unexpected response, never as the caller's mistake). Parsers read text that
//! came off the wire, so none of them panics or allocates without bound on any input.

mod cipher;
mod clock;
mod connection;
mod dns;
mod file;
mod general;
mod identity;
mod network;
mod pdp;
mod ping;
mod sockets;
mod ssl_error;
mod version;

pub use cipher::{
    cipher_test, enabled_ciphers_query, parse_cipher_support, parse_enabled_ciphers, set_cipher,
    CipherSuite,
};
pub use clock::{clock_query, parse_clock, set_clock, ModuleTime};
pub use connection::{
    close_socket, is_open_protocol, open_socket, parse_send, send, SendStatus, MAX_SEND,
};
pub use dns::{check_host, parse_dns_line, parse_resolve, resolve, MAX_HOST_LEN};
pub use file::{
    file_counts_query, file_support_query, load_file, parse_file_counts, parse_file_support,
    prepare, FileCounts, FileSupport, FileType, FILE_LEN, MAX_TRUST_FILES,
};
pub use general::{
    identification_query, operator_query, parse_identification, parse_operator,
    receive_format_from_iprfmt, set_echo, set_error_reporting, set_receive_format, ErrorReporting,
};
pub use identity::{
    describe_identity, identity_query, parse_identity_item, Identity, IdentityItem,
};
pub use network::{
    attach_query, functionality_query, parse_attached, parse_functionality, parse_operator_info,
    parse_registration, parse_registration_urc, parse_signal_quality, parse_sim_status,
    registration_query, set_registration_reporting, signal_quality_query, sim_status_query,
    CellLocation, Operator, Registration, RegistrationDomain, RegistrationReporting,
    RegistrationStatus, SignalQuality, SimStatus,
};
pub use pdp::{
    activate_pdp, deactivate_pdp, is_pdp_status, parse_pdp_status, pdp_status_query, PdpConfig,
    PdpStatus,
};
pub use ping::{
    parse_ping_reply, parse_ping_stat, ping, stop_ping, PingOptions, PingReply, PingStat,
};
pub use sockets::{
    free_socket_ids_query, is_socket_id_list, open_socket_ids_query, parse_free_socket_ids,
    parse_open_socket_ids, parse_socket_ids, push_query, read_socket_data, READ_MAX,
};
pub use ssl_error::{parse_ssl_error, ssl_error_exec, ssl_error_query, SslErrorCode};
pub use version::{
    parse_ssl_version, parse_ssl_version_support, parse_verify_mode, parse_verify_mode_support,
    set_ssl_version, set_verify_mode, ssl_version_query, ssl_version_test, verify_mode_query,
    verify_mode_test, SslVersion, VerifyMode,
};

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::params::{split, RangeList};
use crate::{Command, Response, ValueError};

/// The longest piece of a module answer quoted in an error: enough to recognise it, not enough
/// to turn an error message into a copy of a hostile multi-kilobyte line.
const QUOTE_MAX: usize = 48;

/// `text` for an error message, cut at [`QUOTE_MAX`] characters.
fn shown(text: &str) -> String {
    match text.char_indices().nth(QUOTE_MAX) {
        Some((at, _)) => format!("{:?}...", &text[..at]),
        None => format!("{text:?}"),
    }
}

/// A parse error naming the command's prefix and the offending answer.
fn bad_answer(prefix: &str, params: &str, why: &str) -> ValueError {
    ValueError::new(format!("{prefix}: {} {why}", shown(params)))
}

/// A read command `AT<prefix>?` whose answer is `<prefix>: ...`.
fn read(prefix: &str) -> Command {
    Command::new(format!("{prefix}?")).expects(prefix)
}

/// A test command `AT<prefix>=?` whose answer is `<prefix>: (..),(..)`.
fn test(prefix: &str) -> Command {
    Command::new(format!("{prefix}=?")).expects(prefix)
}

/// The one line with `prefix` that a read command must answer with.
fn one_line<'a>(r: &'a Response, prefix: &'a str) -> Result<&'a str, ValueError> {
    let mut lines = r.all(prefix);
    let first = lines
        .next()
        .ok_or_else(|| ValueError::new(format!("no {prefix} line in the answer")))?;
    if lines.next().is_some() {
        return Err(ValueError::new(format!(
            "more than one {prefix} line in the answer"
        )));
    }
    Ok(first)
}

/// The single integer parameter of `<prefix>: <n>`.
fn one_int(r: &Response, prefix: &str) -> Result<i64, ValueError> {
    let params = one_line(r, prefix)?;
    let parts = split(params);
    match parts.as_slice() {
        [n] => decimal(n).ok_or_else(|| bad_answer(prefix, params, "is not a number")),
        _ => Err(bad_answer(prefix, params, "is not exactly one number")),
    }
}

/// The parenthesised groups of a test answer `<prefix>: (..),(..)`; every group must parse.
fn range_groups(r: &Response, prefix: &str) -> Result<Vec<RangeList>, ValueError> {
    let params = one_line(r, prefix)?;
    let groups = split(params)
        .into_iter()
        .map(|g| {
            RangeList::parse(g).ok_or_else(|| bad_answer(prefix, params, "is not a range list"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if groups.is_empty() {
        return Err(bad_answer(prefix, params, "lists no range"));
    }
    Ok(groups)
}

/// A decimal integer as the module writes it: optional `-`, then ASCII digits only (no `+`, no
/// spaces inside, no quotes). `None` on anything else, including values beyond `i64`.
fn decimal(p: &str) -> Option<i64> {
    let p = p.trim();
    let digits = p.strip_prefix('-').unwrap_or(p);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    pub(crate) fn resp(lines: &[&str]) -> Response {
        Response::from_lines(lines)
    }

    #[test]
    fn decimals_are_strict() {
        assert_eq!(decimal("12"), Some(12));
        assert_eq!(decimal("-11"), Some(-11));
        for bad in [
            "",
            "-",
            "+1",
            "1 2",
            "0x1",
            "١",
            "99999999999999999999",
            "\"1\"",
        ] {
            assert_eq!(decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn quotes_of_module_text_are_bounded() {
        let long = "é".repeat(10_000);
        let s = shown(&long);
        assert!(s.chars().count() < QUOTE_MAX + 10, "{s}");
        assert_eq!(shown("1,2"), "\"1,2\"");
    }

    #[test]
    fn one_line_refuses_none_and_two() {
        assert!(one_line(&resp(&[]), "+X").is_err());
        assert!(one_line(&resp(&["+X: 1", "+X: 2"]), "+X").is_err());
        assert_eq!(one_line(&resp(&["+X: 1"]), "+X"), Ok("1"));
        assert_eq!(
            range_groups(&resp(&["+X: (0-1),(2)"]), "+X").unwrap(),
            vec![
                RangeList {
                    ranges: vec![(0, 1)]
                },
                RangeList {
                    ranges: vec![(2, 2)]
                }
            ]
        );
        assert!(range_groups(&resp(&["+X: (0-1),x"]), "+X").is_err());
        assert!(range_groups(&resp(&["+X: "]), "+X").is_err());
    }
}
