//! `l610-sim`: a virtual L610 on a pseudo-terminal, for drivers, scripts and humans.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use l610_sim::{Sim, SimConfig};

/// Virtual Fibocom L610 LTE module on a pseudo-terminal.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Emulate this line rate (bytes leave at baud/10 per second).
    #[arg(long)]
    baud: Option<u32>,
    /// Also create a symlink at PATH pointing to the pty.
    #[arg(long, value_name = "PATH")]
    link: Option<PathBuf>,
    /// Boot with echo off.
    #[arg(long)]
    no_echo: bool,
    /// Data-mode idle timeout in seconds (default 12, per the manual).
    #[arg(long, value_name = "SECS")]
    data_timeout: Option<f64>,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let mut config = SimConfig {
        echo: !args.no_echo,
        baud: args.baud,
        ..SimConfig::default()
    };
    if let Some(secs) = args.data_timeout {
        config.data_mode_idle_timeout = Duration::from_secs_f64(secs);
    }
    let sim = Sim::start_pty(config)?;
    let path = sim
        .pty_path()
        .expect("a pty module has a path")
        .to_path_buf();
    if let Some(link) = &args.link {
        // A stale link from an earlier run would make symlink() fail.
        let _ = std::fs::remove_file(link);
        std::os::unix::fs::symlink(&path, link)?;
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "pty: {}", path.display())?;
    out.flush()?;
    drop(out);
    // Runs until a signal ends the process; the link is left behind and replaced next run.
    loop {
        std::thread::park();
    }
}
