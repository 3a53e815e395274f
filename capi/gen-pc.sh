#!/usr/bin/env bash
# Write a pkg-config file for libl610.
#   capi/gen-pc.sh PREFIX [OUT]     (OUT defaults to stdout)
# The version comes from the crate (capi/Cargo.toml -> workspace version).
set -euo pipefail
prefix="${1:?usage: capi/gen-pc.sh PREFIX [OUT]}"
out="${2:-/dev/stdout}"
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(sed -n 's/^#define L610_VERSION "\(.*\)"$/\1/p' "$root/include/l610.h")"
[ -n "$version" ] || { echo "gen-pc: no L610_VERSION in include/l610.h" >&2; exit 1; }
cat > "$out" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: l610
Description: Driver for the TLS stack of the Fibocom L610 LTE module (AT+GTSSL*, AT+MIP*)
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -ll610
Libs.private: -lpthread -ldl -lm -lrt -lutil -lgcc_s
PC
