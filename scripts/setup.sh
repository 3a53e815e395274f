#!/usr/bin/env bash
# Everything the project needs beyond cargo and python3, installed only where missing, so a fresh
# Debian machine (or CI) gets it and a set-up machine pays nothing:
#   - openssl CLI (the tests' TLS server, `openssl s_server`, and certificate making)
#   - libssl-dev + pkg-config (the virtual L610's TLS, openssl crate)
#   - valgrind (the C suite), g++ (the C++ header check)
# Python tools (maturin, pytest, mypy, pyserial, nbclient) go into python/.venv via python/ci.sh.
set -euo pipefail

need=()
command -v openssl >/dev/null || need+=(openssl)
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists openssl 2>/dev/null || need+=(libssl-dev)
command -v valgrind >/dev/null || need+=(valgrind)
command -v g++ >/dev/null || need+=(g++)
command -v cc >/dev/null || need+=(gcc)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)

if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi
command -v cargo >/dev/null || { echo "setup: cargo (rustup) is required" >&2; exit 1; }
