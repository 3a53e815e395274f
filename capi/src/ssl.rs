//! The `+GTSSL*` commands: files, verification, version, cipher suites, the SSL error.

use std::ffi::c_char;

use driver::{FileCounts, VerifyMode};

use crate::ffi::*;
use crate::modem::{l610_modem, with_modem};
use crate::status::l610_status;
use crate::values::*;

/// What `AT+GTSSLFILE=?` reports.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct l610_file_support {
    /// Bit `1 << t` is set for each listed `l610_file_type` `t`.
    pub file_types: u32,
    /// Whether the module listed a `<file_len>` range.
    pub has_length: bool,
    /// Smallest listed `<file_len>` (when `has_length`).
    pub length_min: i64,
    /// Largest listed `<file_len>` (when `has_length`).
    pub length_max: i64,
}

/// Bit `1 << v` for each value 0..=63 in `values`; others cannot be shown and are left out.
fn mask(values: impl IntoIterator<Item = i64>) -> u64 {
    values
        .into_iter()
        .filter(|v| (0..64).contains(v))
        .fold(0, |m, v| m | 1 << v)
}

unsafe fn put_counts(p: *mut l610_file_counts, c: FileCounts) {
    if !p.is_null() {
        // SAFETY: non-NULL; the caller promises it is writable.
        unsafe { put(p, c.into()) };
    }
}

/// `AT+GTSSLFILE=<type>,<len>`, `>`, the file: load a certificate or key given as PEM or DER
/// bytes (`data`, `len`). Checked before upload (content, 4–8192 encoded bytes, the module's
/// limits: files cannot be deleted, only lost by a power cycle). `file_type` is an
/// `l610_file_type` value. `out_counts` is optional (may be NULL): the counts after the upload.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_load_file(
    modem: *const l610_modem,
    file_type: u32,
    data: *const u8,
    len: usize,
    out_counts: *mut l610_file_counts,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let t = self::file_type(file_type)?;
            if data.is_null() {
                return Err(Fail::Null("data"));
            }
            let data = bytes_arg(data, len, "data")?;
            let counts = m.modem.load_file(t, data)?;
            put_counts(out_counts, counts);
            Ok(())
        })
    }
}

/// `l610_modem_load_file` with the contents of the host file at `path`.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_load_file_from_path(
    modem: *const l610_modem,
    file_type: u32,
    path: *const c_char,
    out_counts: *mut l610_file_counts,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let t = self::file_type(file_type)?;
            let path = str_arg(path, "path")?;
            let counts = m.modem.load_file_from_path(t, path)?;
            put_counts(out_counts, counts);
            Ok(())
        })
    }
}

/// `AT+GTSSLFILE?`: how many files of each type are loaded.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_ssl_file_counts(
    modem: *const l610_modem,
    out_counts: *mut l610_file_counts,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_counts, "out_counts")?;
            let c = m.modem.ssl_file_counts()?;
            put(p, c.into());
            Ok(())
        })
    }
}

/// `AT+GTSSLFILE=?`: the supported file types and lengths.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_ssl_file_support(
    modem: *const l610_modem,
    out_support: *mut l610_file_support,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_support, "out_support")?;
            let s = m.modem.ssl_file_support()?;
            let range = s.length.as_ref().and_then(|r| {
                let lo = r.ranges.iter().map(|r| r.0).min()?;
                let hi = r.ranges.iter().map(|r| r.1).max()?;
                Some((lo, hi))
            });
            put(
                p,
                l610_file_support {
                    file_types: s.file_types.iter().fold(0, |m, t| m | 1 << (*t as u32)),
                    has_length: range.is_some(),
                    length_min: range.map_or(0, |r| r.0),
                    length_max: range.map_or(0, |r| r.1),
                },
            );
            Ok(())
        })
    }
}

/// `AT+GTSSLMODE=<checkmode>`: `mode` is an `l610_verify_mode` value.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_set_verify_mode(
    modem: *const l610_modem,
    mode: u32,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            Ok(m.modem.set_verify_mode(verify_mode(mode)?)?)
        })
    }
}

/// `AT+GTSSLMODE?`.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_verify_mode(
    modem: *const l610_modem,
    out_mode: *mut l610_verify_mode,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_mode, "out_mode")?;
            let v = match m.modem.verify_mode()? {
                VerifyMode::None => l610_verify_mode::L610_VERIFY_NONE,
                VerifyMode::Verify => l610_verify_mode::L610_VERIFY_PEER,
            };
            put(p, v);
            Ok(())
        })
    }
}

/// `AT+GTSSLMODE=?`: bit `1 << mode` is set in `*out_mask` for each supported check mode.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_verify_mode_support(
    modem: *const l610_modem,
    out_mask: *mut u64,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_mask, "out_mask")?;
            let r = m.modem.verify_mode_support()?;
            put(p, mask(r.values()));
            Ok(())
        })
    }
}

/// `AT+GTSSLVER=<sslver>`: `version` is an `l610_ssl_version` value.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_set_ssl_version(
    modem: *const l610_modem,
    version: u32,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            Ok(m.modem.set_ssl_version(ssl_version(version)?)?)
        })
    }
}

/// `AT+GTSSLVER?`.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_ssl_version(
    modem: *const l610_modem,
    out_version: *mut l610_ssl_version,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_version, "out_version")?;
            let v = m.modem.ssl_version()?;
            put(p, version_out(v));
            Ok(())
        })
    }
}

/// `AT+GTSSLVER=?`: bit `1 << v` is set in `*out_mask` for each supported `l610_ssl_version`.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_ssl_version_support(
    modem: *const l610_modem,
    out_mask: *mut u64,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_mask, "out_mask")?;
            let v = m.modem.ssl_version_support()?;
            put(p, mask(v.into_iter().map(|v| i64::from(v.value()))));
            Ok(())
        })
    }
}

/// `AT+GTSSLCIPHER=<cipalgID>,<cmd>`: enable or disable one suite (`id` 1–31, see
/// `l610_cipher_name`).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_set_cipher(
    modem: *const l610_modem,
    id: u8,
    enabled: bool,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe { with_modem(modem, |m| Ok(m.modem.set_cipher(cipher(id)?, enabled)?)) }
}

/// `AT+GTSSLCIPHER?`: the IDs of the enabled suites into `ids` (room for `cap`), their number
/// into `*count`; 0 means none configured (the module uses its defaults). If `cap` is too small,
/// returns `L610_BUFFER_TOO_SMALL` with `*count` set to the number needed and nothing copied
/// (32 always suffices). `ids` may be NULL when `cap` is 0.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_enabled_ciphers(
    modem: *const l610_modem,
    ids: *mut u8,
    cap: usize,
    count: *mut usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            out(count, "count")?;
            let list: Vec<u8> = m.modem.enabled_ciphers()?.iter().map(|c| c.id()).collect();
            copy_list(&list, ids, cap, count)
        })
    }
}

/// `AT+GTSSLCIPHER=?`: bit `1 << id` in `*out_id_mask` for each `<cipalgID>` in the supported
/// range, bit `1 << cmd` in `*out_cmd_mask` for each supported `<cmd>`.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_cipher_support(
    modem: *const l610_modem,
    out_id_mask: *mut u64,
    out_cmd_mask: *mut u64,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let ids = out(out_id_mask, "out_id_mask")?;
            let cmds = out(out_cmd_mask, "out_cmd_mask")?;
            let (i, c) = m.modem.cipher_support()?;
            put(ids, mask(i.values()));
            put(cmds, mask(c.values()));
            Ok(())
        })
    }
}

/// Enable exactly the suites in `ids[0..count]` (disable every other), verified by reading the
/// list back. `count` 0 disables all, so the module falls back to its defaults (`ids` may then
/// be NULL).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_set_enabled_ciphers(
    modem: *const l610_modem,
    ids: *const u8,
    count: usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let suites = bytes_arg(ids, count, "ids")?
                .iter()
                .map(|id| cipher(*id))
                .collect::<FfiResult<Vec<_>>>()?;
            m.modem.set_enabled_ciphers(&suites)?;
            Ok(())
        })
    }
}

/// `AT+GTSSLERR?`: the error code of the last SSL connection (0 when none; see
/// `l610_ssl_error_text`).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_ssl_error(
    modem: *const l610_modem,
    out_code: *mut i32,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_code, "out_code")?;
            let c = m.modem.ssl_error()?;
            put(p, c.code());
            Ok(())
        })
    }
}

/// `AT+GTSSLERR` (the execute form; same answer as `l610_modem_ssl_error`).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_ssl_error_exec(
    modem: *const l610_modem,
    out_code: *mut i32,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = out(out_code, "out_code")?;
            let c = m.modem.ssl_error_exec()?;
            put(p, c.code());
            Ok(())
        })
    }
}
