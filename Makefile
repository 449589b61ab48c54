# Two commands matter: `make run` (install and open the dashboard on the bundled samples) and
# `make test` (install what the tests need; lint, types, every test). Each creates .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# pip itself, pinned like everything else (the locks hold every other package, transitive ones included)
PIP_VERSION := 26.3
# How the venv is filled: from the locks (exact versions, hashes checked), or, for `make test-latest`
# (VENV=.venv-latest), the newest versions requirements*.txt's ranges allow.
LATEST := .venv-latest

.PHONY: run test lint types pytest upgrade test-latest bench bench-scale bench-national bench-accuracy fuzz fixtures golden clean

ifeq ($(VENV),$(LATEST))
INSTALL_RUN := -m pip install -q --upgrade --upgrade-strategy eager -r requirements.txt
INSTALL_DEV := -m pip install -q --upgrade --upgrade-strategy eager -r requirements-dev.txt
RUN_INPUT   := requirements.txt
DEV_INPUT   := requirements-dev.txt
PIP_SPEC    := pip
else
INSTALL_RUN := -m pip install -q --require-hashes -r requirements.lock
INSTALL_DEV := -m pip install -q --require-hashes -r requirements-dev.lock
RUN_INPUT   := requirements.lock
DEV_INPUT   := requirements-dev.lock
PIP_SPEC    := pip==$(PIP_VERSION)
endif

$(VENV)/.run-stamp: $(RUN_INPUT)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "$(PIP_SPEC)"
	$(BIN)/python $(INSTALL_RUN)
	touch $@

$(VENV)/.dev-stamp: $(VENV)/.run-stamp $(DEV_INPUT)
	$(BIN)/python $(INSTALL_DEV)
	touch $@

run: $(VENV)/.run-stamp
	$(BIN)/python -m gkcore ingest data/samples
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev-stamp lint types pytest

lint: $(VENV)/.dev-stamp
	$(BIN)/ruff check .

types: $(VENV)/.dev-stamp
	$(BIN)/mypy

pytest: $(VENV)/.dev-stamp
	$(BIN)/python -m pytest

# Recompile the locks from requirements*.txt: the newest versions the ranges allow, with their hashes,
# for every platform and Python >= 3.11 (uv pip compile --universal). The runtime lock is compiled
# first and constrains the dev lock, so both hold the same versions. Then `make test` and commit.
UV_COMPILE := $(BIN)/uv pip compile --universal --python-version 3.11 --generate-hashes -q
upgrade: $(VENV)/.dev-stamp
	$(UV_COMPILE) --upgrade requirements.txt -o requirements.lock
	$(UV_COMPILE) --upgrade requirements-dev.txt -c requirements.lock -o requirements-dev.lock
	@git diff --stat -- requirements.lock requirements-dev.lock 2>/dev/null || true

# The whole suite in a separate venv ($(LATEST), made anew) against the newest versions the ranges
# allow, so that an upstream release that breaks us shows here before users meet it. The versions it
# tried that differ from the lock's are listed at the end.
test-latest:
	rm -rf $(LATEST)
	$(MAKE) test VENV=$(LATEST)
	@echo "test-latest passed. Versions it tried that differ from requirements-dev.lock (make upgrade takes them):"
	@$(LATEST)/bin/python .ci/newer.py requirements-dev.lock

bench: $(VENV)/.dev-stamp
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/app_speed.py
	$(BIN)/python bench/ocr_speed.py

# Libraries of 1,000 and 10,000 generated reports: ingest throughput, page reruns, peak memory
# (several minutes; figures in docs/benchmarks.md).
bench-scale: $(VENV)/.dev-stamp
	$(BIN)/python bench/scale.py

# A national library: 10^6 synthetic reports' index written on a Dask LocalCluster (index only: no
# cache entries), then every page's rerun and the app's memory (about 30 min and 1 GB of disk here;
# the library is kept in data/bench/ and reused). N=100000 for a quicker run.
N ?= 1000000
bench-national: $(VENV)/.dev-stamp
	$(BIN)/python bench/scale.py --sizes --skip-ingest --national $(N) --keep data/bench --repeat 3

# Accuracy over a few hundred freshly generated ugly layouts per class (issue 10; needs the CJK fonts of .ci/run).
bench-accuracy: $(VENV)/.dev-stamp
	$(BIN)/python bench/accuracy.py --per-class 200

# The long fuzz run over the parser's entry point (the default suite runs a short one).
FUZZ_EXAMPLES ?= 20000
fuzz: $(VENV)/.dev-stamp
	GK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_fuzz.py -q

# Regenerate the generated PDF fixtures (needs fonts-wqy-zenhei), then their golden CSVs.
fixtures: $(VENV)/.dev-stamp
	$(BIN)/python tests/fixtures/make_generated.py
	$(BIN)/python tests/fixtures/make_ugly.py

golden: $(VENV)/.dev-stamp
	$(BIN)/python -m pytest tests/test_golden.py --regen-golden

clean:
	rm -rf $(VENV) $(LATEST) data/cache .pytest_cache .mypy_cache .ruff_cache
