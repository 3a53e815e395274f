#!/usr/bin/env bash
# The C API's checks, from a fresh machine with cargo, a C toolchain and openssl:
#  1. build libl610 (.so, .a) and the virtual L610; the Rust unit tests of capi/
#  2. include/l610.h is what cbindgen generates now (stale header = failure)
#  3. examples/c build warning-free (-std=c99 -Wall -Wextra -Wpedantic -Werror; g++ -Werror)
#  4. an install into a staging prefix, and tls_client built from it with pkg-config
#  5. the C suite (capi/tests/*.c), tls_client (threaded API) and firmware_loop (thread-free API,
#     one poll loop) against l610-sim + openssl s_server:
#     under AddressSanitizer + UBSan, then under valgrind (no errors, no leaks)
# Exits non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
start=$(date +%s)
step() { printf '\n== capi: %s (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

work="$(mktemp -d "${TMPDIR:-/tmp}/l610-capi.XXXXXX")"
server_pid=""
sim_pid=""
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

target="${CARGO_TARGET_DIR:-$root/target}/debug"
CC="${CC:-gcc}"
CXX="${CXX:-g++}"
STATIC_LIBS="$target/libl610.a -lpthread -ldl -lm -lrt -lutil -lgcc_s"
CSTRICT="-std=c99 -Wall -Wextra -Wpedantic -Werror -g -O1"

step "build libl610 and l610-sim"
cargo build -p l610-capi -p l610-sim
cargo test -q -p l610-capi --lib

step "header is fresh"
capi/gen-header.sh --verify

step "examples build warning-free"
make -s -C examples/c clean
make -C examples/c CC="$CC" CXX="$CXX" LIBDIR="$target"
examples/c/double_include

step "install into a staging prefix; build against it with pkg-config"
DESTDIR="$work/stage" PROFILE=debug capi/install.sh /usr/local
export PKG_CONFIG_PATH="$work/stage/usr/local/lib/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$work/stage"
if command -v pkg-config >/dev/null; then
    pc_cflags="$(pkg-config --cflags l610)"
    pc_libs="$(pkg-config --libs l610)"
    [ "$(pkg-config --modversion l610)" = "$(sed -n 's/^#define L610_VERSION "\(.*\)"$/\1/p' include/l610.h)" ]
else
    pc_cflags="-I$work/stage/usr/local/include"
    pc_libs="-L$work/stage/usr/local/lib -ll610"
fi
# shellcheck disable=SC2086
$CC $CSTRICT $pc_cflags -o "$work/tls_client_installed" examples/c/tls_client.c $pc_libs
# Without arguments it prints its usage and exits 2: proof that it loads the installed library.
rc=0
LD_LIBRARY_PATH="$work/stage/usr/local/lib" "$work/tls_client_installed" > /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || { echo "capi: installed tls_client exited $rc"; exit 1; }

step "test certificates and openssl s_server"
pki="$work/pki"
mkdir -p "$pki"
(
    cd "$pki"
    ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
    # shellcheck disable=SC2086
    openssl req -x509 $ec -keyout ca.key -out ca.pem -days 30 -subj /CN=l610-test-ca 2>/dev/null
    # shellcheck disable=SC2086
    openssl req $ec -keyout server.key -out server.csr -subj /CN=127.0.0.1 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\n' > server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
        -extfile server.ext -out server.pem 2>/dev/null
    # shellcheck disable=SC2086
    openssl req $ec -keyout client.key -out client.csr -subj /CN=l610-client 2>/dev/null
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
        -out client.pem 2>/dev/null
)
# Port 0: the kernel picks a free port, which s_server prints as "ACCEPT 127.0.0.1:<port>".
# Created before the background process opens it, so the polling below never misses it.
: > "$work/server.out"
openssl s_server -accept 127.0.0.1:0 -cert "$pki/server.pem" -key "$pki/server.key" -www \
    < /dev/null > "$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    port="$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$work/server.out")"
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "capi: s_server did not start:"; cat "$work/server.out"; exit 1; }
export L610_TLS_PORT="$port" L610_CA="$pki/ca.pem"
export L610_CLIENT_CERT="$pki/client.pem" L610_CLIENT_KEY="$pki/client.key"

# Each program gets a fresh virtual module (files loaded on it cannot be deleted).
start_sim() {
    : > "$work/sim.out"
    "$target/l610-sim" > "$work/sim.out" 2>&1 &
    sim_pid=$!
    L610_PTY=""
    for _ in $(seq 100); do
        L610_PTY="$(sed -n 's/^pty: //p' "$work/sim.out")"
        [ -n "$L610_PTY" ] && break
        sleep 0.1
    done
    [ -n "$L610_PTY" ] || { echo "capi: l610-sim did not start:"; cat "$work/sim.out"; exit 1; }
    export L610_PTY
}
stop_sim() {
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=""
}
# run NAME CMD...: run against a fresh module (an argument @PTY@ becomes its path).
run() {
    local name="$1"
    shift
    start_sim
    echo "-- $name"
    local args=() a rc=0
    for a in "$@"; do
        if [ "$a" = "@PTY@" ]; then args+=("$L610_PTY"); else args+=("$a"); fi
    done
    "${args[@]}" || rc=$?
    stop_sim
    if [ "$rc" != 0 ]; then
        echo "capi: $name failed (exit $rc)"
        exit 1
    fi
}

step "C suite and tls_client under AddressSanitizer + UBSan"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
mkdir -p "$work/asan" "$work/plain"
for t in capi/tests/*.c; do
    # shellcheck disable=SC2086
    $CC $CSTRICT $SAN -Iinclude -o "$work/asan/$(basename "$t" .c)" "$t" $STATIC_LIBS
done
make -s -C examples/c clean
make -C examples/c CC="$CC" CXX="$CXX" LIBDIR="$target" STATIC=1 SANITIZE="$SAN"
cp examples/c/tls_client examples/c/firmware_loop examples/c/double_include "$work/asan/"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for t in capi/tests/*.c; do
    run "asan $(basename "$t" .c)" "$work/asan/$(basename "$t" .c)" | tee -a "$work/suites.out"
done
run "asan tls_client" "$work/asan/tls_client" @PTY@ 127.0.0.1 "$L610_TLS_PORT" "$L610_CA" > "$work/reply.txt"
grep -q '^HTTP/1.0 200' "$work/reply.txt" || { echo "capi: tls_client printed no HTTP reply"; exit 1; }
run "asan firmware_loop" "$work/asan/firmware_loop" @PTY@ 127.0.0.1 "$L610_TLS_PORT" "$L610_CA" > "$work/reply.txt"
grep -q '^HTTP/1.0 200' "$work/reply.txt" || { echo "capi: firmware_loop printed no HTTP reply"; exit 1; }
"$work/asan/double_include"

step "C suite and tls_client under valgrind"
if ! command -v valgrind > /dev/null; then
    apt-get update -qq && apt-get install -y -qq valgrind
fi
for t in capi/tests/*.c; do
    # shellcheck disable=SC2086
    $CC $CSTRICT -Iinclude -o "$work/plain/$(basename "$t" .c)" "$t" $STATIC_LIBS
done
make -s -C examples/c clean
make -C examples/c CC="$CC" CXX="$CXX" LIBDIR="$target"
VG="valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect"
VG="$VG --show-leak-kinds=definite,indirect"
for t in capi/tests/*.c; do
    # shellcheck disable=SC2086
    run "valgrind $(basename "$t" .c)" $VG "$work/plain/$(basename "$t" .c)" | tee -a "$work/suites.out"
done
# The shared library this time, as a C user links it.
# shellcheck disable=SC2086
run "valgrind tls_client" $VG examples/c/tls_client @PTY@ 127.0.0.1 "$L610_TLS_PORT" "$L610_CA" > "$work/reply.txt"
grep -q '^HTTP/1.0 200' "$work/reply.txt" || { echo "capi: tls_client printed no HTTP reply"; exit 1; }
# shellcheck disable=SC2086
run "valgrind firmware_loop" $VG examples/c/firmware_loop @PTY@ 127.0.0.1 "$L610_TLS_PORT" "$L610_CA" > "$work/reply.txt"
grep -q '^HTTP/1.0 200' "$work/reply.txt" || { echo "capi: firmware_loop printed no HTTP reply"; exit 1; }
# shellcheck disable=SC2086
$VG examples/c/double_include

step "all C API checks passed"
# One closing line over every suite run ("N passed, N failed").
awk '/^[0-9]+ passed, [0-9]+ failed$/ { p += $1; f += $3 } END { printf "capi: %d passed, %d failed\n", p, f }' \
    "$work/suites.out"
