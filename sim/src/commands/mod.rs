//! Command syntax (`AT+NAME`, `?`, `=?`, `=args`) and the table that routes each command to
//! its family.

mod basic;
mod dns;
mod identity;
mod mip;
mod network;
mod ping;
mod receive;
mod ssl;

use std::sync::Arc;

use crate::config::SimConfig;
use crate::output::Output;
use crate::state::Shared;

/// How a command ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Final {
    Ok,
    Error,
    /// A `+CME ERROR` with its number and its `AT+CMEE=2` text.
    Cme(u16, &'static str),
}

pub(crate) const NOT_ALLOWED: Final = Final::Cme(3, "operation not allowed");
pub(crate) const NOT_SUPPORTED: Final = Final::Cme(4, "operation not supported");

/// Where the bytes of a `>` data phase go.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Sink {
    File(ssl::FileKind),
    Send(u8),
}

pub(crate) enum Outcome {
    Done(Reply),
    /// Prompt, then read exactly `len` raw bytes and hand them to the sink.
    Data {
        len: usize,
        sink: Sink,
    },
    /// `AT+CFUN=1,1`: `OK`, then a reset.
    Reset,
}

/// Response lines, raw bytes after them, the final result, and URCs that follow the final
/// result.
pub(crate) struct Reply {
    pub(crate) lines: Vec<String>,
    /// Binary payload written as is after the lines (`+MIPDATA`), before the final result.
    pub(crate) data: Vec<u8>,
    pub(crate) fin: Final,
    pub(crate) urcs: Vec<String>,
    /// Wait before the URCs, as the module takes a moment to act.
    pub(crate) urc_delay: std::time::Duration,
}

impl Reply {
    pub(crate) fn ok() -> Reply {
        Reply::lines(Vec::new())
    }

    pub(crate) fn fin(fin: Final) -> Reply {
        Reply { fin, ..Reply::ok() }
    }

    pub(crate) fn line(line: impl Into<String>) -> Reply {
        Reply::lines(vec![line.into()])
    }

    pub(crate) fn lines(lines: Vec<String>) -> Reply {
        Reply {
            lines,
            data: Vec::new(),
            fin: Final::Ok,
            urcs: Vec::new(),
            urc_delay: std::time::Duration::ZERO,
        }
    }
}

impl From<Final> for Outcome {
    fn from(f: Final) -> Outcome {
        Outcome::Done(Reply::fin(f))
    }
}

impl From<Reply> for Outcome {
    fn from(r: Reply) -> Outcome {
        Outcome::Done(r)
    }
}

/// One parameter. Quoted text keeps its case and inner spaces.
#[derive(Clone, Debug)]
pub(crate) struct Arg {
    text: String,
    quoted: bool,
}

impl Arg {
    pub(crate) fn int(&self) -> Option<i64> {
        if self.quoted || self.text.is_empty() || self.text.len() > 9 {
            return None;
        }
        let digits = self.text.strip_prefix('+').unwrap_or(&self.text);
        let digits = digits.strip_prefix('-').unwrap_or(digits);
        if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() {
            return None;
        }
        self.text.parse().ok()
    }

    pub(crate) fn int_in(&self, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
        self.int().filter(|v| range.contains(v))
    }

    /// Text of a quoted or bare parameter.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    pub(crate) fn is_empty(&self) -> bool {
        !self.quoted && self.text.is_empty()
    }
}

pub(crate) enum Form {
    Exec,
    Read,
    Test,
    Set(Vec<Arg>),
}

fn parse_args(s: &str) -> Option<Vec<Arg>> {
    let mut args = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut in_quotes = false;
    let mut after_quote = false;
    for c in s.chars() {
        if in_quotes {
            if c == '"' {
                in_quotes = false;
                after_quote = true;
            } else {
                cur.push(c);
            }
            continue;
        }
        match c {
            '"' if !after_quote && cur.trim().is_empty() => {
                cur.clear();
                in_quotes = true;
                quoted = true;
            }
            ',' => {
                args.push(finish(&mut cur, quoted));
                quoted = false;
                after_quote = false;
            }
            c if after_quote && c != ' ' => return None,
            c => cur.push(c),
        }
    }
    if in_quotes {
        return None;
    }
    args.push(finish(&mut cur, quoted));
    Some(args)
}

fn finish(cur: &mut String, quoted: bool) -> Arg {
    let text = std::mem::take(cur);
    Arg {
        text: if quoted {
            text
        } else {
            text.trim().to_string()
        },
        quoted,
    }
}

/// What a command may use while it runs.
pub(crate) struct Ctx<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) output: &'a Arc<Output>,
    pub(crate) config: &'a SimConfig,
}

/// Runs the body of a command line (what follows `AT`, without the `\r`).
pub(crate) fn execute(ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
    let Ok(body) = std::str::from_utf8(body) else {
        return Final::Error.into();
    };
    if !body.starts_with('+') {
        return basic::execute_basic(ctx, body);
    }
    let split = body.find(['=', '?']).unwrap_or(body.len());
    let name = body[..split].to_ascii_uppercase();
    let rest = &body[split..];
    let form = match rest {
        "" => Form::Exec,
        "?" => Form::Read,
        "=?" => Form::Test,
        _ => match rest.strip_prefix('=').and_then(parse_args) {
            Some(args) => Form::Set(args),
            None => return Final::Error.into(),
        },
    };
    match name.as_str() {
        "+CMEE" | "+CCLK" | "+GTSET" => basic::execute(ctx, &name, form),
        "+CPIN" | "+CREG" | "+CGREG" | "+CEREG" | "+CSQ" | "+CGATT" | "+COPS" | "+CGDCONT"
        | "+CFUN" => network::execute(ctx, &name, form),
        "+CGMI" | "+GMI" | "+CGMM" | "+GMM" | "+CGMR" | "+GMR" | "+CGSN" | "+GSN" | "+CIMI"
        | "+CCID" | "+ICCID" => identity::execute(&name, form),
        "+GTSSLFILE" | "+GTSSLMODE" | "+GTSSLVER" | "+GTSSLCIPHER" | "+GTSSLERR" => {
            ssl::execute(ctx, &name, form)
        }
        "+MIPCALL" | "+MIPOPEN" | "+MIPSEND" | "+MIPPUSH" | "+MIPCLOSE" => {
            mip::execute(ctx, &name, form)
        }
        "+MIPREAD" => receive::execute(ctx, form),
        "+MIPDNS" => dns::execute(ctx, form),
        "+MPING" => ping::execute(ctx, form),
        _ => Final::Error.into(),
    }
}

/// Finishes a `>` data phase.
pub(crate) fn complete_data(ctx: &Ctx<'_>, sink: Sink, data: &[u8]) -> Reply {
    match sink {
        Sink::File(kind) => ssl::store_file(ctx, kind, data),
        Sink::Send(id) => mip::send(ctx, id, data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_keep_quoted_text() {
        let a = parse_args("\" CERTFILE\",12").unwrap();
        assert_eq!(a[0].text(), " CERTFILE");
        assert_eq!(a[1].int(), Some(12));
        let a = parse_args("1,,\"127.0.0.1\",443,2").unwrap();
        assert!(a[1].is_empty());
        assert_eq!(a[2].text(), "127.0.0.1");
        assert!(parse_args("\"abc").is_none());
        assert!(parse_args("\"a\"b").is_none());
    }
}
