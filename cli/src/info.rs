//! `l610 info`: one screen about the module, like `mmcli -m`.

use l610::{CipherSuite, Modem, ModuleTime, PdpStatus, VerifyMode};
use serde::Serialize;

use crate::cert::Counts;
use crate::exit::Outcome;
use crate::network::{self, Field, Network};
use crate::open::Session;
use crate::output::Out;
use crate::settings::{describe_offset, version_name};

/// The host's clock as the module would show it (UTC).
pub fn host_now() -> ModuleTime {
    let unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    ModuleTime::from_unix(unix)
}

/// A cipher suite by its three names.
#[derive(Debug, Serialize)]
pub struct Suite {
    /// `<cipalgID>`.
    pub id: u8,
    /// The manual's name.
    pub name: &'static str,
    /// OpenSSL's, when OpenSSL has the suite.
    pub openssl: Option<&'static str>,
}

impl From<CipherSuite> for Suite {
    fn from(c: CipherSuite) -> Self {
        Suite {
            id: c.id(),
            name: c.name(),
            openssl: c.openssl_name(),
        }
    }
}

/// `+GTSSLERR`, decoded.
#[derive(Debug, Serialize)]
pub struct SslError {
    /// The code (0 is no error).
    pub code: i32,
    /// The manual's meaning.
    pub meaning: &'static str,
}

/// The `+GTSSL*` state.
#[derive(Debug, Serialize)]
pub struct TlsState {
    /// `AT+GTSSLMODE?` is 1.
    pub verify: Field<bool>,
    /// `AT+GTSSLVER?`, in words.
    pub version: Field<&'static str>,
    /// `AT+GTSSLFILE?`.
    pub files: Field<Counts>,
    /// `AT+GTSSLCIPHER?`; empty: the module's defaults.
    pub ciphers: Field<Vec<Suite>>,
    /// `AT+GTSSLERR?`: the last connection's error.
    pub last_error: Field<SslError>,
}

/// Read the TLS state.
pub fn tls_state(m: &Modem) -> TlsState {
    TlsState {
        verify: Field::from(m.verify_mode().map(|v| v == VerifyMode::Verify)),
        version: Field::from(m.ssl_version().map(version_name)),
        files: Field::from(m.ssl_file_counts().map(Counts::from)),
        ciphers: Field::from(
            m.enabled_ciphers()
                .map(|c| c.into_iter().map(Suite::from).collect()),
        ),
        last_error: Field::from(m.ssl_error().map(|c| SslError {
            code: c.code(),
            meaning: c.meaning(),
        })),
    }
}

/// The TLS lines of `info` and `tls set`.
pub fn print_tls(t: &TlsState, out: &mut Out) {
    let mut rows = Rows::default();
    tls_rows(t, &mut rows);
    out.line(&rows.render());
}

fn tls_rows(t: &TlsState, rows: &mut Rows) {
    rows.section("TLS");
    rows.add(
        "verification",
        t.verify
            .show(|v| if *v { "on".into() } else { "off".into() }),
    );
    rows.add("version", t.version.show(|v| (*v).to_owned()));
    rows.add(
        "files",
        t.files.show(|c| {
            format!(
                "{} TRUSTFILE (of 40), {} CERTFILE, {} KEYFILE",
                c.trust, c.cert, c.key
            )
        }),
    );
    match &t.ciphers {
        Field::Value(v) if v.is_empty() => rows.add("suites", "module defaults".into()),
        Field::Value(v) => {
            for (i, s) in v.iter().enumerate() {
                rows.add(
                    if i == 0 { "suites" } else { "" },
                    format!("{:>2} {}", s.id, s.name),
                );
            }
        }
        e @ Field::Error { .. } => rows.add("suites", e.show(|_| String::new())),
    }
    rows.add(
        "last error",
        t.last_error.show(|e| {
            if e.code == 0 {
                "none (+GTSSLERR: 0)".into()
            } else {
                format!("+GTSSLERR: {} ({})", e.code, e.meaning)
            }
        }),
    );
}

/// Section / field / value rows, rendered as `mmcli` does.
#[derive(Default)]
pub struct Rows {
    rows: Vec<(String, String, String)>,
    section: Option<String>,
}

impl Rows {
    /// Start a section.
    pub fn section(&mut self, name: &str) {
        self.section = Some(name.to_owned());
    }

    /// Add a row.
    pub fn add(&mut self, field: &str, value: String) {
        let section = self.section.take().unwrap_or_default();
        self.rows.push((section, field.to_owned(), value));
    }

    /// The text.
    pub fn render(&self) -> String {
        let sw = self.rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
        let fw = self.rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
        let mut s = String::new();
        for (i, (sec, field, value)) in self.rows.iter().enumerate() {
            if !sec.is_empty() && i > 0 {
                s.push_str(&format!("  {}\n", "-".repeat(sw + fw + 30)));
            }
            let colon = if field.is_empty() { " " } else { ":" };
            s.push_str(&format!("  {sec:>sw$} | {field:>fw$}{colon} {value}\n"));
        }
        s.trim_end().to_owned()
    }
}

#[derive(Serialize)]
struct Pdp {
    active: bool,
    ip: Option<String>,
}

#[derive(Serialize)]
struct Clock {
    module: String,
    host: String,
    offset_seconds: i64,
}

#[derive(Serialize)]
struct Info {
    port: String,
    #[serde(flatten)]
    network: Network,
    pdp: Field<Pdp>,
    clock: Field<Clock>,
    tls: TlsState,
    sockets: Field<Vec<u8>>,
}

/// `l610 info`.
pub fn run(session: &Session, out: &mut Out) -> Outcome {
    let m = &session.modem;
    let info = Info {
        port: session.port.clone(),
        network: network::gather(m),
        pdp: Field::from(m.pdp_status().map(|s| Pdp {
            active: matches!(s, PdpStatus::Active(_)),
            ip: match s {
                PdpStatus::Active(ip) => Some(ip),
                _ => None,
            },
        })),
        clock: Field::from(m.clock().map(|c| {
            let host = host_now();
            Clock {
                module: c.to_string(),
                host: host.to_string(),
                offset_seconds: c.to_unix() - host.to_unix(),
            }
        })),
        tls: tls_state(m),
        sockets: Field::from(m.open_socket_ids()),
    };
    if out.json {
        return out.json(&info);
    }
    let mut r = Rows::default();
    r.section("General");
    r.add("port", info.port.clone());
    let n = &info.network;
    r.add("manufacturer", n.identity.show(|i| i.manufacturer.clone()));
    r.add("model", n.identity.show(|i| i.model.clone()));
    r.add("firmware", n.identity.show(|i| i.firmware.clone()));
    r.add("IMEI", n.identity.show(|i| i.imei.clone()));
    r.section("SIM");
    r.add("status", n.sim.show(|s| s.status.clone()));
    r.add(
        "IMSI",
        n.identity
            .show(|i| i.imsi.clone().unwrap_or_else(|| "-".into())),
    );
    r.add(
        "ICCID",
        n.identity
            .show(|i| i.iccid.clone().unwrap_or_else(|| "-".into())),
    );
    r.section("Network");
    for reg in &n.registration {
        let label = reg.value().map(|x| x.domain).unwrap_or("registration");
        r.add(
            &format!("{} registration", label.to_uppercase()),
            reg.show(|x| {
                let mut s = format!("{} ({})", x.status, x.code);
                if let (Some(a), Some(c)) = (&x.area, &x.cell) {
                    s.push_str(&format!(", area {a}, cell {c}"));
                }
                s
            }),
        );
    }
    r.add(
        "signal",
        n.signal.show(|s| match s.dbm {
            Some(d) => format!("{d} dBm (rssi {}, ber {})", s.rssi, s.ber),
            None => format!("unknown (rssi {}: not registered or no signal)", s.rssi),
        }),
    );
    r.add(
        "operator",
        n.operator.show(|o| match &o.name {
            Some(name) => format!("{name}{}", if o.act == Some(7) { " (LTE)" } else { "" }),
            None => "none".into(),
        }),
    );
    r.section("PDP");
    r.add(
        "context",
        info.pdp.show(|p| match &p.ip {
            Some(ip) => format!("active, IP {ip}"),
            None => "inactive (l610 pdp up)".into(),
        }),
    );
    r.section("Clock");
    r.add("module", info.clock.show(|c| c.module.clone()));
    r.add("host", info.clock.show(|c| c.host.clone()));
    r.add(
        "offset",
        info.clock.show(|c| {
            let mut s = describe_offset(c.offset_seconds);
            if c.offset_seconds.abs() > 86_400 {
                s.push_str(": certificates will not verify (l610 clock --sync)");
            }
            s
        }),
    );
    tls_rows(&info.tls, &mut r);
    r.section("Sockets");
    r.add(
        "open",
        info.sockets.show(|s| {
            if s.is_empty() {
                "none".into()
            } else {
                s.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")
            }
        }),
    );
    out.line(&r.render());
    Ok(())
}
