//! `l610 at [COMMAND]`: one AT command, or an interactive console that marks the module's
//! answers (`<`) apart from its unsolicited lines (`!`, printed as they arrive).

use std::io::{BufRead, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use l610::{Command, Modem};
use serde::Serialize;

use crate::exit::{Failure, Outcome};
use crate::open::Session;
use crate::output::Out;

/// Check one typed line: exactly one command. `AT+A;+B` (concatenation), a second `AT`
/// separated by spaces or a control character would send two, or break the line.
pub fn check_line(line: &str) -> Outcome<Command> {
    let t = line.trim();
    if t.is_empty() {
        return Err(Failure::usage("empty command: give one, e.g. AT+CSQ"));
    }
    if t.chars().any(char::is_control) {
        return Err(Failure::usage(
            "the command holds a control character: give one command per line",
        ));
    }
    let mut quoted = false;
    for c in t.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                return Err(Failure::usage(format!(
                    "{t:?} holds two commands (`;`): send them one per line"
                )))
            }
            _ => {}
        }
    }
    if t.split_whitespace()
        .skip(1)
        .any(|w| w.len() >= 2 && w[..2].eq_ignore_ascii_case("AT"))
    {
        return Err(Failure::usage(format!(
            "{t:?} looks like two commands: send them one per line"
        )));
    }
    // A person's command, with the meaning the core gives it in every language: its own
    // `+NAME:` lines and bare lines (ATI, AT+CGMR) are its answer; other `+X:` lines are URCs.
    Ok(Modem::line_command(t))
}

#[derive(Serialize)]
struct Answer {
    command: String,
    lines: Vec<String>,
    result: String,
    urcs: Vec<String>,
}

/// Run one command and print its answer.
fn one(m: &Modem, cmd: &Command, out: &mut Out) -> Outcome {
    // What the module said before (its boot lines) is not this command's business.
    let _ = m.drain_urcs();
    let r = m.command(cmd);
    let urcs: Vec<String> = m.drain_urcs().iter().map(ToString::to_string).collect();
    match r {
        Ok(resp) => {
            if out.json {
                return out.json(&Answer {
                    command: cmd.line().to_owned(),
                    lines: resp.to_lines(),
                    result: "OK".into(),
                    urcs,
                });
            }
            for l in resp.lines() {
                out.line(l);
            }
            out.line("OK");
            for u in &urcs {
                out.line(&format!("! {u}"));
            }
            Ok(())
        }
        Err(e) => Err(Failure::driver(cmd.line(), e)),
    }
}

/// `l610 at`.
pub fn run(
    command: Option<&str>,
    open: impl FnOnce() -> Outcome<Session>,
    out: &mut Out,
) -> Outcome {
    if let Some(c) = command {
        let cmd = check_line(c)?;
        let session = open()?;
        return one(&session.modem, &cmd, out);
    }
    let session = open()?;
    let m = Arc::new(session);
    let interactive = std::io::stdin().is_terminal();
    if interactive {
        eprintln!(
            "AT console on {}: one command per line; `<` marks answers, `!` unsolicited lines; \
             Ctrl-D ends",
            m.port
        );
    }
    // What the module said before the console started (its boot lines), first.
    for u in m.modem.drain_urcs() {
        println!("! {u}");
    }
    // URCs arrive between commands too: a thread prints them as they come.
    let stop = Arc::new(AtomicBool::new(false));
    let printer = {
        let m = m.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                if let Some(u) = m.modem.next_urc(Duration::from_millis(100)) {
                    let mut o = std::io::stdout().lock();
                    let _ = writeln!(o, "! {u}");
                    let _ = o.flush();
                }
            }
        })
    };
    let stdin = std::io::stdin();
    let mut failures = 0;
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let cmd = match check_line(&line) {
            Ok(c) => c,
            Err(f) => {
                eprintln!("l610: {f} (not sent)");
                failures += 1;
                continue;
            }
        };
        {
            let mut o = std::io::stdout().lock();
            let _ = writeln!(o, "> {}", cmd.line());
            let _ = o.flush();
        }
        let r = m.modem.command(&cmd);
        let mut o = std::io::stdout().lock();
        match r {
            Ok(resp) => {
                for l in resp.lines() {
                    let _ = writeln!(o, "< {l}");
                }
                let _ = writeln!(o, "< OK");
            }
            Err(e) => {
                let _ = writeln!(o, "< {}", error_line(&e));
                failures += 1;
            }
        }
        let _ = o.flush();
        if crate::interrupt::requested() {
            break;
        }
    }
    stop.store(true, Ordering::SeqCst);
    let _ = printer.join();
    // What came in after the printer's last look (a URC that followed the last answer) is shown
    // too: the module said it before the console ended.
    for u in m.modem.drain_urcs() {
        println!("! {u}");
    }
    let _ = out;
    if crate::interrupt::requested() {
        return Err(Failure {
            code: crate::exit::INTERRUPTED,
            message: "interrupted".into(),
        });
    }
    if failures > 0 && !interactive {
        return Err(Failure::module(format!(
            "{failures} command(s) failed or were refused"
        )));
    }
    Ok(())
}

/// The final result as the module sent it, or what happened instead.
fn error_line(e: &l610::Error) -> String {
    match e {
        l610::Error::AtError { .. } => "ERROR".into(),
        l610::Error::Cme { code, text, .. } => format!(
            "+CME ERROR: {}",
            text.clone()
                .or_else(|| code.map(|c| c.to_string()))
                .unwrap_or_default()
        ),
        other => format!("({other})"),
    }
}
