# Parrot — the front door. Every target installs what it needs first, so a
# fresh clone runs any of them directly. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The install is keyed on the lock file; the stamp makes it run once per change.
DEPS := node_modules/.parrot-installed
# parrot-source: the package's own name ("parrot-chat/client") resolves to the TypeScript sources,
# not to the compiled dist/ that package.json's exports give an installed package.
TSX  := node --conditions=parrot-source --import tsx
# Extra arguments for server/client/conformance/bench, e.g. make server ARGS="-p 4000".
ARGS ?=
# The WebSocket port `make server` serves the web client on (http://localhost:55680/).
WEB_PORT ?= 55680
WEB_BUILT := web/dist/index.html

# `npm install`, not `npm ci`: @matrixai/quic names optional binaries for platforms that are not
# on the registry, and npm ci refuses a lock file without them. With the lock file in sync, npm
# install installs exactly what it locks, and leaves it unchanged.
$(DEPS): package.json package-lock.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: help install generate check test test-unit server web client conformance conformance-cluster conformance-client conformance-mutants bench bench-quick build package clean

help:
	@echo "make server        run the reference server on localhost:55667, the web client on :$(WEB_PORT) (ARGS=\"-p PORT ...\")"
	@echo "make web           build the web client (web/dist/)"
	@echo "make client        run the interactive client (ARGS=\"-s HOST -p PORT ...\")"
	@echo "make test          all tests: codec, server, client, conformance suite, then make check"
	@echo "make test-unit     the tests without make check"
	@echo "make generate      regenerate generated/ from spec/"
	@echo "make check         type-check and lint"
	@echo "make conformance   run the conformance suite (TARGET=host:port for an external server)"
	@echo "make conformance-cluster  the conformance suite across two reference nodes sharing a redis-server"
	@echo "make conformance-client  judge a client against a scripted server (CLIENT=\"COMMAND\"; default: ours)"
	@echo "make conformance-mutants  the suite against its planted-bug corpus: kill rate, survivors (long)"
	@echo "make bench         benchmarks, as ratios against baselines run in the same invocation"
	@echo "make bench-quick   a short benchmark run"
	@echo "make build         compile to JavaScript in dist/ (what the npm package runs)"
	@echo "make package       the npm package: parrot-chat-VERSION.tgz (npm install it anywhere)"
	@echo "make install       install the npm dependencies (every target does this first)"
	@echo "make clean         remove node_modules, reports and benchmark results"
	@echo "make help          this list"

install: $(DEPS)

generate: $(DEPS)
	$(TSX) tools/codegen/main.ts

check: $(DEPS)
	npx tsc --noEmit -p .
	npx tsc --noEmit -p web
	npx biome check .

TEST_FILES = $(shell find test -name '*.test.ts' | sort)

test-unit: $(DEPS)
	$(TSX) --test --test-reporter=spec $(TEST_FILES)

test: test-unit check

$(WEB_BUILT): $(DEPS) $(wildcard web/src/*.ts client/*.ts client/handlers/*.ts cli/client/*.ts generated/*.ts transport/*.ts) web/index.html web/style.css web/build.ts
	$(TSX) web/build.ts

web: $(WEB_BUILT)

server: $(DEPS) $(WEB_BUILT)
	$(TSX) cli/parrot.ts server --ws-port $(WEB_PORT) $(ARGS)

client: $(DEPS)
	$(TSX) cli/parrot.ts client $(ARGS)

conformance: $(DEPS)
	$(TSX) conformance/run.ts $(if $(TARGET),--target $(TARGET)) $(ARGS)

# A redis-server of its own (Debian's package) and two `parrot server --cluster` nodes, stopped after
# the run, also on failure or Ctrl-C; what a cluster cannot pass yet is in conformance/cluster.expected-failures.yaml.
# Not part of `make test`: a whole run of the suite takes some four minutes (several-targets.test.ts runs its parts).
conformance-cluster: $(DEPS)
	$(TSX) conformance/tools/conformance-cluster.ts $(ARGS)

# CLIENT="COMMAND": the client under test, started per scenario (conformance/README.md, "The client suite").
CLIENT ?=

conformance-client: $(DEPS)
	$(TSX) conformance/run.ts --client '$(CLIENT)' $(ARGS)
# Not part of `make test`: every surviving mutant costs a whole run of the suite (ARGS="--only ID,ID").
conformance-mutants: $(DEPS)
	$(TSX) test/conformance/mutants/run-mutants.ts $(ARGS)

bench: $(DEPS)
	$(TSX) bench/run.ts $(ARGS)

bench-quick: $(DEPS)
	$(TSX) bench/run.ts --quick $(ARGS)

# dist/ mirrors the source tree, compiled, with the files the code reads beside it (the spec's
# requirements and vectors, the features, the fixture accounts, the built web client).
build: $(DEPS) $(WEB_BUILT)
	rm -rf dist
	npx tsc -p tsconfig.build.json
	mkdir -p dist/spec/vectors dist/conformance/client dist/web
	cp spec/README.md dist/spec/
	cp spec/vectors/*.json dist/spec/vectors/
	cp -r conformance/features conformance/fixtures dist/conformance/
	cp -r conformance/client/features dist/conformance/client/
	cp -r web/dist dist/web/

# npm pack runs `make build` first (package.json "prepack").
package: $(DEPS)
	npm pack --loglevel=error

clean:
	rm -rf node_modules dist parrot-chat-*.tgz conformance/reports bench/results bench/.build
