#!/usr/bin/env bash
# The C API's checks, from a fresh machine with cargo, a C toolchain and openssl:
#  1. build libl610 (.so, .a) and the virtual L610; the Rust unit tests of capi/
#  2. include/l610.h is what cbindgen generates now (stale header = failure)
#  3. examples/c build warning-free (-std=c99 -Wall -Wextra -Wpedantic -Werror; g++ -Werror)
#  4. install.sh from a cross target directory into a staging root (multiarch LIBDIR): SONAME
#     and links, pkg-config (shared, and static that really is static) and CMake consumers;
#     then the README's C commands as written (capi/readme-check.sh), programs run on l610-sim
#  5. the C suite (capi/tests/*.c), tls_client (threaded API) and firmware_loop (thread-free API,
#     one poll loop) against l610-sim + openssl s_server:
#     under AddressSanitizer + UBSan, then under valgrind (no errors, no leaks)
#  6. the no_std libl610_nostd.a (capi-proto/): no std inside; test_session and firmware_loop
#     linked with it and the C library only, under ASan/UBSan and valgrind
# Exits non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
start=$(date +%s)
step() { printf '\n== capi: %s (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

work="$(mktemp -d "${TMPDIR:-/tmp}/l610-capi.XXXXXX")"
# shellcheck source=capi/testlib.sh
. "$root/capi/testlib.sh"
cleanup() {
    testlib_cleanup
    rm -rf "$work"
}
trap cleanup EXIT

target="${CARGO_TARGET_DIR:-$root/target}/debug"
CC="${CC:-gcc}"
CXX="${CXX:-g++}"
STATIC_LIBS="$target/libl610.a -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
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

step "install from a cross target directory into a staging root; pkg-config and CMake consumers"
# The layout of `cargo build --target T` (target/T/debug), a multiarch LIBDIR and DESTDIR: what
# a cross build for a sysroot does. The host's own libraries stand in for the target's.
xtarget="$work/cargo-target/x86_64-unknown-linux-gnu/debug"
mkdir -p "$xtarget"
cp "$target/libl610.so" "$target/libl610.a" "$xtarget/"
stage="$work/stage"
multi="lib/x86_64-linux-gnu"
CARGO_TARGET_DIR="$work/cargo-target" TARGET=x86_64-unknown-linux-gnu PROFILE=debug \
    LIBDIR="$multi" DESTDIR="$stage" capi/install.sh /usr/local
version="$(sed -n 's/^#define L610_VERSION "\(.*\)"$/\1/p' include/l610.h)"
for f in "libl610.so.$version" libl610.so.0.1 libl610.so libl610.a pkgconfig/l610.pc \
    pkgconfig/l610-static.pc cmake/l610/l610Config.cmake cmake/l610/l610ConfigVersion.cmake; do
    [ -e "$stage/usr/local/$multi/$f" ] || { echo "capi: install left out $multi/$f"; exit 1; }
done
[ "$(readlink "$stage/usr/local/$multi/libl610.so")" = libl610.so.0.1 ]
[ "$(readlink "$stage/usr/local/$multi/libl610.so.0.1")" = "libl610.so.$version" ]
readelf -d "$stage/usr/local/$multi/libl610.so.$version" | grep -q 'Library soname: \[libl610.so.0.1\]'
export PKG_CONFIG_PATH="$stage/usr/local/$multi/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage"
[ "$(pkg-config --modversion l610)" = "$version" ]
[ "$(pkg-config --modversion l610-static)" = "$version" ]
# shellcheck disable=SC2046
$CC $CSTRICT -o "$work/tls_client_shared" examples/c/tls_client.c $(pkg-config --cflags --libs l610)
# shellcheck disable=SC2046
$CC $CSTRICT -o "$work/tls_client_static" examples/c/tls_client.c \
    $(pkg-config --cflags --libs --static l610-static)
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
# needs FILE SONAME (or "-" for none): what the dynamic section says about libl610.
needs() {
    local got
    got="$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(libl610[^]]*\)\]/\1/p')"
    [ "${got:--}" = "$2" ] || { echo "capi: $1 needs ${got:-no libl610}, expected $2"; exit 1; }
}
needs "$work/tls_client_shared" libl610.so.0.1
needs "$work/tls_client_static" -
# Without arguments it prints its usage and exits 2: proof that it loads (the staged library).
for p in tls_client_shared tls_client_static; do
    rc=0
    LD_LIBRARY_PATH="$stage/usr/local/$multi" "$work/$p" > /dev/null 2>&1 || rc=$?
    [ "$rc" = 2 ] || { echo "capi: installed $p exited $rc"; exit 1; }
done
if command -v cmake > /dev/null; then
    cmake -S examples/c -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$stage/usr/local" > /dev/null
    cmake --build "$work/cmake-build" > /dev/null
    needs "$work/cmake-build/tls_client" libl610.so.0.1
    needs "$work/cmake-build/tls_client_static" -
    needs "$work/cmake-build/firmware_loop_static" -
else
    echo "capi: cmake missing (scripts/setup.sh installs it); the CMake package was not tried"
    exit 1
fi

step "the README's C commands, as written (fresh prefix; pkg-config and CMake; shared and static)"
bash capi/readme-check.sh

step "test certificates and openssl s_server"
start_tls_server

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
run_client "asan tls_client" "$work/asan/tls_client"
run_client "asan firmware_loop" "$work/asan/firmware_loop"
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
run_client "valgrind tls_client" $VG examples/c/tls_client
# shellcheck disable=SC2086
run_client "valgrind firmware_loop" $VG examples/c/firmware_loop
# shellcheck disable=SC2086
$VG examples/c/double_include

step "tls_client over socket:// through ser2net (a module on another host)"
ser2net_bin="$(command -v ser2net || true)"
[ -n "$ser2net_bin" ] || { [ -x /usr/sbin/ser2net ] && ser2net_bin=/usr/sbin/ser2net; }
if [ -n "$ser2net_bin" ]; then
    start_sim
    s2n_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    printf 'connection: &l610\n    accepter: tcp,127.0.0.1,%s\n    connector: serialdev,%s,115200n81,local\n    options:\n      mdns: false\n' \
        "$s2n_port" "$L610_PTY" > "$work/ser2net.yaml"
    "$ser2net_bin" -n -u -c "$work/ser2net.yaml" -P "$work/ser2net.pid" > "$work/ser2net.out" 2>&1 &
    s2n_pid=$!
    rc=1
    for _ in $(seq 100); do
        # Retried while ser2net starts; tls_client prints the reply only once it got one.
        if examples/c/tls_client "socket://127.0.0.1:$s2n_port" 127.0.0.1 "$L610_TLS_PORT" "$L610_CA" \
            > "$work/reply.txt" 2> "$work/ser2net-client.err"; then rc=0; break; fi
        grep -q "PDP active" "$work/ser2net-client.err" && break
        sleep 0.1
    done
    kill "$s2n_pid" 2>/dev/null || true
    wait "$s2n_pid" 2>/dev/null || true
    stop_sim
    [ "$rc" = 0 ] && grep -q '^HTTP/1.0 200' "$work/reply.txt" ||
        { echo "capi: tls_client through ser2net failed:"; cat "$work/ser2net-client.err"; exit 1; }
else
    echo "capi: SKIPPED: ser2net is not installed (scripts/setup.sh installs it)"
fi

step "the no_std library (capi-proto/): libl610_nostd.a, linked with nothing but the C library"
# Its own workspace (panic = "abort"), built with the main workspace's lock file.
cp Cargo.lock capi-proto/Cargo.lock
cargo build --release --manifest-path capi-proto/Cargo.toml --target-dir "$root/target/capi-proto"
nostd="$root/target/capi-proto/release/libl610_nostd.a"
if nm -C "$nostd" 2>/dev/null | grep -q ' std::'; then
    echo "capi: libl610_nostd.a contains std symbols:"; nm -C "$nostd" | grep ' std::' | head; exit 1
fi
[ "$(sed -n 's/^version = "\(.*\)"$/\1/p' capi-proto/Cargo.toml)" = "$version" ] ||
    { echo "capi: capi-proto's version is not $version"; exit 1; }
mkdir -p "$work/nostd"
for prog in capi/tests/test_session.c examples/c/firmware_loop.c; do
    name="$(basename "$prog" .c)"
    # shellcheck disable=SC2086
    $CC $CSTRICT $SAN -Iinclude -o "$work/nostd/$name-asan" "$prog" "$nostd"
    # shellcheck disable=SC2086
    $CC $CSTRICT -Iinclude -o "$work/nostd/$name" "$prog" "$nostd"
    # No thread library in the program at all (glibc has pthread in libc: look at the symbols).
    if nm "$work/nostd/$name" | grep -q 'pthread_create'; then
        echo "capi: $name linked against libl610_nostd.a refers to pthread_create"; exit 1
    fi
done
run "nostd asan test_session" "$work/nostd/test_session-asan" | tee -a "$work/suites.out"
# shellcheck disable=SC2086
run "nostd valgrind test_session" $VG "$work/nostd/test_session" | tee -a "$work/suites.out"
run_client "nostd asan firmware_loop" "$work/nostd/firmware_loop-asan"
# shellcheck disable=SC2086
run_client "nostd valgrind firmware_loop" $VG "$work/nostd/firmware_loop"

step "all C API checks passed"
# One closing line over every suite run ("N passed, N failed").
awk '/^[0-9]+ passed, [0-9]+ failed$/ { p += $1; f += $3 } END { printf "capi: %d passed, %d failed\n", p, f }' \
    "$work/suites.out"
