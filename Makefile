# l2book: set up, build, serve, test.
#
#   make serve   set up (.venv + node_modules), build, serve on http://127.0.0.1:8000
#   make test    set up, ruff check, pytest (browser tests included)
#
# Set-up steps are skipped while pyproject.toml, constraints.txt, package-lock.json and
# browser-runtime.txt are unchanged: each install leaves a stamp named after a hash of the files
# it installed from (.venv/.installed-HASH, node_modules/.installed-HASH,
# .cache/browser-runtime/.installed-HASH); a changed file means a new hash.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2 --dist loadgroup

export NO_MKDOCS_2_WARNING := 1
# Lighthouse and Playwright use Debian's Chromium; never download a browser.
export PUPPETEER_SKIP_DOWNLOAD := 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

hash = $(shell cat $(1) 2>/dev/null | sha256sum | cut -c1-16)
PY_STAMP := $(VENV)/.installed-$(call hash,pyproject.toml constraints.txt)
NODE_STAMP := node_modules/.installed-$(call hash,package-lock.json)
RUNTIME_DIR := .cache/browser-runtime
RUNTIME_STAMP := $(RUNTIME_DIR)/.installed-$(call hash,browser-runtime.txt)

.PHONY: help setup build build-offline serve test lint bench bench-lighthouse clean

help:
	@echo "make serve          set up, build and serve the site on http://$(HOST):$(PORT)"
	@echo "make test           set up, then ruff check and pytest (incl. headless Chromium)"
	@echo "make build          mkdocs build --strict into site/"
	@echo "make build-offline  the file:// variant into site-offline/ (open site-offline/index.html)"
	@echo "make lint           ruff check"
	@echo "make bench          benchmarks/*.py -> benchmarks/results/ (LIGHTHOUSE=1 adds Lighthouse)"
	@echo "make clean          remove site/, site-offline/ and caches (keeps .venv, node_modules)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs,test]" -c constraints.txt
	rm -f $(VENV)/.installed-*
	touch $@

$(NODE_STAMP):
	npm ci --no-audit --no-fund
	touch $@

# Pyodide's official wheels for the examples' browser runs (pinned by hash; the build checks
# each wheel against the npm package pyodide's lock). Without them, build with
# L2BOOK_BROWSER_RUNS=false.
$(RUNTIME_STAMP): | $(BIN)/python
	if $(BIN)/python -m pip download --quiet --no-deps --require-hashes \
	     -r browser-runtime.txt -d $(RUNTIME_DIR); then \
	  rm -f $(RUNTIME_DIR)/.installed-*; touch $@; \
	else \
	  echo "Could not download browser-runtime.txt: build with L2BOOK_BROWSER_RUNS=false" >&2; \
	fi

setup: $(PY_STAMP) $(NODE_STAMP) $(RUNTIME_STAMP)

build: setup
	$(BIN)/mkdocs build --strict

build-offline: setup
	OFFLINE=true $(BIN)/mkdocs build --strict --site-dir site-offline

# mkdocs serve builds the site itself (strict, from mkdocs.yml) before serving it.
serve: setup
	$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

lint: setup
	$(BIN)/ruff check .

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

# Every benchmarks/*.py writes benchmarks/results/<area>.json. Lighthouse (slow, needs Chromium)
# runs only when asked: make bench LIGHTHOUSE=1, or make bench-lighthouse. math_screenshots.py
# compares two builds given by hand (see benchmarks/README.md), so it is not among them.
bench: setup
	if [ -n "$(LIGHTHOUSE)" ] && [ "$(LIGHTHOUSE)" != 0 ]; then \
	  npm ci --prefix benchmarks/lighthouse --no-audit --no-fund; fi
	for script in $(filter-out benchmarks/report.py benchmarks/math_screenshots.py,$(wildcard benchmarks/*.py)); do \
	  echo "== $$script"; LIGHTHOUSE=$(LIGHTHOUSE) $(BIN)/python $$script; done
	$(BIN)/python benchmarks/report.py

bench-lighthouse:
	$(MAKE) bench LIGHTHOUSE=1

clean:
	rm -rf site site-offline .pytest_cache .ruff_cache
