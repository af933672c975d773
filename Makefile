# Thin porcelain over npm: every target installs what is missing first.
# Node >= 24 is required. When the `node` on PATH is older, scripts/ensure-node.sh brings a pinned
# release from the npm registry into .node/ and every command below runs with it first on PATH
# (npm included). Set CODEMODE_NODE=/path/to/node to use a Node of your own instead.
NODE_MAJOR ?= 24
NODE_BIN := $(shell CODEMODE_NODE='$(CODEMODE_NODE)' scripts/ensure-node.sh $(NODE_MAJOR))
ifeq ($(NODE_BIN),)
$(error no usable Node >= 24: see the message above)
endif
export PATH := $(NODE_BIN):$(PATH)
NODE := $(NODE_BIN)/node
NPM ?= npm
STAMP := node_modules/.install-stamp
# The peers table's TanStack system: a bench-only package with its own lock and node_modules, kept
# out of the project's install (it brings a second native isolated-vm; docs/benchmarks.md, "Peers").
TANSTACK := bench/peers/tanstack
TANSTACK_STAMP := $(TANSTACK)/node_modules/.install-stamp

.PHONY: all install install-bench-peers build gen check-gen lint typecheck test test-unit test-integration test-engine test-file demo bench bench-persistent clean node-version

all: build

$(STAMP): package.json package-lock.json
	$(NPM) ci --strict-allow-scripts --no-fund --no-audit
	@touch $(STAMP)

install: $(STAMP)

# isolated-vm's install script stays denied (its package.json): it loads its prebuilt binary.
$(TANSTACK_STAMP): $(TANSTACK)/package.json $(TANSTACK)/package-lock.json
	cd $(TANSTACK) && $(NPM) ci --strict-allow-scripts --no-fund --no-audit
	@touch $(TANSTACK_STAMP)

install-bench-peers: $(TANSTACK_STAMP)

node-version:
	@$(NODE) --version

build: $(STAMP)
	$(NPM) run --silent build

gen: $(STAMP)
	$(NPM) run --silent gen

check-gen: $(STAMP)
	$(NPM) run --silent check:gen

lint: $(STAMP)
	$(NPM) run --silent lint

typecheck: $(STAMP)
	$(NPM) run --silent typecheck

test: build check-gen lint
	$(NPM) run --silent test

test-unit: build
	$(NPM) run --silent test:unit

test-integration: build
	$(NPM) run --silent test:integration

# One file or folder: make test-file FILE=dist/test/host/cells.test.js
test-file: build
	$(NPM) run --silent test:file -- $(FILE)

# The parts of the suite that exercise the engine (host and sandbox), for a second Node line.
test-engine: build
	$(NPM) run --silent test:engine

demo: build
	$(NODE) --no-node-snapshot examples/demo.mjs

# `make test` runs the bench in smoke mode without installing the TanStack peer: see docs/benchmarks.md.
bench: build $(TANSTACK_STAMP)
	$(NODE) --no-node-snapshot dist/bench/run.js

# Persistent against ordinary sessions, with their floors (docs/benchmarks.md, "Persistent sessions").
bench-persistent: build
	$(NODE) --no-node-snapshot dist/bench/persistent.js

clean:
	rm -rf dist
