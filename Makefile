# Tradepost: `make run` serves the API with demo data, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

NODE_TOOLS := tests/node/node_modules

.PHONY: bench run test lint typecheck pytest audit migrate seed schema graphiql-assets node-tools clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Outside DEBUG the server needs a SECRET_KEY of 32+ bytes: `make run` keeps a random one in .env
# (git-ignored), made once, so logins survive restarts.
.env: | $(BIN)/python
	$(BIN)/python -c 'import secrets; print("SECRET_KEY=" + secrets.token_urlsafe(32))' > .env

run: $(STAMP) .env
	$(BIN)/tradepost migrate
	$(BIN)/tradepost seed --if-empty
	$(BIN)/tradepost serve --host $(HOST) --port $(PORT)

migrate: $(STAMP)
	$(BIN)/tradepost migrate

seed: $(STAMP)
	$(BIN)/tradepost seed

schema: $(STAMP)
	$(BIN)/tradepost schema > schema/schema.graphql

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy .

pytest: $(STAMP)
	$(BIN)/pytest

# Prints a clear SKIPPED line (and passes) when the vulnerability service cannot answer.
audit: $(STAMP)
	$(BIN)/python scripts/audit_dependencies.py

test: lint typecheck audit pytest

# GraphiQL's scripts and styles from the npm registry, for GRAPHIQL_LOCAL_ASSETS=true (the same
# package versions Strawberry's page names; git-ignored).
graphiql-assets: $(STAMP)
	npm install --prefix static/graphiql --no-save --no-package-lock --no-audit --no-fund \
		$$($(BIN)/python -c 'from api.app import graphiql_packages; print(*graphiql_packages())')

# graphql-http's conformance audit and playwright-core, which the live-server tests run (git-ignored).
node-tools:
	npm install --prefix tests/node --no-package-lock --no-audit --no-fund

clean:
	rm -rf $(VENV) *.egg-info .mypy_cache .ruff_cache .pytest_cache $(NODE_TOOLS) static/graphiql

# Figures printed as a table; see README "Performance and the benchmark".
bench: $(STAMP)
	$(BIN)/python -m bench.run
