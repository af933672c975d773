# Thin porcelain over npm: every target installs what is missing first.
NODE ?= node
NPM ?= npm
STAMP := node_modules/.install-stamp

.PHONY: all install build gen check-gen lint typecheck test demo bench clean

all: build

$(STAMP): package.json package-lock.json
	$(NPM) ci --strict-allow-scripts --no-fund --no-audit
	@touch $(STAMP)

install: $(STAMP)

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

demo: build
	$(NODE) --no-node-snapshot examples/demo.mjs

bench: build
	$(NODE) --no-node-snapshot dist/bench/run.js

clean:
	rm -rf dist
