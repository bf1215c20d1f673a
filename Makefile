# Two commands for a newcomer: `make demo` serves the app with demo data on
# SQLite; `make test` runs the whole test suite on PostgreSQL, then again on
# SQLite, so that the demo behaves as production does.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/malmo_ks
# The SQLite URL only picks the engine: pytest-django tests in memory, never in this file.
TEST_SQLITE_URL ?= sqlite:///$(CURDIR)/test.sqlite3

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/malmo_ks_bench

.PHONY: install system-packages document-packages demo test bench check messages

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

demo: install document-packages
	$(BIN)/python manage.py migrate --verbosity 0
	$(BIN)/python manage.py load_demo
	@echo
	@echo "  Uppdragsregistret: http://$(HOST)/"
	@echo "  Demo logins (password 'demo'): handlaggare, politiker, admin"
	@echo
	$(BIN)/python manage.py runserver $(HOST)

# The compilation's PDF/A needs Pango and fonts; the tests need Debian's Chromium and
# gettext besides. The script installs what is missing when it can.
document-packages:
	bash scripts/ensure-system-packages --documents

system-packages:
	bash scripts/ensure-system-packages

test: install system-packages
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python -m pytest $(PYTEST_ARGS)
	DATABASE_URL=$(TEST_SQLITE_URL) $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(BIN)/python -m bench $(BENCH_ARGS)

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: install
	$(BIN)/python manage.py makemessages --locale sv --locale en --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'staticfiles/*'
	# msgids are English: the English catalogue repeats them, without msgmerge's fuzzy guesses.
	msgattrib --clear-fuzzy --empty --clear-previous -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po
	msgen locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages --ignore '.venv/*' 
