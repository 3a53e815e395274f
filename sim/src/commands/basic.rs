//! Echo, `ATI`, error reporting, the clock and `+GTSET`.

use super::identity::{FIRMWARE, MANUFACTURER, MODEL};
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
            MANUFACTURER.into(),
            MODEL.into(),
            format!("Revision: {FIRMWARE} (virtual)"),
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

        ("+CCLK", Form::Read) => Reply::line(format!("+CCLK: {}", st.clock.format())).into(),
        ("+CCLK", Form::Set(a)) if a.len() == 1 => match Clock::parse(a[0].text()) {
            Some(clock) => {
                st.clock = clock;
                st.clock_set_by_host = true;
                Final::Ok.into()
            }
            None => Final::Error.into(),
        },

        ("+GTSET", Form::Read) => Reply::line(format!("+GTSET: \"IPRFMT\",{}", st.iprfmt)).into(),
        ("+GTSET", Form::Set(a)) if a.len() == 2 => {
            if !a[0].text().eq_ignore_ascii_case("IPRFMT") {
                return Final::Error.into();
            }
            // 0 hex, 1 raw, 2 raw with length: pushed as `+MIPRTCP`; 5: `+MIPREAD` and
            // `AT+MIPREAD` (read mode). The value applies to data that arrives from now on.
            match a[1].int() {
                Some(n @ (0 | 1 | 2 | 5)) => {
                    st.iprfmt = n as u8;
                    Final::Ok.into()
                }
                _ => Final::Error.into(),
            }
        }
        _ => Final::Error.into(),
    }
}
