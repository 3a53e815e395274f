//! `AT+MIPOPEN?` (free socket ids) and `AT+MIPCLOSE?` (open socket ids); `AT+MIPREAD` (read
//! mode's pull) and `AT+MIPPUSH`.
//!
//! Both answers share their prefix with URCs: `+MIPOPEN: 1,1` reports a connection result and
//! `+MIPCLOSE: 2,0` a close. While the query runs, only a line shaped like an id list is its
//! answer ([`is_socket_id_list`]); everything else stays a URC, so a close report that arrives
//! mid-query is neither lost nor misread as "ids 2 and 0".

use alloc::format;
use alloc::vec::Vec;

use super::{bad_answer, one_line};
use crate::params::split;
use crate::{Command, Response, ValueError};

const MIPOPEN: &str = "+MIPOPEN";
const MIPCLOSE: &str = "+MIPCLOSE";
const MIPDATA: &str = "+MIPDATA";
const MIPPUSH: &str = "+MIPPUSH";

/// The most one `AT+MIPREAD` asks for: the module hands over at most 4096 per read.
pub const READ_MAX: usize = 4096;

/// `AT+MIPREAD=<id>,<max>` (read mode, IPRFMT 5): the answer is `+MIPDATA: <id>,<len>`, CR LF,
/// the bytes, `OK`. The session's framer takes the bytes by length into the socket's buffer; the
/// `+MIPDATA` line is the command's response. `max` is capped at [`READ_MAX`].
pub fn read_socket_data(id: u8, max: usize) -> Command {
    Command::new(format!("+MIPREAD={id},{}", max.clamp(1, READ_MAX))).expects(MIPDATA)
}

/// `AT+MIPPUSH=<id>`: push what is buffered for the socket now; answered `+MIPPUSH: <id>,<status>`.
pub fn push_query(id: u8) -> Command {
    Command::new(format!("{MIPPUSH}={id}")).expects(MIPPUSH)
}

/// The ids of an id list: strictly ascending single digits 1–6, or `0` alone (none). `None` for
/// anything else. A URC's `<id>,<state>` never qualifies: a second field of 0 is not an id, and
/// 1 is not above the first id.
fn ids(params: &str) -> Option<Vec<u8>> {
    let items = split(params);
    if let ["0"] = items.as_slice() {
        return Some(Vec::new());
    }
    let mut out: Vec<u8> = Vec::new();
    for item in items {
        let &[b @ b'1'..=b'6'] = item.as_bytes() else {
            return None;
        };
        let id = b - b'0';
        if out.last().is_some_and(|&last| id <= last) {
            return None;
        }
        out.push(id);
    }
    Some(out)
}

/// Whether `+MIPOPEN:`/`+MIPCLOSE:` parameters are an id list (`1,2,3,4,5,6`, `3`, `0`) rather
/// than a URC (`1,1`, `2,0`, `3,1`). The shape function of [`free_socket_ids_query`] and
/// [`open_socket_ids_query`].
///
/// Ambiguous by the module's design, and taken as lists: a close report whose second field is
/// above its id (`+MIPCLOSE: 1,2`, not seen in practice; the field is 0 or 1), and a one-field
/// close report (`+MIPCLOSE: 3`).
pub fn is_socket_id_list(params: &str) -> bool {
    ids(params).is_some()
}

fn query(prefix: &str) -> Command {
    Command::new(format!("{prefix}?"))
        .expects(prefix)
        .response_shape(is_socket_id_list, 1)
}

fn parse(r: &Response, prefix: &str) -> Result<Vec<u8>, ValueError> {
    let params = one_line(r, prefix)?;
    ids(params).ok_or_else(|| {
        bad_answer(
            prefix,
            params,
            "is not a list of ascending socket ids 1..=6, nor 0",
        )
    })
}

/// `AT+MIPOPEN?`; read the answer with [`parse_free_socket_ids`].
pub fn free_socket_ids_query() -> Command {
    query(MIPOPEN)
}

/// The answer to `AT+MIPOPEN?`: the socket ids that are free (`+MIPOPEN: 1,2,3,4,5,6`), empty for
/// `+MIPOPEN: 0`.
pub fn parse_free_socket_ids(r: &Response) -> Result<Vec<u8>, ValueError> {
    parse(r, MIPOPEN)
}

/// `AT+MIPCLOSE?`; read the answer with [`parse_open_socket_ids`].
pub fn open_socket_ids_query() -> Command {
    query(MIPCLOSE)
}

/// The answer to `AT+MIPCLOSE?`: the socket ids that are open (`+MIPCLOSE: 1,3`), empty for
/// `+MIPCLOSE: 0`.
pub fn parse_open_socket_ids(r: &Response) -> Result<Vec<u8>, ValueError> {
    parse(r, MIPCLOSE)
}

/// The answer to either query, whichever it is: `+MIPOPEN:` lines are free ids
/// ([`parse_free_socket_ids`]), anything else is read as `AT+MIPCLOSE?`'s open ids. For a caller
/// that keeps the response but not the command it answered (the C API's one parser for both).
pub fn parse_socket_ids(r: &Response) -> Result<Vec<u8>, ValueError> {
    if r.params(MIPOPEN).is_some() {
        parse_free_socket_ids(r)
    } else {
        parse_open_socket_ids(r)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::resp;
    use super::*;
    use alloc::vec;

    #[test]
    fn list_shapes() {
        for list in ["1,2,3,4,5,6", "0", "2", "1,3", "6", " 1 , 2 "] {
            assert!(is_socket_id_list(list), "{list:?}");
        }
        for urc in [
            "2,0",
            "1,1",
            "3,1",
            "1,0",
            "6,0",
            "0,1",
            "0,0",
            "0,1,2",
            "1,2,2",
            "7",
            "1,7",
            "01",
            "1,02",
            "",
            ",",
            "1,",
            "1,,2",
            "-1",
            "+1",
            "\"1\"",
            "1.0",
            "é",
            "１",
            "1,2,3,4,5,6,6",
        ] {
            assert!(!is_socket_id_list(urc), "{urc:?}");
        }
    }

    #[test]
    fn queries_claim_only_list_lines() {
        let q = free_socket_ids_query();
        assert_eq!(q.line(), "AT+MIPOPEN?");
        assert_eq!(q.max_lines, Some(1));
        assert!(q.shape.is_some_and(|f| f("1,2") && !f("1,1")));
        let q = open_socket_ids_query();
        assert_eq!(q.line(), "AT+MIPCLOSE?");
        assert!(q.shape.is_some_and(|f| f("0") && !f("2,0")));
    }

    #[test]
    fn parses_lists() {
        assert_eq!(
            parse_free_socket_ids(&resp(&["+MIPOPEN: 1,2,3,4,5,6"])),
            Ok(vec![1, 2, 3, 4, 5, 6])
        );
        assert_eq!(parse_free_socket_ids(&resp(&["+MIPOPEN: 0"])), Ok(vec![]));
        assert_eq!(
            parse_open_socket_ids(&resp(&["+MIPCLOSE: 1,3"])),
            Ok(vec![1, 3])
        );
        assert_eq!(parse_open_socket_ids(&resp(&["+MIPCLOSE: 0"])), Ok(vec![]));
        // Either answer, told apart by its prefix.
        assert_eq!(parse_socket_ids(&resp(&["+MIPOPEN: 2,5"])), Ok(vec![2, 5]));
        assert_eq!(parse_socket_ids(&resp(&["+MIPCLOSE: 4"])), Ok(vec![4]));
        assert!(parse_socket_ids(&resp(&[])).is_err());
    }

    #[test]
    fn hostile_answers_are_value_errors() {
        for lines in [
            &[][..],
            &["+MIPOPEN: "],
            &["+MIPOPEN: 2,0"],
            &["+MIPOPEN: 1,1"],
            &["+MIPOPEN: 255"],
            &["+MIPOPEN: 99999999999999999999999"],
            &["+MIPOPEN: 1,2", "+MIPOPEN: 3"],
            &["+MIPOPEN: é"],
            &["+MIPCLOSE: 1,2"],
        ] {
            assert!(parse_free_socket_ids(&resp(lines)).is_err(), "{lines:?}");
        }
        assert!(parse_open_socket_ids(&resp(&["+MIPCLOSE: 3,1"])).is_err());
        assert!(parse_open_socket_ids(&resp(&["+MIPOPEN: 1"])).is_err());
    }
}
