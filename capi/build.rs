//! Gives libl610.so its SONAME on ELF targets: `libl610.so.0.<minor>` while the version is 0.x
//! (every minor version may break the ABI), `libl610.so.<major>` from 1.0 on. Programs record
//! that name, so an ABI break is a new file beside the old one, never a crash at run time.
//! `capi/install.sh` installs the file under the full version with the two usual links.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(
        os.as_str(),
        "linux"
            | "android"
            | "freebsd"
            | "netbsd"
            | "openbsd"
            | "dragonfly"
            | "solaris"
            | "illumos"
    );
    if elf {
        let major = env!("CARGO_PKG_VERSION_MAJOR");
        let minor = env!("CARGO_PKG_VERSION_MINOR");
        let soname = if major == "0" {
            format!("libl610.so.0.{minor}")
        } else {
            format!("libl610.so.{major}")
        };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
