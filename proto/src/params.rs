//! Parameters of response lines (`+NAME: a,"b",(0-1)`) and of the command lines we build.
//!
//! Building: every string that goes into a command line passes through [`quoted`], which refuses
//! `"`, control characters and non-ASCII, so no user value can end the command early or start
//! another one (AT command injection). Parsing: everything here reads text that came off the wire,
//! so nothing may panic or allocate without bound, whatever the module sends.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::value::ValueError;

/// Split `a,"b,c",(1-3),d` at top-level commas, keeping quotes and parentheses intact.
pub fn split(params: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, c) in params.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth = depth.saturating_add(1),
            ')' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth <= 0 => {
                out.push(params[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(params[start..].trim());
    out
}

/// The text of a parameter without surrounding quotes (and without stray spaces inside them,
/// which the manual's example 5 shows: `" CERTFILE"`).
pub fn unquote(p: &str) -> &str {
    let p = p.trim();
    p.strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(p)
        .trim()
}

/// Parse an integer parameter.
pub fn int<T: core::str::FromStr>(p: &str) -> Option<T> {
    unquote(p).parse().ok()
}

/// Most values a range list may hold: the widest real one, `<file_len>` 4-8192, has 8189;
/// `(0-400000000)` from a broken module must not become gigabytes when expanded.
pub const MAX_RANGE_VALUES: u64 = 65_536;

/// A list of supported values as a test command prints it: `(0,1)`, `(0-1)`, `(1-31)`, `(0-2,5)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RangeList {
    /// Inclusive ranges; single values are ranges of one.
    pub ranges: Vec<(i64, i64)>,
}

impl RangeList {
    /// Parse one parenthesised group. `None` when it is not a list of numbers and ranges, or
    /// holds more than [`MAX_RANGE_VALUES`] values.
    pub fn parse(group: &str) -> Option<RangeList> {
        let inner = group.trim().strip_prefix('(')?.strip_suffix(')')?;
        let mut ranges = Vec::new();
        for item in inner.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            // A '-' after the first character is a range; a leading one is a sign. Searching
            // from byte 1 by `char_indices` keeps a multi-byte first character whole.
            let dash = item
                .char_indices()
                .skip(1)
                .find(|&(_, c)| c == '-')
                .map(|(i, _)| i);
            let (lo, hi) = match dash {
                Some(at) => (&item[..at], &item[at + 1..]),
                None => (item, item),
            };
            let (lo, hi): (i64, i64) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
            if lo > hi {
                return None;
            }
            ranges.push((lo, hi));
        }
        let list = RangeList { ranges };
        (list.count() <= MAX_RANGE_VALUES).then_some(list)
    }

    /// Whether `v` is in the list.
    pub fn contains(&self, v: i64) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= v && v <= hi)
    }

    /// How many values the list holds (ranges overlapping counted twice), saturating.
    pub fn count(&self) -> u64 {
        self.ranges.iter().fold(0u64, |n, &(lo, hi)| {
            n.saturating_add((hi as i128 - lo as i128 + 1).clamp(0, u64::MAX as i128) as u64)
        })
    }

    /// Every value, ascending (ranges expanded; at most [`MAX_RANGE_VALUES`] by construction).
    pub fn values(&self) -> Vec<i64> {
        let mut v: Vec<i64> = self.ranges.iter().flat_map(|&(lo, hi)| lo..=hi).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Quote a user string for a command line, refusing anything that could break out of the quotes.
/// The error names the value only when it is short and printable (it could be a password).
pub fn quoted(what: &str, value: &str) -> Result<String, ValueError> {
    if let Some(bad) = value
        .chars()
        .find(|c| *c == '"' || c.is_control() || !c.is_ascii())
    {
        return Err(ValueError::new(format!(
            "{what} contains {bad:?}; quotes, control characters and non-ASCII cannot be sent to the module"
        )));
    }
    Ok(format!("\"{value}\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn split_respects_quotes_and_groups() {
        assert_eq!(
            split(r#"1,"a,b",(1-3),(0,1)"#),
            vec!["1", r#""a,b""#, "(1-3)", "(0,1)"]
        );
        assert_eq!(unquote(r#"" CERTFILE""#), "CERTFILE");
    }

    #[test]
    fn range_lists_in_every_spelling() {
        for g in ["(0,1)", "(0-1)"] {
            assert_eq!(RangeList::parse(g).unwrap().values(), vec![0, 1]);
        }
        let r = RangeList::parse("(1-31)").unwrap();
        assert!(r.contains(31) && !r.contains(0));
        assert_eq!(
            RangeList::parse("(0-2,5)").unwrap().values(),
            vec![0, 1, 2, 5]
        );
        assert_eq!(RangeList::parse("(-20-0)").unwrap().values().len(), 21);
    }

    /// Defect 4: a non-ASCII first character panicked (`item[1..]`), and a module-supplied range
    /// was expanded without bound.
    #[test]
    fn module_supplied_ranges_cannot_panic_or_explode() {
        for g in ["(é,1)", "0(\u{cb})", "(é-1)", "(-)", "(1-é)", "(--)", "(é)"] {
            let _ = RangeList::parse(g);
        }
        assert_eq!(RangeList::parse("(0-400000000)"), None);
        assert_eq!(
            RangeList::parse("(-9223372036854775808-9223372036854775807)"),
            None
        );
        assert_eq!(
            RangeList::parse("(0-65535)").unwrap().values().len(),
            65_536
        );
        assert_eq!(RangeList::parse("(0-65535,70000)"), None);
    }

    #[test]
    fn quoting_refuses_injection_without_echoing_the_value() {
        assert_eq!(quoted("host", "example.com").unwrap(), "\"example.com\"");
        for bad in ["a\"b", "a\rAT+CFUN=1,1", "x\n", "\u{1b}", "pé"] {
            let e = quoted("password", bad).unwrap_err();
            assert!(!e.0.contains(bad), "{e}");
        }
    }
}
