//! Certificates made with the openssl crate, `openssl s_server` on 127.0.0.1, and the `l610`
//! binary run as a user would run it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::extension::{BasicConstraints, KeyUsage, SubjectAlternativeName};
use openssl::x509::{X509Name, X509};

/// `l610` with a generous timeout: a hung verb fails the test instead of hanging it.
pub fn l610() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("l610").unwrap();
    c.timeout(Duration::from_secs(120));
    c.env_remove("L610_PORT");
    c
}

/// stdout of a finished command as JSON.
pub fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn name(cn: &str) -> X509Name {
    let mut n = X509Name::builder().unwrap();
    n.append_entry_by_nid(Nid::COMMONNAME, cn).unwrap();
    n.build()
}

fn sign(cn: &str, key: &PKey<Private>, issuer: Option<(&X509, &PKey<Private>)>, ca: bool) -> X509 {
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    let mut bn = BigNum::new().unwrap();
    bn.rand(64, MsbOption::MAYBE_ZERO, false).unwrap();
    b.set_serial_number(&bn.to_asn1_integer().unwrap()).unwrap();
    b.set_subject_name(&name(cn)).unwrap();
    b.set_issuer_name(issuer.map_or(&name(cn), |(c, _)| c.subject_name()))
        .unwrap();
    b.set_pubkey(key).unwrap();
    // From yesterday for a year: valid at the host's clock, not at an unset module's (2015).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    b.set_not_before(&Asn1Time::from_unix(now - 86_400).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(365).unwrap())
        .unwrap();
    if ca {
        b.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
            .unwrap();
        b.append_extension(KeyUsage::new().key_cert_sign().crl_sign().build().unwrap())
            .unwrap();
    } else {
        let ctx = b.x509v3_context(issuer.map(|(c, _)| c.as_ref()), None);
        let san = SubjectAlternativeName::new()
            .dns("localhost")
            .ip("127.0.0.1")
            .build(&ctx)
            .unwrap();
        b.append_extension(san).unwrap();
    }
    b.sign(issuer.map_or(key, |(_, k)| k), MessageDigest::sha256())
        .unwrap();
    b.build()
}

pub fn ec() -> PKey<Private> {
    PKey::from_ec_key(
        EcKey::generate(&EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap()).unwrap(),
    )
    .unwrap()
}

/// A CA, a server certificate and a client certificate, as files in a temp dir.
pub struct Pki {
    pub dir: PathBuf,
}

impl Pki {
    pub fn new(tag: &str) -> Pki {
        let dir = std::env::temp_dir().join(format!("l610-cli-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca_key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let ca = sign("l610 test CA", &ca_key, None, true);
        let server_key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let server = sign("localhost", &server_key, Some((&ca, &ca_key)), false);
        let client_key = ec();
        let client = sign("l610 client", &client_key, Some((&ca, &ca_key)), false);
        let other_key = ec();
        let other = sign("some other CA", &other_key, None, true);
        let w = |n: &str, b: &[u8]| std::fs::write(dir.join(n), b).unwrap();
        w("ca.pem", &ca.to_pem().unwrap());
        w("ca.der", &ca.to_der().unwrap());
        w("other-ca.pem", &other.to_pem().unwrap());
        w("server.pem", &server.to_pem().unwrap());
        w(
            "server.key",
            &server_key.private_key_to_pem_pkcs8().unwrap(),
        );
        w("client.pem", &client.to_pem().unwrap());
        w(
            "client.key",
            &client_key.private_key_to_pem_pkcs8().unwrap(),
        );
        w("client.der.key", &client_key.private_key_to_der().unwrap());
        w("notes.txt", b"this is not a certificate\n");
        Pki { dir }
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_owned()
    }

    /// `n` distinct self-signed CA certificates (EC, cheap), as files.
    pub fn many_cas(&self, n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                let k = ec();
                let c = sign(&format!("CA {i}"), &k, None, true);
                let p = self.dir.join(format!("many-{i}.pem"));
                std::fs::write(&p, c.to_pem().unwrap()).unwrap();
                p.to_str().unwrap().to_owned()
            })
            .collect()
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `openssl s_server` on 127.0.0.1, killed on drop.
pub struct Server {
    pub port: u16,
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Server {
    /// With the PKI's server certificate and `extra` options (`-www` answers HTTP GETs and
    /// closes the connection).
    pub fn start(pki: &Pki, extra: &[&str]) -> Server {
        let port = free_port();
        let mut args: Vec<String> = vec![
            "s_server".into(),
            "-accept".into(),
            format!("127.0.0.1:{port}"),
            "-cert".into(),
            pki.path("server.pem"),
            "-key".into(),
            pki.path("server.key"),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        if !extra.iter().any(|a| a.starts_with("-cipher")) {
            args.extend(["-cipher".into(), "ALL:@SECLEVEL=0".into()]);
        }
        let mut child = Command::new("openssl")
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("openssl s_server");
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let out = output.clone();
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if line.contains("ACCEPT") {
                        let _ = tx.send(());
                    }
                    let mut o = out.lock().unwrap();
                    o.push_str(&line);
                    o.push('\n');
                }
            });
        }
        rx.recv_timeout(Duration::from_secs(10))
            .expect("s_server did not start");
        Server {
            port,
            child,
            output,
        }
    }

    pub fn target(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `l610 sim` as a separate process (the virtual module on a pty, as `l610-sim` runs it); its
/// pty path read from its first line. Killed on drop.
pub struct SimProcess {
    child: Child,
    pub pty: String,
}

impl SimProcess {
    pub fn start(args: &[&str]) -> SimProcess {
        let bin = assert_cmd::cargo::cargo_bin("l610");
        let mut child = Command::new(bin)
            .arg("sim")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let pty = line
            .strip_prefix("pty: ")
            .unwrap_or_else(|| panic!("first line {line:?}"))
            .trim()
            .to_owned();
        assert!(Path::new(&pty).exists(), "{pty}");
        SimProcess { child, pty }
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
