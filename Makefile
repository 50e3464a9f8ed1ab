# Two commands for people (see README): `make run` and `make test`.
# Both create .venv with the interpreter named by PYTHON (Python 3.11 or later).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install catalogs chromium wrk lint format bench sbom clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,sbom]'
	touch $(STAMP)

# The .mo files are built, never committed.
catalogs: $(STAMP)
	$(BIN)/burnout-app translate compile

install: $(STAMP) catalogs

run: install
	$(BIN)/burnout-app serve

# Browser tests need Debian's Chromium at /usr/bin/chromium; install it when missing.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium poppler-utils; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install chromium lint
	$(BIN)/python -m pytest -n 2 --dist loadfile

# The benchmark measures load with wrk (a C load generator) so the client does not
# flatter the server; install it like the test target installs chromium.
wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "Installing Debian's wrk for the benchmark"; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; \
	fi

bench: install wrk
	$(BIN)/python bench/run.py

# A CycloneDX SBOM of the app as `pip install .` installs it (in build/sbom/venv), the
# licence list of its runtime dependencies, and a check that each licence suits Apache-2.0.
sbom: install
	$(BIN)/python tools/sbom.py build/sbom

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
