//! Writes `include/l610.h` with cbindgen (a library here, so the version is pinned by
//! Cargo.lock and nothing but cargo is needed). Usage: `l610-gen-header [OUT | --verify]`;
//! normally run through `capi/gen-header.sh`.
//!
//! `--verify` regenerates into memory and fails if the committed header differs.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let header = crate_dir
        .parent()
        .expect("capi/ has a parent")
        .join("include/l610.h");
    let arg = std::env::args().nth(1);

    let mut config = match cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("gen-header: {e}");
            return ExitCode::FAILURE;
        }
    };
    let version = env!("CARGO_PKG_VERSION");
    let mut parts = version.split(['.', '-', '+']);
    let mut next = || parts.next().unwrap_or("0").to_owned();
    let (major, minor, patch) = (next(), next(), next());
    config.after_includes = Some(format!(
        "\n/** Version of this header; compare with l610_version() at run time. */\n\
         #define L610_VERSION \"{version}\"\n\
         #define L610_VERSION_MAJOR {major}\n\
         #define L610_VERSION_MINOR {minor}\n\
         #define L610_VERSION_PATCH {patch}\n"
    ));

    let bindings = match cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
    {
        Ok(b) => b,
        Err(e) => {
            eprintln!("gen-header: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut text = Vec::new();
    bindings.write(&mut text);

    match arg.as_deref() {
        Some("--verify") => {
            let committed = std::fs::read(&header).unwrap_or_default();
            if committed == text {
                println!("gen-header: {} is up to date", header.display());
                ExitCode::SUCCESS
            } else {
                let fresh = std::env::temp_dir().join("l610.h.fresh");
                let _ = std::fs::write(&fresh, &text);
                eprintln!(
                    "gen-header: {} is stale (fresh copy in {}); run capi/gen-header.sh and commit it",
                    header.display(),
                    fresh.display()
                );
                ExitCode::FAILURE
            }
        }
        other => {
            let out = other.map(PathBuf::from).unwrap_or(header);
            if let Err(e) = std::fs::write(&out, &text) {
                eprintln!("gen-header: {}: {e}", out.display());
                return ExitCode::FAILURE;
            }
            println!("gen-header: wrote {}", out.display());
            ExitCode::SUCCESS
        }
    }
}
