//! Whole-program figures with line-rate emulation (`SimConfig::baud`): TLS receive throughput
//! through the driver against the line ceiling (hex: baud/20 payload bytes/s, raw: baud/10), and an
//! 8 KiB certificate upload against its line time. Run: `cargo bench -p l610 --bench throughput`.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use l610::{Modem, ReceiveFormat, SslVersion};
use l610_sim::{Sim, SimConfig};

fn sh(dir: &std::path::Path, script: &str) {
    let ok = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(ok, "{script}");
}

fn listening(port: u16) {
    let needle = format!(":{port:04X} 00000000:0000 0A");
    for _ in 0..400 {
        if std::fs::read_to_string("/proc/net/tcp").is_ok_and(|t| t.contains(&needle)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("s_server did not listen");
}

fn receive(dir: &std::path::Path, baud: u32, format: ReceiveFormat, len: usize) -> f64 {
    let sim = Sim::start_pty(SimConfig {
        baud: Some(baud),
        ..Default::default()
    })
    .unwrap();
    let modem = Modem::open(sim.pty_path().unwrap().to_str().unwrap(), baud).unwrap();
    modem.activate_pdp(&Default::default()).unwrap();
    modem.set_ssl_version(SslVersion::Tls1_2).unwrap();
    modem.set_receive_format(format).unwrap();
    std::fs::write(
        dir.join("data.bin"),
        (0..len).map(|i| (i * 31 % 251) as u8).collect::<Vec<u8>>(),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new("sh")
        .arg("-c")
        .arg(format!("(sleep 2; cat data.bin; sleep 600) | openssl s_server -quiet -naccept 1 -accept 127.0.0.1:{port} -cert server.pem -key server.key"))
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    listening(port);
    let mut tls = modem.open_tls("127.0.0.1", port).unwrap();
    tls.set_read_timeout(Some(Duration::from_secs(120)));
    let mut buf = vec![0u8; 1 << 16];
    // The clock starts at the first byte, so the handshake and the server's delay don't count.
    let mut got = tls.read(&mut buf).unwrap();
    let start = Instant::now();
    let first = got;
    while got < len {
        let n = tls.read(&mut buf).unwrap();
        assert!(n > 0);
        got += n;
    }
    let rate = (got - first) as f64 / start.elapsed().as_secs_f64();
    let _ = server.kill();
    let _ = server.wait();
    rate
}

fn upload(baud: u32) -> (Duration, Duration) {
    let sim = Sim::start_pty(SimConfig {
        baud: Some(baud),
        ..Default::default()
    })
    .unwrap();
    let modem = Modem::builder()
        .upload_timeout(Duration::from_secs(60))
        .open(sim.pty_path().unwrap().to_str().unwrap(), baud)
        .unwrap();
    // An 8 KiB PEM (8192 bytes, the module's maximum), CR/LF lines as on hardware.
    let mut pem = b"-----BEGIN CERTIFICATE-----\r\n".to_vec();
    let footer = b"-----END CERTIFICATE-----\r\n";
    while pem.len() + 66 + footer.len() <= 8192 {
        pem.extend_from_slice(&[b'A'; 64]);
        pem.extend_from_slice(b"\r\n");
    }
    let fill = 8192 - pem.len() - footer.len() - 2;
    pem.extend(std::iter::repeat_n(b'A', fill / 4 * 4));
    pem.extend_from_slice(b"\r\n");
    pem.extend_from_slice(footer);
    let cmd = l610::Command::new(format!("+GTSSLFILE=\"TRUSTFILE\",{}", pem.len()))
        .payload(pem.clone())
        .timeout(Duration::from_secs(60));
    let start = Instant::now();
    modem.command(&cmd).unwrap();
    let took = start.elapsed();
    // Line time: the command line and the file, host to module (the echo, prompt and OK travel
    // the other way at the same time on a full-duplex UART).
    let bytes = cmd.line().len() + 1 + pem.len();
    (
        took,
        Duration::from_secs_f64(bytes as f64 * 10.0 / baud as f64),
    )
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a list; nothing to list.
    }
    let dir = std::env::temp_dir().join(format!("l610-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    sh(&dir, "openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.pem -days 2 -subj '/CN=localhost'");
    println!("| baud | format | payload | measured B/s | ceiling B/s | of ceiling |");
    println!("|---:|---|---:|---:|---:|---:|");
    for (baud, len) in [(115_200u32, 48 * 1024usize), (921_600, 384 * 1024)] {
        for (format, per) in [(ReceiveFormat::Hex, 20.0), (ReceiveFormat::Raw, 10.0)] {
            let ceiling = baud as f64 / per;
            let rate = receive(&dir, baud, format, len);
            println!(
                "| {baud} | {format:?} | {} KiB | {rate:.0} | {ceiling:.0} | {:.1} % |",
                len / 1024,
                100.0 * rate / ceiling
            );
        }
    }
    println!();
    for baud in [115_200u32, 921_600] {
        let (took, line) = upload(baud);
        println!(
            "8 KiB TRUSTFILE upload at {baud}: {:.3} s, line time {:.3} s, ratio {:.3}",
            took.as_secs_f64(),
            line.as_secs_f64(),
            took.as_secs_f64() / line.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
