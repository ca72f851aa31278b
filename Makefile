# Two entry points from nothing (Python 3.11 to 3.14, gcc and the Python headers needed):
#   make demo   installs the tool in .venv and evaluates a shipped fixture
#   make test   installs the test tools and runs every check CI runs
# Another interpreter: make test PYTHON=python3.13 VENV=.venv-3.13
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# durable-rules ships as source only, and its setup.py drops CFLAGS, so its flags go through
# CPPFLAGS: -O2 (a 20-25 % faster Rete core, see shared/engine notes), and the define
# Python 3.13+ needs, where PyEval_CallObject (which its C core calls) no longer exists.
export CPPFLAGS := -O2 -DPyEval_CallObject=PyObject_CallObject
DURABLE := $(shell sed -n 's/.*"\(durable-rules==[^"]*\)".*/\1/p' pyproject.toml)

.PHONY: demo test lint typecheck rules-check rules-test pytest golden bench docs clean

# durable-rules is compiled with the flags above, never taken from pip's cache: a wheel cached
# from a build without them installs, then fails to import on Python 3.13+.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-cache-dir --no-deps '$(DURABLE)'

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
# decisions, the text views) after a deliberate change; review the diff. Promoted audit cases
# (tests/golden/audit) are re-promoted with `eligibility audit promote`.
golden: $(VENV)/.installed
	$(BIN)/python -m tests.golden_tool
	$(BIN)/python -m tests.map_golden
	$(BIN)/python -m tests.text_golden

# Regenerate docs/catalogue.md, docs/profile.md and docs/profile.schema.json after a change
# to the rules, the questions or the profile model (a test fails while one is stale).
docs: $(VENV)/.installed
	$(BIN)/eligibility rules docs

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/evaluate.py

clean:
	rm -rf $(VENV) .venv-* .pytest_cache .mypy_cache .ruff_cache
