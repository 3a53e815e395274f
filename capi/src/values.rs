//! The values and types both libraries share (`libl610` and the `no_std` `libl610_nostd.a`):
//! the module's value tables as C enums, the structs that carry them, and the functions that
//! need no module (the version, status and cipher texts).

use core::ffi::c_char;

use l610_proto::{
    CipherSuite, FileCounts, FileType, ModuleTime, SslErrorCode, SslVersion, VerifyMode,
};

use crate::ffi::*;
use crate::status::l610_status;

/// `<file_type>` of `AT+GTSSLFILE`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_file_type {
    /// `CERTFILE`: the client certificate (at most 1).
    L610_CERTFILE = 0,
    /// `KEYFILE`: the client private key (at most 1).
    L610_KEYFILE = 1,
    /// `TRUSTFILE`: a CA certificate that verifies servers (at most 40).
    L610_TRUSTFILE = 2,
}

/// `<sslver>` of `AT+GTSSLVER`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_ssl_version {
    /// 0: undocumented; what hardware reports after power-up.
    L610_SSL_UNSPECIFIED = 0,
    /// 1: SSL 3.0 (obsolete).
    L610_SSL3 = 1,
    /// 2: TLS 1.0 (the manual's default).
    L610_TLS1_0 = 2,
    /// 3: TLS 1.1.
    L610_TLS1_1 = 3,
    /// 4: TLS 1.2.
    L610_TLS1_2 = 4,
}

/// `<checkmode>` of `AT+GTSSLMODE`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_verify_mode {
    /// 0: no verification of the server (the module's default).
    L610_VERIFY_NONE = 0,
    /// 1: verify against the loaded TRUSTFILEs and the module clock.
    L610_VERIFY_PEER = 1,
}

/// How many files of each type the module holds (`AT+GTSSLFILE?`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_file_counts {
    /// CERTFILE count (0 or 1).
    pub cert: u32,
    /// KEYFILE count (0 or 1).
    pub key: u32,
    /// TRUSTFILE count (0 to 40).
    pub trust: u32,
}

impl From<FileCounts> for l610_file_counts {
    fn from(c: FileCounts) -> Self {
        l610_file_counts {
            cert: c.cert,
            key: c.key,
            trust: c.trust,
        }
    }
}

pub(crate) fn file_type(v: u32) -> FfiResult<FileType> {
    Ok(FileType::try_from(i64::from(v))?)
}

pub(crate) fn ssl_version(v: u32) -> FfiResult<SslVersion> {
    Ok(SslVersion::try_from(i64::from(v))?)
}

pub(crate) fn verify_mode(v: u32) -> FfiResult<VerifyMode> {
    Ok(VerifyMode::try_from(i64::from(v))?)
}

pub(crate) fn cipher(id: u8) -> FfiResult<CipherSuite> {
    Ok(CipherSuite::try_from(i64::from(id))?)
}

pub(crate) fn version_out(v: SslVersion) -> l610_ssl_version {
    use l610_ssl_version::*;
    match v {
        SslVersion::Unspecified => L610_SSL_UNSPECIFIED,
        SslVersion::Ssl3 => L610_SSL3,
        SslVersion::Tls1_0 => L610_TLS1_0,
        SslVersion::Tls1_1 => L610_TLS1_1,
        SslVersion::Tls1_2 => L610_TLS1_2,
    }
}

/// The manual's meaning of a `+GTSSLERR` code, e.g. -11. Buffer contract as `l610_status_text`.
/// No module involved; thread-safe.
#[no_mangle]
pub unsafe extern "C" fn l610_ssl_error_text(
    code: i32,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        match unsafe { copy_text(SslErrorCode::from_code(code).meaning(), buf, len, written) } {
            Ok(()) => l610_status::L610_OK,
            Err(f) => f.status(),
        }
    })
}

/// The manual's name of cipher suite `id` (1–31), e.g.
/// `"TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384"`. `L610_INVALID_ARGUMENT` for other IDs. Buffer
/// contract as `l610_status_text`. Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn l610_cipher_name(
    id: u8,
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> l610_status {
    ffi_boundary!({
        let r = cipher(id).and_then(|c| {
            // SAFETY: the caller's contract.
            unsafe { copy_text(c.name(), buf, len, written) }
        });
        match r {
            Ok(()) => l610_status::L610_OK,
            Err(f) => f.status(),
        }
    })
}

/// The ID of a cipher suite given by ID (`"5"`), the manual's name, or the IANA name
/// (case-insensitive, `-` or `_`, `TLS` prefix optional). `L610_INVALID_ARGUMENT` if unknown.
/// Thread-safe.
#[no_mangle]
pub unsafe extern "C" fn l610_cipher_from_name(
    name: *const c_char,
    out_id: *mut u8,
) -> l610_status {
    ffi_boundary!({
        let r = (|| -> FfiResult {
            let p = out(out_id, "out_id")?;
            // SAFETY: the caller's contract.
            let name = unsafe { str_arg(name, "name") }?;
            let c: CipherSuite = name.parse()?;
            // SAFETY: checked non-NULL.
            unsafe { put(p, c.id()) };
            Ok(())
        })();
        match r {
            Ok(()) => l610_status::L610_OK,
            Err(f) => f.status(),
        }
    })
}

/// The PDP context's state (`AT+MIPCALL?`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_pdp_state {
    /// `+MIPCALL: 0`.
    L610_PDP_INACTIVE = 0,
    /// `+MIPCALL: 1,<ip>`.
    L610_PDP_ACTIVE = 1,
    /// `+MIPCALL: 2`: activation in progress.
    L610_PDP_BUSY = 2,
}

/// `<proto>` of `AT+MIPOPEN`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_protocol {
    /// 0: plain TCP.
    L610_PROTOCOL_TCP = 0,
    /// 2: TLS, with the module's `+GTSSL*` settings.
    L610_PROTOCOL_TLS = 2,
}

/// Where a socket stands.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_socket_state {
    /// Not in use.
    L610_SOCKET_FREE = 0,
    /// Waiting for the module's `+MIPOPEN` result.
    L610_SOCKET_OPENING = 1,
    /// Connected.
    L610_SOCKET_OPEN = 2,
    /// The open failed.
    L610_SOCKET_FAILED = 3,
    /// Closed: by `l610_socket_close`, by the peer, by the module's stack or by a restart.
    /// Data received before the close can still be read.
    L610_SOCKET_CLOSED = 4,
}

/// Which way traced bytes went.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum l610_direction {
    /// Host to module.
    L610_TX = 0,
    /// Module to host.
    L610_RX = 1,
}

/// A time as `+CCLK` carries it (years 2000–2099).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_time {
    /// Full year, 2000–2099.
    pub year: u16,
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
    /// 0–59.
    pub second: u8,
    /// Whether `zone_quarters` is meaningful.
    pub has_zone: bool,
    /// Offset from UTC in quarter hours, -48..=56 (when `has_zone`).
    pub zone_quarters: i8,
}

impl From<ModuleTime> for l610_time {
    fn from(t: ModuleTime) -> Self {
        l610_time {
            year: t.year,
            month: t.month,
            day: t.day,
            hour: t.hour,
            minute: t.minute,
            second: t.second,
            has_zone: t.zone_quarters.is_some(),
            zone_quarters: t.zone_quarters.unwrap_or(0),
        }
    }
}

impl From<&l610_time> for ModuleTime {
    fn from(t: &l610_time) -> Self {
        ModuleTime {
            year: t.year,
            month: t.month,
            day: t.day,
            hour: t.hour,
            minute: t.minute,
            second: t.second,
            zone_quarters: t.has_zone.then_some(t.zone_quarters),
        }
    }
}

/// NUL-terminated version of the library, e.g. `"0.1.0"`: compare with `L610_VERSION` to catch a
/// header that does not match the library linked at run time. Never NULL; static, do not free.
#[no_mangle]
pub extern "C" fn l610_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
