//! `l610 diagnose HOST:PORT`: every step from the port to the handshake, each with a verdict and,
//! when it fails, what to do. The explanations of `+GTSSLERR` are the driver's
//! (`Error::Ssl { diagnosis }`, `SslErrorCode::meaning`); this adds the checks around them.

use std::net::IpAddr;

use l610::{
    CipherSuite, Error, FileType, Modem, OpenOptions, PdpConfig, PdpStatus, Protocol,
    RegistrationDomain, SslErrorCode, SslVersion, VerifyMode,
};
use openssl::asn1::Asn1Time;
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::{X509StoreContext, X509};
use serde::Serialize;

use crate::args::DiagnoseArgs;
use crate::connect::{parse_target, Files};
use crate::exit::{self, Outcome};
use crate::network;
use crate::open::Session;
use crate::output::Out;
use crate::probe::{self, ServerProbe};
use crate::settings::{describe_offset, version_name};

/// A step's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Fine.
    Pass,
    /// Works, but worth knowing.
    Warn,
    /// The reason a connection fails (or will).
    Fail,
    /// Not checked (an earlier step failed, or it does not apply).
    Skip,
}

/// One line of the checklist.
#[derive(Debug, Serialize)]
pub struct Step {
    /// Short name.
    pub step: &'static str,
    /// The verdict.
    pub verdict: Verdict,
    /// What was found.
    pub detail: String,
    /// What to do, for a failure or a warning.
    pub fix: Option<String>,
    /// The exit code a failure here gives.
    #[serde(skip)]
    code: i32,
}

#[derive(Default)]
struct Checklist {
    steps: Vec<Step>,
}

impl Checklist {
    fn add(
        &mut self,
        step: &'static str,
        verdict: Verdict,
        detail: impl Into<String>,
        fix: Option<String>,
        code: i32,
    ) {
        self.steps.push(Step {
            step,
            verdict,
            detail: detail.into(),
            fix,
            code,
        });
    }
    fn pass(&mut self, step: &'static str, detail: impl Into<String>) {
        self.add(step, Verdict::Pass, detail, None, exit::OK);
    }
    fn warn(&mut self, step: &'static str, detail: impl Into<String>, fix: impl Into<String>) {
        self.add(step, Verdict::Warn, detail, Some(fix.into()), exit::OK);
    }
    fn fail(
        &mut self,
        step: &'static str,
        detail: impl Into<String>,
        fix: impl Into<String>,
        code: i32,
    ) {
        self.add(step, Verdict::Fail, detail, Some(fix.into()), code);
    }
    fn skip(&mut self, step: &'static str, detail: impl Into<String>) {
        self.add(step, Verdict::Skip, detail, None, exit::OK);
    }
    fn failed(&self, step: &str) -> bool {
        self.steps
            .iter()
            .any(|s| s.step == step && s.verdict == Verdict::Fail)
    }
}

#[derive(Serialize)]
struct Report<'a> {
    target: String,
    steps: &'a [Step],
    verdict: String,
    exit_code: i32,
}

/// `l610 diagnose`. Exit 0 when no step failed, else the code of the first failure.
pub fn run(
    args: &DiagnoseArgs,
    open: impl FnOnce() -> Outcome<Session>,
    out: &mut Out,
) -> Outcome<i32> {
    let (host, port) = parse_target(&args.target)?;
    let files = Files::read(&args.files)?;
    let mut list = Checklist::default();
    match open() {
        Ok(session) => {
            list.pass("port", format!("{} answers AT", session.port));
            check_module(
                &session.modem,
                &host,
                port,
                &files,
                args.files.sync_clock,
                &mut list,
            );
        }
        Err(f) => {
            let fix = match f.code {
                exit::TIMEOUT => "check the port (`l610 ports`), --baud, the module's power, and that no other program holds the port",
                _ => "check the path (`l610 ports`) and the permissions (group dialout)",
            };
            list.fail("port", f.message, fix, f.code);
        }
    }
    let first = list.steps.iter().find(|s| s.verdict == Verdict::Fail);
    let code = first.map_or(exit::OK, |s| s.code);
    let verdict = match first {
        None => {
            let warned: Vec<&str> = list
                .steps
                .iter()
                .filter(|s| s.verdict == Verdict::Warn)
                .map(|s| s.step)
                .collect();
            if warned.is_empty() {
                format!("the module can reach {host}:{port} over TLS")
            } else {
                format!(
                    "the module can reach {host}:{port} over TLS, with warnings ({}): see their fixes above",
                    warned.join(", ")
                )
            }
        }
        Some(s) => {
            let n = list
                .steps
                .iter()
                .filter(|s| s.verdict == Verdict::Fail)
                .count();
            format!(
                "{n} problem(s); start with `{}`: {}",
                s.step,
                s.fix.as_deref().unwrap_or("see above")
            )
        }
    };
    if out.json {
        out.json(&Report {
            target: format!("{host}:{port}"),
            steps: &list.steps,
            verdict,
            exit_code: code,
        })?;
        return Ok(code);
    }
    let w = list.steps.iter().map(|s| s.step.len()).max().unwrap_or(0);
    for s in &list.steps {
        let mark = match s.verdict {
            Verdict::Pass => " ok ",
            Verdict::Warn => "warn",
            Verdict::Fail => "FAIL",
            Verdict::Skip => "skip",
        };
        out.line(&format!("[{mark}] {:<w$}  {}", s.step, s.detail));
        if let Some(fix) = &s.fix {
            out.line(&format!("       {:<w$}  fix: {fix}", ""));
        }
    }
    out.line("");
    out.line(&format!("verdict: {verdict}"));
    Ok(code)
}

fn check_module(
    m: &Modem,
    host: &str,
    port: u16,
    files: &Files,
    sync_clock: bool,
    list: &mut Checklist,
) {
    const M: i32 = exit::MODULE;
    const T: i32 = exit::TLS;

    // SIM
    match network::sim(m) {
        network::Field::Value(s) if s.ready => list.pass("SIM", "ready"),
        network::Field::Value(s) => list.fail(
            "SIM",
            format!("not ready: {}", s.status),
            "enter the PIN (`l610 at 'AT+CPIN=\"1234\"'`) or check the SIM card",
            M,
        ),
        network::Field::Error { error } => list.fail(
            "SIM",
            format!("AT+CPIN? failed: {error}"),
            "check that a SIM card is inserted, contacts clean, then power-cycle the module",
            M,
        ),
    }

    // Registration: LTE (EPS) first, then GPRS.
    let regs: Vec<_> = [RegistrationDomain::Eps, RegistrationDomain::Gprs]
        .into_iter()
        .map(|d| network::registration(m, d))
        .collect();
    let registered = regs.iter().filter_map(|r| r.value()).find(|r| r.registered);
    match registered {
        Some(r) => list.pass(
            "registration",
            format!("{} on {}", r.status, r.domain.to_uppercase()),
        ),
        None => {
            let shown = regs
                .iter()
                .map(|r| {
                    r.show(|r| format!("{} {} ({})", r.domain.to_uppercase(), r.status, r.code))
                })
                .collect::<Vec<_>>()
                .join(", ");
            let denied = regs.iter().filter_map(|r| r.value()).any(|r| r.code == 3);
            list.fail(
                "registration",
                format!("not registered: {shown}"),
                if denied {
                    "the network refused the SIM: check the subscription with the operator"
                } else {
                    "wait for the network (check the antenna and coverage; `l610 info` shows the signal)"
                },
                M,
            );
        }
    }

    // Signal
    match network::signal(m) {
        network::Field::Value(s) => match s.dbm {
            Some(d) if d < -105 => list.warn(
                "signal",
                format!("{d} dBm: weak"),
                "improve the antenna or its placement; handshakes may time out",
            ),
            Some(d) => list.pass("signal", format!("{d} dBm")),
            None => list.fail(
                "signal",
                "unknown (+CSQ: 99): no signal",
                "connect the antenna; check coverage",
                M,
            ),
        },
        e => list.fail("signal", e.show(|_| String::new()), "check the module", M),
    }

    // PDP
    let pdp_ok = match m.pdp_status() {
        Ok(PdpStatus::Active(ip)) => {
            list.pass("PDP", format!("active, IP {ip}"));
            true
        }
        _ => match m.activate_pdp(&PdpConfig::default()) {
            Ok(ip) => {
                list.pass("PDP", format!("activated now, IP {ip}"));
                true
            }
            Err(e) => {
                list.fail(
                    "PDP",
                    format!("activation failed: {e}"),
                    "check the APN: `l610 pdp up --apn NAME` (ask the operator for it)",
                    exit::code_of(&e).max(M),
                );
                false
            }
        },
    };

    // DNS
    if host.parse::<IpAddr>().is_ok() {
        list.skip("DNS", format!("{host} is an address"));
    } else if !pdp_ok {
        list.skip("DNS", "needs the PDP context");
    } else {
        match m.resolve(host) {
            Ok(ips) if !ips.is_empty() => list.pass(
                "DNS",
                format!(
                    "{host} is {}",
                    ips.iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            Ok(_) | Err(_) => list.fail(
                "DNS",
                format!("the module cannot resolve {host}"),
                "check the host name; the operator's DNS may not know it",
                M,
            ),
        }
    }

    // Module clock
    if sync_clock {
        if let Err(e) = m.set_clock_from_host() {
            list.fail(
                "clock",
                format!("setting it failed: {e}"),
                "check the module",
                M,
            );
        }
    }
    let clock = m.clock().ok();
    let host_now = crate::info::host_now();
    match &clock {
        Some(c) => {
            let off = c.to_unix() - host_now.to_unix();
            if off.abs() > 86_400 {
                list.fail(
                    "clock",
                    format!("module clock {c} is {}", describe_offset(off)),
                    "run `l610 clock --sync` (or pass --sync-clock): certificates are checked against the module clock",
                    T,
                );
            } else {
                list.pass(
                    "clock",
                    format!(
                        "module clock {c}, {}{}",
                        describe_offset(off),
                        if sync_clock {
                            " (set from the host)"
                        } else {
                            ""
                        }
                    ),
                );
            }
        }
        None if !list.failed("clock") => {
            list.fail("clock", "AT+CCLK? failed", "check the module", M);
        }
        None => {}
    }

    // What the host sees of the server.
    let seen = probe::probe(host, port);

    // Certificate dates against the module clock.
    let mut certs: Vec<(String, X509)> = Vec::new();
    if let Ok(p) = &seen {
        certs.extend(
            p.chain
                .iter()
                .map(|c| ("server certificate".to_owned(), c.clone())),
        );
    }
    if let Some(ca) = &files.ca {
        certs.extend(
            ca.certificates()
                .into_iter()
                .map(|c| (ca.path.display().to_string(), c)),
        );
    }
    match (&clock, certs.is_empty()) {
        (None, _) => list.skip("certificate dates", "the module clock is unknown"),
        (Some(_), true) => list.skip(
            "certificate dates",
            "no certificate to check (give --ca; the host could not fetch the server's)",
        ),
        (Some(c), false) => {
            let at = Asn1Time::from_unix(c.to_unix()).ok();
            let now = Asn1Time::from_unix(host_now.to_unix()).ok();
            let outside: Vec<String> = certs
                .iter()
                .filter(|(_, x)| {
                    at.as_ref().is_some_and(|at| {
                        x.not_before() > at.as_ref() || x.not_after() < at.as_ref()
                    })
                })
                .map(|(what, x)| {
                    format!(
                        "{what} ({}, valid {} to {})",
                        subject(x),
                        x.not_before(),
                        x.not_after()
                    )
                })
                .collect();
            let expired_now = certs.iter().any(|(_, x)| {
                now.as_ref()
                    .is_some_and(|n| x.not_before() > n.as_ref() || x.not_after() < n.as_ref())
            });
            if outside.is_empty() {
                list.pass(
                    "certificate dates",
                    format!("{} certificate(s) valid at the module clock", certs.len()),
                );
            } else if expired_now {
                list.fail(
                    "certificate dates",
                    format!(
                        "not valid now, even by the host's clock: {}",
                        outside.join("; ")
                    ),
                    "renew the certificate on the server (or give the current CA)",
                    T,
                );
            } else {
                list.fail(
                    "certificate dates",
                    format!("not valid at the module clock {c}: {}", outside.join("; ")),
                    "run `l610 clock --sync` (or pass --sync-clock)",
                    T,
                );
            }
        }
    }

    // Verification mode and trust files (--ca loaded when the module holds none).
    let mut verify = m.verify_mode().ok();
    let mut counts = m.ssl_file_counts().ok();
    if let (Some(ca), Some(c)) = (&files.ca, counts) {
        if c.trust == 0 {
            match m.load_file(FileType::TrustFile, &ca.bytes) {
                Ok(now) => counts = Some(now),
                Err(e) => list.fail(
                    "trust files",
                    format!("loading {} failed: {e}", ca.path.display()),
                    "check the file",
                    M,
                ),
            }
        }
        if m.set_verify_mode(VerifyMode::Verify).is_ok() {
            verify = Some(VerifyMode::Verify);
        }
    }
    match (verify, counts) {
        (Some(VerifyMode::Verify), Some(c)) if c.trust == 0 => list.fail(
            "trust files",
            "verification is on and the module holds no trust file",
            "load the server's CA: `l610 cert load --trust CA.pem` (or pass --ca CA.pem)",
            T,
        ),
        (Some(VerifyMode::Verify), Some(c)) => {
            let signed = match (&files.ca, &seen) {
                (Some(ca), Ok(p)) if !p.chain.is_empty() => {
                    Some(signed_by(&p.chain, &ca.certificates()))
                }
                _ => None,
            };
            match signed {
                Some(Err(why)) => list.fail(
                    "trust files",
                    format!(
                        "the server's certificate ({}) does not verify against {}: {why}",
                        seen.as_ref().ok().and_then(|p| p.chain.first()).map(issuer).unwrap_or_default(),
                        files.ca.as_ref().map(|c| c.path.display().to_string()).unwrap_or_default()
                    ),
                    "give the CA that issued the server's certificate (its issuer is named above)",
                    T,
                ),
                Some(Ok(())) => list.pass(
                    "trust files",
                    format!("{} loaded; the server's chain verifies against {}", c.trust, files.ca.as_ref().map(|c| c.path.display().to_string()).unwrap_or_default()),
                ),
                None => list.pass("trust files", format!("{} TRUSTFILE loaded (whether it signed the server's certificate: give --ca to check)", c.trust)),
            }
        }
        (Some(VerifyMode::None), Some(c)) => list.skip(
            "trust files",
            format!("{} loaded; unused while verification is off", c.trust),
        ),
        _ => list.fail(
            "trust files",
            "AT+GTSSLMODE? / AT+GTSSLFILE? failed",
            "check the module",
            M,
        ),
    }
    match verify {
        Some(VerifyMode::Verify) => {
            list.pass("verification", "on: the server's certificate is checked")
        }
        Some(_) => list.warn(
            "verification",
            "off: any server is accepted, so anyone on the path can pose as it",
            "pass --ca CA.pem, or `l610 cert load --trust CA.pem` then `l610 tls set --verify on`",
        ),
        None => {}
    }

    // Versions and suites the server accepts, against the module's settings.
    check_versions(m, &seen, list);

    // The attempt through the module, with its +GTSSLERR.
    if !pdp_ok {
        list.skip("open", "needs the PDP context");
        list.skip("+GTSSLERR", "no attempt");
        return;
    }
    // check_clock off: the module's own answer (-11) is the evidence this step shows.
    let options = OpenOptions {
        check_clock: false,
        ..OpenOptions::default()
    };
    match m.open_socket(Protocol::Tls, host, port, &options) {
        Ok(s) => {
            list.pass(
                "open",
                format!("TLS handshake with {host}:{port} completed through the module"),
            );
            let _ = s.close();
            list.pass("+GTSSLERR", "0 (normal)");
        }
        Err(Error::Ssl { code, diagnosis }) => {
            list.fail(
                "open",
                format!(
                    "the handshake failed: +GTSSLERR: {} ({})",
                    code.code(),
                    code.meaning()
                ),
                "see +GTSSLERR below",
                T,
            );
            list.fail(
                "+GTSSLERR",
                format!("{}: {diagnosis}", code.code()),
                ssl_fix(code, &diagnosis),
                T,
            );
        }
        Err(e) => {
            let code = exit::code_of(&e);
            list.fail(
                "open",
                format!("{e}"),
                "check the host and port, and that the server is up and reachable from the operator's network",
                code,
            );
            match m.ssl_error() {
                Ok(SslErrorCode::Normal) | Err(_) => {
                    list.skip("+GTSSLERR", "no SSL error reported")
                }
                Ok(c) => list.fail(
                    "+GTSSLERR",
                    format!("{} ({})", c.code(), c.meaning()),
                    ssl_fix(c, ""),
                    T,
                ),
            }
        }
    }
}

/// What to do about a `+GTSSLERR`, in CLI terms.
fn ssl_fix(code: SslErrorCode, diagnosis: &str) -> String {
    match code.code() {
        -11 if diagnosis.contains("clock") && !diagnosis.contains("close to") => {
            "run `l610 clock --sync` (or pass --sync-clock), then try again".into()
        }
        -11 if diagnosis.contains("no trust file") => "load the CA: `l610 cert load --trust CA.pem` (or --ca CA.pem)".into(),
        -11 => "load the CA that issued the server's certificate (`l610 cert load --trust CA.pem`); if the module holds a wrong one, power-cycle it first".into(),
        -7 => "set a version and suites the server accepts (see the versions and suites steps): `l610 tls set --version 1.2 --ciphers default`".into(),
        -8 => "the server does not answer the handshake: is HOST:PORT a TLS port (try --tcp with `l610 connect`)?".into(),
        -9 => "the server closed the connection: if it wants a client certificate, pass --cert CERT.pem --key KEY.pem".into(),
        -6..=-4 => "nothing answers at HOST:PORT from the module's network: check the address, the port and the server's firewall".into(),
        -17 | -18 => "the client certificate or key on the module is unusable: power-cycle the module and load a matching pair (--cert, --key)".into(),
        -19 => "a trust file on the module is unusable: power-cycle the module and load the CA again".into(),
        _ => "see the manual's +GTSSLERR table (docs/AT-REFERENCE.md)".into(),
    }
}

fn check_versions(m: &Modem, seen: &Result<ServerProbe, String>, list: &mut Checklist) {
    let p = match seen {
        Ok(p) => p,
        Err(why) => {
            list.skip(
                "TLS version",
                format!("the host cannot reach the server itself ({why}); the module may"),
            );
            list.skip("cipher suites", "not checked from the host");
            return;
        }
    };
    let accepted: Vec<SslVersion> = p
        .versions
        .iter()
        .filter(|(_, ok)| *ok)
        .map(|(v, _)| *v)
        .collect();
    let names = |v: &[SslVersion]| {
        v.iter()
            .map(|v| version_name(*v))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match m.ssl_version() {
        Ok(v) => {
            let fits = match v {
                SslVersion::Unspecified => !accepted.is_empty(),
                other => accepted.contains(&other),
            };
            if fits {
                list.pass(
                    "TLS version",
                    format!(
                        "module {}; the server accepts {}",
                        version_name(v),
                        names(&accepted)
                    ),
                );
            } else {
                let best = accepted.last().copied().unwrap_or(SslVersion::Tls1_2);
                list.fail(
                    "TLS version",
                    format!(
                        "module set to {}; the server accepts only {}",
                        version_name(v),
                        names(&accepted)
                    ),
                    format!("`l610 tls set --version {}`", short_version(best)),
                    exit::TLS,
                );
            }
        }
        Err(e) => list.fail(
            "TLS version",
            format!("AT+GTSSLVER? failed: {e}"),
            "check the module",
            exit::MODULE,
        ),
    }
    let server_ok: Vec<CipherSuite> = p
        .suites
        .iter()
        .filter(|(_, ok)| *ok)
        .map(|(s, _)| *s)
        .collect();
    match m.enabled_ciphers() {
        Ok(enabled) if enabled.is_empty() => {
            if server_ok.is_empty() {
                list.warn("cipher suites", "the server accepts none of the module's suites over TLS 1.2", "the server needs suites the L610 lacks (TLS 1.3 only?); change the server's configuration");
            } else {
                list.pass(
                    "cipher suites",
                    format!(
                        "module defaults; the server accepts {} of the module's suites",
                        server_ok.len()
                    ),
                );
            }
        }
        Ok(enabled) => {
            let common: Vec<&CipherSuite> =
                enabled.iter().filter(|s| server_ok.contains(s)).collect();
            if common.is_empty() {
                let offer = server_ok
                    .iter()
                    .take(3)
                    .filter_map(|s| s.openssl_name())
                    .collect::<Vec<_>>()
                    .join(",");
                list.fail(
                    "cipher suites",
                    format!(
                        "none of the {} enabled suites is accepted by the server",
                        enabled.len()
                    ),
                    if offer.is_empty() {
                        "`l610 tls set --ciphers default`".to_owned()
                    } else {
                        format!("`l610 tls set --ciphers {offer}` (or `--ciphers default`)")
                    },
                    exit::TLS,
                );
            } else {
                list.pass(
                    "cipher suites",
                    format!(
                        "{} of the {} enabled suites accepted, e.g. {}",
                        common.len(),
                        enabled.len(),
                        common[0].name()
                    ),
                );
            }
        }
        Err(e) => list.fail(
            "cipher suites",
            format!("AT+GTSSLCIPHER? failed: {e}"),
            "check the module",
            exit::MODULE,
        ),
    }
}

fn short_version(v: SslVersion) -> &'static str {
    match v {
        SslVersion::Tls1_0 => "1.0",
        SslVersion::Tls1_1 => "1.1",
        _ => "1.2",
    }
}

fn subject(x: &X509) -> String {
    name(x.subject_name())
}

fn issuer(x: &X509) -> String {
    format!("issued by {}", name(x.issuer_name()))
}

fn name(n: &openssl::x509::X509NameRef) -> String {
    n.entries()
        .filter_map(|e| {
            Some(format!(
                "{}={}",
                e.object().nid().short_name().ok()?,
                String::from_utf8_lossy(e.data().as_slice())
            ))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Does `chain` (leaf first) verify against `cas`, dates aside (they are their own step)?
fn signed_by(chain: &[X509], cas: &[X509]) -> Result<(), String> {
    let mut store = X509StoreBuilder::new().map_err(|e| e.to_string())?;
    for ca in cas {
        store.add_cert(ca.clone()).map_err(|e| e.to_string())?;
    }
    store
        .set_flags(openssl::x509::verify::X509VerifyFlags::NO_CHECK_TIME)
        .map_err(|e| e.to_string())?;
    let store = store.build();
    let mut rest = openssl::stack::Stack::new().map_err(|e| e.to_string())?;
    for c in chain.iter().skip(1) {
        rest.push(c.clone()).map_err(|e| e.to_string())?;
    }
    let leaf = chain.first().ok_or("no certificate")?;
    let mut ctx = X509StoreContext::new().map_err(|e| e.to_string())?;
    let (ok, err) = ctx
        .init(&store, leaf, &rest, |c| Ok((c.verify_cert()?, c.error())))
        .map_err(|e| e.to_string())?;
    if ok {
        Ok(())
    } else {
        Err(err.error_string().to_owned())
    }
}
