//! Read mode (`AT+GTSET="IPRFMT",5`): received bytes wait in the module, announced by
//! `+MIPREAD: <id>,<len>`, until the host asks with `AT+MIPREAD=<id>,<max>` and gets
//! `+MIPDATA: <id>,<len>`, CRLF, the raw bytes, then `OK` (RT-Thread's L610 driver).

use super::{Ctx, Final, Form, Outcome, Reply};
use crate::state::{Slot, SOCKETS};

/// The most one `AT+MIPREAD` hands over; a bigger `<max>` is accepted and gets this much.
const READ_MAX: usize = 4096;

pub(super) fn execute(ctx: &Ctx<'_>, form: Form) -> Outcome {
    let mut st = ctx.shared.lock().unwrap();
    match form {
        // What is waiting on each open socket.
        Form::Read => {
            let mut lines = Vec::new();
            for id in st.open_ids() {
                if let Slot::Open(_, conn) = st.slot(id) {
                    lines.push(format!("+MIPREAD: {id},{}", conn.inbox_len()));
                }
            }
            Reply::lines(lines).into()
        }
        Form::Test => Reply::line(format!("+MIPREAD: (1-{SOCKETS}),(1-{READ_MAX})")).into(),
        Form::Set(a) if a.len() == 2 => {
            let id = a[0].int_in(1..=SOCKETS as i64).map(|v| v as u8);
            let max = a[1].int_in(1..=65535).map(|v| (v as usize).min(READ_MAX));
            let (Some(id), Some(max)) = (id, max) else {
                return Final::Error.into();
            };
            let Slot::Open(_, conn) = st.slot(id) else {
                return Final::Error.into();
            };
            let data = conn.take_inbox(max);
            Reply {
                lines: vec![format!("+MIPDATA: {id},{}", data.len())],
                data,
                ..Reply::ok()
            }
            .into()
        }
        _ => Final::Error.into(),
    }
}
