#!/usr/bin/env bash
# Install libl610 (shared and static), l610.h and l610.pc under PREFIX.
#   cargo build --release -p l610-capi && capi/install.sh /usr/local
# Environment: PROFILE (release; "debug" for a debug build), DESTDIR (staging root).
set -euo pipefail
prefix="${1:?usage: capi/install.sh PREFIX}"
root="$(cd "$(dirname "$0")/.." && pwd)"
profile="${PROFILE:-release}"
target="${CARGO_TARGET_DIR:-$root/target}/$profile"
dest="${DESTDIR:-}$prefix"
for f in libl610.so libl610.a; do
    [ -f "$target/$f" ] || { echo "install: $target/$f missing (cargo build --profile $profile -p l610-capi)" >&2; exit 1; }
done
version="$(sed -n 's/^#define L610_VERSION "\(.*\)"$/\1/p' "$root/include/l610.h")"
install -d "$dest/lib/pkgconfig" "$dest/include"
# No SONAME yet (0.x: every minor version may break the ABI), so no versioned links either.
install -m 0755 "$target/libl610.so" "$dest/lib/libl610.so"
install -m 0644 "$target/libl610.a" "$dest/lib/libl610.a"
install -m 0644 "$root/include/l610.h" "$dest/include/l610.h"
"$root/capi/gen-pc.sh" "$prefix" "$dest/lib/pkgconfig/l610.pc"
echo "installed libl610 $version under $dest"
