//! Identification, echo, error reporting, power, network status, clock and `+GTSET`.

use super::{Ctx, Final, Form, Outcome, Reply};
use crate::clock::Clock;

/// Commands without a `+` prefix: `AT`, `ATE0`, `ATE1`, `ATI`.
pub(super) fn execute_basic(ctx: &Ctx<'_>, body: &str) -> Outcome {
    match body.to_ascii_uppercase().as_str() {
        "" => Final::Ok.into(),
        "E" | "E0" | "E1" => {
            ctx.shared.lock().unwrap().echo = body.ends_with('1');
            Final::Ok.into()
        }
        "I" | "I0" => Reply::lines(vec![
            "Fibocom".into(),
            "L610".into(),
            "Revision: 16000.1208.00.86.02.02 (virtual)".into(),
        ])
        .into(),
        _ => Final::Error.into(),
    }
}

pub(super) fn execute(ctx: &Ctx<'_>, name: &str, form: Form) -> Outcome {
    let mut st = ctx.shared.lock().unwrap();
    match (name, form) {
        ("+CMEE", Form::Read) => Reply::line(format!("+CMEE: {}", st.cmee)).into(),
        ("+CMEE", Form::Test) => Reply::line("+CMEE: (0-2)").into(),
        ("+CMEE", Form::Set(a)) if a.len() == 1 => match a[0].int_in(0..=2) {
            Some(n) => {
                st.cmee = n as u8;
                Final::Ok.into()
            }
            None => Final::Error.into(),
        },

        ("+CFUN", Form::Read) => Reply::line("+CFUN: 1").into(),
        ("+CFUN", Form::Test) => Reply::line("+CFUN: (0,1,4),(0-1)").into(),
        ("+CFUN", Form::Set(a)) if (1..=2).contains(&a.len()) => {
            let fun = a[0].int_in(0..=4);
            let reset = a.get(1).map(|r| r.int_in(0..=1));
            match (fun, reset) {
                (Some(1), Some(Some(1))) => Outcome::Reset,
                // The radio is not modelled: other levels are accepted and change nothing.
                (Some(0 | 1 | 4), None | Some(Some(0))) => Final::Ok.into(),
                _ => Final::Error.into(),
            }
        }

        ("+COPS", Form::Read) => Reply::line("+COPS: 0,0,\"CHINA MOBILE\",7").into(),
        ("+COPS", Form::Set(a)) if a[0].int() == Some(0) => Final::Ok.into(),
        ("+CSQ", Form::Exec) => Reply::line("+CSQ: 24,99").into(),
        ("+CSQ", Form::Test) => Reply::line("+CSQ: (0-31,99),(99)").into(),
        ("+CPIN", Form::Read) => Reply::line("+CPIN: READY").into(),

        ("+CCLK", Form::Read) => Reply::line(format!("+CCLK: {}", st.clock.format())).into(),
        ("+CCLK", Form::Set(a)) if a.len() == 1 => match Clock::parse(a[0].text()) {
            Some(clock) => {
                st.clock = clock;
                Final::Ok.into()
            }
            None => Final::Error.into(),
        },

        ("+GTSET", Form::Set(a)) if a.len() == 2 => {
            if !a[0].text().eq_ignore_ascii_case("IPRFMT") {
                return Final::Error.into();
            }
            // Only the two push formats the virtual module implements.
            match a[1].int() {
                Some(n @ (0 | 2)) => {
                    st.iprfmt = n as u8;
                    Final::Ok.into()
                }
                _ => Final::Error.into(),
            }
        }
        _ => Final::Error.into(),
    }
}
