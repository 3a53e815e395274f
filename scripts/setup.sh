#!/usr/bin/env bash
# Everything the project needs beyond cargo and python3, installed only where missing, so a fresh
# Debian machine (or CI) gets it and a set-up machine pays nothing:
#   - openssl CLI (the tests' TLS server, `openssl s_server`, and certificate making)
#   - libssl-dev + pkg-config (the virtual L610's TLS, openssl crate)
#   - valgrind (the C suite), g++ (the C++ header check), cmake (the C suite's CMake consumer of
#     the installed package)
#   - ser2net (core/tests/ser2net.rs: the module served over TCP the way racks of modems are)
#   - cargo-fuzz, from crates.io, where a nightly toolchain is installed (fuzz/run.sh; without
#     either the fuzzing step says why and skips)
# Python tools (maturin, pytest, mypy, pyserial, nbclient, matplotlib) go into python/.venv via
# python/ci.sh. The Python package builds OpenSSL from source (perl, make: part of Debian's
# base and build-essential) and links it in, so maturin needs no patchelf (it has nothing to
# repair) and libssl-dev is only for the other crates.
set -euo pipefail

need=()
command -v openssl >/dev/null || need+=(openssl)
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists openssl 2>/dev/null || need+=(libssl-dev)
command -v valgrind >/dev/null || need+=(valgrind)
command -v g++ >/dev/null || need+=(g++)
command -v cmake >/dev/null || need+=(cmake)
command -v readelf >/dev/null || need+=(binutils)
# /usr/sbin is not on every user's PATH.
command -v ser2net >/dev/null || [ -x /usr/sbin/ser2net ] || need+=(ser2net)
command -v cc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
command -v perl >/dev/null || need+=(perl)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)

if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi
command -v cargo >/dev/null || { echo "setup: cargo (rustup) is required" >&2; exit 1; }

# cargo-fuzz needs nightly (libFuzzer's instrumentation); rustup cannot fetch a toolchain here,
# so it is installed only where one is present. A failed install does not stop the tests: the
# fuzzing step then reports that it was skipped.
if cargo +nightly --version >/dev/null 2>&1 && ! cargo fuzz --version >/dev/null 2>&1; then
    echo "setup: installing cargo-fuzz (cargo install cargo-fuzz --locked)"
    cargo install cargo-fuzz --locked --quiet ||
        echo "setup: WARNING: cargo-fuzz did not install; fuzz/run.sh will skip the fuzz targets" >&2
fi
