#!/usr/bin/env bash
# Run the whole test suite: system packages (when root), PostgreSQL + PostGIS on loopback, then pytest.
# Used by `make test` and so by .ci/run. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh

if [ -z "${KOTACERDAS_TEST_PG_URL:-}" ] && [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; then
  if url=$(bash scripts/pg-test-cluster.sh start | tail -n 1) && [ -n "$url" ]; then
    export KOTACERDAS_TEST_PG_URL="$url"
  fi
fi
echo "PostgreSQL for tests: ${KOTACERDAS_TEST_PG_URL:-none (PostgreSQL tests will skip)}"

export KOTACERDAS_PROGRESS=0
.venv/bin/python scripts/po_tool.py check
.venv/bin/lint-imports --no-cache
.venv/bin/python scripts/typecheck.py
# Two workers (CI has two cores), then the tests that measure time or load the machine, alone.
workers="${KOTACERDAS_TEST_WORKERS:-2}"
.venv/bin/pytest -q -n "$workers" -m "not serial" "$@"
.venv/bin/pytest -q -m serial "$@"
