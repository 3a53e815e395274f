//! `l610`, the command-line tool for provisioning and diagnosing a Fibocom L610: what `mmcli` is
//! for ModemManager and `openssl s_client` for OpenSSL, for the module's TLS stack.
//!
//! One implementation, two entry points: the `l610` binary of this crate and the `l610` console
//! script of the Python wheel both call [`run`].
//!
//! Every verb validates its arguments (files, suite names, host and port) before the module is
//! opened, so nothing is sent on bad input; every failure is one line on stderr and an exit code
//! of [`exit`].
#![deny(missing_docs)]

pub mod args;
mod cert;
mod connect;
mod console;
mod diagnose;
pub mod exit;
mod files;
mod info;
mod interrupt;
mod network;
mod open;
mod output;
pub mod ports;
mod probe;
mod settings;

use std::ffi::OsString;

use clap::Parser;

use args::{CertVerb, Cli, TlsVerb, Verb};
use exit::Outcome;
use output::Out;

/// Run the command line `args` (the first is the program name) and return the exit code.
///
/// ```no_run
/// let code = l610_cli::run(vec!["l610".into(), "--sim".into(), "info".into()]);
/// assert_eq!(code, 0);
/// ```
pub fn run(args: Vec<OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
        }
    };
    // `l610 sim` serves until it is killed: Ctrl-C keeps its default action there.
    let _handler = (!matches!(cli.verb, Verb::Sim(_))).then(interrupt::install);
    let json = cli.global.json;
    match l610::with_cancel(interrupt::requested, || dispatch(cli)) {
        Ok(code) => code,
        Err(f) => {
            eprintln!("l610: {f}");
            if json {
                // A script reading --json output gets the failure as JSON too.
                let _ = Out { json }.json(&serde_json::json!({
                    "error": f.message,
                    "exit_code": f.code,
                }));
            }
            f.code
        }
    }
}

fn dispatch(cli: Cli) -> Outcome<i32> {
    let g = cli.global;
    let mut out = Out { json: g.json };
    // Where the module is, checked before anything else: a verb that parses files first still
    // refuses a missing --port before reading them.
    let needs_module = !matches!(cli.verb, Verb::Ports | Verb::Sim(_));
    if needs_module {
        open::check(&g)?;
    }
    let open = || open::open(&g);
    match &cli.verb {
        Verb::Ports => ports::run(&mut out)?,
        Verb::Sim(a) => {
            let mut argv: Vec<OsString> = vec!["l610 sim".into()];
            argv.extend(a.args.iter().cloned());
            return Ok(l610_sim::cli::run(argv));
        }
        Verb::Info => info::run(&open()?, &mut out)?,
        Verb::Cert(CertVerb::Load(a)) => cert::load(a, open, &mut out)?,
        Verb::Cert(CertVerb::Status) => cert::status(&open()?, &mut out)?,
        Verb::Tls(TlsVerb::Set(a)) => settings::tls_set(a, open, &mut out)?,
        Verb::Clock(a) => settings::clock(a, &open()?, &mut out)?,
        Verb::Pdp(v) => settings::pdp(v, open, &mut out)?,
        Verb::Connect(a) => connect::run(a, open, &mut out)?,
        Verb::Diagnose(a) => return diagnose::run(a, open, &mut out),
        Verb::At(a) => console::run(a.command.as_deref(), open, &mut out)?,
    }
    Ok(exit::OK)
}
