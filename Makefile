# Two commands for a newcomer: `make demo` serves the app with demo data on
# SQLite; `make test` runs the whole test suite on PostgreSQL.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/malmo_ks

.PHONY: install demo test check messages

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_demo
	@echo
	@echo "  Uppdragsregistret: http://$(HOST)/"
	@echo "  Demo logins (password 'demo'): handlaggare, politiker, admin"
	@echo
	$(BIN)/python manage.py runserver $(HOST)

test: install
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python -m pytest $(PYTEST_ARGS)

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: install
	cd assignments && ../$(BIN)/python ../manage.py makemessages --locale sv --locale en
