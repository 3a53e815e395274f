//! `libl610`: the C API of the `l610` driver (Fibocom L610 `+GTSSL*` / `+MIP*`).
//!
//! This crate only translates between C and the Rust driver: C strings and buffers in, status
//! codes and out-parameters back. It holds no protocol logic. The header `include/l610.h` is
//! generated from these sources by cbindgen (`capi/gen-header.sh`); never edit it by hand.
//!
//! Conventions (also stated at the top of the header):
//! - every function returns an `l610_status`; outputs go through out-parameters that are written
//!   only on `L610_OK` (the one exception, `L610_BUFFER_TOO_SMALL`, is documented per function);
//! - every pointer is checked for NULL (`L610_NULL_ARGUMENT`) unless documented as optional;
//! - a panic inside the library never crosses into C: it becomes `L610_PANIC`.
#![allow(non_camel_case_types)]
// Exported functions check their pointers themselves; they are `unsafe` for C's sake.
#![allow(clippy::missing_safety_doc)]

extern crate alloc;

/// Run an exported function's body inside `catch_unwind`: a panic becomes `L610_PANIC` (for
/// functions returning `l610_status`) or is swallowed (for `void` ones), never an unwind into C.
/// (The `no_std` library is built with `panic = "abort"`: its `ffi_boundary!` only runs the
/// body.)
macro_rules! ffi_boundary {
    ($body:block) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(status) => status,
            Err(_) => $crate::status::l610_status::L610_PANIC,
        }
    };
    (void $body:block) => {
        let _ = ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body));
    };
}

// Shared with the no_std libl610_nostd.a (capi-proto/): core, alloc and l610-proto only.
mod command;
mod ffi;
mod network_cmd;
mod session;
mod status;
mod values;

// libl610 only: the threaded API over the std driver.
mod clock;
mod driver_error;
mod io;
mod last_error;
mod modem;
mod network;
mod pdp;
mod profile;
mod socket;
mod ssl;

pub use clock::*;
pub use command::*;
pub use io::*;
pub use last_error::*;
pub use modem::*;
pub use network::*;
pub use network_cmd::*;
pub use pdp::*;
pub use profile::*;
pub use session::*;
pub use socket::*;
pub use ssl::*;
pub use status::*;
pub use values::*;

#[cfg(test)]
mod tests {
    #[test]
    fn versions_agree() {
        assert_eq!(driver::VERSION, env!("CARGO_PKG_VERSION"));
        let v = unsafe { std::ffi::CStr::from_ptr(super::l610_version()) };
        assert_eq!(v.to_str().unwrap(), driver::VERSION);
    }
}
