# Two set-up commands (see README): `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench audit clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

PORT ?= 8000
# `make demo PORT=8001` serves on another port.
demo: $(STAMP)
	$(BIN)/dudao demo --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy dudao benchmarks docs

pytest: $(STAMP)
	$(BIN)/pytest -n auto $(PYTEST_ARGS)

test: lint typecheck pytest

# Known vulnerabilities in the installed (pinned) dependencies. Not part of `make test`: it
# needs PyPI's JSON API or OSV, and --strict fails where neither answers (a package index
# mirror that serves only /simple/ would otherwise make every package "not found": a false
# "No known vulnerabilities found").
audit: $(STAMP)
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

bench: $(STAMP)
	status=0; for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || status=1; done; exit $$status

clean:
	rm -rf $(VENV) build *.egg-info
