# Two entry points for a fresh machine: `make demo` and `make test`. Both build .venv
# themselves from pyproject.toml; nothing needs to be installed by hand beyond python3 >= 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SRC := src tests benchmarks examples scripts

.PHONY: demo test lint typecheck unit examples bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[all]'
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

## demo: set up, scan the bundled example tables and text, and decide an export
demo: $(VENV)/.runtime
	$(BIN)/chinacomply scan examples/
	@echo "--- free text (masked spans, code-point offsets) ---"
	$(BIN)/chinacomply scan --text examples/ticket.txt
	@echo "--- export decision for the customer table (examples/transfer.yaml) ---"
	$(BIN)/chinacomply assess examples/transfer.yaml

## test: set up with dev dependencies, lint, type-check and run the whole suite
test: lint typecheck unit

lint: $(VENV)/.dev
	$(BIN)/ruff check $(SRC)
	$(BIN)/ruff format --check $(SRC)

typecheck: $(VENV)/.dev
	$(BIN)/mypy

unit: $(VENV)/.dev
	$(BIN)/pytest

## examples: regenerate the example tables from their seeded script
examples: $(VENV)/.dev
	$(BIN)/python examples/generate.py

bench: $(VENV)/.dev
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/scan_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
