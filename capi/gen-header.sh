#!/usr/bin/env bash
# Regenerate include/l610.h from capi/src with cbindgen (pinned in Cargo.lock).
#   capi/gen-header.sh            write include/l610.h
#   capi/gen-header.sh --verify   fail (and print a diff) if the committed header is stale
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
status=0
cargo run -q -p l610-capi --features gen-header --bin l610-gen-header -- "$@" || status=$?
[ "$status" = 0 ] && exit 0
if [ "${1:-}" = "--verify" ] && [ -f "${TMPDIR:-/tmp}/l610.h.fresh" ]; then
    diff -u include/l610.h "${TMPDIR:-/tmp}/l610.h.fresh" || true
fi
exit "$status"
