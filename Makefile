# Two entry points for a fresh machine: `make demo` and `make test`. Both build .venv
# themselves from pyproject.toml; nothing needs to be installed by hand beyond python3 >= 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SRC := src tests benchmarks examples scripts
PG_INITDB := /usr/lib/postgresql/*/bin/initdb

.PHONY: demo test lint typecheck unit system-packages examples docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[all]'
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## demo: set up, scan the examples, decide an export, keep the inventory and the ledger, label AI content
demo: $(VENV)/.runtime
	$(BIN)/chinacomply scan examples/
	@echo "--- free text (masked spans, code-point offsets) ---"
	$(BIN)/chinacomply scan --text examples/ticket.txt
	@echo "--- export decision for the customer table (examples/transfer.yaml) ---"
	$(BIN)/chinacomply assess examples/transfer.yaml
	@echo "--- the other rule packs: a face-recognition filing, an incident report, an audit duty ---"
	$(BIN)/chinacomply assess examples/frt.yaml
	$(BIN)/chinacomply assess examples/incident.yaml
	$(BIN)/chinacomply incident clock examples/incident.yaml --now 2026-09-30T23:10+08:00
	$(BIN)/chinacomply assess examples/audit.yaml
	@echo "--- inventory and ledger (a fresh SQLite store in .demo/) ---"
	rm -rf .demo
	CHINACOMPLY_HOME=.demo $(BIN)/chinacomply inventory add examples/
	CHINACOMPLY_HOME=.demo $(BIN)/chinacomply filing add --recipient "Group CRM (Singapore)" \
		--region SG --mechanism standard_contract --valid-from 2026-02-01 --reference SCC-2026-001
	CHINACOMPLY_HOME=.demo $(BIN)/chinacomply export plan --dataset customers \
		--recipient "Group CRM (Singapore)" --region SG --as-of 2026-03-02 | tee .demo/plan.txt
	CHINACOMPLY_HOME=.demo $(BIN)/chinacomply export record $$(head -1 .demo/plan.txt | cut -d' ' -f2)
	CHINACOMPLY_HOME=.demo $(BIN)/chinacomply ledger status --as-of 2026-03-02
	@echo "--- AI-generated content: check, label (metadata + visible), check again (examples/media) ---"
	cp -r examples/media .demo/media
	$(BIN)/chinacomply aigc check .demo/media --as-of 2026-03-02
	$(BIN)/chinacomply aigc label .demo/media/poster.png --producer 001191440300708461136T1XGW3 \
		--produce-id poster-0001 --explicit --as-of 2026-03-02
	$(BIN)/chinacomply aigc label .demo/media/story.md --producer 001191440300708461136T1XGW3 \
		--produce-id story-0001 --explicit --as-of 2026-03-02
	$(BIN)/chinacomply aigc check .demo/media --as platform --as-of 2026-03-02
	@echo "labelled image: .demo/media/poster.png"
	@echo "--- the dashboard over this demo store: a token, then the server ---"
	@echo "  CHINACOMPLY_HOME=.demo $(BIN)/chinacomply token create --scope write"
	@echo "  CHINACOMPLY_HOME=.demo $(BIN)/chinacomply serve     # http://127.0.0.1:8000/ (log in with the token)"

## test: set up with dev dependencies, lint, type-check and run the whole suite
test: lint typecheck unit

lint: $(VENV)/.dev
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)

typecheck: $(VENV)/.dev
	$(BIN)/mypy

unit: $(VENV)/.dev system-packages
	$(BIN)/pytest

# system-packages: Debian packages the tests use, installed when missing: PostgreSQL's server
# binaries (the tests run their own throwaway cluster, tests/postgres_server.py, so no service is
# started: where no policy-rc.d keeps the package from starting one, a temporary one does) and
# exiftool (the AIGC interop tests check that it reads our labels and we read its) and chromium
# (the dashboard tests drive it with Playwright; Playwright downloads no browser of its own).
system-packages:
	@missing=; \
	ls $(PG_INITDB) >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v exiftool >/dev/null 2>&1 || missing="$$missing libimage-exiftool-perl"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	else echo "make test needs the Debian packages$$missing and cannot install them:" \
		"run it as root, or install sudo, or run 'apt-get install$$missing' as root first" >&2; \
		exit 1; fi; \
	echo "Installing Debian packages for the tests:$$missing"; \
	if [ ! -e /usr/sbin/policy-rc.d ]; then \
		trap '$$SUDO rm -f /usr/sbin/policy-rc.d' EXIT INT TERM; \
		printf '#!/bin/sh\nexit 101\n' | $$SUDO tee /usr/sbin/policy-rc.d >/dev/null; \
		$$SUDO chmod 755 /usr/sbin/policy-rc.d; \
	fi; \
	$$SUDO apt-get update -qq && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing && \
	if ! ls $(PG_INITDB) >/dev/null 2>&1; then \
		echo "postgresql installed, yet no $(PG_INITDB)" >&2; exit 1; fi && \
	if ! command -v exiftool >/dev/null 2>&1; then \
		echo "libimage-exiftool-perl installed, yet no exiftool" >&2; exit 1; fi && \
	if ! command -v chromium >/dev/null 2>&1; then \
		echo "chromium installed, yet no chromium" >&2; exit 1; fi

## examples: regenerate the example tables from their seeded script
examples: $(VENV)/.dev
	$(BIN)/python examples/generate.py

## docs: regenerate the facts reference of every rule pack (docs/facts/*.md) from the packs
docs: $(VENV)/.dev
	$(BIN)/python scripts/build_facts_docs.py

bench: $(VENV)/.dev
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/scan_bench.py

clean:
	rm -rf $(VENV) .demo .mypy_cache .ruff_cache .pytest_cache
