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

# Front-end libraries come from the npm registry (package-lock.json) and are copied into the package:
# Leaflet (maps), Swagger UI and ReDoc (the API docs at /api/v1/docs and /api/v1/redoc).
assets: $(VENDOR)/.stamp

$(VENDOR)/.stamp: package-lock.json
	npm ci --no-audit --no-fund --silent
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/leaflet $(VENDOR)/swagger-ui $(VENDOR)/redoc
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/leaflet/LICENSE $(VENDOR)/leaflet/LICENSE
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
	   node_modules/swagger-ui-dist/favicon-32x32.png node_modules/swagger-ui-dist/LICENSE \
	   node_modules/swagger-ui-dist/NOTICE $(VENDOR)/swagger-ui/
	cp node_modules/redoc/bundles/redoc.standalone.js node_modules/redoc/bundles/redoc.standalone.js.LICENSE.txt \
	   node_modules/redoc/LICENSE $(VENDOR)/redoc/
	touch $@

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
	$(BIN)/python scripts/typecheck.py

lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^kotacerdas' > requirements.lock

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
