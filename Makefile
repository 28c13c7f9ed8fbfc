# Set up and build on a fresh machine: `make site`; run every test: `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site pdf test bench screenshots golden setup system serve validate clean

$(STAMP): requirements.txt requirements-nodeps.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch node_modules/.installed

setup: $(STAMP)

# Debian packages the browser and PDF tests need; installed when run as root, else named.
system:
	@bash .ci/system-packages

site: setup
	$(BIN)/brief build

pdf: setup system
	$(BIN)/brief pdf

validate: setup
	$(BIN)/brief validate

serve: setup
	$(BIN)/brief serve

test: setup system node_modules/.installed
	$(BIN)/python -m pytest -q

# The scale benchmark (S, M, L); writes benchmarks/RESULTS.md.
bench: setup system node_modules/.installed
	$(BIN)/python benchmarks/run.py

# Refresh the README's screenshots, taken by the browser test suite.
screenshots: setup system node_modules/.installed
	BRIEF_SCREENSHOTS=$(CURDIR)/docs/images $(BIN)/python -m pytest -q tests/browser/test_pages.py -k screenshots
	BRIEF_SCREENSHOTS=$(CURDIR)/docs/images $(BIN)/python -m pytest -q tests/outputs/test_edition.py -k readme

# Rewrite the golden page texts of the example brief after an intended change; review the diff.
golden: setup
	$(BIN)/python -m tests.golden

clean:
	rm -rf site .brief node_modules
