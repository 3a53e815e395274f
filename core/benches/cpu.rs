//! Driver CPU per received byte, scaled to the LTE Cat 1 peak on the AT port.
//!
//! The virtual module runs unthrottled in a child process (this binary, re-run with
//! `--serve-sim`), a plain TCP server on 127.0.0.1 (a thread of this process, not counted) pushes
//! `MIB` MiB through it in the module's default hex format, and the driver reads it with
//! `Socket::read`. Counted: the CPU time of the driver's reader thread and of the application
//! thread that reads (both from /proc/self/task/<tid>/stat). The figure reported is that CPU
//! time per hex byte on the AT port, times 2.5 MB/s (the Cat 1 peak of 10 Mbit/s in hex), as a
//! share of one core. Run: `cargo bench -p l610 --bench cpu`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Instant;

use l610::{Modem, ReceiveFormat};

const MIB: usize = 16;
const CAT1_HEX_BYTES_PER_SEC: f64 = 2.5e6;

fn serve_sim() {
    let sim = l610_sim::Sim::start_pty(l610_sim::SimConfig::default()).unwrap();
    println!("{}", sim.pty_path().unwrap().display());
    std::io::stdout().flush().unwrap();
    // Until the parent closes our stdin.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

/// utime + stime of one thread of this process, in seconds.
fn thread_cpu(tid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|s| s.parse().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|s| s.parse().ok()).unwrap_or(0.0);
    let hz = clk_tck();
    ticks / hz
}

fn clk_tck() -> f64 {
    // getconf is the portable way to ask without libc bindings.
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

fn tid_named(name: &str) -> Option<String> {
    std::fs::read_dir("/proc/self/task").ok()?.find_map(|e| {
        let tid = e.ok()?.file_name().into_string().ok()?;
        let comm = std::fs::read_to_string(format!("/proc/self/task/{tid}/comm")).ok()?;
        (comm.trim() == name).then_some(tid)
    })
}

fn main() {
    if std::env::args().any(|a| a == "--serve-sim") {
        return serve_sim();
    }
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` and criterion-style listing: nothing to run.
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .arg("--serve-sim")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut path = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut path)
        .unwrap();
    let modem = Modem::open(path.trim(), 921_600).unwrap();
    modem.activate_pdp(&Default::default()).unwrap();
    modem.set_receive_format(ReceiveFormat::Hex).unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let payload: Vec<u8> = (0..MIB << 20).map(|i| (i * 31 % 251) as u8).collect();
    let to_send = payload.clone();
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.write_all(&to_send).unwrap();
        std::thread::sleep(std::time::Duration::from_secs(600));
    });

    let mut sock = modem.open_tcp("127.0.0.1", port).unwrap();
    let reader = tid_named("l610-reader").expect("the reader thread");
    let me = std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap();
    let (r0, m0, t0) = (thread_cpu(&reader), thread_cpu(&me), Instant::now());
    let mut got = vec![0u8; payload.len()];
    sock.read_exact(&mut got).unwrap();
    let wall = t0.elapsed().as_secs_f64();
    let (r1, m1) = (thread_cpu(&reader), thread_cpu(&me));
    assert!(got == payload, "the data arrived intact");
    let cpu = (r1 - r0) + (m1 - m0);
    let hex_bytes = (payload.len() * 2) as f64;
    let per_byte = cpu / hex_bytes;
    println!(
        "received {MIB} MiB ({:.1} MB of hex) in {wall:.2} s ({:.1} MB/s of hex); driver CPU {cpu:.3} s \
         (reader {:.3} s, reading thread {:.3} s) = {:.2} ns per hex byte",
        hex_bytes / 1e6,
        hex_bytes / 1e6 / wall,
        r1 - r0,
        m1 - m0,
        per_byte * 1e9
    );
    println!(
        "at the LTE Cat 1 peak (2.5 MB/s of hex): {:.3} % of one core",
        per_byte * CAT1_HEX_BYTES_PER_SEC * 100.0
    );
    drop(sock);
    drop(modem);
    drop(child.stdin.take());
    let _ = child.wait();
}
