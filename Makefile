# dokdeling — `make run` and `make test` are the two commands; `make help` lists the rest.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install system-deps lint format typecheck imports check test test-fast run bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install dokdeling with its development tools

system-deps: ## Install the Debian packages the tests start (PostgreSQL, Redis, Chromium, curl)
	@scripts/install-system-deps.sh

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Reformat the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install ## mypy --strict
	$(BIN)/mypy

imports: install ## The layering rules (schemas imports no service; registry and repository stay apart)
	$(BIN)/lint-imports

check: lint typecheck imports ## Everything static

test: install system-deps check ## Install, start what the tests need, lint, type-check and run every test
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install ## Only the tests that need no server
	$(BIN)/pytest -m "not slow and not postgres and not redis and not s3 and not browser" $(PYTEST_ARGS)

run: install ## Start registry, repository and a worker with demo data under ./var
	$(BIN)/dokdeling run

BENCH_ARGS ?=
bench: install system-deps ## Benchmarks (never part of make test); results in bench/results and docs/benchmarks.md
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev,bench]'
	$(BIN)/python -m bench $(BENCH_ARGS)

clean: ## Remove the virtualenv, caches and ./var
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
