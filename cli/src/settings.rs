//! `l610 tls set`, `l610 clock`, `l610 pdp`: the settings a connection depends on. Every value is
//! parsed before the module is opened.

use l610::{CipherSuite, ModuleTime, PdpConfig, PdpStatus, SslVersion, VerifyMode};
use serde::Serialize;

use crate::args::{ClockArgs, OnOff, PdpUpArgs, PdpVerb, TlsSetArgs};
use crate::exit::{Failure, Outcome};
use crate::info;
use crate::open::Session;
use crate::output::Out;

/// `--version 1.2` and friends.
pub fn parse_version(s: &str) -> Outcome<SslVersion> {
    let v = s.trim().to_ascii_lowercase();
    let v = v
        .strip_prefix("tls")
        .unwrap_or(&v)
        .trim_start_matches(['v', ' ']);
    Ok(match v {
        "1.0" | "1" | "10" => SslVersion::Tls1_0,
        "1.1" | "11" => SslVersion::Tls1_1,
        "1.2" | "12" => SslVersion::Tls1_2,
        "ssl3" | "sslv3" | "3.0" => SslVersion::Ssl3,
        "auto" | "0" => SslVersion::Unspecified,
        "1.3" | "13" => {
            return Err(Failure::usage(
                "--version 1.3: the L610 speaks TLS up to 1.2; give 1.2 (or 1.1, 1.0)",
            ))
        }
        _ => {
            return Err(Failure::usage(format!(
                "--version {s:?}: give 1.0, 1.1, 1.2, ssl3, or auto (the module negotiates)"
            )))
        }
    })
}

/// `--ciphers LIST|default`: `None` for `default` (the module's own suites).
pub fn parse_ciphers(s: &str) -> Outcome<Vec<CipherSuite>> {
    if s.trim().eq_ignore_ascii_case("default") {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for name in s.split([',', ':']).map(str::trim).filter(|n| !n.is_empty()) {
        let suite: CipherSuite = name.parse().map_err(|_| {
            Failure::usage(format!(
                "unknown cipher suite {name:?}: give an ID 1-31, the manual's name \
                 (TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256), the IANA name \
                 (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) or OpenSSL's \
                 (ECDHE-RSA-AES128-GCM-SHA256), or `default`"
            ))
        })?;
        if !out.contains(&suite) {
            out.push(suite);
        }
    }
    if out.is_empty() {
        return Err(Failure::usage(
            "--ciphers is empty: give suites, comma-separated, or `default`",
        ));
    }
    Ok(out)
}

/// The human name of a version setting.
pub fn version_name(v: SslVersion) -> &'static str {
    match v {
        SslVersion::Unspecified => "auto (0: the module negotiates)",
        SslVersion::Ssl3 => "SSL 3.0",
        SslVersion::Tls1_0 => "TLS 1.0",
        SslVersion::Tls1_1 => "TLS 1.1",
        SslVersion::Tls1_2 => "TLS 1.2",
    }
}

/// `l610 tls set`.
pub fn tls_set(
    args: &TlsSetArgs,
    open: impl FnOnce() -> Outcome<Session>,
    out: &mut Out,
) -> Outcome {
    let version = args.version.as_deref().map(parse_version).transpose()?;
    let ciphers = args.ciphers.as_deref().map(parse_ciphers).transpose()?;
    let session = open()?;
    let m = &session.modem;
    if let Some(v) = args.verify {
        let mode = match v {
            OnOff::On => VerifyMode::Verify,
            OnOff::Off => VerifyMode::None,
        };
        m.set_verify_mode(mode)
            .map_err(|e| Failure::driver("setting verification (AT+GTSSLMODE)", e))?;
    }
    if let Some(v) = version {
        m.set_ssl_version(v)
            .map_err(|e| Failure::driver("setting the version (AT+GTSSLVER)", e))?;
    }
    if let Some(c) = &ciphers {
        m.set_enabled_ciphers(c)
            .map_err(|e| Failure::driver("setting the cipher suites (AT+GTSSLCIPHER)", e))?;
    }
    let state = info::tls_state(m);
    if out.json {
        return out.json(&state);
    }
    info::print_tls(&state, out);
    Ok(())
}

#[derive(Serialize)]
struct Clock {
    module: String,
    host: String,
    /// Module minus host, seconds.
    offset_seconds: i64,
    synced: bool,
}

/// "3 h 12 min behind", "in step".
pub fn describe_offset(offset: i64) -> String {
    if offset.abs() < 2 {
        return "in step with the host".into();
    }
    let a = offset.unsigned_abs();
    let span = if a >= 2 * 86_400 {
        format!("{} days", a / 86_400)
    } else if a >= 3600 {
        format!("{} h {} min", a / 3600, a % 3600 / 60)
    } else if a >= 60 {
        format!("{} min {} s", a / 60, a % 60)
    } else {
        format!("{a} s")
    };
    format!(
        "{span} {} the host",
        if offset < 0 { "behind" } else { "ahead of" }
    )
}

/// Module clock minus host clock, seconds.
pub fn offset(module: &ModuleTime) -> (ModuleTime, i64) {
    let host = info::host_now();
    let off = module.to_unix() - host.to_unix();
    (host, off)
}

/// `l610 clock [--sync]`.
pub fn clock(args: &ClockArgs, session: &Session, out: &mut Out) -> Outcome {
    let m = &session.modem;
    if args.sync {
        m.set_clock_from_host()
            .map_err(|e| Failure::driver("setting the clock (AT+CCLK=)", e))?;
    }
    let module = m
        .clock()
        .map_err(|e| Failure::driver("reading the clock (AT+CCLK?)", e))?;
    let (host, off) = offset(&module);
    let c = Clock {
        module: module.to_string(),
        host: host.to_string(),
        offset_seconds: off,
        synced: args.sync,
    };
    if out.json {
        return out.json(&c);
    }
    out.line(&format!("module clock  {}", c.module));
    out.line(&format!("host clock    {}", c.host));
    out.line(&format!("offset        {}", describe_offset(off)));
    if off.abs() > 86_400 {
        out.line("certificates are checked against the module clock: run `l610 clock --sync`");
    }
    Ok(())
}

#[derive(Serialize)]
struct Pdp {
    active: bool,
    busy: bool,
    ip: Option<String>,
}

fn pdp_json(s: &PdpStatus) -> Pdp {
    Pdp {
        active: matches!(s, PdpStatus::Active(_)),
        busy: matches!(s, PdpStatus::Busy),
        ip: match s {
            PdpStatus::Active(ip) => Some(ip.clone()),
            _ => None,
        },
    }
}

/// `l610 pdp up|down|status`.
pub fn pdp(verb: &PdpVerb, open: impl FnOnce() -> Outcome<Session>, out: &mut Out) -> Outcome {
    let config = match verb {
        PdpVerb::Up(PdpUpArgs {
            apn,
            user,
            password,
        }) => Some(PdpConfig {
            apn: apn.clone(),
            credentials: user.clone().zip(password.clone()),
        }),
        _ => None,
    };
    if let Some(c) = &config {
        // The command is built (and its quoting checked) before the port is opened.
        l610::proto::commands::activate_pdp(c).map_err(|e| {
            Failure::usage(format!(
                "{}; APN, user and password must be plain ASCII",
                e.0
            ))
        })?;
    }
    let session = open()?;
    let m = &session.modem;
    match verb {
        PdpVerb::Up(_) => {
            let c = config.unwrap_or_default();
            let status = m
                .pdp_status()
                .map_err(|e| Failure::driver("AT+MIPCALL?", e))?;
            let ip = match status {
                PdpStatus::Active(ip) => ip,
                _ => m
                    .activate_pdp(&c)
                    .map_err(|e| Failure::driver("activating the PDP context (AT+MIPCALL=1)", e))?,
            };
            report_pdp(&PdpStatus::Active(ip), out)
        }
        PdpVerb::Down => {
            if !matches!(m.pdp_status(), Ok(PdpStatus::Inactive)) {
                m.deactivate_pdp().map_err(|e| {
                    Failure::driver("deactivating the PDP context (AT+MIPCALL=0)", e)
                })?;
            }
            report_pdp(&PdpStatus::Inactive, out)
        }
        PdpVerb::Status => {
            let s = m
                .pdp_status()
                .map_err(|e| Failure::driver("AT+MIPCALL?", e))?;
            report_pdp(&s, out)
        }
    }
}

fn report_pdp(s: &PdpStatus, out: &mut Out) -> Outcome {
    if out.json {
        return out.json(&pdp_json(s));
    }
    out.line(&match s {
        PdpStatus::Active(ip) => format!("PDP context active, IP {ip}"),
        PdpStatus::Busy => "PDP context being activated".into(),
        PdpStatus::Inactive => "PDP context inactive (l610 pdp up)".into(),
    });
    Ok(())
}
