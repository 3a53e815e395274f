#!/usr/bin/env bash
# Write the pkg-config files of libl610 into DIR:
#   l610.pc         shared:  cc app.c $(pkg-config --cflags --libs l610)
#   l610-static.pc  static:  cc app.c $(pkg-config --cflags --libs --static l610-static)
# A separate module for the static form, because `-ll610` picks libl610.so whenever it sits
# beside libl610.a: l610-static names the archive itself, so it really links statically.
#
#   capi/gen-pc.sh PREFIX DIR [LIBDIR [NATIVE_STATIC_LIBS]]   (LIBDIR below PREFIX: lib)
# The version comes from include/l610.h (the crate version).
set -euo pipefail
prefix="${1:?usage: capi/gen-pc.sh PREFIX DIR [LIBDIR [NATIVE_STATIC_LIBS]]}"
dir="${2:?usage: capi/gen-pc.sh PREFIX DIR [LIBDIR [NATIVE_STATIC_LIBS]]}"
libdir="${3:-lib}"
native="${4:--lgcc_s -lutil -lrt -lpthread -lm -ldl -lc}"
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(sed -n 's/^#define L610_VERSION "\(.*\)"$/\1/p' "$root/include/l610.h")"
[ -n "$version" ] || { echo "gen-pc: no L610_VERSION in include/l610.h" >&2; exit 1; }
mkdir -p "$dir"
cat > "$dir/l610.pc" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/$libdir
includedir=\${prefix}/include

Name: l610
Description: Driver for the TLS stack of the Fibocom L610 LTE module (AT+GTSSL*, AT+MIP*)
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -ll610
PC
cat > "$dir/l610-static.pc" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/$libdir
includedir=\${prefix}/include

Name: l610-static
Description: libl610 linked statically (libl610.a and the system libraries it needs)
Version: $version
Cflags: -I\${includedir}
Libs: \${libdir}/libl610.a $native
PC
