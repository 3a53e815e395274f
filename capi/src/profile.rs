//! `l610_tls_profile`: every `+GTSSL*` setting in one value, applied in one call.

use driver::TlsProfile;

use crate::ffi::*;
use crate::modem::{l610_modem, with_modem};
use crate::status::l610_status::{self, *};
use crate::values::{cipher, ssl_version, verify_mode};

/// A TLS profile under construction: version, verification, trust files, client identity,
/// cipher suites. Defaults are secure: verification on, TLS 1.2, no files, the module's
/// cipher suites.
///
/// Thread safety: not thread-safe while being changed (`l610_tls_profile_set_*`/`_add_*`);
/// once built, several threads may apply it at once.
///
/// Ownership: created by `l610_tls_profile_new`, released by `l610_tls_profile_free`. A modem
/// keeps its own copy (`l610_modem_set_profile`), so the profile may be freed right after use.
pub struct l610_tls_profile {
    profile: TlsProfile,
}

/// Run `f` on a profile being built.
///
/// # Safety
/// `profile` is NULL or a live handle used by no other thread.
unsafe fn with_profile(
    profile: *mut l610_tls_profile,
    f: impl FnOnce(&mut TlsProfile) -> FfiResult,
) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        let r = unsafe { arg_mut(profile, "profile") }.and_then(|p| f(&mut p.profile));
        match r {
            Ok(()) => L610_OK,
            Err(e) => e.status(),
        }
    })
}

/// Create a profile with the defaults; the caller owns `*out_profile`.
#[no_mangle]
pub unsafe extern "C" fn l610_tls_profile_new(
    out_profile: *mut *mut l610_tls_profile,
) -> l610_status {
    ffi_boundary!({
        match out(out_profile, "out_profile") {
            Ok(p) => {
                let handle = Box::new(l610_tls_profile {
                    profile: TlsProfile::new(),
                });
                // SAFETY: checked non-NULL.
                unsafe { put(p, Box::into_raw(handle)) };
                L610_OK
            }
            Err(f) => f.status(),
        }
    })
}

/// Release a profile. NULL is a no-op.
#[no_mangle]
pub unsafe extern "C" fn l610_tls_profile_free(profile: *mut l610_tls_profile) {
    ffi_boundary!(void {
        // SAFETY: the caller's contract.
        unsafe { free_box(profile) }
    });
}

/// Set the protocol version (an `l610_ssl_version` value).
#[no_mangle]
pub unsafe extern "C" fn l610_tls_profile_set_version(
    profile: *mut l610_tls_profile,
    version: u32,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_profile(profile, |p| {
            p.version = ssl_version(version)?;
            Ok(())
        })
    }
}

/// Set the verification mode (an `l610_verify_mode` value).
#[no_mangle]
pub unsafe extern "C" fn l610_tls_profile_set_verify(
    profile: *mut l610_tls_profile,
    mode: u32,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_profile(profile, |p| {
            p.verify = verify_mode(mode)?;
            Ok(())
        })
    }
}

/// Add a trust file (a CA certificate, PEM or DER; the bytes are copied). Checked when the
/// profile is applied.
#[no_mangle]
pub unsafe extern "C" fn l610_tls_profile_add_trust_file(
    profile: *mut l610_tls_profile,
    data: *const u8,
    len: usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_profile(profile, |p| {
            if data.is_null() {
                return Err(Fail::Null("data"));
            }
            p.trust_files.push(bytes_arg(data, len, "data")?.to_vec());
            Ok(())
        })
    }
}

/// Set the client certificate and private key for two-way authentication (PEM or DER; copied).
#[no_mangle]
pub unsafe extern "C" fn l610_tls_profile_set_client_identity(
    profile: *mut l610_tls_profile,
    cert: *const u8,
    cert_len: usize,
    key: *const u8,
    key_len: usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_profile(profile, |p| {
            if cert.is_null() {
                return Err(Fail::Null("cert"));
            }
            if key.is_null() {
                return Err(Fail::Null("key"));
            }
            let cert = bytes_arg(cert, cert_len, "cert")?.to_vec();
            let key = bytes_arg(key, key_len, "key")?.to_vec();
            p.client_identity = Some((cert, key));
            Ok(())
        })
    }
}

/// Enable exactly the suites `ids[0..count]` when applied (`count` 0: disable all, so the module
/// uses its defaults; `ids` may then be NULL). Without this call the module's choice is left
/// alone.
#[no_mangle]
pub unsafe extern "C" fn l610_tls_profile_set_ciphers(
    profile: *mut l610_tls_profile,
    ids: *const u8,
    count: usize,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_profile(profile, |p| {
            let suites = bytes_arg(ids, count, "ids")?
                .iter()
                .map(|id| cipher(*id))
                .collect::<FfiResult<Vec<_>>>()?;
            p.ciphers = Some(suites);
            Ok(())
        })
    }
}

/// Check every file of the profile (and that verification has a trust file) without touching a
/// module.
#[no_mangle]
pub unsafe extern "C" fn l610_tls_profile_validate(
    profile: *const l610_tls_profile,
) -> l610_status {
    ffi_boundary!({
        // SAFETY: the caller's contract.
        let r = unsafe { arg(profile, "profile") }
            .and_then(|p| p.profile.validate().map_err(Fail::from));
        match r {
            Ok(()) => L610_OK,
            Err(e) => e.status(),
        }
    })
}

/// Apply every setting of `profile` to the module now. Files cannot be deleted from the
/// module: they are uploaded only when it holds fewer than the profile.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_apply_profile(
    modem: *const l610_modem,
    profile: *const l610_tls_profile,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = arg(profile, "profile")?;
            Ok(m.modem.apply_profile(&p.profile).map(drop)?)
        })
    }
}

/// Remember a copy of `profile` on the modem and apply it now; with `auto_reapply`, apply it
/// again before the next command after every module restart.
#[no_mangle]
pub unsafe extern "C" fn l610_modem_set_profile(
    modem: *const l610_modem,
    profile: *const l610_tls_profile,
    auto_reapply: bool,
) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe {
        with_modem(modem, |m| {
            let p = arg(profile, "profile")?;
            Ok(m.modem
                .set_profile(p.profile.clone(), auto_reapply)
                .map(drop)?)
        })
    }
}

/// Apply the profile remembered by `l610_modem_set_profile` again now
/// (`L610_INVALID_ARGUMENT` if none was set).
#[no_mangle]
pub unsafe extern "C" fn l610_modem_reapply_profile(modem: *const l610_modem) -> l610_status {
    // SAFETY: forwarded contract.
    unsafe { with_modem(modem, |m| Ok(m.modem.reapply_profile().map(drop)?)) }
}
