//! `l610 connect HOST:PORT`: `openssl s_client` through the module. stdin goes to the
//! connection, the connection to stdout; what the tool has to say goes to stderr.

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use l610::{
    Error, FileType, Modem, OpenOptions, PdpConfig, PdpStatus, Protocol, Socket, VerifyMode,
};
use serde::Serialize;

use crate::args::{ConnectArgs, TlsFiles};
use crate::exit::{Failure, Outcome, TLS};
use crate::files::HostFile;
use crate::interrupt;
use crate::open::Session;
use crate::output::{note, Out};

/// `HOST:PORT` (`[v6]:PORT` too).
pub fn parse_target(s: &str) -> Outcome<(String, u16)> {
    let bad = || {
        Failure::usage(format!(
            "{s:?} is not HOST:PORT: give the server and its port, e.g. example.com:443 or \
             [2001:db8::1]:443"
        ))
    };
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, p) = rest.split_once("]:").ok_or_else(bad)?;
        (h, p)
    } else {
        s.rsplit_once(':').ok_or_else(bad)?
    };
    if host.is_empty() || host.contains(':') && !s.starts_with('[') {
        return Err(bad());
    }
    let port: u16 = port.parse().map_err(|_| bad())?;
    if port == 0 {
        return Err(Failure::usage(format!(
            "{s}: port 0 cannot be connected to"
        )));
    }
    Ok((host.to_owned(), port))
}

/// The files of `--ca`, `--cert`, `--key`, read and checked.
pub struct Files {
    /// `--ca`.
    pub ca: Option<HostFile>,
    /// `--cert` and `--key`.
    pub identity: Option<(HostFile, HostFile)>,
}

impl Files {
    /// Read and check them (before the module is opened).
    pub fn read(f: &TlsFiles) -> Outcome<Files> {
        Ok(Files {
            ca: f
                .ca
                .as_deref()
                .map(|p| HostFile::read(p, FileType::TrustFile))
                .transpose()?,
            identity: match (&f.cert, &f.key) {
                (Some(c), Some(k)) => Some((
                    HostFile::read(c, FileType::CertFile)?,
                    HostFile::read(k, FileType::KeyFile)?,
                )),
                _ => None,
            },
        })
    }
}

/// Bring the module to where it can open the connection: PDP up, the clock if asked, the files
/// (each loaded only when the module holds none of its kind: files cannot be deleted),
/// verification on with `--ca`. Says on stderr what it did.
pub fn prepare(m: &Modem, files: &Files, sync_clock: bool, tls: bool) -> Outcome {
    match m.pdp_status() {
        Ok(PdpStatus::Active(_)) => {}
        _ => {
            let ip = m
                .activate_pdp(&PdpConfig::default())
                .map_err(|e| Failure::driver("activating the PDP context (AT+MIPCALL=1)", e))?;
            note(&format!("PDP context activated, IP {ip}"));
        }
    }
    if sync_clock {
        let t = m
            .set_clock_from_host()
            .map_err(|e| Failure::driver("setting the clock (AT+CCLK=)", e))?;
        note(&format!("module clock set to {t}"));
    }
    if !tls {
        return Ok(());
    }
    let counts = m
        .ssl_file_counts()
        .map_err(|e| Failure::driver("reading the file counts (AT+GTSSLFILE?)", e))?;
    if let Some(ca) = &files.ca {
        if counts.trust == 0 {
            m.load_trust_file(&ca.bytes)
                .map_err(|e| Failure::driver(&format!("loading {}", ca.path.display()), e))?;
            note(&format!("loaded {} as TRUSTFILE", ca.path.display()));
        } else {
            note(&format!(
                "the module already holds {} trust file(s): {} not loaded (files cannot be \
                 deleted; power-cycle the module to replace them)",
                counts.trust,
                ca.path.display()
            ));
        }
        m.set_verify_mode(VerifyMode::Verify)
            .map_err(|e| Failure::driver("turning verification on (AT+GTSSLMODE=1)", e))?;
    }
    if let Some((cert, key)) = &files.identity {
        if counts.cert == 0 && counts.key == 0 {
            m.load_cert_file(&cert.bytes)
                .map_err(|e| Failure::driver(&format!("loading {}", cert.path.display()), e))?;
            m.load_key_file(&key.bytes)
                .map_err(|e| Failure::driver(&format!("loading {}", key.path.display()), e))?;
            note(&format!(
                "loaded {} as CERTFILE and {} as KEYFILE",
                cert.path.display(),
                key.path.display()
            ));
        } else {
            note("the module already holds a client certificate and key: --cert/--key not loaded");
        }
    }
    Ok(())
}

/// Open the connection, with the driver's diagnosis on failure.
pub fn open(m: &Modem, host: &str, port: u16, protocol: Protocol) -> Outcome<Socket> {
    m.open_socket(protocol, host, port, &OpenOptions::default())
        .map_err(|e| Failure::driver(&format!("connecting to {host}:{port}"), e))
}

#[derive(Serialize)]
struct HttpReply {
    status_line: String,
    status: Option<u16>,
    headers: Vec<(String, String)>,
    body_bytes: usize,
}

/// `l610 connect`.
pub fn run(
    args: &ConnectArgs,
    open_session: impl FnOnce() -> Outcome<Session>,
    out: &mut Out,
) -> Outcome {
    let (host, port) = parse_target(&args.target)?;
    if let Some(path) = &args.http {
        if !path.starts_with('/') || path.chars().any(|c| c.is_control() || c == ' ') {
            return Err(Failure::usage(format!(
                "--http {path:?}: give a path starting with /, without spaces, e.g. --http /index.html"
            )));
        }
    }
    if !(args.linger.is_finite() && (0.0..=3600.0).contains(&args.linger)) {
        return Err(Failure::usage("--linger: give seconds between 0 and 3600"));
    }
    let files = Files::read(&args.files)?;
    let session = open_session()?;
    let m = &session.modem;
    let protocol = if args.tcp {
        Protocol::Tcp
    } else {
        Protocol::Tls
    };
    prepare(m, &files, args.files.sync_clock, !args.tcp)?;
    let socket = open(m, &host, port, protocol)?;
    let verify = if args.tcp {
        "plain TCP".to_owned()
    } else {
        match m.verify_mode() {
            Ok(VerifyMode::Verify) => "TLS, server certificate verified".to_owned(),
            _ => "TLS, server certificate NOT verified (no --ca)".to_owned(),
        }
    };
    note(&format!(
        "connected to {host}:{port} through {} (socket {}, {verify})",
        session.port,
        socket.id()
    ));
    let socket = Arc::new(socket);
    let result = match &args.http {
        Some(path) => http(&socket, &host, path, out),
        None => pump(&socket, Duration::from_secs_f64(args.linger)),
    };
    // Closed on the module even after Ctrl-C (the call that was interrupted has been abandoned).
    let closed = interrupt::uncancelled(|| socket.close());
    if interrupt::requested() {
        note(if closed.is_ok() {
            "interrupted: connection closed"
        } else {
            "interrupted"
        });
        return Err(Failure {
            code: crate::exit::INTERRUPTED,
            message: "interrupted".into(),
        });
    }
    result?;
    closed.map_err(|e| Failure::driver("closing the connection", e))
}

fn http(socket: &Socket, host: &str, path: &str, out: &mut Out) -> Outcome {
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: l610/{}\r\nConnection: close\r\n\r\n",
        l610::VERSION
    );
    socket
        .send(request.as_bytes())
        .map_err(|e| Failure::driver("sending the request", e))?;
    let mut reply = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match socket.recv_timeout(&mut buf, Some(Duration::from_secs(30))) {
            Ok(0) => break,
            Ok(n) => reply.extend_from_slice(&buf[..n]),
            // A server that keeps the connection open after the whole reply is not an error
            // once the headers are in.
            Err(Error::Timeout { .. }) if find_end(&reply).is_some() => break,
            Err(e) => return Err(Failure::driver("reading the reply", e)),
        }
        if reply.len() > 16 << 20 {
            break;
        }
    }
    let Some(end) = find_end(&reply) else {
        return Err(Failure {
            code: TLS,
            message: format!(
                "the server's reply ({} bytes) holds no complete HTTP header: is it an HTTP server?",
                reply.len()
            ),
        });
    };
    let head = String::from_utf8_lossy(&reply[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default().to_owned();
    let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok());
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let r = HttpReply {
        status_line,
        status,
        headers,
        body_bytes: reply.len() - end - 4,
    };
    if out.json {
        return out.json(&r);
    }
    out.line(&r.status_line);
    for (k, v) in &r.headers {
        out.line(&format!("{k}: {v}"));
    }
    out.line("");
    out.line(&format!("({} bytes of body)", r.body_bytes));
    Ok(())
}

fn find_end(reply: &[u8]) -> Option<usize> {
    reply.windows(4).position(|w| w == b"\r\n\r\n")
}

/// stdin to the connection, the connection to stdout, until the peer closes, or stdin ends and
/// `linger` passes without data.
fn pump(socket: &Arc<Socket>, linger: Duration) -> Outcome {
    let stdin_done = Arc::new(AtomicBool::new(false));
    let send_error: Arc<std::sync::Mutex<Option<Error>>> = Arc::default();
    {
        let socket = socket.clone();
        let done = stdin_done.clone();
        let send_error = send_error.clone();
        // Left blocked on stdin when the peer closes first; the process ends without it.
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin();
            let mut buf = [0u8; 1400];
            loop {
                match stdin.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if let Err(e) = socket.send(&buf[..n]) {
                            *send_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                            break;
                        }
                    }
                }
            }
            done.store(true, Ordering::SeqCst);
        });
    }
    let mut stdout = std::io::stdout();
    let mut buf = [0u8; 4096];
    let mut quiet_since: Option<Instant> = None;
    loop {
        if let Some(e) = send_error.lock().unwrap_or_else(|p| p.into_inner()).take() {
            return Err(Failure::driver("sending", e));
        }
        match socket.recv_timeout(&mut buf, Some(Duration::from_millis(100))) {
            Ok(0) => {
                note("connection closed by the server");
                return Ok(());
            }
            Err(Error::Cancelled) => return Ok(()),
            Ok(n) => {
                quiet_since = None;
                if stdout
                    .write_all(&buf[..n])
                    .and_then(|_| stdout.flush())
                    .is_err()
                {
                    break;
                }
            }
            Err(Error::Timeout { .. }) => {
                if stdin_done.load(Ordering::SeqCst) {
                    let since = *quiet_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= linger {
                        break;
                    }
                }
            }
            Err(e) => return Err(Failure::driver("receiving", e)),
        }
    }
    note("closing the connection");
    Ok(())
}
