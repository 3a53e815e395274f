//! The command line: global options and one subcommand per verb.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Provision and diagnose a Fibocom L610 LTE module and its TLS stack.
///
/// Every verb works without hardware with --sim (a virtual module started in this process).
#[derive(Parser, Debug)]
#[command(name = "l610", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// Global options.
    #[command(flatten)]
    pub global: Global,
    /// The verb.
    #[command(subcommand)]
    pub verb: Verb,
}

/// Shown under `--help`.
pub const EXIT_CODES: &str = "\
Exit codes: 0 ok, 2 usage (nothing was sent), 3 module error, 4 TLS/connection failure,
5 timeout (the module did not answer), 6 port cannot be opened, 130 interrupted.";

/// Options every verb takes.
#[derive(Args, Debug, Clone)]
pub struct Global {
    /// The module's AT port: a device (/dev/ttyUSB2) or socket://HOST:PORT (ser2net,
    /// `l610 sim --listen`).
    #[arg(long, global = true, env = "L610_PORT", value_name = "PATH|URL")]
    pub port: Option<String>,
    /// Line rate of the port.
    #[arg(long, global = true, env = "L610_BAUD", default_value_t = 115_200)]
    pub baud: u32,
    /// Use a virtual module started in this process (as the hardware behaves) instead of --port;
    /// each command starts a fresh one (`l610 sim` keeps one running).
    #[arg(long, global = true)]
    pub sim: bool,
    /// Use a virtual module as Fibocom's manual describes it: clock unset (2015-01-01),
    /// TLS 1.0 at power-up. Implies --sim.
    #[arg(long, global = true)]
    pub sim_manual: bool,
    /// Print machine-readable JSON on stdout (verbs that read).
    #[arg(long, global = true)]
    pub json: bool,
    /// Print the AT trace on stderr (keys and certificate bodies redacted).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Longest wait for the module's answer to one command, in seconds (default 5; uploads,
    /// PDP activation and connection opens wait at least this long).
    #[arg(long, global = true, value_name = "SECS")]
    pub timeout: Option<f64>,
}

/// The verbs.
#[derive(Subcommand, Debug)]
pub enum Verb {
    /// List serial ports, marking the L610's AT ports (by USB vendor, product and interface).
    Ports,
    /// One screen about the module: identity, SIM, network, PDP, clock, TLS state, sockets.
    Info,
    /// Load certificates and keys (`AT+GTSSLFILE`), or show what is loaded.
    #[command(subcommand)]
    Cert(CertVerb),
    /// Change TLS settings: verification, version, cipher suites.
    #[command(subcommand)]
    Tls(TlsVerb),
    /// Show the module clock against the host's, or set it from the host (--sync).
    Clock(ClockArgs),
    /// The PDP context (the module's IP connection): up, down, status.
    #[command(subcommand)]
    Pdp(PdpVerb),
    /// Open a TLS (or TCP) connection through the module: stdin to it, it to stdout.
    Connect(ConnectArgs),
    /// Check every step from the port to the TLS handshake and say what to fix.
    Diagnose(DiagnoseArgs),
    /// Send one AT command, or start an interactive AT console.
    At(AtArgs),
    /// Run the virtual module on a pseudo-terminal (the options of `l610-sim`; `l610 sim --help`).
    #[command(disable_help_flag = true)]
    Sim(SimArgs),
}

/// `l610 cert ...`
#[derive(Subcommand, Debug)]
pub enum CertVerb {
    /// Upload trust files (CA certificates) and a client certificate and key.
    Load(CertLoadArgs),
    /// How many files of each type the module holds, and its limits.
    Status,
}

/// `l610 cert load`
#[derive(Args, Debug)]
pub struct CertLoadArgs {
    /// CA certificates to trust (PEM or DER), up to 40 in all.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub trust: Vec<PathBuf>,
    /// Client certificate (PEM or DER), with --key.
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// Client private key (PEM or DER), with --cert.
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
}

/// `l610 tls ...`
#[derive(Subcommand, Debug)]
pub enum TlsVerb {
    /// Set verification, version and suites; prints the resulting settings.
    Set(TlsSetArgs),
}

/// on / off.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnOff {
    /// Verify the server's certificate against the trust files.
    On,
    /// Accept any certificate.
    Off,
}

/// `l610 tls set`
#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("setting").required(true).multiple(true).args(["verify", "version", "ciphers"])))]
pub struct TlsSetArgs {
    /// Server certificate verification (`AT+GTSSLMODE`).
    #[arg(long)]
    pub verify: Option<OnOff>,
    /// Protocol version (`AT+GTSSLVER`): 1.0, 1.1, 1.2, ssl3, or auto (the 0 hardware reports).
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// Cipher suites, comma-separated: IDs, the manual's, IANA or OpenSSL names; `default`
    /// for the module's own choice.
    #[arg(long, value_name = "LIST|default")]
    pub ciphers: Option<String>,
}

/// `l610 clock`
#[derive(Args, Debug)]
pub struct ClockArgs {
    /// Set the module clock to the host's (UTC).
    #[arg(long)]
    pub sync: bool,
}

/// `l610 pdp ...`
#[derive(Subcommand, Debug)]
pub enum PdpVerb {
    /// Activate the context (`AT+MIPCALL=1`) and print the IP address.
    Up(PdpUpArgs),
    /// Deactivate it.
    Down,
    /// Whether it is active, and the IP address.
    Status,
}

/// `l610 pdp up`
#[derive(Args, Debug)]
pub struct PdpUpArgs {
    /// Access point name (default: the module's, e.g. the SIM operator's).
    #[arg(long)]
    pub apn: Option<String>,
    /// APN user name, with --password.
    #[arg(long, requires = "password")]
    pub user: Option<String>,
    /// APN password, with --user.
    #[arg(long, requires = "user")]
    pub password: Option<String>,
}

/// What a connection needs that both `connect` and `diagnose` take.
#[derive(Args, Debug, Clone)]
pub struct TlsFiles {
    /// CA certificate to verify the server with (loaded when the module holds no trust file;
    /// turns verification on).
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// Client certificate, with --key (loaded when the module holds none).
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// Client private key, with --cert.
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Set the module clock from the host first (certificates are checked against it).
    #[arg(long)]
    pub sync_clock: bool,
}

/// `l610 connect`
#[derive(Args, Debug)]
pub struct ConnectArgs {
    /// Where to connect: HOST:PORT (IPv6 as `[ADDR]:PORT`).
    #[arg(value_name = "HOST:PORT")]
    pub target: String,
    /// Certificates, keys, clock.
    #[command(flatten)]
    pub files: TlsFiles,
    /// Plain TCP instead of TLS.
    #[arg(long, conflicts_with_all = ["ca", "cert", "key"])]
    pub tcp: bool,
    /// Send `GET PATH` (HTTP/1.1, Connection: close) and print the status line and headers.
    #[arg(long, value_name = "PATH")]
    pub http: Option<String>,
    /// After stdin ends, wait this long for more data before closing (seconds).
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub linger: f64,
}

/// `l610 diagnose`
#[derive(Args, Debug)]
pub struct DiagnoseArgs {
    /// The server the module should reach: HOST:PORT.
    #[arg(value_name = "HOST:PORT")]
    pub target: String,
    /// Certificates, keys, clock.
    #[command(flatten)]
    pub files: TlsFiles,
}

/// `l610 at`
#[derive(Args, Debug)]
pub struct AtArgs {
    /// One command (`AT+CSQ`, `+CSQ`); without it, an interactive console reads stdin.
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// `l610 sim`
#[derive(Args, Debug)]
pub struct SimArgs {
    /// Options of `l610-sim` (see `l610 sim --help`).
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "OPTIONS"
    )]
    pub args: Vec<OsString>,
}
