# Set-up and every job of the severance add-in. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
OUT    := out

.PHONY: install install-test demo test bench soffice clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(STAMP)
	@echo "ready: $(BIN)/severance"

$(TESTSTAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

install-test: $(TESTSTAMP)

# LibreOffice recalculates workbook formulas in the tests (Debian: libreoffice-calc-nogui).
soffice:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "installing LibreOffice Calc (headless) for the recalculation tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libreoffice-calc-nogui poppler-utils >/dev/null; }

demo: install
	@mkdir -p $(OUT)
	$(BIN)/severance calc workbooks/sample_cases.csv -o $(OUT)/sample_payouts.csv
	@echo "demo output: $(OUT)/sample_payouts.csv"

test: install-test soffice
	$(BIN)/python -m pytest -q

bench: install-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(OUT) .pytest_cache
