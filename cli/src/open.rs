//! Getting a [`Modem`]: from `--port` (a device or `socket://`), or a virtual module started in
//! this process (`--sim`), with the AT trace on stderr for `-v`.

use std::time::Duration;

use l610::{Error, Modem};
use l610_sim::{Sim, SimConfig};

use crate::args::Global;
use crate::exit::{Failure, Outcome, PORT, TIMEOUT};

/// How many `AT`s the driver's probe sends on open, and how long it waits for each
/// (`Modem::probe`): for the "does not answer" message.
const PROBE_TRIES: u32 = 3;
const PROBE_WAIT: Duration = Duration::from_secs(1);

/// An open module, and the virtual one behind it when `--sim` started one (it lives as long).
pub struct Session {
    /// The driver.
    pub modem: Modem,
    /// What the user calls the port in messages.
    pub port: String,
    /// The virtual module, kept alive.
    _sim: Option<Sim>,
}

/// Check the global options that decide where the module is, before anything is opened.
pub fn check(global: &Global) -> Outcome {
    if let Some(t) = global.timeout {
        if !(t.is_finite() && t > 0.0 && t <= 3600.0) {
            return Err(Failure::usage(format!(
                "--timeout {t}: give a number of seconds between 0 and 3600"
            )));
        }
    }
    if global.sim || global.sim_manual {
        return Ok(());
    }
    match &global.port {
        Some(p) if p.trim().is_empty() => Err(Failure::usage(
            "--port is empty: give the AT port, e.g. --port /dev/ttyUSB2 (`l610 ports` lists them)",
        )),
        Some(_) => Ok(()),
        None => Err(Failure::usage(
            "no module given: pass --port /dev/ttyUSB2 (or set L610_PORT; `l610 ports` lists the \
             candidates), or --sim to try a virtual module",
        )),
    }
}

/// Open the module the global options name. [`check`] must have passed.
pub fn open(global: &Global) -> Outcome<Session> {
    let mut builder = Modem::builder();
    if let Some(secs) = global.timeout {
        let t = Duration::from_secs_f64(secs);
        let cfg = l610::Config::default();
        builder = builder
            .command_timeout(t)
            .upload_timeout(cfg.upload_timeout.max(t))
            .open_timeout(cfg.open_timeout.max(t))
            .pdp_timeout(cfg.pdp_timeout.max(t));
    }
    if global.verbose > 0 {
        // The session redacts key uploads, secret payloads and the APN password (the line and
        // its echo) before any sink sees them.
        builder = builder.trace(move |e| eprintln!("{e}"));
    }
    let (sim, port) = if global.sim || global.sim_manual {
        let config = if global.sim_manual {
            SimConfig::manual()
        } else {
            SimConfig::default()
        };
        let sim = Sim::start_pty(config).map_err(|e| Failure {
            code: PORT,
            message: format!("cannot start the virtual module: {e}"),
        })?;
        let path = sim
            .pty_path()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        (Some(sim), path)
    } else {
        (None, global.port.clone().unwrap_or_default())
    };
    let shown = if sim.is_some() {
        format!("the virtual module ({port})")
    } else {
        port.clone()
    };
    let modem = builder
        .open(&port, global.baud)
        .map_err(|e| open_failure(&shown, global.baud, e))?;
    Ok(Session {
        modem,
        port: shown,
        _sim: sim,
    })
}

/// Which port, which baud, how long it waited, what to check.
fn open_failure(port: &str, baud: u32, e: Error) -> Failure {
    match e {
        Error::Timeout { .. } => Failure {
            code: TIMEOUT,
            message: format!(
                "{port} does not answer AT at {baud} baud (waited {} s, {PROBE_TRIES} tries): check \
                 that it is the AT port (`l610 ports`), the baud rate (--baud), that the module is \
                 powered, and that no other program (ModemManager, minicom) holds the port",
                PROBE_TRIES * PROBE_WAIT.as_secs() as u32
            ),
        },
        Error::Port { source, .. } => Failure {
            code: PORT,
            message: format!(
                "cannot open {port}: {source}; check the path (`l610 ports`), that you may use it \
                 (group dialout), and that no other program holds it"
            ),
        },
        other => Failure::driver(&format!("opening {port} at {baud} baud"), other),
    }
}
