# Two commands do everything: `make run` and `make test`. Both install what is
# missing (scripts/setup.sh), rebuild only what changed, and are idempotent.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PORT ?= 8787

export WRANGLER_SEND_METRICS := false
export CLOUDFLARE_CF_FETCH_ENABLED := false
export NO_UPDATE_NOTIFIER := 1

WASM_ENV := source scripts/wasm-env.sh &&
WRANGLER := node_modules/.bin/wrangler
SHARED_SOURCES := Cargo.toml Cargo.lock $(shell find domain -type f -not -path '*/target/*')
APP_SOURCES := Trunk.toml $(shell find app style public -type f)
WORKER_SOURCES := wrangler.toml $(shell find api-worker -type f -not -path 'api-worker/build/*')

.PHONY: run test setup build deploy-build migrate test-native test-api test-e2e bench fuzz clean help

help:
	@echo "make run   - install what is missing, build, migrate, seed and serve on http://127.0.0.1:$(PORT)"
	@echo "make test  - install what is missing and run every test"

setup:
	@scripts/setup.sh

dist/index.html: $(SHARED_SOURCES) $(APP_SOURCES)
	$(WASM_ENV) trunk build --release
	node scripts/csp.mjs
	@touch $@

# The local build has the dev mailbox (cargo feature dev-mailbox); a deployment is built by
# `make deploy-build`, which leaves it out, and marks its output old so the next local build redoes it.
api-worker/build/index.js: $(SHARED_SOURCES) $(WORKER_SOURCES)
	$(WASM_ENV) cd api-worker && worker-build --release -- --features dev-mailbox
	@touch $@

build: setup dist/index.html api-worker/build/index.js

deploy-build: setup dist/index.html
	$(WASM_ENV) cd api-worker && worker-build --release
	@touch -d '2000-01-01' api-worker/build/index.js

# The local D1 lives in .wrangler/state; applying twice does nothing the second time.
migrate: build
	$(WRANGLER) d1 migrations apply DB --local
	$(WRANGLER) d1 execute DB --local --file seed/demo.sql > /dev/null

run: migrate
	@node scripts/print-demo-users.mjs $(PORT)
	@node scripts/serve-demo.mjs $(PORT)

test-native: setup
	# The rules (domain), the storage and authorisation SQL against SQLite with the same
	# migrations (tests/storage), the documents, and the worker's pure parts (the route table
	# against docs/openapi.json, rows mapped to responses); the rest of the app and the worker
	# are tested through the API and the browser.
	cargo test -p domain -p storage-tests -p documents -p api-worker
	# No module of any crate imports one that imports it back.
	python3 scripts/module-cycles.py domain/src documents/src api-worker/src app/src

test-api: build
	node --test --test-concurrency=1 tests/api/

test-e2e: build
	node --test --test-concurrency=1 tests/e2e/

test: test-native test-api test-e2e

# Figures, not assertions: recorded in the README's performance section.
bench: setup
	cargo run --release -p domain --example bench --features bench
	$(WASM_ENV) cargo build --release --target wasm32-unknown-unknown -p bench-wasm
	node scripts/bench-domain-wasm.mjs
	$(MAKE) --no-print-directory build
	node scripts/bench-app.mjs
	# API under wrk (Debian's), 1,000 and 10,000 cases, and the hello-world Worker's floor.
	command -v wrk >/dev/null || sudo apt-get install -y wrk || apt-get install -y wrk
	node scripts/bench-api.mjs

# Long runs of the parser property tests (the fast run is part of make test).
fuzz: setup build
	PROPTEST_CASES=$${PROPTEST_CASES:-100000} cargo test --release -p domain --test parsers_never_panic
	# Every operation of docs/openapi.json against the running worker (schemathesis from PyPI, in .venv-schemathesis).
	SCHEMATHESIS_EXAMPLES=$${SCHEMATHESIS_EXAMPLES:-50} node scripts/schemathesis.mjs

clean:
	rm -rf dist api-worker/build target/wasm32-unknown-unknown .wrangler tests/artifacts
