#!/usr/bin/env bash
# Build, type-check and test the Python package `l610` (issue #4).
#
# Works on a fresh Debian machine with CPython >= 3.9, pip and cargo: everything else goes into
# the venv python/.venv (gitignored). Idempotent; a second run only rebuilds what changed.
# The package links OpenSSL built from source (pyproject: feature vendored-openssl; needs perl and
# make, present on Debian); the test suite's own TLS peer is the openssl CLI (s_server).
#
# Steps: install the package as documented (pip install ./python); mypy --strict over the tests,
# examples and the package's Python; stubtest (the .pyi against the runtime); pytest (which also
# type-checks every Python snippet of the READMEs and runs the examples and the notebook); then
# the self-contained wheel in a fresh venv with no cargo on PATH (python/wheel.sh check;
# L610_SKIP_WHEEL=1 skips it, e.g. while iterating with -k).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
py="$venv/bin/python"

# Tools, installed once (a stamp records the list so a change reinstalls).
tools="maturin>=1.9.4,<2 pytest mypy pyserial nbclient nbformat ipykernel matplotlib"
stamp="$venv/.tools"
if [ "$(cat "$stamp" 2>/dev/null)" != "$tools" ]; then
    "$py" -m pip install --quiet --upgrade pip
    # shellcheck disable=SC2086
    "$py" -m pip install --quiet $tools
    echo "$tools" > "$stamp"
fi

export PATH="$venv/bin:$PATH"
# The documented install command, without build isolation so the venv's maturin is used and
# no network is needed for the build itself. Cargo's target/ makes rebuilds incremental.
"$py" -m pip install --quiet --no-build-isolation --force-reinstall --no-deps "$here"

# The installed package must not be shadowed by the source tree during tests.
cd "$root"
"$venv/bin/mypy" --strict python/tests examples/python python/bench \
    python/l610/testing.py python/l610/pytest_plugin.py
"$py" -m mypy.stubtest l610 --allowlist "$here/stubtest-allowlist.txt"
"$py" -m pytest -q -p no:cacheprovider python/tests "$@"
if [ "${L610_SKIP_WHEEL:-}" != 1 ]; then
    bash "$here/wheel.sh" check
fi
