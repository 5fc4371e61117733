# Newsroom: `make help` lists the targets and the knobs.

# Knobs, set on the command line (`make run PORT=8200`) or in the environment; `make help`
# prints the lines that start with "#:".
#: PORT          the port of `make run` and `make serve`; the site's address follows it (8000)
#: PYTEST_ARGS   more arguments for pytest in `make test` and `make test-fast`, e.g. "tests/browser -x"
#: DATABASE_URL  the database, e.g. postgres://postgres@127.0.0.1:5432/newsroom (an SQLite file in var/)
#: REDIS_URL     the shared cache, e.g. redis://127.0.0.1:6379/0 (each process's memory)
#: CI            true in CI: every Hypothesis example, and a missing browser fails the tests
#: HYPOTHESIS_PROFILE  dev (fewer examples) or ci (every one); default: ci when CI=true, else dev
#: PYTHON        the Python 3.11 that builds .venv (python3.11, else python3)
#: N             stories `make bench` and `make loadtest` seed (100000 and 10000)
#: PEERS_N       stories `make bench-peers` seeds in each app (1000)
PORT ?= 8000
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The venv is rebuilt when the project's dependencies change.
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv run serve test test-fast validate bench bench-peers loadtest lint format migrate demo clean

help: ## List the targets and the knobs
	@echo "Targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'
	@echo "Knobs (make run PORT=8200, or exported):"
	@sed -n 's/^#: /  /p' $(MAKEFILE_LIST)

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Newsroom needs Python 3.11 (python3.11) on the PATH."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv and install the project with its dev extra

# The development settings manage.py reads: debug on, a generated secret key, the site's
# address (newsroom/envfile.py). Written when missing; `make run` also moves the address to PORT.
.env: | $(STAMP)
	@$(BIN)/python -m newsroom.envfile --port $(PORT)

run: $(STAMP) ## Install, write .env, migrate, load demo content, print the logins, serve on 127.0.0.1:PORT with a job worker
	@$(BIN)/python -m newsroom.envfile --port $(PORT)
	$(MAKE) --no-print-directory migrate demo
	@for role in editor reporter legal; do \
	  $(BIN)/python manage.py create_newsroom_user $$role --role $$role \
	    --password-file var/$$role-password --email $$role@newsroom.example || exit 1; \
	done
	@# Planned stories for the demo logins' desks (#15).
	$(BIN)/python manage.py load_demo_plans
	@# The job queue's worker runs beside the dev server, writing to this terminal, and stops
	@# with it however it stops (#15; docs/deploy.md, "Background jobs").
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

serve: $(STAMP) ## Production: migrate, collectstatic, then Gunicorn on 127.0.0.1:PORT (workers: docs/deploy.md)
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make serve: set DJANGO_SECRET_KEY (and \
	DJANGO_ALLOWED_HOSTS); see .env.example and docs/deploy.md." >&2; exit 1; }
	@test -n "$$DJANGO_ALLOWED_HOSTS" || { echo "make serve: set DJANGO_ALLOWED_HOSTS to the \
	site's host names (comma-separated), or every request is refused." >&2; exit 1; }
	@# DJANGO_ENV_FILE set but empty: no .env, as for Gunicorn (newsroom/envfile.py).
	DJANGO_ENV_FILE= $(BIN)/python manage.py migrate --no-input
	DJANGO_ENV_FILE= $(BIN)/python manage.py collectstatic --no-input
	@# Jobs need a worker of their own, run as a service beside Gunicorn (#15).
	@echo "Background jobs need a worker beside Gunicorn: db_worker (or rqworker with RQ), as a" \
	  "service of its own; see docs/deploy.md, Background jobs."
	PORT=$(PORT) $(BIN)/gunicorn --config newsroom/gunicorn.conf.py

test: $(STAMP) ## Run the whole test suite, as CI does (honours DATABASE_URL)
	$(BIN)/python -Wd -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP) ## The quick loop: every test not marked slow, browser or deploy (README: the budget)
	$(BIN)/python -Wd -m pytest -m "not slow and not browser and not deploy" $(PYTEST_ARGS)

# The Nu HTML Checker (#16): the pinned vnu-jar npm package in var/vnu, outside git. Its
# install script would fetch a Java runtime; the tests run the jar with the system's java.
VNU_VERSION := 26.9.27
VNU_JAR := var/vnu/node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR):
	npm install --prefix var/vnu --no-save --ignore-scripts --no-audit --no-fund vnu-jar@$(VNU_VERSION)

validate: $(STAMP) $(VNU_JAR) ## Check every public page type with the Nu HTML Checker (needs java and npm)
	VNU_JAR=$(VNU_JAR) $(BIN)/python -m pytest -m validator $(PYTEST_ARGS)

bench: $(STAMP) ## Benchmark with PostgreSQL, Redis, wrk, nginx and Varnish, then bench-peers; writes docs/benchmarks.md
	$(BIN)/python bench/run.py
	$(MAKE) bench-peers

PEERS_N ?= 1000
PEERS_OUT := var/bench-peers/N$(PEERS_N)
bench-peers: $(STAMP) ## Side by side with a minimal Wagtail site and a plain Django app (as root: apt, initdb); into docs/benchmarks.md
	BENCH_OUT=$(CURDIR)/$(PEERS_OUT) NEWSROOM_DIR=$(CURDIR) \
	BENCH_PEERS="wagtail:wagtail:8101 plain:django-plain:8102 cms:newsroom:8104 cmsc:newsroom-cached:8105 floor:newsroom-floor:8261" \
	  bash bench/peers/run-all.sh $(PEERS_N)
	$(BIN)/python bench/peers/to_docs.py $(PEERS_OUT)

loadtest: $(STAMP) ## Load test with wrk (N=10000, 64 connections, 60 s a page); fails on a 5xx or memory growth
	$(BIN)/python -m bench.loadtest

lint: $(STAMP) ## ruff check, ruff format --check, the import layers and makemigrations --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP) ## Format and fix the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: .env ## Apply database migrations (with the development .env, written if missing)
	$(BIN)/python manage.py migrate --no-input

demo: .env ## Load the demo paper: stories, authors, their drawn pictures and the footer pages (a second run adds nothing)
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py load_demo_pages

clean: ## Remove the virtualenv (var/ with the database is kept)
	rm -rf $(VENV)
