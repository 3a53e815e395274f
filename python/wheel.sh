#!/usr/bin/env bash
# The self-contained wheel (issue 12): build it, prove it needs no libssl and no Rust, and run the
# examples and the plugin's example tests from it.
#
#   bash python/wheel.sh build   # target/wheels/l610-*.whl (what `make wheel` runs)
#   bash python/wheel.sh check   # build, then install it into a fresh venv with no cargo on PATH
#                                # and run examples/python from there (what python/ci.sh runs)
#
# The build shares target/release with `pip install ./python` (same features, from
# pyproject.toml), so after python/ci.sh's install it only packs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="$here/.venv"
out="$root/target/wheels"

build() {
    if [ ! -x "$venv/bin/maturin" ]; then
        "${PYTHON:-python3}" -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet "maturin>=1.9.4,<2"
    fi
    rm -f "$out"/l610-*.whl
    "$venv/bin/maturin" build --release --quiet -m "$here/Cargo.toml" -o "$out" >/dev/null
    wheel=$(ls "$out"/l610-*.whl)
    echo "wheel: $wheel ($(du -h "$wheel" | cut -f1))"
    # No libssl/libcrypto needed at run time: OpenSSL is linked in.
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    (cd "$tmp" && "$venv/bin/python" -m zipfile -e "$wheel" .)
    needed=$(readelf -d "$tmp"/l610/_l610*.so | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
    echo "wheel: the extension needs: $needed"
    case "$needed" in
        *libssl*|*libcrypto*) echo "wheel: FAIL: links the system OpenSSL" >&2; exit 1 ;;
    esac
    for f in l610/py.typed l610/__init__.pyi l610/testing.py l610/pytest_plugin.py; do
        [ -f "$tmp/$f" ] || { echo "wheel: FAIL: $f missing" >&2; exit 1; }
    done
    grep -Eq '^l610 ?= ?l610.pytest_plugin' "$tmp"/l610-*.dist-info/entry_points.txt ||
        { echo "wheel: FAIL: no pytest11 entry point" >&2; exit 1; }
    # The sdist carries the README (as the long description) and the project URLs.
    rm -f "$out"/l610-*.tar.gz
    "$venv/bin/maturin" sdist -m "$here/Cargo.toml" -o "$out" >/dev/null 2>&1
    info=$(tar xzf "$out"/l610-*.tar.gz -O --wildcards '*/PKG-INFO')
    for want in "Project-URL: Repository" "Description-Content-Type: text/markdown" "# l610 for Python"; do
        grep -q "$want" <<<"$info" || { echo "wheel: FAIL: sdist PKG-INFO lacks '$want'" >&2; exit 1; }
    done
    echo "wheel: sdist $(ls "$out"/l610-*.tar.gz) carries the README and the project URLs"
}

check() {
    build
    fresh=$(mktemp -d)
    trap 'rm -rf "$fresh"' EXIT
    "$venv/bin/python" -m venv "$fresh/venv"
    # pytest from PyPI (pip's cache makes it quick); the wheel from the file, no index.
    "$fresh/venv/bin/python" -m pip install --quiet pytest
    "$fresh/venv/bin/python" -m pip install --quiet --no-index "$wheel"
    # No cargo, no rustc, no source tree: a PATH without ~/.cargo/bin, run from a temp folder.
    cp "$root"/examples/python/*.py "$fresh/"
    cd "$fresh"
    clean_path="/usr/local/bin:/usr/bin:/bin"
    env -i HOME="$HOME" PATH="$clean_path" sh -c '! command -v cargo >/dev/null && ! command -v rustc >/dev/null' ||
        { echo "wheel: FAIL: cargo is still on the clean PATH" >&2; exit 1; }
    run() { env -i HOME="$HOME" PATH="$clean_path" "$fresh/venv/bin/python" "$@"; }
    run -c 'import l610, l610.testing; print("wheel: imported", l610.__version__, "from", l610.__file__)'
    run quickstart.py | grep -q "reply: b'016l morf olleh" || { echo "wheel: FAIL: quickstart" >&2; exit 1; }
    run http_get.py | grep -q "hello from l610.testing" || { echo "wheel: FAIL: http_get" >&2; exit 1; }
    run -m pytest -q -p no:cacheprovider test_with_plugin.py
    echo "wheel: OK (installed without a Rust toolchain; examples and plugin tests pass)"
    # `pip install ./python` right after `maturin build` installs a package that imports (it
    # picked up a repaired artifact that needed a renamed libssl).
    "$venv/bin/python" -m venv "$fresh/src-venv"
    "$fresh/src-venv/bin/python" -m pip install --quiet "maturin>=1.9.4,<2"
    PATH="$fresh/src-venv/bin:$PATH" "$fresh/src-venv/bin/python" -m pip install --quiet \
        --no-build-isolation "$here"
    (cd "$fresh" && "$fresh/src-venv/bin/python" -c 'import l610; l610.Simulator().stop(); print("wheel: pip install ./python after maturin build imports")')
}

case "${1:-check}" in
    build) build ;;
    check) check ;;
    *) echo "usage: $0 build|check" >&2; exit 2 ;;
esac
