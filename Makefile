# Zora — the two commands a new user needs are `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
ZORA   := $(VENV)/bin/zora
PORT   ?= 8000
HOST   ?= 127.0.0.1

.PHONY: install run test lint types messages bench demo worker clean lock

$(VENV)/.installed: pyproject.toml requirements.lock
	@scripts/system-deps
	@if [ ! -x $(PY) ]; then PYBIN=$$(scripts/find-python) && echo "Creating $(VENV) with $$PYBIN" && $$PYBIN -m venv $(VENV); fi
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

## make run: install, migrate the database, load the demo data, serve on http://$(HOST):$(PORT)/
run: install
	$(ZORA) migrate --noinput
	$(ZORA) collectstatic --noinput -v 0
	$(ZORA) demo
	@echo "Zora is serving on http://$(HOST):$(PORT)/ — Ctrl-C stops the web server and the task worker."
	@trap 'kill 0' INT TERM EXIT; \
	  $(ZORA) db_worker & \
	  $(VENV)/bin/gunicorn zora.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile - --error-logfile - & \
	  wait

## make test: lint, type-check and run the whole test suite (browser tests included)
test: install
	@scripts/system-deps --test
	$(MAKE) --no-print-directory lint types
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check zora tests bench
	$(VENV)/bin/ruff format --check zora tests bench

types: install
	$(VENV)/bin/mypy zora

## make messages: refresh the bg/en catalogues from the sources and compile them
messages: install
	cd zora && ../$(ZORA) makemessages -l bg -l en --no-obsolete --no-location
	cd zora && ../$(ZORA) compilemessages

bench: install
	@scripts/system-deps --bench
	@for b in bench/*.py; do [ -e "$$b" ] || continue; echo "== $$b"; $(PY) $$b || exit 1; done

demo: install
	$(ZORA) migrate --noinput
	$(ZORA) demo

worker: install
	$(ZORA) db_worker

## make lock: re-pin requirements.lock from the current virtualenv (after changing pyproject.toml)
lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
