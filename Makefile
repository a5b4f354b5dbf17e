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

# The sample holds five deliberately bad rows, so each command exits 1 (rows rejected, every
# output written); any other status is a failure of the demo.
ACCEPT_REJECTED = || test $$? -eq 1

demo: install
	@mkdir -p $(OUT)
	$(BIN)/severance report workbooks/sample_cases.csv -o $(OUT)/sample_report.xlsx $(ACCEPT_REJECTED)
	$(BIN)/severance calc workbooks/sample_cases.csv -o $(OUT)/sample_payouts.csv $(ACCEPT_REJECTED)
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

# The sample report as LibreOffice prints it (Letter), for the README and docs/report.md: the
# Payout register's page whole, as it prints (register_page.png), its top-left part close up
# (summary.png), and a statement's first page whole (statement_page.png). `severance report`
# exits 1 on the sample (it has rejected rows), so only exit 2 stops the target.
.PHONY: picture-report
picture-report: install soffice
	@mkdir -p $(OUT)/picture-report docs/images
	SOURCE_DATE_EPOCH=1764547200 $(BIN)/severance report workbooks/sample_cases.csv -o $(OUT)/picture-report/sample_report.xlsx --pdf $(OUT)/picture-report/pdf || test $$? -eq 1
	pdftoppm -png -r 80 -f 1 -l 1 -singlefile $(OUT)/picture-report/pdf/payout_register.pdf docs/images/register_page
	pdftoppm -png -r 200 -f 1 -l 1 -x 60 -y 60 -W 1500 -H 700 -singlefile $(OUT)/picture-report/pdf/payout_register.pdf docs/images/summary
	pdftoppm -png -r 80 -f 1 -l 1 -singlefile $(OUT)/picture-report/pdf/E1002.pdf docs/images/statement_page
	@echo "pictures: docs/images/register_page.png, summary.png, statement_page.png"

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
