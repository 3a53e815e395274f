//! What `diagnose` learns about the server from this host, with OpenSSL: its certificate chain
//! and which TLS versions and module cipher suites it accepts. The module itself cannot tell (it
//! reports only `+GTSSLERR`), so this is the way to say *which* setting to change. The host may
//! not reach the server (the module's network is the operator's): then these checks are skipped.

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use l610::{CipherSuite, SslVersion};
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode, SslVersion as OsslVersion};
use openssl::x509::X509;

/// How long one probe handshake may take.
const WAIT: Duration = Duration::from_secs(5);

/// What the host saw.
pub struct ServerProbe {
    /// The chain the server sent (leaf first); empty when unreachable.
    pub chain: Vec<X509>,
    /// Each version the module can be set to, and whether the server accepted it.
    pub versions: Vec<(SslVersion, bool)>,
    /// Each module suite OpenSSL has, and whether the server accepted it (TLS 1.2).
    pub suites: Vec<(CipherSuite, bool)>,
}

/// One handshake, at exactly `version`, offering `ciphers` (an OpenSSL cipher string).
fn handshake(
    host: &str,
    port: u16,
    version: OsslVersion,
    ciphers: &str,
) -> Result<Vec<X509>, String> {
    let addr = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("{host} has no address"))?;
    let tcp = TcpStream::connect_timeout(&addr, WAIT).map_err(|e| format!("{addr}: {e}"))?;
    tcp.set_read_timeout(Some(WAIT))
        .map_err(|e| e.to_string())?;
    tcp.set_write_timeout(Some(WAIT))
        .map_err(|e| e.to_string())?;
    let mut b = SslConnector::builder(SslMethod::tls_client()).map_err(|e| e.to_string())?;
    // A probe must be able to speak what the module speaks, however old.
    b.set_security_level(0);
    b.set_min_proto_version(Some(version))
        .map_err(|e| e.to_string())?;
    b.set_max_proto_version(Some(version))
        .map_err(|e| e.to_string())?;
    b.set_cipher_list(ciphers).map_err(|e| e.to_string())?;
    b.set_verify(SslVerifyMode::NONE);
    let connector = b.build();
    let mut config = connector.configure().map_err(|e| e.to_string())?;
    config.set_verify_hostname(false);
    let stream = config.connect(host, tcp).map_err(|e| e.to_string())?;
    let chain = stream
        .ssl()
        .peer_cert_chain()
        .map(|c| c.iter().map(|x| x.to_owned()).collect())
        .unwrap_or_default();
    Ok(chain)
}

/// Probe the server. `Err` when the host cannot reach it over TLS at all.
pub fn probe(host: &str, port: u16) -> Result<ServerProbe, String> {
    let versions = [
        (SslVersion::Tls1_0, OsslVersion::TLS1),
        (SslVersion::Tls1_1, OsslVersion::TLS1_1),
        (SslVersion::Tls1_2, OsslVersion::TLS1_2),
    ];
    let mut chain = Vec::new();
    let mut accepted = Vec::new();
    let mut last_err = String::new();
    for (v, o) in versions {
        match handshake(host, port, o, "ALL:@SECLEVEL=0") {
            Ok(c) => {
                if chain.is_empty() || v == SslVersion::Tls1_2 {
                    chain = c;
                }
                accepted.push((v, true));
            }
            Err(e) => {
                last_err = e;
                accepted.push((v, false));
            }
        }
    }
    if !accepted.iter().any(|(_, ok)| *ok) {
        return Err(last_err);
    }
    let suites = CipherSuite::ALL
        .iter()
        .filter_map(|s| Some((*s, s.openssl_name()?)))
        .map(|(s, name)| {
            let ok = handshake(
                host,
                port,
                OsslVersion::TLS1_2,
                &format!("{name}:@SECLEVEL=0"),
            )
            .is_ok();
            (s, ok)
        })
        .collect();
    Ok(ServerProbe {
        chain,
        versions: accepted,
        suites,
    })
}
