# crankcall: `make demo` and `make test` set up ./.venv (and PostgreSQL when missing), then run.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DB ?= out/demo.db

.PHONY: demo test lint bench setup system-deps clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The tests start their own PostgreSQL server and drive Debian's Chromium; the PDF needs fonts for
# Chinese, Korean, Russian and Persian names. Install whatever this machine lacks.
system-deps:
	@missing=""; \
	if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then missing="$$missing postgresql"; fi; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -d /usr/share/fonts/opentype/noto ] || missing="$$missing fonts-noto-cjk"; \
	[ -d /usr/share/fonts/truetype/noto ] || missing="$$missing fonts-noto-core"; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

demo: $(STAMP) system-deps
	mkdir -p out
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/crankcall init --db $(DEMO_DB)
	$(BIN)/crankcall ingest --db $(DEMO_DB) --rejects-dir out data/sample/articles-*.jsonl
	$(BIN)/crankcall run --db $(DEMO_DB)
	$(BIN)/crankcall draft --db $(DEMO_DB) --config data/sample/crankcall.toml --month 2024-08 \
		--format md --format html --format pdf --format json --output-dir out
	$(BIN)/crankcall stats --db $(DEMO_DB)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: $(STAMP) system-deps lint
	$(BIN)/pytest

bench: $(STAMP) system-deps
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/code.py
	$(BIN)/python bench/fetch.py
	$(BIN)/python bench/stories.py
	$(BIN)/python bench/agreement.py

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache .hypothesis
