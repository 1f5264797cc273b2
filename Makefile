# Two set-up commands (see README): `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench audit audit-strict clean

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

test: lint typecheck audit pytest

# Known vulnerabilities in the installed (pinned) dependencies, asked of PyPI's feed, then
# OSV (dudao/devtools/audit.py): fails on a known vulnerability or on a package the service
# does not know; when neither service can be reached (a connection error, or an index
# mirror that answers "not found" for every package) it prints one warning line and passes.
audit: $(STAMP)
	$(BIN)/python -m dudao.devtools.audit

# The same, failing also when no service answers.
audit-strict: $(STAMP)
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

bench: $(STAMP)
	status=0; for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || status=1; done; exit $$status

clean:
	rm -rf $(VENV) build *.egg-info
