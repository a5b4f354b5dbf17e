# Set-up and every job of the severance add-in. `make demo` and `make test` work on a fresh machine.
SHELL  := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
OUT    := out

.PHONY: install install-test demo test bench soffice clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

SOURCES := $(shell find addin -name '*.py' -o -name '*.toml')
# This machine's pip configuration names local package folders that may be absent; pip's notice
# about each is about the machine, not the add-in, so only that one line is left out.
PIP = $(BIN)/pip install --quiet --disable-pip-version-check
QUIET = 2>&1 | { grep -v "^WARNING: Location 'file:.*' is ignored" || true; }; test $${PIPESTATUS[0]} -eq 0

# A regular (not editable) install: the package is rebuilt whenever a source file changes.
$(STAMP): pyproject.toml $(SOURCES) | $(BIN)/python
	@$(PIP) --upgrade pip $(QUIET)
	@$(PIP) . $(QUIET)
	touch $@

install: $(STAMP)
	@echo "ready: $(BIN)/severance"

$(TESTSTAMP): $(STAMP)
	@$(PIP) '.[test,bench]' $(QUIET)
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
	$(BIN)/severance report workbooks/sample_cases.csv -o $(OUT)/sample_report.xlsx
	$(BIN)/severance calc workbooks/sample_cases.csv -o $(OUT)/sample_payouts.csv
	@echo "demo output: $(OUT)/sample_report.xlsx (the payout workbook) and $(OUT)/sample_payouts.csv"

test: install-test soffice
	$(BIN)/python -m pytest -q

bench: install-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(OUT) .pytest_cache

# The calculator's first printed page, whole, as LibreOffice prints it (Letter, footer
# included), for the README.
.PHONY: picture-calculator
picture-calculator: install soffice
	@mkdir -p $(OUT) docs/images
	$(BIN)/python -c "import sys; from tests.support.recalc import to_pdf; to_pdf('workbooks/severance_calculator.xlsx', '$(OUT)')"
	pdftoppm -png -r 100 -f 1 -l 1 -singlefile $(OUT)/severance_calculator.pdf docs/images/calculator
	@echo "picture: docs/images/calculator.png"

# The Summary of a real report on the sample cases, as LibreOffice prints it (page 1 of the
# PDF, A3 landscape fitted to the width; the picture is its top-left part, inputs through total_value), for the README.
.PHONY: picture-report
picture-report: install soffice
	@mkdir -p $(OUT)/picture-report docs/images
	$(BIN)/severance report workbooks/sample_cases.csv -o $(OUT)/picture-report/sample_report.xlsx
	$(BIN)/python -c "import sys; from tests.support.recalc import to_pdf; to_pdf('$(OUT)/picture-report/sample_report.xlsx', '$(OUT)/picture-report')"
	pdftoppm -png -r 200 -f 1 -l 1 -x 110 -y 170 -W 1720 -H 980 -singlefile $(OUT)/picture-report/sample_report.pdf docs/images/summary
	@echo "picture: docs/images/summary.png"

# The functions workbook as someone with the add-in sees it (its printed page 2, SEVERANCE_BREAKDOWN
# beside the native formulas), for the README. LibreOffice cannot
# run the add-in, so each function cell holds what addin.udfs returns for its arguments
# (tests/support/functions_picture.py); the native formulas and the `agrees` checks beside them
# are LibreOffice's own recalculation.
.PHONY: picture-functions
picture-functions: install soffice
	@mkdir -p $(OUT)/picture-functions docs/images
	$(BIN)/python -m tests.support.functions_picture $(OUT)/picture-functions/severance_functions.xlsx
	$(BIN)/python -c "from tests.support.recalc import to_pdf; to_pdf('$(OUT)/picture-functions/severance_functions.xlsx', '$(OUT)/picture-functions')"
	pdftoppm -png -r 150 -f 2 -l 2 -x 45 -y 75 -W 1485 -H 650 -singlefile $(OUT)/picture-functions/severance_functions.pdf docs/images/functions
	@echo "picture: docs/images/functions.png"
