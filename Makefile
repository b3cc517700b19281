# `make run` and `make test` work on a fresh clone: they create .venv, install, and go.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The suite runs on two processes (pytest-xdist): about 2.5 min on 2 cores instead of 5.
TEST_WORKERS ?= 2

.PHONY: run test lint format bench docs

$(PY):
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11+ is needed ($(PYTHON) is older)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml changed (editable install: code changes need no reinstall).
$(VENV)/.installed-app: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-app

run: $(VENV)/.installed-app
	$(PY) main.py $(ARGS)

test: $(VENV)/.installed-test
	$(PY) -m ruff check viewer tests benchmarks docs main.py
	$(PY) -m ruff format --check viewer tests benchmarks docs main.py
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(PY) -m ruff check --fix viewer tests benchmarks docs main.py
	$(PY) -m ruff format viewer tests benchmarks docs main.py

# One table of every speed figure beside its target; also rewrites docs/benchmarks.md's table.
bench: $(VENV)/.installed-test
	$(PY) benchmarks/all.py

# The docs' generated sections: the options table of docs/limits.md, from the settings schema.
docs: $(VENV)/.installed-app
	$(PY) docs/sections.py
