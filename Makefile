# Trainyard: `make run` serves the app, `make test` runs every test layer.
# Both install what is missing first; every install step is idempotent.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ROOT := $(CURDIR)
# The ignored build area for local services and their logs.
WORK := $(ROOT)/target/trainyard
CARGO_LEPTOS_VERSION := 0.3.10
SCHEMATHESIS_VERSION := 4.32.5
OPENAPI_SPEC_VALIDATOR_VERSION := 0.9.0
FUZZ_VENV := $(ROOT)/target/fuzz-venv
AIOSMTPD_VERSION := 1.4.6
SMTP_VENV := $(ROOT)/target/smtp-venv
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' Cargo.lock)

# npm tools (tailwindcss, wasm-opt, playwright) first, so that cargo-leptos
# never downloads its own, and Debian's older wasm-opt is never picked.
export PATH := $(ROOT)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Builds read query metadata from .sqlx/, never from a live database.
export SQLX_OFFLINE := true
# What cargo-leptos sets for dev builds; the same values let `cargo test` reuse
# its compiled dependencies instead of building everything a second time.
LEPTOS_ENV_VARS := RUSTFLAGS="--cfg erase_components" LEPTOS_OUTPUT_NAME=trainyard \
	LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR=127.0.0.1:3000 \
	LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=frontend LEPTOS_BIN_DIR=server \
	LEPTOS_JS_MINIFY=false LEPTOS_HASH_FILES=false

# Postgres: DATABASE_URL when set, otherwise a private cluster under $(WORK),
# on a port derived from the checkout's path so that two checkouts never clash.
PG_PORT ?= $(shell echo $$(( 54000 + $$(printf %s '$(ROOT)' | cksum | cut -d' ' -f1) % 900 )))
PG_DIR := $(WORK)/postgres
ifeq ($(strip $(DATABASE_URL)),)
DATABASE_URL := postgres://postgres@127.0.0.1:$(PG_PORT)/trainyard
PRIVATE_PG := 1
endif
export DATABASE_URL
DB_SERVER_URL := $(shell u='$(DATABASE_URL)'; echo "$${u%/*}")

# Sign-in: OIDC_ISSUER_URL when set, otherwise the development provider
# (end2end/oidc/provider.mjs, demo users in the README) started beside the app.
OIDC_PORT ?= 3050
ifeq ($(strip $(OIDC_ISSUER_URL)),)
OIDC_ISSUER_URL := http://127.0.0.1:$(OIDC_PORT)
OIDC_CLIENT_ID := trainyard
OIDC_CLIENT_SECRET := trainyard-dev-secret
DEV_OIDC := 1
endif
export OIDC_ISSUER_URL OIDC_CLIENT_ID OIDC_CLIENT_SECRET

.PHONY: help tools wasm-target cargo-leptos wasm-bindgen node-tools python-venv chromium wrk nginx db db-stop psql \
	build release dist run test test-unit test-api test-e2e test-scale fuzz fuzz-tools smtp-tools screenshots bench \
	lint fmt sqlx-prepare

help:
	@echo "make run          build and serve Trainyard on http://127.0.0.1:3000"
	@echo "make test         every test layer: unit, database + HTTP, browser end-to-end"
	@echo "make test-unit    unit tests only (no database)"
	@echo "make test-api     database and HTTP tests"
	@echo "make test-e2e     Playwright in Chromium"
	@echo "make release      cargo leptos build --release (hashed, precompressed files)"
	@echo "make dist         a self-contained tarball of the release build (target/dist/)"
	@echo "make test-scale   two instances of the tarball behind nginx, in Chromium"
	@echo "make fuzz         schemathesis against a fresh server (FUZZ_SECONDS per pass)"
	@echo "make screenshots  refresh the README's screenshots from the browser tests"
	@echo "make bench        load measurements of a release build (BENCHMARKS.md)"
	@echo "make lint         rustfmt and clippy"
	@echo "make sqlx-prepare regenerate .sqlx/ after changing a query"
	@echo "make db / db-stop / psql   the private Postgres cluster"

## ---- tools -----------------------------------------------------------------

tools: wasm-target cargo-leptos wasm-bindgen node-tools

wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
		|| rustup target add wasm32-unknown-unknown

cargo-leptos:
	@if [[ "$$(cargo leptos --version 2>/dev/null)" != *" $(CARGO_LEPTOS_VERSION)"* ]]; then \
		echo "installing cargo-leptos $(CARGO_LEPTOS_VERSION) (takes ~15 min once)"; \
		cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --features no_downloads; \
	fi

wasm-bindgen:
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "no wasm-bindgen in Cargo.lock" >&2; exit 1; }
	@if [[ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]]; then \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --locked --force \
		|| cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi

node-tools: node_modules/.package-lock.json

# Debian's nginx, the load balancer of the scale-out test (installing it
# starts nothing: the test runs its own, unprivileged).
nginx:
	@if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then \
		echo "installing Debian's nginx"; \
		SUDO=$$([[ $$(id -u) -eq 0 ]] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light >/dev/null; \
	fi

# Debian's Chromium: Playwright cannot download its own browser here.
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH
chromium:
	@if [[ ! -x "$(CHROMIUM_PATH)" ]]; then \
		echo "installing Debian's chromium"; \
		SUDO=$$([[ $$(id -u) -eq 0 ]] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# `npm install` rather than `npm ci`: npm 11 leaves other platforms' optional
# packages (tailwind's native binaries) out of the lock, and `npm ci` then
# refuses it. `npm install` follows the lock and leaves it unchanged.
node_modules/.package-lock.json: package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@

## ---- database --------------------------------------------------------------

db:
ifdef PRIVATE_PG
	@.ci/pg.sh start "$(PG_DIR)" $(PG_PORT)
else
	@echo "using the database in DATABASE_URL"
endif

db-stop:
	@.ci/pg.sh stop "$(PG_DIR)"

psql: db
	@.ci/pg.sh psql "$(PG_DIR)" $(PG_PORT) -d trainyard

## ---- build and run -----------------------------------------------------------

build: tools
	cargo leptos build

# Hashed file names (cached for a year by browsers) and brotli/gzip copies
# of every static file, served as each client accepts.
release: tools
	LEPTOS_HASH_FILES=true cargo leptos build --release --precompress

# The release build as one tarball: binary, site, example configuration,
# systemd unit and nginx configuration (see the README's Deployment).
dist: release
	@.ci/dist.sh release

# The development provider lives as long as the server does.
run: build db
	@if [[ -n "$(DEV_OIDC)" ]]; then \
		OIDC_PORT=$(OIDC_PORT) node end2end/oidc/provider.mjs & trap 'kill $$! 2>/dev/null' EXIT; \
	fi; \
	LEPTOS_SITE_ROOT=target/site ./target/debug/server

## ---- tests -----------------------------------------------------------------

test: tools db
	$(MAKE) --no-print-directory lint test-unit test-api test-e2e test-scale fuzz

test-unit:
	$(LEPTOS_ENV_VARS) cargo test -p app -p server --lib --bins

# The e-mail tests start aiosmtpd (server/tests/api/smtp_sink.py) with
# TRAINYARD_TEST_PYTHON.
test-api: db node-tools smtp-tools
	$(LEPTOS_ENV_VARS) DATABASE_URL=$(DB_SERVER_URL)/postgres TRAINYARD_TEST_PYTHON=$(SMTP_VENV)/bin/python \
		cargo test -p server --test api --test query_budget
	@.ci/drop-test-dbs.sh "$(DB_SERVER_URL)/postgres"

test-e2e: build db chromium
	@.ci/fresh-db.sh "$(DB_SERVER_URL)/postgres" trainyard_e2e
	cd end2end && E2E_DATABASE_URL=$(DB_SERVER_URL)/trainyard_e2e npx playwright test

# Two instances of the (debug) tarball behind nginx on one database.
test-scale: build db nginx chromium
	@.ci/scale-out.sh "$(DB_SERVER_URL)/postgres" "$$(.ci/dist.sh debug)"

# Debian's python3-venv, for the virtualenvs of the Python tools below.
python-venv:
	@if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then \
		echo "installing Debian's python3-venv"; \
		SUDO=$$([[ $$(id -u) -eq 0 ]] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3-venv >/dev/null; \
	fi

# schemathesis and openapi-spec-validator from PyPI, in a virtualenv of
# their own under target/.
fuzz-tools: python-venv
	@if [[ ! -x $(FUZZ_VENV)/bin/schemathesis ]] || \
		! $(FUZZ_VENV)/bin/schemathesis --version | grep -q ' $(SCHEMATHESIS_VERSION)$$'; then \
		echo "installing schemathesis $(SCHEMATHESIS_VERSION) into $(FUZZ_VENV)"; \
		python3 -m venv $(FUZZ_VENV); \
		$(FUZZ_VENV)/bin/pip install -q schemathesis==$(SCHEMATHESIS_VERSION) \
			openapi-spec-validator==$(OPENAPI_SPEC_VALIDATOR_VERSION); \
	fi

# aiosmtpd from PyPI, the SMTP server the e-mail tests deliver to, in a
# virtualenv of its own under target/.
smtp-tools: python-venv
	@if [[ "$$($(SMTP_VENV)/bin/python -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null)" \
		!= "$(AIOSMTPD_VERSION)" ]]; then \
		echo "installing aiosmtpd $(AIOSMTPD_VERSION) into $(SMTP_VENV)"; \
		python3 -m venv $(SMTP_VENV); \
		$(SMTP_VENV)/bin/pip install -q aiosmtpd==$(AIOSMTPD_VERSION); \
	fi

# The API fuzzed for FUZZ_SECONDS per pass (token, then session).
FUZZ_SECONDS ?= 60
fuzz: build db fuzz-tools node-tools
	@.ci/fuzz.sh "$(DB_SERVER_URL)/postgres" $(FUZZ_SECONDS)

# The README's pictures, from the browser tests' own screenshots.
screenshots: test-e2e
	cp end2end/test-results/screenshots/{dashboard,calendar,train,promotion-wait,evidence}.png end2end/screenshots/

# Debian's wrk, the load generator of `make bench`.
wrk:
	@if ! command -v wrk >/dev/null; then \
		echo "installing Debian's wrk"; \
		SUDO=$$([[ $$(id -u) -eq 0 ]] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; \
	fi

# Load measurements of a release build on five years of generated history,
# at 1, 16 and 64 clients (BENCHMARKS.md records the figures).
bench: db wrk node-tools
	$(MAKE) --no-print-directory release
	.ci/bench.sh "$(DB_SERVER_URL)/postgres"

## ---- maintenance -----------------------------------------------------------

lint:
	cargo fmt --all --check
	.ci/no-organisation-names.sh
	$(LEPTOS_ENV_VARS) cargo clippy -p app -p server --all-targets -- -D warnings

fmt:
	cargo fmt --all

# Applies the migrations to a scratch database and rebuilds with the query
# macros online, which writes their metadata to .sqlx/.
sqlx-prepare: db
	@.ci/fresh-db.sh "$(DB_SERVER_URL)/postgres" trainyard_sqlx
	@for f in migrations/*.sql; do \
		psql -q -v ON_ERROR_STOP=1 "$(DB_SERVER_URL)/trainyard_sqlx" -f "$$f"; done
	rm -rf .sqlx && mkdir -p .sqlx
	touch app/src/lib.rs server/src/lib.rs
	SQLX_OFFLINE=false SQLX_OFFLINE_DIR=$(ROOT)/.sqlx DATABASE_URL=$(DB_SERVER_URL)/trainyard_sqlx \
		$(LEPTOS_ENV_VARS) cargo check -p app -p server --all-targets
