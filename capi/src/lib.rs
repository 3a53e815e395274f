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

#[macro_use]
mod ffi;
mod clock;
mod command;
mod io;
mod modem;
mod network;
mod pdp;
mod profile;
mod session;
mod socket;
mod ssl;
mod status;

pub use clock::*;
pub use command::*;
pub use io::*;
pub use modem::*;
pub use network::*;
pub use pdp::*;
pub use profile::*;
pub use session::*;
pub use socket::*;
pub use ssl::*;
pub use status::*;

use std::ffi::c_char;

/// NUL-terminated version of the library, e.g. `"0.1.0"`: compare with `L610_VERSION` to catch a
/// header that does not match the library linked at run time. Never NULL; static, do not free.
#[no_mangle]
pub extern "C" fn l610_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_agree() {
        assert_eq!(driver::VERSION, env!("CARGO_PKG_VERSION"));
        let v = unsafe { std::ffi::CStr::from_ptr(super::l610_version()) };
        assert_eq!(v.to_str().unwrap(), driver::VERSION);
    }
}
