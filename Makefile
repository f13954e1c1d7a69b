# kotacerdas: the two commands of the README are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
VENDOR := src/kotacerdas/web/static/vendor

.PHONY: install assets demo serve test test-fast lint lock clean

install: $(STAMP) assets

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Front-end libraries come from the npm registry (package-lock.json) and are copied into the package.
assets: $(VENDOR)/leaflet/leaflet.js

$(VENDOR)/leaflet/leaflet.js: package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/leaflet/LICENSE $(VENDOR)/leaflet/LICENSE

demo: install
	$(BIN)/kotacerdas demo

serve: install
	$(BIN)/kotacerdas serve

# Installs everything (Debian packages too when run as root), starts a throwaway PostgreSQL + PostGIS
# on loopback when it is installed, and runs the whole suite on SQLite and PostgreSQL, browser tests included.
test: install
	bash scripts/run-tests.sh

test-fast: install
	$(BIN)/pytest -q -m "not postgres and not browser and not slow"

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/python scripts/po_tool.py check

lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^kotacerdas' > requirements.lock

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
