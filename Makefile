# l610 — the two commands of the README:
#   make demo   the main job: virtual L610 + local TLS server, verified connection, transcript
#   make test   every suite: Rust (core, sim), Python, C (sanitizers + valgrind), header drift
# Both install what a fresh machine lacks (scripts/setup.sh).

CARGO ?= cargo

.PHONY: all setup demo test test-rust test-python test-c bench doc clean

all: test

setup:
	@bash scripts/setup.sh

demo: setup
	$(CARGO) run -q -p l610 --example demo

test: setup test-rust test-python test-c
	@echo "make test: all suites passed"

test-rust:
	$(CARGO) fmt --all -- --check
	$(CARGO) build --workspace --all-targets
	$(CARGO) test -p l610 -p l610-sim
	$(CARGO) test -p l610 --doc

test-python:
	bash python/ci.sh

test-c:
	bash capi/ci.sh

bench: setup
	$(CARGO) bench -p l610 --bench parse
	$(CARGO) bench -p l610 --bench throughput
	bash python/ci.sh -q -k roundtrip_never_matches || true  # builds and installs the package
	python/.venv/bin/python python/bench/roundtrip.py -n 2000

doc:
	$(CARGO) doc --no-deps -p l610 -p l610-sim

clean:
	$(CARGO) clean
	rm -rf python/.venv
