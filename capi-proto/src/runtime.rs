//! What `std` would bring: memory from the C library's `malloc`/`free` (the firmware's heap),
//! and a panic that ends in `abort()`.

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;
use core::panic::PanicInfo;

extern "C" {
    fn malloc(size: usize) -> *mut c_void;
    fn free(p: *mut c_void);
    fn abort() -> !;
}

/// What `malloc` aligns to at least (`max_align_t`: 8 on 32-bit targets, 16 on 64-bit ones).
const MIN_ALIGN: usize = 2 * core::mem::size_of::<usize>();

/// `malloc` for what it aligns anyway; larger alignments over-allocate and keep the pointer
/// `malloc` returned just below the aligned block.
struct CHeap;

fn direct(layout: Layout) -> bool {
    layout.align() <= MIN_ALIGN && layout.align() <= layout.size()
}

unsafe impl GlobalAlloc for CHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if direct(layout) {
            // SAFETY: plain malloc; NULL is the allocation failure GlobalAlloc reports.
            return unsafe { malloc(layout.size()) }.cast();
        }
        let slot = core::mem::size_of::<*mut c_void>();
        let Some(total) = layout.size().checked_add(layout.align() + slot) else {
            return core::ptr::null_mut();
        };
        // SAFETY: plain malloc.
        let raw = unsafe { malloc(total) }.cast::<u8>();
        if raw.is_null() {
            return raw;
        }
        let addr = raw as usize + slot;
        let aligned = (addr + layout.align() - 1) & !(layout.align() - 1);
        let p = raw.wrapping_add(aligned - raw as usize);
        // SAFETY: `slot` bytes below `p` are inside the block and aligned for a pointer
        // (`aligned` is a multiple of an alignment above MIN_ALIGN's pointer size).
        unsafe { p.cast::<*mut u8>().sub(1).write(raw) };
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        if direct(layout) {
            // SAFETY: from malloc in `alloc`.
            unsafe { free(p.cast()) };
        } else {
            // SAFETY: `alloc` stored malloc's pointer just below `p`.
            unsafe { free(p.cast::<*mut u8>().sub(1).read().cast()) };
        }
    }
}

#[global_allocator]
static HEAP: CHeap = CHeap;

#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    // SAFETY: the C library's abort never returns.
    unsafe { abort() }
}

/// The precompiled `core` and `alloc` of a target with unwinding carry landing pads that name
/// the personality routine; with `panic = "abort"` nothing ever unwinds, so it is never called.
/// Defined here so a C program links with no unwinder (a `no_std` target built with
/// `-Zbuild-std` and `panic_abort` does not need it; the symbol is then simply unused).
#[no_mangle]
pub extern "C" fn rust_eh_personality() {}
