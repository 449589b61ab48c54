# Two commands matter: `make run` (install and open the dashboard on the bundled samples) and
# `make test` (install what the tests need; lint, types, every test). Each creates .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test lint types pytest bench bench-scale bench-accuracy fuzz fixtures golden clean

$(VENV)/.run-stamp: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-stamp: $(VENV)/.run-stamp requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt
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

bench: $(VENV)/.dev-stamp
	$(BIN)/python bench/parse_speed.py
	$(BIN)/python bench/app_speed.py
	$(BIN)/python bench/ocr_speed.py

# Libraries of 1,000 and 10,000 generated reports: ingest throughput, page reruns, peak memory
# (several minutes; figures in docs/benchmarks.md).
bench-scale: $(VENV)/.dev-stamp
	$(BIN)/python bench/scale.py

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
	rm -rf $(VENV) data/cache .pytest_cache .mypy_cache .ruff_cache
