# One task runner for people and CI (.ci/run calls `make test`).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: publish test browser lint typecheck unit bytecode namespaces clean

# Quick start 1: set up and run the main job on the bundled example documents.
publish: bytecode
	$(BIN)/ldexport publish -o output/

# Quick start 2: set up and run every check (lint, types, tests).
test: $(STAMP) browser lint typecheck unit

# The serving tests drive a real browser: Debian's Chromium and ChromeDriver (a browser
# download such as `playwright install` cannot work without the internet).
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	  else \
	    echo "The browser tests need Chromium: sudo apt-get install chromium chromium-driver"; exit 1; \
	  fi; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check ldexport tests scripts benchmarks
	$(BIN)/ruff format --check ldexport tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: bytecode
	$(BIN)/pytest

# The package is installed in place (-e), which pip does not byte-compile, and where
# PYTHONDONTWRITEBYTECODE is set Python never writes the bytecode itself: every ldexport
# process, each worker of a publish included, would compile its ~45 modules again (0.13 s of
# CPU).  compileall writes what is missing or out of date, and Python reads it either way.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q ldexport

# Regenerate ontology/eli-dl-terms.ttl and ldexport/namespaces/_generated.py from ontology/.
namespaces: $(STAMP)
	$(BIN)/python scripts/generate_namespaces.py
	$(BIN)/ruff format ldexport/namespaces/_generated.py

clean:
	rm -rf $(VENV) output/*.ttl output/*.jsonld output/*.json output/*.txt .pytest_cache .mypy_cache .ruff_cache
