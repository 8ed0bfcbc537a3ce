# Two entry points (see README): `make run` and `make test`. Both build .venv from the lock first.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PIP_VERSION := 25.3

# Prefect keeps its SQLite database inside the ignored .state folder and sends no telemetry.
export PREFECT_HOME := $(CURDIR)/.state/prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: setup run test lint bench clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	mkdir -p .state/prefect
	# The report's Vega bundle: vl-convert builds it once (~10 s), then it is read from the cache.
	$(BIN)/python -c "from newsevents.tasks.report.assets import vega_bundle; vega_bundle()"
	touch $(STAMP)

run: setup
	$(BIN)/newsevents run data/samples --out data/out

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python benchmarks/throughput.py

# Regenerate the lock after editing requirements.in (needs network).
lock: setup
	$(BIN)/python -m pip install --quiet uv==0.13.9
	$(BIN)/uv pip compile requirements.in --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) .state data/out
