//! `l610-proto` in a `#![no_std]` artifact: see Cargo.toml. Everything the crate exports is
//! reached from the one exported function, on bytes the caller passes in, so the linker keeps it
//! all and the optimiser cannot fold it away.
#![no_std]

extern crate alloc;

// Only with `--features link-std`: pulls std into the link, which must make the build fail.
#[cfg(feature = "link-std")]
extern crate std_user;

use alloc::string::String;
use alloc::vec::Vec;
use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::panic::PanicInfo;
use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;

use l610_proto::framing::{Frame, Framer};
use l610_proto::{
    commands, params, trace, urc, Command, Event, Instant, ModuleTime, Outcome, ReceiveFormat,
    Response, Session, SessionConfig,
};

// ---- what a firmware project provides -----------------------------------------------------------

#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    loop {}
}

const HEAP_SIZE: usize = 1 << 20;

#[repr(C, align(16))]
struct Heap(UnsafeCell<[u8; HEAP_SIZE]>);

// SAFETY: disjoint parts of the array are handed out by an atomic bump pointer.
unsafe impl Sync for Heap {}

static HEAP: Heap = Heap(UnsafeCell::new([0; HEAP_SIZE]));
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A bump allocator over a static array: never frees, enough for a proof.
struct Bump;

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let base = HEAP.0.get() as usize;
        let mut used = NEXT.load(Ordering::Relaxed);
        loop {
            let start = (base + used + layout.align() - 1) & !(layout.align() - 1);
            let end = start - base + layout.size();
            if end > HEAP_SIZE {
                return core::ptr::null_mut();
            }
            match NEXT.compare_exchange_weak(used, end, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return start as *mut u8,
                Err(now) => used = now,
            }
        }
    }

    unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
}

#[global_allocator]
static ALLOCATOR: Bump = Bump;

// ---- every public module of l610-proto ----------------------------------------------------------

/// Feeds `input` through every public part of `l610-proto` and returns a number that depends on
/// all of it.
///
/// # Safety
/// `input` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn l610_proto_nostd_check(input: *const u8, len: usize) -> usize {
    // SAFETY: the caller's promise.
    let input = unsafe { core::slice::from_raw_parts(input, len) };
    let text = core::str::from_utf8(input).unwrap_or("+MIPOPEN: 1,1");
    let mut n = 0usize;

    // framing
    let mut framer = Framer::new(4096, 4096);
    framer.set_format(ReceiveFormat::Raw);
    let mut rest = input;
    while let Some(frame) = framer.next_frame(&mut rest) {
        n += match frame {
            Frame::Line(v) | Frame::Payload { data: v, .. } => v.len(),
            Frame::Prompt => 1,
            Frame::Error(_) => 2,
        };
    }

    // params, urc, trace
    n += params::split(text).len();
    n += params::unquote(text).len();
    if let Some(r) = params::RangeList::parse(text) {
        n += r.values().len();
    }
    n += params::quoted("value", text).map_or(0, |q| q.len());
    n += matches!(urc::parse(text), urc::Urc::Other(_)) as usize;
    n += trace::escape(input).len();

    // the session
    let mut s = Session::new(SessionConfig {
        trace: true,
        ..SessionConfig::default()
    });
    let t0 = Instant::from_millis(input.len() as u64);
    let id = s.submit(Command::new("+GTSSLMODE?").expects("+GTSSLMODE"), t0);
    let send = s.submit(
        Command::new("+MIPSEND=1,3").payload(Vec::from(&b"abc"[..])),
        t0,
    );
    let fmt = s.submit(
        Command::new("+GTSET=\"IPRFMT\",2").switches_format(ReceiveFormat::Raw),
        t0,
    );
    if let Some(tx) = s.poll_transmit() {
        n += tx.len();
        let len = tx.len();
        s.transmitted(len);
    }
    let h = s.reserve_socket(&[1, 2, 3]);
    s.handle_input(input, t0 + Duration::from_millis(3));
    if let Some(t) = s.poll_timeout() {
        s.handle_timeout(t);
    }
    if let Ok(send) = send {
        s.cancel(send, t0 + Duration::from_secs(1));
    }
    while let Some(e) = s.poll_event() {
        n += matches!(e, Event::Trace(_)) as usize;
    }
    for id in [id, fmt].into_iter().flatten() {
        n += matches!(s.take_outcome(id), Some(Outcome::Ok(_))) as usize;
    }
    if let Some(h) = h {
        let mut buf = [0u8; 64];
        n += s.read_socket(h, &mut buf).unwrap_or(0);
        n += s.release_socket(h) as usize;
    }
    while s.pop_urc().is_some() {
        n += 1;
    }
    s.close("nostd check");
    n += s.stats().rx_bytes as usize;

    // commands: builders, parsers, value tables
    let answer = Response::from_lines(text.lines());
    n += commands::parse_verify_mode(&answer).is_ok() as usize;
    n += commands::parse_ssl_version_support(&answer).map_or(0, |v| v.len());
    n += commands::parse_enabled_ciphers(&answer).map_or(0, |v| v.len());
    n += commands::parse_file_counts(&answer).is_ok() as usize;
    n += commands::parse_ssl_error(&answer).is_ok() as usize;
    n += commands::parse_free_socket_ids(&answer).map_or(0, |v| v.len());
    n += commands::parse_pdp_status(&answer).is_ok() as usize;
    n += commands::parse_identification(&answer).len();
    n += commands::prepare(commands::FileType::TrustFile, input).map_or(0, |v| v.len());
    n += commands::load_file(commands::FileType::TrustFile, input).is_ok() as usize;
    n += commands::set_receive_format(ReceiveFormat::Raw)
        .line()
        .len();
    if let Ok(t) = commands::parse_clock(&answer).or_else(|_| ModuleTime::parse(text)) {
        n += t.to_at().len() + commands::set_clock(&t).map_or(0, |c| c.line().len());
    }
    n
}
