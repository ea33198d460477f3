# Set-up on a fresh machine with Python 3.11: `make run` (build the graph from seeds/ and say
# how to query it) and `make test` (install and run the whole test suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
KG     := $(VENV)/bin/kg
OUT    ?= build

.PHONY: install run build test clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

build: install
	$(KG) validate
	$(KG) build seeds --out $(OUT)

run: build
	@echo
	@echo "The graph is in $(OUT)/ (Oxigraph store in $(OUT)/store, dumps $(OUT)/kg.nq and $(OUT)/kg.ttl)."
	@echo "Query it, for example:"
	@echo "  $(KG) query --file queries/cq01-china-cuba-meetings.rq --store $(OUT)"
	@echo "  $(KG) query 'SELECT ?m ?date WHERE { ?m a bkg:Meeting ; bkg:date ?date } ORDER BY ?date' --store $(OUT)"
	@echo "  $(KG) eval tests/gold/seeds.json --store $(OUT)"

test: install
	$(VENV)/bin/pytest -q

clean:
	rm -rf $(VENV) $(OUT) *.egg-info
