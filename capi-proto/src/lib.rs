//! `libl610_nostd.a`: the thread-free C API of l610 without `std` (see Cargo.toml). The exported
//! functions are libl610's own, compiled from the same files (`capi/src/*.rs` by path): only the
//! panic boundary, the error of calls without a handle and the runtime (allocator, panic) are
//! this library's.
#![no_std]
#![allow(non_camel_case_types)]
// Exported functions check their pointers themselves; they are `unsafe` for C's sake.
#![allow(clippy::missing_safety_doc)]

extern crate alloc;

/// Built with `panic = "abort"`: there is no unwind to stop at the boundary, a panic (a bug)
/// ends in `abort()` (`runtime.rs`).
macro_rules! ffi_boundary {
    ($body:block) => {
        $body
    };
    (void $body:block) => {
        let _ = $body;
    };
}

#[path = "../../capi/src/command.rs"]
mod command;
#[path = "../../capi/src/ffi.rs"]
mod ffi;
#[path = "../../capi/src/network_cmd.rs"]
mod network_cmd;
#[path = "../../capi/src/session.rs"]
mod session;
#[path = "../../capi/src/status.rs"]
mod status;
#[path = "../../capi/src/values.rs"]
mod values;

mod last_error;
mod runtime;

pub use command::*;
pub use last_error::*;
pub use network_cmd::*;
pub use session::*;
pub use status::*;
pub use values::*;
