#!/usr/bin/env bash
# Every fuzz target for a bounded time: bash fuzz/run.sh [seconds-per-target] (default 20).
# `make test` runs it with 20 s per target. Needs the nightly toolchain and cargo-fuzz
# (scripts/setup.sh installs cargo-fuzz); without either it says why and skips (exit 0).
#
# Seeds come from fuzz/corpus/<target>/ (read only); what libFuzzer adds goes to
# target/fuzz-corpus/<target>/, so later runs on the same machine start from there. A crash stops
# that target, leaves its input in fuzz/artifacts/<target>/ and makes the script fail (after the
# other targets ran). Environment:
#   FUZZ_TARGETS="framing session"  only these targets
#   FUZZ_SANITIZER=address          build with ASan (default none: l610-proto has no unsafe code;
#                                   overflow checks and debug assertions are on either way)
#   FUZZ_ARGS="-runs=2500000"       more libFuzzer options (e.g. a run count instead of a time)
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-20}
sanitizer=${FUZZ_SANITIZER:-none}
targets=${FUZZ_TARGETS:-framing urc params commands session}
work=../target/fuzz-corpus

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz: SKIPPED: no nightly toolchain (cargo-fuzz needs it; rustup toolchain install nightly)"
    exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: SKIPPED: cargo-fuzz is not installed (cargo install cargo-fuzz --locked; scripts/setup.sh does)"
    exit 0
fi

mkdir -p "$work"
if ! cargo +nightly fuzz build -s "$sanitizer" >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    echo "fuzz: FAILED: the targets do not build" >&2
    exit 1
fi

failed=()
summary=()
for t in $targets; do
    mkdir -p "$work/$t"
    log=$work/$t.log
    echo "fuzz: $t for ${secs}s"
    # shellcheck disable=SC2086  # FUZZ_ARGS is a list of options
    cargo +nightly fuzz run -s "$sanitizer" "$t" "$work/$t" "corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -print_final_stats=1 ${FUZZ_ARGS:-} >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1)
    if [ $rc -ne 0 ]; then
        failed+=("$t")
        grep -E -A2 "panicked at|^==[0-9]+== ERROR|Test unit written|^\s+cargo fuzz (run|tmin)" "$log" | head -30 >&2
        summary+=("$t: FAILED after ${runs:-?} runs (log: target/fuzz-corpus/$t.log)")
    else
        summary+=("$t: ${runs:-?} runs in ${took:-?} s, ${cov:-cov: ?}, 0 crashes")
    fi
done
for s in "${summary[@]}"; do echo "fuzz: $s"; done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (reproducers in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz: no crash in any target (at most ${secs} s each)"
