//! The TCP/IP commands the SSL manual's examples use: PDP context, open, send, push, close.

use std::time::Duration;

use super::{Ctx, Final, Form, Outcome, Reply, Sink, NOT_ALLOWED};
use crate::socket::{self, OpenRequest};
use crate::state::{Slot, SOCKETS};
use crate::tls::TlsSettings;

/// The address the virtual network hands out (the manual's example 6).
const LOCAL_IP: &str = "10.109.197.168";
/// Drivers cap one send at 2048 bytes; 521 and 2048 in one `+MIPSEND` worked on hardware.
const MAX_SEND: i64 = 2048;
/// What `+MIPSEND` reports as free buffer space: the hardware said 2048 after every send
/// (the virtual module hands data to the peer before answering, so the buffer is empty).
const SEND_BUFFER: usize = 2048;

fn list(prefix: &str, ids: &[u8]) -> String {
    if ids.is_empty() {
        return format!("{prefix}: 0");
    }
    let ids: Vec<String> = ids.iter().map(u8::to_string).collect();
    format!("{prefix}: {}", ids.join(","))
}

fn socket_id(a: &super::Arg) -> Option<u8> {
    a.int_in(1..=SOCKETS as i64).map(|v| v as u8)
}

pub(super) fn execute(ctx: &Ctx<'_>, name: &str, form: Form) -> Outcome {
    let mut st = ctx.shared.lock().unwrap();
    match (name, form) {
        ("+MIPCALL", Form::Read) => Reply::line(if st.pdp_active {
            format!("+MIPCALL: 1,{LOCAL_IP}")
        } else {
            "+MIPCALL: 0".to_string()
        })
        .into(),
        ("+MIPCALL", Form::Set(a)) if (1..=4).contains(&a.len()) => match a[0].int() {
            // Activating twice is answered like the first time, so a driver that
            // re-activates after an error is not punished for it.
            Some(1) if a.len() != 3 => {
                // Without the packet domain the activation fails, reported as `+MIPCALL: 0`.
                let up = st.net.attached();
                st.pdp_active = up;
                Reply {
                    urcs: vec![if up {
                        format!("+MIPCALL: {LOCAL_IP}")
                    } else {
                        "+MIPCALL: 0".into()
                    }],
                    urc_delay: Duration::from_millis(20),
                    ..Reply::ok()
                }
                .into()
            }
            Some(0) if a.len() == 1 => {
                st.pdp_active = false;
                st.close_all();
                let report = "+MIPCALL: 0".to_string();
                if ctx.config.deactivation_urc_first {
                    // TobudOS waits for `+MIPCALL: 0` before the `OK`.
                    Reply::line(report).into()
                } else {
                    Reply {
                        urcs: vec![report],
                        ..Reply::ok()
                    }
                    .into()
                }
            }
            _ => Final::Error.into(),
        },

        ("+MIPOPEN", Form::Read) => Reply::line(list("+MIPOPEN", &st.free_ids())).into(),
        ("+MIPOPEN", Form::Set(a)) if a.len() == 5 => {
            let id = socket_id(&a[0]);
            let src_ok = a[1].is_empty() || a[1].int_in(0..=65535).is_some();
            let host = a[2].text().trim().to_string();
            let port = a[3].int_in(1..=65535);
            let proto = a[4].int();
            let (Some(id), true, false, Some(port), Some(proto @ (0 | 2))) =
                (id, src_ok, host.is_empty(), port, proto)
            else {
                return Final::Error.into();
            };
            if !st.pdp_active || !matches!(st.slot(id), Slot::Free) {
                return NOT_ALLOWED.into();
            }
            let token = st.next_token;
            st.next_token += 1;
            *st.slot(id) = Slot::Connecting(token);
            let tls = (proto == 2).then(|| TlsSettings {
                verify: st.verify,
                version: st.ssl_version,
                ciphers: st.ciphers.iter().copied().collect(),
                cert: st.cert_files.first().cloned(),
                key: st.key_files.first().cloned(),
                trust: st.trust_files.clone(),
                clock_unix: st.clock.now_unix(),
            });
            let req = OpenRequest {
                id,
                token,
                boots: st.boots,
                host,
                port: port as u16,
                tls,
                timeout: ctx.config.handshake_timeout,
                link: ctx.config.link,
            };
            drop(st);
            socket::spawn_open(ctx.shared.clone(), ctx.output.clone(), req);
            Final::Ok.into()
        }

        ("+MIPSEND", Form::Set(a)) if a.len() == 2 => {
            let (Some(id), Some(len)) = (socket_id(&a[0]), a[1].int_in(1..=MAX_SEND)) else {
                return Final::Error.into();
            };
            if !matches!(st.slot(id), Slot::Open(..)) {
                return Final::Error.into();
            }
            Outcome::Data {
                len: len as usize,
                sink: Sink::Send(id),
            }
        }

        // The G510's explicit push: the virtual module sends at once, so nothing is pending.
        ("+MIPPUSH", Form::Set(a)) if a.len() == 1 => match socket_id(&a[0]) {
            Some(id) if matches!(st.slot(id), Slot::Open(..)) => {
                Reply::line(format!("+MIPPUSH: {id},0")).into()
            }
            _ => Final::Error.into(),
        },

        ("+MIPCLOSE", Form::Read) => Reply::line(list("+MIPCLOSE", &st.open_ids())).into(),
        ("+MIPCLOSE", Form::Set(a)) if a.len() == 1 => {
            let Some(id) = socket_id(&a[0]) else {
                return Final::Error.into();
            };
            match std::mem::replace(st.slot(id), Slot::Free) {
                Slot::Free => Final::Error.into(),
                slot => {
                    if let Slot::Open(_, conn) = slot {
                        conn.close();
                    }
                    // The manual shows `+MIPCLOSE: 1,1`; RT-Thread expects `<id>,0` from
                    // hardware after the host closed (`SimConfig::close_report`).
                    Reply {
                        urcs: vec![format!("+MIPCLOSE: {id},{}", ctx.config.close_report)],
                        ..Reply::ok()
                    }
                    .into()
                }
            }
        }
        _ => Final::Error.into(),
    }
}

/// The `+MIPSEND` payload arrived: push it to the peer.
pub(super) fn send(ctx: &Ctx<'_>, id: u8, data: &[u8]) -> Reply {
    let conn = match ctx.shared.lock().unwrap().slot(id) {
        Slot::Open(_, conn) => conn.clone(),
        _ => return Reply::fin(Final::Error),
    };
    // The hardware's order: `+MIPPUSH: <id>,0` (RT-Thread waits for it), then
    // `+MIPSEND: <id>,0,<free>` (OneOS waits for that), then `OK`.
    match conn.send(data) {
        Ok(()) => Reply::lines(vec![
            format!("+MIPPUSH: {id},0"),
            format!("+MIPSEND: {id},0,{SEND_BUFFER}"),
        ]),
        Err(_) => Reply::fin(Final::Error),
    }
}
