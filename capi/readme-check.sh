#!/usr/bin/env bash
# Follow the C commands of README.md literally — the block after the line
# "capi/readme-check.sh runs the next block as written" — with PREFIX a fresh directory, then
# check what they built (shared programs need libl610.so.0.1, static ones no libl610 at all)
# and run every program against the virtual L610 and openssl s_server. Run by capi/ci.sh, so
# the README's instructions cannot go wrong unnoticed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$(mktemp -d "${TMPDIR:-/tmp}/l610-readme.XXXXXX")"
# shellcheck source=capi/testlib.sh
. "$root/capi/testlib.sh"
made=(examples/c/app examples/c/app-static examples/c/build)
cleanup() {
    testlib_cleanup
    rm -rf "$work" "${made[@]}"
    make -s -C examples/c clean
}
trap cleanup EXIT

target="${CARGO_TARGET_DIR:-$root/target}/debug"
[ -x "$target/l610-sim" ] || cargo build -q -p l610-sim

block="$(awk '/capi\/readme-check.sh runs the next block as written/ { found = 1; next }
              found && !inside && /^```sh$/ { inside = 1; next }
              inside && /^```$/ { exit }
              inside { print }' README.md)"
[ -n "$block" ] || { echo "readme-check: no marked C block in README.md"; exit 1; }
rm -rf "${made[@]}"
make -s -C examples/c clean

echo "readme-check: running the README's C commands with PREFIX=$work/prefix"
printf '%s\n' "$block" | sed 's/^/    /'
PREFIX="$work/prefix" bash -euo pipefail -c "$block"

needs() {
    local got
    got="$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(libl610[^]]*\)\]/\1/p')"
    [ "${got:--}" = "$2" ] || { echo "readme-check: $1 needs ${got:-no libl610}, expected $2"; exit 1; }
}
shared=(examples/c/app examples/c/build/tls_client examples/c/tls_client examples/c/firmware_loop)
static=(examples/c/app-static examples/c/build/tls_client_static examples/c/build/firmware_loop_static)
for p in "${shared[@]}"; do needs "$p" libl610.so.0.1; done
for p in "${static[@]}"; do needs "$p" -; done

start_tls_server
for p in "${shared[@]}" "${static[@]}"; do
    run_client "readme $p" "$p"
done
echo "readme-check: the README's C commands work as written (${#shared[@]} shared, ${#static[@]} static programs ran)"
