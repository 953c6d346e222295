# Two entry points: `make example` (install + brief the bundled example) and `make test` (install + tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export HF_HUB_OFFLINE := 1

.PHONY: example test lint install install-test browser bench clean

example: install
	$(BIN)/newsbrief brief examples/us-iran-talks/

test: install-test
	$(BIN)/python -m pytest -q

lint: install-test
	$(BIN)/ruff check newsbrief
	$(BIN)/mypy

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test browser

# torch==2.13.0 first: it is the CPU build available here; any other version pulls CUDA packages.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[export]'
	$(BIN)/newsbrief setup
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[export,dev]'
	touch $@

# Debian's Chromium for the browser test (Playwright's own browser download does not work here).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "chromium missing and not root: the browser test will be skipped"; fi

bench: install-test
	$(BIN)/python scripts/bench_quality.py

clean:
	rm -rf $(VENV) build *.egg-info
