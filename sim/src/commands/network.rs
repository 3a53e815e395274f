//! Registration, signal, operator, attach and PDP definitions: what every public L610 client
//! checks before it opens a socket (`AT+CPIN?`, `AT+CREG?`, `AT+CGREG?`, `AT+CEREG?`,
//! `AT+CSQ`, `AT+CGATT?`, `AT+COPS?`, `AT+CGDCONT`), and `+CFUN`, which turns the radio and
//! so registration off and on. Each in every form the clients send.

use super::{Ctx, Final, Form, Outcome, Reply};
use crate::network::{self, Domain, RegStat};

/// The operator in the three `+COPS` formats (long, short, numeric); the manual's example 6.
const OPERATOR: [&str; 3] = ["CHINA MOBILE", "CMCC", "46000"];
const NO_SERVICE: Final = Final::Cme(30, "no network service");

pub(super) fn execute(ctx: &Ctx<'_>, name: &str, form: Form) -> Outcome {
    let domain = Domain::ALL.into_iter().find(|d| d.name() == name);
    if let Some(d) = domain {
        return registration(ctx, d, form);
    }
    let mut st = ctx.shared.lock().unwrap();
    match (name, form) {
        ("+CPIN", Form::Read) => Reply::line("+CPIN: READY").into(),
        ("+CPIN", Form::Test) => Final::Ok.into(),

        // Clients send both the execute and the read form.
        ("+CSQ", Form::Exec | Form::Read) => Reply::line(st.net.csq()).into(),
        ("+CSQ", Form::Test) => Reply::line("+CSQ: (0-31,99),(0-7,99)").into(),

        ("+CGATT", Form::Read) => {
            Reply::line(format!("+CGATT: {}", u8::from(st.net.attached()))).into()
        }
        ("+CGATT", Form::Test) => Reply::line("+CGATT: (0,1)").into(),
        ("+CGATT", Form::Set(a)) if a.len() == 1 => match a[0].int_in(0..=1) {
            Some(0) => {
                st.net.detached = true;
                // Without the packet domain there is no PDP context and no socket.
                st.pdp_active = false;
                st.close_all();
                Final::Ok.into()
            }
            Some(_) if st.net.registered() => {
                st.net.detached = false;
                Final::Ok.into()
            }
            Some(_) => NO_SERVICE.into(),
            None => Final::Error.into(),
        },

        ("+COPS", Form::Read) => {
            if !st.net.registered() {
                return Reply::line("+COPS: 0").into();
            }
            let f = st.net.cops_format;
            Reply::line(format!(
                "+COPS: 0,{f},\"{}\",{}",
                OPERATOR[f as usize],
                network::ACT_LTE
            ))
            .into()
        }
        ("+COPS", Form::Test) => Reply::line(format!(
            "+COPS: (2,\"{}\",\"{}\",\"{}\",7),,(0-4),(0-2)",
            OPERATOR[0], OPERATOR[1], OPERATOR[2]
        ))
        .into(),
        // Automatic selection, or `3,<format>` to choose how the operator is named.
        ("+COPS", Form::Set(a)) => match (a[0].int(), a.get(1).and_then(|f| f.int_in(0..=2))) {
            (Some(0), _) => Final::Ok.into(),
            (Some(3), Some(f)) => {
                st.net.cops_format = f as u8;
                Final::Ok.into()
            }
            _ => Final::Error.into(),
        },

        ("+CGDCONT", Form::Read) => {
            let lines = st
                .net
                .contexts
                .iter()
                .map(|(cid, ty, apn)| format!("+CGDCONT: {cid},\"{ty}\",\"{apn}\",\"0.0.0.0\",0,0"))
                .collect();
            Reply::lines(lines).into()
        }
        ("+CGDCONT", Form::Test) => Reply::lines(
            ["IP", "IPV6", "IPV4V6"]
                .iter()
                .map(|ty| format!("+CGDCONT: (1-7),\"{ty}\",,,(0-2),(0-4)"))
                .collect(),
        )
        .into(),
        ("+CGDCONT", Form::Set(a)) => {
            let Some(cid) = a[0].int_in(1..=7).map(|c| c as u8) else {
                return Final::Error.into();
            };
            let contexts = &mut st.net.contexts;
            contexts.retain(|(c, _, _)| *c != cid);
            // `AT+CGDCONT=<cid>` alone undefines the context.
            if a.len() >= 2 {
                let ty = a[1].text().to_ascii_uppercase();
                if !["IP", "IPV6", "IPV4V6"].contains(&ty.as_str()) {
                    return Final::Error.into();
                }
                let apn = a.get(2).map_or(String::new(), |x| x.text().to_string());
                contexts.push((cid, ty, apn));
                contexts.sort_by_key(|(c, _, _)| *c);
            }
            Final::Ok.into()
        }

        ("+CFUN", Form::Read) => Reply::line(format!("+CFUN: {}", st.net.cfun)).into(),
        ("+CFUN", Form::Test) => Reply::line("+CFUN: (0,1,4),(0-1)").into(),
        ("+CFUN", Form::Set(a)) if (1..=2).contains(&a.len()) => {
            let fun = a[0].int_in(0..=4);
            let reset = a.get(1).map(|r| r.int_in(0..=1));
            match (fun, reset) {
                (Some(1), Some(Some(1))) => Outcome::Reset,
                (Some(1), None | Some(Some(0))) => {
                    let was_on = st.net.cfun == 1;
                    st.net.cfun = 1;
                    drop(st);
                    if !was_on {
                        network::register_after(
                            ctx.shared.clone(),
                            ctx.output.clone(),
                            ctx.config.registration_delay,
                            ctx.config.network_time,
                        );
                    }
                    Final::Ok.into()
                }
                // Minimum functionality and flight mode: the radio is off, so the module
                // leaves the network and its PDP context and sockets are gone.
                (Some(f @ (0 | 4)), None | Some(Some(0))) => {
                    st.net.cfun = f as u8;
                    st.pdp_active = false;
                    st.close_all();
                    let urcs = st.net.set_stat(RegStat::NotSearching);
                    Reply {
                        urcs,
                        ..Reply::ok()
                    }
                    .into()
                }
                _ => Final::Error.into(),
            }
        }
        _ => Final::Error.into(),
    }
}

/// `AT+CREG?`, `AT+CREG=<n>`, `AT+CREG=?` and the same for `+CGREG` and `+CEREG`.
fn registration(ctx: &Ctx<'_>, d: Domain, form: Form) -> Outcome {
    let mut st = ctx.shared.lock().unwrap();
    match form {
        Form::Read => Reply::line(st.net.read_line(d)).into(),
        Form::Test => Reply::line(format!("{}: (0-2)", d.name())).into(),
        Form::Set(a) if a.len() == 1 => match a[0].int_in(0..=2) {
            Some(n) => {
                st.net.set_urc_mode(d, n as u8);
                Final::Ok.into()
            }
            None => Final::Error.into(),
        },
        _ => Final::Error.into(),
    }
}
