# Two commands: `make solve` and `make test`. Both create .venv if it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: solve test bench mutate clean bytecode

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,plot]'
	touch $(STAMP)

$(VENV): $(STAMP)

# An editable install compiles nothing, and where PYTHONDONTWRITEBYTECODE is set (as in
# many container images) Python never caches what it compiles, so every `reroute`
# process would compile Reroute's own modules again (about 0.3 s). compileall writes
# the caches of the sources that changed since it last ran; a stale cache is never
# used (Python checks each source's size and mtime), so this only saves time.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q model bench

solve: bytecode
	$(BIN)/reroute solve inputs/default --out outputs/default

# The suite runs on TEST_WORKERS processes (pytest-xdist); 2 keeps it under 15 min
# on a 2-core machine.
TEST_WORKERS ?= 2

test: bytecode
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# Benchmark ladder (not part of `make test`): per-phase seconds, peak memory, ratios.
bench: bytecode
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
	find model bench -name __pycache__ -type d -prune -exec rm -rf {} +
