//! The options of the `l610-sim` command, shared with `l610 sim` (the `l610-cli` crate), so
//! that a user who only has the Python wheel or the CLI can start the same virtual module.

use std::ffi::OsString;
use std::io::{self, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::{LinkConditions, Sim, SimConfig};

/// Virtual Fibocom L610 LTE module on a pseudo-terminal.
// The field docs are the `--help` text, in the module's notation (`+MIPCLOSE: <id>,1`), not HTML.
#[allow(rustdoc::invalid_html_tags)]
#[derive(Parser, Debug)]
#[command(version, about)]
pub struct Args {
    /// Emulate this line rate (bytes leave at baud/10 per second).
    #[arg(long)]
    pub baud: Option<u32>,
    /// Also create a symlink at PATH pointing to the pty.
    #[arg(long, value_name = "PATH")]
    pub link: Option<PathBuf>,
    /// Boot with echo off.
    #[arg(long)]
    pub no_echo: bool,
    /// Data-mode idle timeout in seconds (default 12, per the manual).
    #[arg(long, value_name = "SECS")]
    pub data_timeout: Option<f64>,
    /// The manual's module instead of the hardware's: +GTSSLVER: 2 at power-up, the clock left
    /// at 2015-01-01 (example 3), +MIPCLOSE: <id>,1, +MIPCALL: 0 after OK.
    #[arg(long)]
    pub manual: bool,
    /// Seconds from power-up to network registration.
    #[arg(long, value_name = "SECS")]
    pub registration_delay: Option<f64>,
    /// Keep the unset clock (2015-01-01) even once registered.
    #[arg(long)]
    pub no_network_time: bool,
    /// Also serve the line on this TCP address, as ser2net does (pyserial: socket://ADDR).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Append a readable log of the serial traffic to FILE.
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Serve a control channel (state, fault injection) on a Unix socket at PATH.
    #[arg(long, value_name = "PATH")]
    pub control: Option<PathBuf>,
    /// Fault: wait this many milliseconds before every response.
    #[arg(long, value_name = "MS")]
    pub response_delay: Option<u64>,
    /// Fault: split the output into writes of BYTES with GAP_MS between them ("BYTES:GAP_MS").
    #[arg(long, value_name = "BYTES:GAP_MS")]
    pub chunking: Option<String>,
    /// Network: one-way latency of the module's sockets, in milliseconds.
    #[arg(long, value_name = "MS")]
    pub latency: Option<u64>,
    /// Network: probability (0-1) that a segment is lost and retransmitted.
    #[arg(long, value_name = "P")]
    pub loss: Option<f64>,
    /// Network: bandwidth of the module's sockets in bytes per second, each direction.
    #[arg(long, value_name = "BYTES_PER_SEC")]
    pub bandwidth: Option<u64>,
}

/// Start the module `args` describe, print `pty: <path>` (and the TCP and control addresses) on
/// stdout, and serve until the process is ended. Returns only on error.
pub fn serve(args: &Args) -> io::Result<()> {
    let base = if args.manual {
        SimConfig::manual()
    } else {
        SimConfig::default()
    };
    let mut config = SimConfig {
        echo: !args.no_echo,
        baud: args.baud,
        traffic_log: args.log.clone(),
        link: LinkConditions {
            latency: Duration::from_millis(args.latency.unwrap_or(0)),
            loss: args.loss.unwrap_or(0.0).clamp(0.0, 1.0),
            bandwidth: args.bandwidth,
        },
        ..base
    };
    if let Some(secs) = args.data_timeout {
        config.data_mode_idle_timeout = Duration::from_secs_f64(secs);
    }
    if let Some(secs) = args.registration_delay {
        config.registration_delay = Duration::from_secs_f64(secs);
    }
    if args.no_network_time {
        config.network_time = false;
    }
    let mut sim = Sim::start_pty(config)?;
    if let Some(ms) = args.response_delay {
        sim.faults().set_response_delay(Duration::from_millis(ms));
    }
    if let Some(spec) = &args.chunking {
        let parsed = spec
            .split_once(':')
            .and_then(|(n, g)| Some((n.parse().ok()?, Duration::from_millis(g.parse().ok()?))));
        match parsed {
            Some(c) => sim.faults().set_chunking(Some(c)),
            None => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "--chunking wants BYTES:GAP_MS, e.g. 3:20",
                ))
            }
        }
    }
    let path = sim
        .pty_path()
        .expect("a pty module has a path")
        .to_path_buf();
    if let Some(link) = &args.link {
        // A stale link from an earlier run would make symlink() fail.
        let _ = std::fs::remove_file(link);
        std::os::unix::fs::symlink(&path, link)?;
    }
    let listening = match &args.listen {
        Some(addr) => Some(sim.serve_tcp(TcpListener::bind(addr)?)?),
        None => None,
    };
    if let Some(control) = &args.control {
        sim.control().serve_unix(control)?;
    }
    let mut out = io::stdout().lock();
    // The first line stays `pty: <path>`: scripts (capi/ci.sh) read it.
    writeln!(out, "pty: {}", path.display())?;
    if let Some(addr) = listening {
        writeln!(out, "tcp: {addr}")?;
    }
    if let Some(control) = &args.control {
        writeln!(out, "control: {}", control.display())?;
    }
    out.flush()?;
    drop(out);
    // Runs until a signal ends the process; the link is left behind and replaced next run.
    loop {
        std::thread::park();
    }
}

/// Parse `args` (the first is the program name) and serve: what `l610-sim` and `l610 sim` do.
/// Returns the process exit code: 0 for `--help`/`--version`, 2 for bad options, 1 when the
/// module cannot be started.
pub fn run(args: Vec<OsString>) -> i32 {
    let args = match Args::try_parse_from(args) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match serve(&args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("l610-sim: {e}");
            if e.kind() == io::ErrorKind::InvalidInput {
                2
            } else {
                1
            }
        }
    }
}
