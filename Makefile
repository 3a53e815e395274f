# l610 — the two commands of the README:
#   make demo   the main job: virtual L610 + local TLS server, verified connection, transcript
#   make test   every suite: Rust (gates: clippy, docs, MSRV, no_std; proto, core, sim; fuzzing),
#               Python, C (sanitizers + valgrind), header drift
# Both install what a fresh machine lacks (scripts/setup.sh).

CARGO ?= cargo

.PHONY: all setup demo test test-rust test-python test-c wheel fuzz bench doc clean

all: test

setup:
	@bash scripts/setup.sh

demo: setup
	$(CARGO) run -q -p l610 --example demo

test: setup test-rust test-python test-c
	@echo "make test: all suites passed"

# Gates first (TESTING.md, "Gates"), then the suites, then every fuzz target for 20 s. libl610's
# crate name is l610 too, so its docs are built into a target directory of their own.
test-rust:
	$(CARGO) fmt --all -- --check
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml -- --check
	$(CARGO) fmt --manifest-path proto/nostd-check/Cargo.toml -- --check
	$(CARGO) fmt --manifest-path capi-proto/Cargo.toml -- --check
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings
	$(CARGO) clippy --manifest-path capi-proto/Cargo.toml --target-dir target/capi-proto -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --workspace --exclude l610-capi
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps -p l610-capi --target-dir target/doc-capi
	python3 scripts/check-msrv.py
	bash scripts/check-nostd.sh
	$(CARGO) build --workspace --all-targets
	$(CARGO) test -p l610-proto -p l610 -p l610-sim -p l610-cli
	bash fuzz/run.sh 20

# Longer fuzzing by hand: make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 60
fuzz: setup
	bash fuzz/run.sh $(FUZZ_SECONDS)

test-python:
	bash python/ci.sh

# The self-contained Python wheel (OpenSSL linked in): target/wheels/l610-*.whl. python/ci.sh
# installs it into a fresh venv without cargo and runs the examples from it.
wheel: setup
	bash python/wheel.sh build

test-c:
	bash capi/ci.sh

bench: setup
	$(CARGO) bench -p l610-proto --bench parse
	$(CARGO) bench -p l610 --bench cpu
	$(CARGO) bench -p l610 --bench throughput
	bash python/ci.sh -q -k roundtrip_never_matches || true  # builds and installs the package
	python/.venv/bin/python python/bench/roundtrip.py -n 2000

doc:
	$(CARGO) doc --no-deps -p l610 -p l610-sim

clean:
	$(CARGO) clean
	rm -rf python/.venv
