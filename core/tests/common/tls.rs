//! A test PKI (signed by `l610_sim::pki`, the one place that mints certificates), and `openssl
//! s_server` started on a free port. The CLI's tests include this file too.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use l610_sim::pki::{ec_key, issue, rsa_key, Role};
use openssl::pkey::{PKey, Private};
use openssl::x509::X509;

/// A CA and what it signed, written as PEM files into a temp dir.
pub struct Pki {
    pub dir: PathBuf,
    pub ca_pem: Vec<u8>,
    pub ca_der: Vec<u8>,
    pub client_cert_pem: Vec<u8>,
    pub client_key_pem: Vec<u8>,
    pub client_key_der: Vec<u8>,
}

const SERVER_NAMES: &[&str] = &["localhost", "127.0.0.1"];

/// One certificate, valid a year; the PKI's keys are made by the callers.
fn sign(
    cn: &str,
    key: &PKey<Private>,
    issuer: Option<(&X509, &PKey<Private>)>,
    role: Role<'_>,
) -> X509 {
    issue(cn, key, issuer, role, 365).unwrap()
}

fn rsa() -> PKey<Private> {
    rsa_key().unwrap()
}

fn ec() -> PKey<Private> {
    ec_key().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

impl Pki {
    /// A fresh CA with an RSA and an ECDSA server certificate and a client certificate; files
    /// `ca.pem`, `ca.der`, `other-ca.pem`, `server.pem`/`.key`, `server-ec.pem`/`.key`,
    /// `client.pem`, `client.key`, `client.der.key` and `notes.txt` (not a certificate).
    pub fn new(tag: &str) -> Pki {
        let dir = std::env::temp_dir().join(format!("l610-test-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca_key = rsa();
        let server_role = Role::Server(SERVER_NAMES);
        let ca = sign("l610 test CA", &ca_key, None, Role::Ca);
        let server_key = rsa();
        let server = sign("localhost", &server_key, Some((&ca, &ca_key)), server_role);
        let server_ec_key = ec();
        let server_ec = sign(
            "localhost",
            &server_ec_key,
            Some((&ca, &ca_key)),
            server_role,
        );
        let client_key = rsa();
        let client = sign(
            "l610 client",
            &client_key,
            Some((&ca, &ca_key)),
            Role::Client,
        );
        let other_ca_key = rsa();
        let other_ca = sign("some other CA", &other_ca_key, None, Role::Ca);
        let pki = Pki {
            dir,
            ca_pem: ca.to_pem().unwrap(),
            ca_der: ca.to_der().unwrap(),
            client_cert_pem: client.to_pem().unwrap(),
            client_key_pem: client_key.private_key_to_pem_pkcs8().unwrap(),
            client_key_der: client_key.private_key_to_der().unwrap(),
        };
        // Each encoded once: the files and the fields hold the same bytes.
        let files: [(&str, &[u8]); 11] = [
            ("ca.pem", &pki.ca_pem),
            ("ca.der", &pki.ca_der),
            ("client.pem", &pki.client_cert_pem),
            ("client.key", &pki.client_key_pem),
            ("client.der.key", &pki.client_key_der),
            ("notes.txt", b"this is not a certificate\n"),
            ("other-ca.pem", &other_ca.to_pem().unwrap()),
            ("server.pem", &server.to_pem().unwrap()),
            (
                "server.key",
                &server_key.private_key_to_pem_pkcs8().unwrap(),
            ),
            ("server-ec.pem", &server_ec.to_pem().unwrap()),
            (
                "server-ec.key",
                &server_ec_key.private_key_to_pem_pkcs8().unwrap(),
            ),
        ];
        for (name, bytes) in files {
            write(&pki.dir, name, bytes);
        }
        pki
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_owned()
    }

    pub fn other_ca_pem(&self) -> Vec<u8> {
        std::fs::read(self.dir.join("other-ca.pem")).unwrap()
    }

    /// `n` distinct self-signed CA certificates (EC, cheap), as files.
    pub fn many_cas(&self, n: usize) -> Vec<String> {
        (0..n)
            .map(|i| {
                let c = sign(&format!("CA {i}"), &ec(), None, Role::Ca);
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

/// `openssl s_server` on 127.0.0.1, killed on drop. Its output is collected for assertions.
pub struct Server {
    pub port: u16,
    child: Child,
    output: Arc<Mutex<String>>,
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    /// Start `openssl s_server` with the RSA and ECDSA server certificates and `extra` options.
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
            "-dcert".into(),
            pki.path("server-ec.pem"),
            "-dkey".into(),
            pki.path("server-ec.key"),
            "-CAfile".into(),
            pki.path("ca.pem"),
            "-ign_eof".into(),
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

    /// `127.0.0.1:<port>`.
    pub fn target(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Wait until the server's output contains `needle`.
    pub fn wait_for(&self, needle: &str, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            if self.output().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Type into the server's stdin (s_server sends it to the client).
    pub fn send(&mut self, text: &str) {
        use std::io::Write;
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
