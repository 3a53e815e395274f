//! The main job in one command: with no hardware, start the virtual L610 and a local TLS server
//! (`openssl s_server`), load a trust file, set the clock, connect with verification, send a
//! request, print the reply and a readable AT transcript.
//!
//! ```text
//! cargo run --example demo                         # virtual L610 + local openssl s_server
//! cargo run --example demo -- --port /dev/ttyUSB0 --host example.com --tls-port 443 --ca ca.pem
//! ```

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use l610::{Modem, PdpConfig, TlsProfile};

type BoxError = Box<dyn std::error::Error>;

struct Args {
    port: Option<String>,
    baud: u32,
    host: String,
    tls_port: u16,
    ca: Option<PathBuf>,
    path: String,
}

fn args() -> Result<Args, BoxError> {
    let mut a = Args {
        port: None,
        baud: 115200,
        host: "localhost".into(),
        tls_port: 0,
        ca: None,
        path: "/hello.txt".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => a.port = Some(value()?),
            "--baud" => a.baud = value()?.parse()?,
            "--host" => a.host = value()?,
            "--tls-port" => a.tls_port = value()?.parse()?,
            "--ca" => a.ca = Some(PathBuf::from(value()?)),
            "--path" => a.path = value()?,
            "-h" | "--help" => {
                println!("usage: demo [--port DEV --host H --tls-port N --ca CA.pem [--baud B] [--path /]]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    Ok(a)
}

/// A CA and a server certificate made with the openssl CLI, and `s_server -WWW` serving a file.
struct LocalServer {
    dir: PathBuf,
    port: u16,
    child: Child,
}

impl LocalServer {
    fn start() -> Result<LocalServer, BoxError> {
        let dir = std::env::temp_dir().join(format!("l610-demo-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let sh = |script: &str| -> Result<(), BoxError> {
            let ok = Command::new("sh")
                .arg("-c")
                .arg(script)
                .current_dir(&dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()?
                .success();
            if ok {
                Ok(())
            } else {
                Err(format!("failed: {script}").into())
            }
        };
        sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj '/CN=l610 demo CA'")?;
        sh("openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost'")?;
        sh("openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 30")?;
        std::fs::write(
            dir.join("hello.txt"),
            "Hello from openssl s_server, through the L610's TLS stack.\n",
        )?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new("openssl")
            .args([
                "s_server",
                "-quiet",
                "-WWW",
                "-accept",
                &format!("127.0.0.1:{port}"),
                "-cert",
                "server.pem",
                "-key",
                "server.key",
            ])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        // Wait until it listens (without connecting: that would be a request of its own).
        let needle = format!(":{port:04X} 00000000:0000 0A");
        for _ in 0..200 {
            if std::fs::read_to_string("/proc/net/tcp").is_ok_and(|t| t.contains(&needle)) {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        Ok(LocalServer { dir, port, child })
    }

    fn ca(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn main() -> Result<(), BoxError> {
    let mut a = args()?;
    let transcript = Arc::new(Mutex::new(Vec::new()));
    let sink = transcript.clone();
    let builder = Modem::builder().trace(move |e| sink.lock().unwrap().push(e.to_string()));

    // Real module, or the virtual one with a local server.
    let (_sim, _server, modem, ca) = match &a.port {
        Some(port) => {
            let ca = a.ca.clone().ok_or("--ca is needed with --port")?;
            (None, None, builder.open(port, a.baud)?, ca)
        }
        None => {
            let server = LocalServer::start()?;
            a.tls_port = server.port;
            let sim = l610_sim::Sim::start_pty(l610_sim::SimConfig::default())?;
            let path = sim
                .pty_path()
                .ok_or("no pty")?
                .to_str()
                .ok_or("pty path")?
                .to_owned();
            println!(
                "virtual L610 on {path}; openssl s_server on 127.0.0.1:{}",
                server.port
            );
            let modem = builder.open(&path, a.baud)?;
            let ca = server.ca();
            (Some(sim), Some(server), modem, ca)
        }
    };

    let ip = modem.activate_pdp(&PdpConfig::default())?;
    println!("PDP context active, IP {ip}");
    let set = modem.set_clock_from_host()?;
    println!("module clock set to {set}");
    modem.set_profile(TlsProfile::new().trust_file(read(&ca)?), true)?;
    println!("trust file loaded: {:?}", modem.ssl_file_counts()?);

    let mut tls = modem.open_tls(&a.host, a.tls_port)?;
    println!("verified TLS connection open on socket {}", tls.id());
    tls.write_all(format!("GET {} HTTP/1.0\r\nHost: {}\r\n\r\n", a.path, a.host).as_bytes())?;
    tls.set_read_timeout(Some(Duration::from_secs(30)));
    let mut reply = Vec::new();
    tls.read_to_end(&mut reply)?;
    drop(tls);

    println!(
        "\n--- reply ({} bytes) ---\n{}",
        reply.len(),
        String::from_utf8_lossy(&reply)
    );
    println!("--- AT transcript (seconds, -> to the module, <- from it) ---");
    for line in transcript.lock().unwrap().iter() {
        println!("{line}");
    }
    Ok(())
}

fn read(path: &Path) -> Result<Vec<u8>, BoxError> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()).into())
}
