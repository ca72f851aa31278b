# Two entry points from nothing (Python 3.11 or 3.12, gcc and the Python headers needed):
#   make demo   installs the tool in .venv and evaluates a shipped fixture
#   make test   installs the test tools and runs every check CI runs
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# durable-rules ships as source only; its setup.py drops CFLAGS, so optimise through
# CPPFLAGS (about 20-25 % faster Rete core, see shared/engine notes).
export CPPFLAGS := -O2

.PHONY: demo test lint typecheck rules-check rules-test pytest golden bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-tool: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed-tool
	$(BIN)/eligibility evaluate fixtures/profiles/hospital-ehr.yaml

test: lint typecheck rules-check rules-test pytest

# The rule set as a whole (gaps, contradictions, unreachable, dead steps, shadowed,
# precedence by confidence, provenance of the tags), strict: a warning fails CI too; and the
# rule cases with coverage: CI gates at 100 % of the rules deciding in some case.
rules-check: $(VENV)/.installed
	$(BIN)/eligibility rules check --strict

rules-test: $(VENV)/.installed
	$(BIN)/eligibility rules test --min-coverage 100

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed
	$(BIN)/mypy

pytest: $(VENV)/.installed
	$(BIN)/pytest -q

# Rewrite the golden files (fixture decisions, compiled networks, schemas, plans, French
# decisions) after a deliberate change; review the diff. Promoted audit cases
# (tests/golden/audit) are re-promoted with `eligibility audit promote`.
golden: $(VENV)/.installed
	$(BIN)/python -m tests.golden_tool
	$(BIN)/python -m tests.map_golden

# Regenerate docs/catalogue.md after a rule change (a test fails while it is stale).
docs: $(VENV)/.installed
	$(BIN)/eligibility rules docs

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/evaluate.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
