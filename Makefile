# Prostir — the two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-dev sysdeps migrate messages lint clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

install-dev: $(BIN)/.installed-dev

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --no-input

## make demo: install, migrate, load the demo hubs, print sign-in details, serve on 127.0.0.1:8000
demo: migrate
	$(PY) manage.py collectstatic --no-input --verbosity 0
	PROSTIR_DEMO=true $(PY) manage.py load_demo
	@echo ""
	@echo "Prostir is running at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

## sysdeps: Debian's chromium (browser tests) and gettext (string extraction), when missing
sysdeps:
	@if ! command -v chromium >/dev/null || ! command -v xgettext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends chromium gettext; \
	  else echo "Please install the Debian packages chromium and gettext"; exit 1; fi; \
	fi

## make test: lint, layering contracts, translations and the whole suite (SQLite, or DATABASE_URL)
test: install-dev sysdeps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

## make messages: refresh the uk/en catalogues after adding strings, then translate and compile
messages: install-dev sysdeps
	$(PY) manage.py makemessages -l uk -l en --no-obsolete --no-location \
	  --ignore=.venv --ignore=var --ignore=staticfiles --ignore=tests --ignore=bench
	$(PY) scripts/catalogues.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) var staticfiles
