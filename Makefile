# Set-up on a fresh machine with Python 3.11: `make run` (build the graph from seeds/ and serve it)
# and `make test` (install everything, Chromium for the query-page test included, and run all tests).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
KG     := $(VENV)/bin/kg
OUT    ?= build
HOST   ?= 127.0.0.1
PORT   ?= 7878
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser run build serve test bench-serve clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The query-page test drives Debian's Chromium (no browser download from elsewhere).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

build: install
	$(KG) validate
	$(KG) build seeds --out $(OUT)

serve: install
	@echo "Query page: http://$(HOST):$(PORT)/   SPARQL endpoint: http://$(HOST):$(PORT)/sparql   (Ctrl-C stops)"
	$(KG) serve --store $(OUT) --host $(HOST) --port $(PORT)

run: build serve

test: install browser
	$(VENV)/bin/pytest -q

bench-serve: install
	bench/serve

clean:
	rm -rf $(VENV) $(OUT) *.egg-info
