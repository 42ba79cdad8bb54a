# Tradepost: `make run` serves the API with demo data, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every dependency, pinned with its hashes for every platform and Python 3.11+ (`make lock`
# writes it from pyproject.toml's ranges, which stay for people who use Tradepost as a library).
LOCK := requirements.lock
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

NODE_TOOLS := tests/node/node_modules
GRAPHIQL_ASSETS := static/graphiql/node_modules
# npm's own chatter off (peer-dependency notices, funding, audit): errors still show.
NPM_INSTALL := npm install --no-package-lock --no-audit --no-fund --loglevel=error

.PHONY: install bench bench-compare bench-growth bench-webhooks bench-subscriptions run test lint typecheck pytest audit lock migrate seed schema graphiql-assets node-tools clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The locked set exactly (pip refuses a file whose hash is not in the lock), then Tradepost itself.
$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# GraphiQL's scripts and styles from the npm registry (the package versions Strawberry's page
# names; git-ignored), so GraphiQL works where no CDN answers. Without npm, GraphiQL loads them
# from the CDN instead, and this says so.
$(GRAPHIQL_ASSETS): | $(STAMP)
	@if ! command -v npm >/dev/null; then \
		echo "npm is not installed: GraphiQL will load its scripts from the unpkg CDN"; \
	else \
		echo "Installing GraphiQL's assets from the npm registry into static/graphiql"; \
		$(NPM_INSTALL) --no-save --legacy-peer-deps --prefix static/graphiql \
			$$($(BIN)/python -c 'from api.app import graphiql_packages; print(*graphiql_packages())') \
		|| { rm -rf $(GRAPHIQL_ASSETS); echo "npm install failed: GraphiQL will use the unpkg CDN"; }; \
	fi

install: $(STAMP) $(GRAPHIQL_ASSETS)

graphiql-assets: $(GRAPHIQL_ASSETS)

# Outside DEBUG the server needs a SECRET_KEY of 32+ bytes: `make run` keeps a random one in .env
# (git-ignored), made once, so logins survive restarts.
.env: | $(BIN)/python
	$(BIN)/python -c 'import secrets; print("SECRET_KEY=" + secrets.token_urlsafe(32))' > .env

# Migrates when the schema is behind, seeds an empty database, serves; each step says what it does.
run: install .env
	$(BIN)/tradepost start --host $(HOST) --port $(PORT)

migrate: $(STAMP)
	$(BIN)/tradepost migrate

seed: $(STAMP)
	$(BIN)/tradepost seed

schema: $(STAMP)
	$(BIN)/tradepost schema > schema/schema.graphql

# After changing pyproject.toml's dependencies; `make install` then installs the new set.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --quiet --custom-compile-command "make lock" -o $(LOCK)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy .

pytest: $(STAMP)
	@echo "The live-server tests install graphql-http and playwright-core (tests/node) and GraphiQL's"
	@echo "assets (static/graphiql) from the npm registry on first use; SKIP_NODE_TESTS=1 skips them."
	$(BIN)/pytest

# The locked set, whatever is installed. Prints a clear SKIPPED line (and passes) when the
# vulnerability service cannot answer.
audit: $(STAMP)
	$(BIN)/python scripts/audit_dependencies.py $(LOCK)

test: lint typecheck audit pytest

# graphql-http's conformance audit and playwright-core, which the live-server tests run (git-ignored).
node-tools:
	$(NPM_INSTALL) --prefix tests/node

clean:
	rm -rf $(VENV) *.egg-info .mypy_cache .ruff_cache .pytest_cache $(NODE_TOOLS) static/graphiql

# Figures printed as a table; see README "Performance and the benchmark". BENCH_ARGS passes
# bench.run's flags, e.g. `make bench BENCH_ARGS="--seconds 2 --port 8312"`.
bench: $(STAMP)
	$(BIN)/python -m bench.run $(BENCH_ARGS)
	$(BIN)/python -m bench.webhooks
	$(BIN)/python -m bench.subscriptions

# This build against commit REF, taking turns at each scenario: `make bench-compare REF=44f2631`.
bench-compare: $(STAMP)
	$(BIN)/python -m bench.run --compare $(REF) $(BENCH_ARGS)

# SQL statements and CPU per object of accounts(first: 1|20|100) at 1,000 and 100,000 accounts.
bench-growth: $(STAMP)
	$(BIN)/python -m bench.run --growth $(BENCH_ARGS)

# 10,000 webhook events delivered across a killed deliverer: none lost (docs/webhooks.md).
bench-webhooks: $(STAMP)
	$(BIN)/python -m bench.webhooks

# 500 idle subscriptions held by one worker, and its memory (docs/live.md).
bench-subscriptions: $(STAMP)
	$(BIN)/python -m bench.subscriptions
