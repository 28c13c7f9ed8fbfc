# Set up and build on a fresh machine: `make site`; run every test: `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCKS := requirements/runtime.txt requirements/test.txt
PIP := $(BIN)/pip install --quiet --disable-pip-version-check

.PHONY: site pdf test bench screenshots golden setup system serve validate clean locks

# The test lock holds the runtime lock's versions plus the test suite's packages, every file checked against its
# hash. --no-deps: the lock is complete, and misp-stix's own bound on pycountry is overridden there (see
# requirements/overrides.txt). intelbrief itself is built with the setuptools the lock installed.
$(STAMP): $(LOCKS) pyproject.toml setup.py
	$(PY) -m venv $(VENV)
	$(PIP) --require-hashes --no-deps -r requirements/test.txt
	$(PIP) --no-deps --no-build-isolation -e .
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

# On every core (at most 4): each test file runs whole in one worker, so its module fixtures are made once.
test: setup system node_modules/.installed
	$(BIN)/python -m pytest -q -n auto --maxprocesses 4 --dist loadfile

# The scale benchmark (S, M, L; the 100,000-flight XL too with `make bench XL=1`); writes benchmarks/RESULTS.md.
bench: setup system node_modules/.installed
	$(BIN)/python benchmarks/run.py $(if $(XL),--xl)

# Refresh the README's screenshots, taken by the browser test suite.
screenshots: setup system node_modules/.installed
	BRIEF_SCREENSHOTS=$(CURDIR)/docs/images $(BIN)/python -m pytest -q tests/browser/test_pages.py -k screenshots
	BRIEF_SCREENSHOTS=$(CURDIR)/docs/images $(BIN)/python -m pytest -q tests/outputs/test_edition.py -k readme

# Rewrite the golden page texts of the example brief after an intended change; review the diff.
golden: setup
	$(BIN)/python -m tests.golden

# Regenerate the locks after a change to pyproject.toml, keeping every version that still fits; to move on,
# make locks UPGRADE=--upgrade (everything) or UPGRADE="--upgrade-package NAME". Needs uv on the PATH.
UV ?= uv
LOCK_OPTIONS = --universal --python-version 3.11.5 --generate-hashes --quiet --custom-compile-command "make locks"
locks:
	$(UV) pip compile pyproject.toml requirements/build.in $(LOCK_OPTIONS) $(UPGRADE) -o requirements/runtime.txt
	$(UV) pip compile pyproject.toml requirements/build.in --extra test --extra interop $(LOCK_OPTIONS) $(UPGRADE) \
	  -c requirements/runtime.txt --override requirements/overrides.txt -o requirements/test.txt

clean:
	rm -rf site .brief node_modules
