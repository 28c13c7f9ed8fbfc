# Set up and build on a fresh machine: `make site`; run every test: `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site pdf test setup system serve validate clean

$(STAMP): requirements.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

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

test: setup system
	$(BIN)/python -m pytest -q

clean:
	rm -rf site .brief
