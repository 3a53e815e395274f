#!/usr/bin/env bash
# Proof that l610-proto, with its default features and every dependency, builds without std
# (proto/nostd-check/Cargo.toml says how). Part of `make test`.
#   bash scripts/check-nostd.sh                   the check: must build
#   bash scripts/check-nostd.sh --prove-it-fails  the same crate plus a dependency that uses std:
#                                                 must fail with the duplicate `panic_impl`
set -euo pipefail
cd "$(dirname "$0")/.."
dir=proto/nostd-check
out=$PWD/target/nostd-check
mkdir -p "$out"
# The main workspace's lock file: the check proves the dependency versions the driver ships with.
cp Cargo.lock "$dir/Cargo.lock"
build=(cargo build --quiet --manifest-path "$dir/Cargo.toml" --target-dir "$out")

if [ "${1:-}" = "--prove-it-fails" ]; then
    if "${build[@]}" --features link-std 2>"$out/link-std.log"; then
        echo "check-nostd: FAILED: the check crate built with std linked in; it proves nothing" >&2
        exit 1
    fi
    if ! grep -q "duplicate lang item" "$out/link-std.log"; then
        cat "$out/link-std.log" >&2
        echo "check-nostd: FAILED: the std build failed, but not for the duplicate lang item" >&2
        exit 1
    fi
    echo "check-nostd: with a std-using dependency the build fails, as it must:"
    grep -m1 -A1 "duplicate lang item" "$out/link-std.log" | sed 's/^/    /'
    exit 0
fi

if ! "${build[@]}" 2>"$out/build.log"; then
    cat "$out/build.log" >&2
    if grep -q "duplicate lang item" "$out/build.log"; then
        echo "check-nostd: FAILED: l610-proto or one of its dependencies links std" \
            "(see \`cargo tree -e features -p l610-proto\`: a dependency with its \"std\" feature on?)" >&2
    else
        echo "check-nostd: FAILED: the no_std check crate does not build" >&2
    fi
    exit 1
fi
lib=$out/debug/libl610_proto_nostd_check.so
nm -D --defined-only "$lib" | grep -qw l610_proto_nostd_check ||
    { echo "check-nostd: FAILED: $lib does not export the check function" >&2; exit 1; }
if nm -C "$lib" | grep -q ' std::'; then
    echo "check-nostd: FAILED: $lib contains std symbols:" >&2
    nm -C "$lib" | grep ' std::' | head >&2
    exit 1
fi
echo "check-nostd: l610-proto links into a #![no_std] cdylib (own panic handler and allocator, panic=abort): no std"
