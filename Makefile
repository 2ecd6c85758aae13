# Frontline: `make run` ingests the seed articles, writes the maps and serves them on
# http://127.0.0.1:8000; `make test` runs the whole test suite. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FRONTLINE_DATA_DIR ?= $(CURDIR)/.frontline/data

.PHONY: run test lint bench gazetteer boundaries clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[web,test,postgis,dask,tiles]'
	touch $@

gazetteer: $(VENV)/.installed
	$(BIN)/frontline gazetteer build

run: $(VENV)/.installed
	$(BIN)/frontline run seeds --synthetic-front --out out --host 127.0.0.1 --port 8000

lint: $(VENV)/.installed
	$(BIN)/ruff check geo maps api tests bench data/gazetteer
	$(BIN)/mypy

# pytest exits 5 when it collects nothing: say so rather than fail on it.
test: $(VENV)/.installed lint
	$(BIN)/python -m pytest -m "" $(PYTEST_ARGS) || { s=$$?; [ $$s -eq 5 ] && echo "no tests collected"; [ $$s -eq 5 ]; }

bench: $(VENV)/.installed
	$(BIN)/python -m bench.gazetteer
	$(BIN)/python -m bench.render
	$(BIN)/python -m bench.claims
	$(BIN)/python -m bench.api_load

# Re-extract the Natural Earth polygons (needs npm); the outputs are committed.
boundaries: $(VENV)/.installed
	cd data/gazetteer && npm ci --no-audit --no-fund
	$(BIN)/python data/gazetteer/build_boundaries.py

clean:
	rm -rf $(VENV) .frontline out
