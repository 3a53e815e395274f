//! The TLS client side of `+MIPOPEN=...,2`, built on OpenSSL and configured from the
//! `+GTSSL*` settings, with OpenSSL's failures mapped onto the module's `+GTSSLERR` codes.

use std::io;
use std::net::TcpStream;

use openssl::error::ErrorStack;
use openssl::pkey::PKey;
use openssl::ssl::{ErrorCode, HandshakeError, Ssl, SslContext, SslMethod, SslStream};
use openssl::ssl::{SslVerifyMode, SslVersion};
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::{X509VerifyResult, X509};

/// `+GTSSLERR` codes the virtual module produces.
pub(crate) mod code {
    pub(crate) const CONNECT: i32 = -4;
    pub(crate) const PROTOCOL: i32 = -7;
    pub(crate) const NO_ANSWER: i32 = -8;
    pub(crate) const CLOSED_BY_SERVER: i32 = -9;
    pub(crate) const UNKNOWN: i32 = -10;
    pub(crate) const VERIFY: i32 = -11;
    pub(crate) const CERTFILE: i32 = -17;
    pub(crate) const KEYFILE: i32 = -18;
    pub(crate) const TRUSTFILE: i32 = -19;
}

/// `+GTSSLCIPHER` ids and their OpenSSL names. 17, 18 and 19 (CAMELLIA-GCM) have no OpenSSL
/// equivalent, so the module refuses to enable them rather than pretend.
pub(crate) const CIPHERS: [(u8, &str); 28] = [
    (1, "ECDHE-RSA-CHACHA20-POLY1305"),
    (2, "ECDHE-ECDSA-CHACHA20-POLY1305"),
    (3, "DHE-RSA-CHACHA20-POLY1305"),
    (4, "ECDHE-ECDSA-AES256-GCM-SHA384"),
    (5, "ECDHE-RSA-AES256-GCM-SHA384"),
    (6, "DHE-RSA-AES256-GCM-SHA384"),
    (7, "ECDHE-ECDSA-AES256-CCM"),
    (8, "DHE-RSA-AES256-CCM"),
    (9, "ECDHE-ECDSA-AES256-SHA384"),
    (10, "ECDHE-RSA-AES256-SHA384"),
    (11, "DHE-RSA-AES256-SHA256"),
    (12, "ECDHE-ECDSA-AES256-SHA"),
    (13, "ECDHE-RSA-AES256-SHA"),
    (14, "DHE-RSA-AES256-SHA"),
    (15, "ECDHE-ECDSA-AES256-CCM8"),
    (16, "DHE-RSA-AES256-CCM8"),
    (20, "ECDHE-ECDSA-CAMELLIA256-SHA384"),
    (21, "ECDHE-RSA-CAMELLIA256-SHA384"),
    (22, "DHE-RSA-CAMELLIA256-SHA256"),
    (23, "DHE-RSA-CAMELLIA256-SHA"),
    (24, "ECDHE-ECDSA-AES128-GCM-SHA256"),
    (25, "ECDHE-RSA-AES128-GCM-SHA256"),
    (26, "DHE-RSA-AES128-GCM-SHA256"),
    (27, "ECDHE-ECDSA-AES128-CCM"),
    (28, "DHE-RSA-AES128-CCM"),
    (29, "ECDHE-ECDSA-AES128-SHA256"),
    (30, "ECDHE-RSA-AES128-SHA256"),
    (31, "DHE-RSA-AES128-SHA256"),
];

pub(crate) fn cipher_supported(id: u8) -> bool {
    CIPHERS.iter().any(|&(i, _)| i == id)
}

/// A snapshot of the `+GTSSL*` settings and the clock, taken when `+MIPOPEN` is accepted.
#[derive(Clone)]
pub(crate) struct TlsSettings {
    pub(crate) verify: u8,
    pub(crate) version: u8,
    pub(crate) ciphers: Vec<u8>,
    pub(crate) cert: Option<Vec<u8>>,
    pub(crate) key: Option<Vec<u8>>,
    pub(crate) trust: Vec<Vec<u8>>,
    pub(crate) clock_unix: i64,
}

/// Checks that need no network come first, as the module would refuse before dialling.
pub(crate) fn context(s: &TlsSettings) -> Result<SslContext, i32> {
    let setup = |_: ErrorStack| code::UNKNOWN;
    let mut ctx = SslContext::builder(SslMethod::tls_client()).map_err(setup)?;
    let (min, max) = match s.version {
        0 => (SslVersion::TLS1, SslVersion::TLS1_2),
        // SSL 3.0 is gone from OpenSSL 3: the handshake cannot happen.
        1 => return Err(code::PROTOCOL),
        2 => (SslVersion::TLS1, SslVersion::TLS1),
        3 => (SslVersion::TLS1_1, SslVersion::TLS1_1),
        _ => (SslVersion::TLS1_2, SslVersion::TLS1_2),
    };
    ctx.set_min_proto_version(Some(min)).map_err(setup)?;
    ctx.set_max_proto_version(Some(max)).map_err(setup)?;
    let names: Vec<&str> = CIPHERS
        .iter()
        .filter(|(id, _)| s.ciphers.is_empty() || s.ciphers.contains(id))
        .map(|&(_, name)| name)
        .collect();
    // OpenSSL 3 only offers TLS 1.0/1.1 and SHA-1 suites at security level 0.
    ctx.set_cipher_list(&format!("{}:@SECLEVEL=0", names.join(":")))
        .map_err(|_| code::PROTOCOL)?;

    match (&s.cert, &s.key) {
        (Some(cert), Some(key)) => {
            let cert = X509::from_pem(cert).map_err(|_| code::CERTFILE)?;
            let key = PKey::private_key_from_pem(key).map_err(|_| code::KEYFILE)?;
            ctx.set_certificate(&cert).map_err(|_| code::CERTFILE)?;
            ctx.set_private_key(&key).map_err(|_| code::KEYFILE)?;
            ctx.check_private_key().map_err(|_| code::KEYFILE)?;
        }
        (Some(cert), None) => {
            X509::from_pem(cert).map_err(|_| code::CERTFILE)?;
        }
        (None, Some(key)) => {
            PKey::private_key_from_pem(key).map_err(|_| code::KEYFILE)?;
        }
        (None, None) => {}
    }

    if s.verify == 1 {
        if s.trust.is_empty() {
            return Err(code::VERIFY);
        }
        // Trust files are only read when verifying: an unreadable one (a bare base64 body
        // without PEM lines) fails verified opens with -19 and leaves the others alone.
        let mut store = X509StoreBuilder::new().map_err(setup)?;
        for pem in &s.trust {
            // OpenSSL finds no certificate (rather than an error) in text without PEM lines.
            let certs = X509::stack_from_pem(pem)
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or(code::TRUSTFILE)?;
            for cert in certs {
                // The same CA twice is legal on the module (it counts 2); OpenSSL refuses
                // duplicates, which changes nothing.
                let _ = store.add_cert(cert);
            }
        }
        ctx.set_verify(SslVerifyMode::PEER);
        ctx.set_cert_store(store.build());
        // The module checks validity dates against its own clock, not the host's.
        ctx.verify_param_mut().set_time(s.clock_unix as _);
        // No host name check: the manual only describes a chain and date check, and
        // `+MIPOPEN` often gets an IP address.
    } else {
        ctx.set_verify(SslVerifyMode::NONE);
    }
    Ok(ctx.build())
}

/// Runs the client handshake on a connected socket whose read/write timeouts bound it.
/// `verifying` tells whether a failed chain check is the cause: with verification off,
/// OpenSSL still records the chain result but does not act on it.
pub(crate) fn handshake(
    ctx: &SslContext,
    tcp: TcpStream,
    verifying: bool,
) -> Result<SslStream<TcpStream>, i32> {
    let ssl = Ssl::new(ctx).map_err(|_| code::UNKNOWN)?;
    match ssl.connect(tcp) {
        Ok(stream) => Ok(stream),
        Err(HandshakeError::SetupFailure(_)) => Err(code::UNKNOWN),
        // Blocking socket with a timeout: WouldBlock means the timeout ran out.
        Err(HandshakeError::WouldBlock(_)) => Err(code::NO_ANSWER),
        Err(HandshakeError::Failure(mid)) => {
            if verifying && mid.ssl().verify_result() != X509VerifyResult::OK {
                return Err(code::VERIFY);
            }
            let err = mid.error();
            Err(match err.code() {
                ErrorCode::ZERO_RETURN => code::CLOSED_BY_SERVER,
                ErrorCode::SYSCALL => match err.io_error().map(io::Error::kind) {
                    None => code::CLOSED_BY_SERVER,
                    Some(io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => code::NO_ANSWER,
                    Some(io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe) => {
                        code::CLOSED_BY_SERVER
                    }
                    Some(_) => code::UNKNOWN,
                },
                ErrorCode::SSL => {
                    // OpenSSL 3 reports a server that hangs up mid-handshake as an SSL error
                    // ("unexpected eof while reading"); on the module that is -9. A server
                    // that demands a client certificate we do not have answers with an alert,
                    // which is -7 like any other handshake alert.
                    let text = format!("{err}");
                    if text.contains("unexpected eof") {
                        code::CLOSED_BY_SERVER
                    } else {
                        code::PROTOCOL
                    }
                }
                ErrorCode::WANT_READ | ErrorCode::WANT_WRITE => code::NO_ANSWER,
                _ => code::UNKNOWN,
            })
        }
    }
}
