//! The five `+GTSSL*` commands of the SSL manual.

use super::{Ctx, Final, Form, Outcome, Reply, Sink, NOT_SUPPORTED};
use crate::pem;
use crate::tls;

/// The manual's limits on `<file_len>` and on how many files of a type may be loaded.
const FILE_LEN: std::ops::RangeInclusive<i64> = 4..=8192;
const MAX_TRUST: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    Cert,
    Key,
    Trust,
}

pub(super) fn execute(ctx: &Ctx<'_>, name: &str, form: Form) -> Outcome {
    let mut st = ctx.shared.lock().unwrap();
    match (name, form) {
        ("+GTSSLFILE", Form::Read) => Reply::lines(vec![
            format!("+GTSSLFILE: CERTFILE,{}", st.cert_files.len()),
            format!("+GTSSLFILE: KEYFILE,{}", st.key_files.len()),
            format!("+GTSSLFILE: TRUSTFILE,{}", st.trust_files.len()),
        ])
        .into(),
        ("+GTSSLFILE", Form::Test) => {
            Reply::line("+GTSSLFILE: (\"CERTFILE\",\"KEYFILE\",\"TRUSTFILE\"),(4-8192)").into()
        }
        ("+GTSSLFILE", Form::Set(a)) if a.len() == 2 => {
            // The manual's example 5 sends `" CERTFILE"`, which the module accepted.
            let kind = match a[0].text().trim().to_ascii_uppercase().as_str() {
                "CERTFILE" => FileKind::Cert,
                "KEYFILE" => FileKind::Key,
                "TRUSTFILE" => FileKind::Trust,
                _ => return Final::Error.into(),
            };
            let Some(len) = a[1].int_in(FILE_LEN) else {
                return Final::Error.into();
            };
            // No delete and no replace: a full slot refuses before the prompt.
            let full = match kind {
                FileKind::Cert => !st.cert_files.is_empty(),
                FileKind::Key => !st.key_files.is_empty(),
                FileKind::Trust => st.trust_files.len() >= MAX_TRUST,
            };
            if full {
                return Final::Error.into();
            }
            Outcome::Data {
                len: len as usize,
                sink: Sink::File(kind),
            }
        }

        ("+GTSSLMODE", Form::Read) => Reply::line(format!("+GTSSLMODE: {}", st.verify)).into(),
        ("+GTSSLMODE", Form::Test) => Reply::line("+GTSSLMODE: (0,1)").into(),
        ("+GTSSLMODE", Form::Set(a)) if a.len() == 1 => match a[0].int_in(0..=1) {
            Some(n) => {
                st.verify = n as u8;
                Final::Ok.into()
            }
            None => Final::Error.into(),
        },

        ("+GTSSLVER", Form::Read) => Reply::line(format!("+GTSSLVER: {}", st.ssl_version)).into(),
        ("+GTSSLVER", Form::Test) => Reply::line("+GTSSLVER: (0-4)").into(),
        ("+GTSSLVER", Form::Set(a)) if a.len() == 1 => match a[0].int_in(0..=4) {
            Some(n) => {
                st.ssl_version = n as u8;
                Final::Ok.into()
            }
            None => Final::Error.into(),
        },

        ("+GTSSLCIPHER", Form::Read) => {
            if st.ciphers.is_empty() {
                return Final::Ok.into();
            }
            let ids: Vec<String> = st.ciphers.iter().map(u8::to_string).collect();
            Reply::line(format!("+GTSSLCIPHER: {}", ids.join(","))).into()
        }
        ("+GTSSLCIPHER", Form::Test) => Reply::line("+GTSSLCIPHER: (1-31),(0-1)").into(),
        ("+GTSSLCIPHER", Form::Set(a)) if a.len() == 2 => {
            let (Some(id), Some(cmd)) = (a[0].int_in(1..=31), a[1].int_in(0..=1)) else {
                return Final::Error.into();
            };
            let id = id as u8;
            if cmd == 1 {
                if !tls::cipher_supported(id) {
                    return NOT_SUPPORTED.into();
                }
                st.ciphers.insert(id);
            } else {
                st.ciphers.remove(&id);
            }
            Final::Ok.into()
        }

        ("+GTSSLERR", Form::Exec | Form::Read) => {
            if st.last_ssl_error == 0 {
                Final::Ok.into()
            } else {
                Reply::line(format!("+GTSSLERR: {}", st.last_ssl_error)).into()
            }
        }
        _ => Final::Error.into(),
    }
}

/// The upload arrived: keep it if it is PEM of the right kind.
pub(super) fn store_file(ctx: &Ctx<'_>, kind: FileKind, data: &[u8]) -> Reply {
    let valid = match kind {
        FileKind::Cert => pem::is_certificates(data),
        // Hardware accepted a bare base64 trust file and then failed verified opens with -19.
        FileKind::Trust => pem::is_certificates(data) || pem::is_bare_base64(data),
        FileKind::Key => pem::is_private_key(data),
    };
    if !valid {
        return Reply::fin(Final::Error);
    }
    let mut st = ctx.shared.lock().unwrap();
    let files = match kind {
        FileKind::Cert => &mut st.cert_files,
        FileKind::Key => &mut st.key_files,
        FileKind::Trust => &mut st.trust_files,
    };
    files.push(data.to_vec());
    Reply::ok()
}
