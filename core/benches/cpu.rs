//! Driver CPU per received byte, scaled to the LTE Cat 1 peak on the AT port.
//!
//! The virtual module runs unthrottled in a child process (this binary, re-run with
//! `--serve-sim`), a plain TCP server on 127.0.0.1 (a thread of this process, not counted) pushes
//! `MIB` MiB through it in the module's default hex format, and the driver reads it with
//! `Socket::read`. Counted: the CPU time of the driver's reader thread and of the application
//! thread that reads (both from /proc/self/task/<tid>/schedstat, in nanoseconds). The figure reported is that CPU
//! time per hex byte on the AT port, times 2.5 MB/s (the Cat 1 peak of 10 Mbit/s in hex), as a
//! share of one core; five transfers, the median is the figure. Run: `cargo bench -p l610 --bench cpu`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Instant;

use l610::{Modem, ReceiveFormat};

const MIB: usize = 16;
/// Transfers measured, one after another over the same modem; the median is the figure.
const RUNS: usize = 5;
const CAT1_HEX_BYTES_PER_SEC: f64 = 2.5e6;

fn serve_sim() {
    let sim = l610_sim::Sim::start_pty(l610_sim::SimConfig::default()).unwrap();
    println!("{}", sim.pty_path().unwrap().display());
    std::io::stdout().flush().unwrap();
    // Until the parent closes our stdin.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

/// CPU time one thread of this process has run, in seconds: the scheduler's own count in
/// nanoseconds (`/proc/<pid>/task/<tid>/schedstat`, first field), not the 10 ms ticks of `stat`.
fn thread_cpu(tid: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat"))
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1e9
}

/// The kernel's share: `payload` as the module sends it in hex (`+MIPRTCP: 1,<n>,<HEX>` lines of
/// 1460 bytes), written by a thread into a pseudo-terminal and read from its other end by a loop
/// that reads as the driver does (non-blocking, a poll when nothing is there) and only counts
/// the bytes. The reading thread's CPU seconds for the whole stream: what any reader of this
/// port pays for it.
fn floor(payload: &[u8]) -> f64 {
    use std::os::fd::AsRawFd;
    let mut wire = Vec::new();
    for chunk in payload.chunks(1460) {
        wire.extend_from_slice(format!("\r\n+MIPRTCP: 1,{},", chunk.len()).as_bytes());
        wire.extend_from_slice(hex::encode_upper(chunk).as_bytes());
        wire.extend_from_slice(b"\r\n");
    }
    let total = wire.len();
    let (mut master, slave) = serialport::TTYPort::pair().unwrap();
    let writer = std::thread::spawn(move || {
        use serialport::SerialPort;
        master
            .set_timeout(std::time::Duration::from_secs(5))
            .unwrap();
        for piece in wire.chunks(4096) {
            master.write_all(piece).unwrap();
        }
        master // closed when the reader is done
    });
    let fd = slave.as_raw_fd();
    // SAFETY: fcntl and read on the descriptor `slave` owns; `buf` outlives each read.
    unsafe {
        libc::fcntl(
            fd,
            libc::F_SETFL,
            libc::fcntl(fd, libc::F_GETFL) | libc::O_NONBLOCK,
        )
    };
    let me = std::fs::read_link("/proc/thread-self").unwrap();
    let me = me.file_name().unwrap().to_string_lossy().into_owned();
    let mut buf = vec![1u8; 64 * 1024];
    let mut got = 0;
    let c0 = thread_cpu(&me);
    while got < total {
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n > 0 {
            got += n as usize;
        } else {
            let mut p = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            unsafe { libc::poll(&mut p, 1, 50) };
        }
    }
    let cpu = thread_cpu(&me) - c0;
    drop(writer.join().unwrap());
    cpu
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

    let payload: Vec<u8> = (0..MIB << 20).map(|i| (i * 31 % 251) as u8).collect();
    let reader = tid_named("l610-reader").expect("the reader thread");
    let me = std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap();
    let hex_bytes = (payload.len() * 2) as f64;
    let mut shares = Vec::new();
    for run in 1..=RUNS {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let to_send = payload.clone();
        std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            conn.write_all(&to_send).unwrap();
            // Held open until the process ends: a peer close is not part of the measurement.
            std::thread::sleep(std::time::Duration::from_secs(600));
        });
        let mut sock = modem.open_tcp("127.0.0.1", port).unwrap();
        // The application's buffer, touched before the clock starts: its page faults are the
        // bench's, not the driver's.
        let mut got = vec![1u8; payload.len()];
        let (r0, m0, t0) = (thread_cpu(&reader), thread_cpu(&me), Instant::now());
        sock.read_exact(&mut got).unwrap();
        let wall = t0.elapsed().as_secs_f64();
        let (r1, m1) = (thread_cpu(&reader), thread_cpu(&me));
        assert!(got == payload, "the data arrived intact");
        drop(sock);
        let cpu = (r1 - r0) + (m1 - m0);
        let per_byte = cpu / hex_bytes;
        let share = per_byte * CAT1_HEX_BYTES_PER_SEC * 100.0;
        shares.push(share);
        println!(
            "run {run}: {MIB} MiB ({:.1} MB of hex) in {wall:.2} s ({:.1} MB/s of hex); driver CPU \
             {cpu:.4} s (reader {:.4} s, reading thread {:.4} s) = {:.2} ns per hex byte = {share:.3} %",
            hex_bytes / 1e6,
            hex_bytes / 1e6 / wall,
            r1 - r0,
            m1 - m0,
            per_byte * 1e9
        );
    }
    shares.sort_by(f64::total_cmp);
    let mut floors: Vec<f64> = (0..RUNS)
        .map(|_| floor(&payload) / hex_bytes * CAT1_HEX_BYTES_PER_SEC * 100.0)
        .collect();
    floors.sort_by(f64::total_cmp);
    println!(
        "at the LTE Cat 1 peak (2.5 MB/s of hex), median of {RUNS} runs: {:.3} % of one core \
         (lowest {:.3} %, highest {:.3} %)",
        shares[RUNS / 2],
        shares[0],
        shares[RUNS - 1]
    );
    println!(
        "the floor, the same +MIPRTCP lines read from a bare pseudo-terminal by a loop that only \
         counts them, median of {RUNS}: {:.3} % (lowest {:.3} %, highest {:.3} %)",
        floors[RUNS / 2],
        floors[0],
        floors[RUNS - 1]
    );
    drop(modem);
    drop(child.stdin.take());
    let _ = child.wait();
}
