# Two commands for a fresh clone (README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# The suite runs on every CPU (pytest-xdist); `make test PYTEST_ARGS=-n0` runs it serially.
PYTEST_ARGS ?= -n auto

.PHONY: run test lint fmt install migrate messages worker beat check clean screenshots

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Cần Python >= 3.11 (Python 3.11 or newer is required)")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@$(PY) scripts/bootstrap.py check-system
	@$(PY) scripts/bootstrap.py write-env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	@echo ""
	@echo "==> Mở http://127.0.0.1:8000 và đăng nhập bằng một tài khoản mẫu ở trên."
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	@$(PY) scripts/bootstrap.py check-system
	$(PY) -m pytest $(PYTEST_ARGS)

# The user guides' screenshots (docs/huong-dan/img/) from the browser walk of every role's pages.
screenshots: $(STAMP)
	GUIDE_SCREENSHOTS=1 $(PY) -m pytest -n 0 -q tests/e2e/test_every_page.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

fmt: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# The database schema and, for rate limits without Redis, the cache table (both idempotent).
migrate: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

messages: $(STAMP)
	$(PY) manage.py makemessages -l vi -l en --ignore=.venv --ignore=static --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

worker: $(STAMP)
	$(BIN)/celery -A dongnguyen worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A dongnguyen beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
