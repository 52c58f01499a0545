# Two commands: `make solve` and `make test`. Both create .venv if it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: solve test bench mutate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,plot]'
	touch $(STAMP)

$(VENV): $(STAMP)

solve: $(STAMP)
	$(BIN)/reroute solve inputs/default --out outputs/default

# The suite runs on TEST_WORKERS processes (pytest-xdist); 2 keeps it under 15 min
# on a 2-core machine.
TEST_WORKERS ?= 2

test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# Benchmark ladder (not part of `make test`): per-phase seconds, peak memory, ratios.
bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Mutation testing (not part of `make test`; docs/testing.md): mutmut, module group
# by module group (two side by side), each with the tests that may kill its mutants.
# MUTATE_ARGS: group names, --at-once K, --children N; `python -m tests.mutate
# --score` prints the scores.
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,plot,mutate]'
	nice $(BIN)/python -m tests.mutate $(MUTATE_ARGS)

clean:
	rm -rf outputs/default build dist *.egg-info
