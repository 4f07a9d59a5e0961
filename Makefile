# Pactum: every set-up step lives here, so a fresh machine with Python 3.11, make and git needs
# nothing else.  `make demo` and `make test` are the two commands of the README.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PYTEST := $(BIN)/python -m pytest
DEMO_DB := var/pactum.db

.PHONY: install demo serve test test-postgres test-spark test-all lint bench lock docs browser-deps postgres clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-* && touch $@

demo: install
	@if [ ! -f $(DEMO_DB) ]; then \
	  mkdir -p var && rm -f var/building.db* && \
	  PACTUM_DATABASE_URL=sqlite:///$(CURDIR)/var/building.db $(BIN)/pactum scenario build --scale S --seed 1 && \
	  rm -f $(DEMO_DB)-wal $(DEMO_DB)-shm && \
	  mv var/building.db $(DEMO_DB) && rm -f var/building.db-wal var/building.db-shm; \
	else \
	  $(BIN)/pactum db upgrade; \
	fi
	@echo ""
	@echo "Demo logins (password for every demo user: pactum-demo):"
	@echo "  it-caseworker  it-dublin  it-return  it-admin  it-analyst   (Italy; likewise el-, es-, de-, fr-, at-, nl-, be-, cy-, mt-, bg-, pl-, se-, hu-)"
	@echo "  com-solidarity (Commission solidarity coordinator)  frontex-analyst  euaa-analyst  com-analyst"
	@echo "  eu-admin (platform administrator)  auditor"
	@echo ""
	$(BIN)/pactum serve --host 127.0.0.1 --port 8000

serve: install
	$(BIN)/pactum serve --host 127.0.0.1 --port 8000

# Headless Chromium for the browser tests comes from Debian's package (root installs it).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need Debian's chromium package: sudo apt-get install chromium"; exit 1; fi; }

test: install browser-deps
	$(PYTEST) -n 2 -q

# PostgreSQL on 127.0.0.1:5432 (trust auth, database 'test'); `make postgres` starts or installs it.
test-postgres: install postgres
	$(PYTEST) -q -m postgres

# One pytest process per file: a JVM started by one test's Spark session without Splink's jar
# cannot load the jar's string-similarity functions for a later session in the same process.
test-spark: install
	$(BIN)/uv pip install -q --python $(BIN)/python "pyspark==3.5.6"
	@for f in $$(grep -rl "pytest.mark.spark" tests); do echo "== $$f"; $(PYTEST) -q -m spark $$f || exit 1; done

postgres:
	@bash scripts/ensure-postgres.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src/pactum
	$(BIN)/lint-imports

docs: install
	$(BIN)/python scripts/gen_cli_docs.py

bench: install postgres
	$(BIN)/python bench/registration/run.py --store sqlite --seconds 60 --clients 32
	$(BIN)/python bench/registration/run.py --store postgres --seconds 60 --clients 32

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
