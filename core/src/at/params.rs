//! Parameters of response lines (`+NAME: a,"b",(0-1)`) and of the command lines we build.
//!
//! Building: every string that goes into a command line passes through [`quoted`], which refuses
//! `"` and control characters, so no user value can end the command early or start another one
//! (AT command injection).

use crate::error::{Error, Result};

/// Split `a,"b,c",(1-3),d` at top-level commas, keeping quotes and parentheses intact.
pub fn split(params: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, c) in params.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
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
pub fn int<T: std::str::FromStr>(p: &str) -> Option<T> {
    unquote(p).parse().ok()
}

/// A list of supported values as a test command prints it: `(0,1)`, `(0-1)`, `(1-31)`, `(0-2,5)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RangeList {
    /// Inclusive ranges; single values are ranges of one.
    pub ranges: Vec<(i64, i64)>,
}

impl RangeList {
    /// Parse one parenthesised group. Quoted items are not numbers and are skipped.
    pub fn parse(group: &str) -> Option<RangeList> {
        let inner = group.trim().strip_prefix('(')?.strip_suffix(')')?;
        let mut ranges = Vec::new();
        for item in inner.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            // A '-' after the first character is a range; a leading one is a sign.
            let (lo, hi) = match item[1..].find('-') {
                Some(at) => (&item[..at + 1], &item[at + 2..]),
                None => (item, item),
            };
            ranges.push((lo.trim().parse().ok()?, hi.trim().parse().ok()?));
        }
        Some(RangeList { ranges })
    }

    /// Whether `v` is in the list.
    pub fn contains(&self, v: i64) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= v && v <= hi)
    }

    /// Every value, ascending (ranges expanded).
    pub fn values(&self) -> Vec<i64> {
        let mut v: Vec<i64> = self.ranges.iter().flat_map(|&(lo, hi)| lo..=hi).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Quote a user string for a command line, refusing anything that could break out of the quotes.
pub fn quoted(what: &str, value: &str) -> Result<String> {
    if let Some(bad) = value
        .chars()
        .find(|c| *c == '"' || c.is_control() || !c.is_ascii())
    {
        return Err(Error::invalid(format!(
            "{what} {value:?} contains {bad:?}; quotes, control characters and non-ASCII cannot be sent to the module"
        )));
    }
    Ok(format!("\"{value}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn quoting_refuses_injection() {
        assert_eq!(quoted("host", "example.com").unwrap(), "\"example.com\"");
        for bad in ["a\"b", "a\rAT+CFUN=1,1", "x\n", "\u{1b}", "é"] {
            assert!(quoted("host", bad).is_err(), "{bad:?}");
        }
    }
}
