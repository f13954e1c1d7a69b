#!/usr/bin/env bash
# Throwaway PostgreSQL 15 + PostGIS (+ pgRouting) cluster for the test suite.
#
#   scripts/pg-test-cluster.sh start    start (or reuse) the cluster; stdout: the SQLAlchemy URL
#   scripts/pg-test-cluster.sh url      print the URL of the running cluster (exit 1 if not running)
#   scripts/pg-test-cluster.sh status   say whether it runs, where, and on which port
#   scripts/pg-test-cluster.sh stop     stop it (data kept)
#   scripts/pg-test-cluster.sh reset    stop it and delete its data
#
# The cluster listens on 127.0.0.1 only (port 54329, or the next free one), trusts
# loopback connections, has no Unix socket, and holds the database kotacerdas_test
# with the postgis (and, where installed, pgrouting) extensions. Durability is
# switched off (fsync=off): it is for tests only.
#
# Data lives in <repo>/var/pgtest (git-ignored). Run as root, the server runs as
# the `postgres` OS user; when that user cannot reach the repo (e.g. under /root),
# the data goes to /tmp/kotacerdas-pgtest-<uid>-<checksum of repo path> instead.
#
# Environment: KOTACERDAS_PG_PORT (preferred port, default 54329),
# KOTACERDAS_PGTEST_DIR (state folder override), PG_BIN (default /usr/lib/postgresql/15/bin).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PREFERRED_PORT="${KOTACERDAS_PG_PORT:-54329}"
DB_NAME="kotacerdas_test"
DB_USER="postgres"

log() { echo "pg-test-cluster: $*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as the server's OS user (postgres when we are root), from /,
# so that an unreadable working directory does not matter.
as_pg() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

fallback_dir() {
    local sum
    sum="$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)"
    echo "/tmp/kotacerdas-pgtest-$(id -u)-${sum}"
}

# Folder holding data/, port and postgres.log. Deterministic for a given repo.
state_dir() {
    if [ -n "${KOTACERDAS_PGTEST_DIR:-}" ]; then echo "$KOTACERDAS_PGTEST_DIR"; return; fi
    local in_repo="$REPO/var/pgtest"
    if ! is_root || [ -d "$in_repo/data" ]; then echo "$in_repo"; return; fi
    if as_pg test -x "$REPO" && { [ ! -e "$REPO/var" ] || as_pg test -x "$REPO/var"; }; then
        echo "$in_repo"
    else
        fallback_dir
    fi
}

STATE="$(state_dir)"
DATA="$STATE/data"
PORT_FILE="$STATE/port"
LOGFILE="$STATE/postgres.log"

# Run a command with only stdin/stdout/stderr open, so that the daemonised server
# keeps no inherited descriptor (our lock, a caller's pipe) open behind us.
closefds() {
    (
        local path fd
        for path in /proc/"$BASHPID"/fd/*; do
            fd="${path##*/}"
            if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        "$@"
    )
}

port() { if [ -f "$PORT_FILE" ]; then cat "$PORT_FILE"; else echo "$PREFERRED_PORT"; fi; }
url() { echo "postgresql+psycopg://${DB_USER}@127.0.0.1:$(port)/${DB_NAME}"; }

running() { [ -f "$DATA/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

psql_q() { PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(port)" -U "$DB_USER" "$@"; }

prepare_dirs() {
    if is_root; then
        id postgres >/dev/null 2>&1 || die "no 'postgres' OS user; install postgresql-15 (scripts/install-system-deps.sh)"
        if [ "$STATE" = "$REPO/var/pgtest" ] && [ ! -e "$REPO/var" ]; then
            mkdir -m 755 "$REPO/var"
        fi
        if [ -L "$STATE" ]; then die "$STATE is a symbolic link; refusing to use it"; fi
        mkdir -p "$STATE"
        local owner
        owner="$(stat -c %U "$STATE")"
        [ "$owner" = postgres ] || [ "$owner" = root ] || die "$STATE belongs to $owner; remove it"
        chown postgres: "$STATE"
        chmod 700 "$STATE"
        as_pg test -w "$STATE" || die "user postgres cannot write $STATE"
    else
        mkdir -p "$STATE"
        chmod 700 "$STATE"
    fi
}

init_cluster() {
    if [ -d "$DATA" ] && [ ! -f "$DATA/PG_VERSION" ]; then
        log "removing incomplete data folder $DATA"
        rm -rf "$DATA"
    fi
    [ -f "$DATA/PG_VERSION" ] && return 0
    log "initdb in $DATA"
    as_pg "$PG_BIN/initdb" -D "$DATA" -U "$DB_USER" --auth=trust --encoding=UTF8 --locale=C >"$STATE/initdb.log" 2>&1 \
        || { cat "$STATE/initdb.log" >&2; die "initdb failed"; }
    # Loopback TCP only, no Unix socket, trust only for 127.0.0.1 and ::1.
    as_pg tee "$DATA/pg_hba.conf" >/dev/null <<'HBA'
# kotacerdas throwaway test cluster: loopback only, trust
host    all    all    127.0.0.1/32    trust
host    all    all    ::1/128         trust
HBA
    as_pg tee -a "$DATA/postgresql.conf" >/dev/null <<'CONF'

# --- kotacerdas test cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
CONF
}

pick_port() {
    local p="$PREFERRED_PORT" _
    for _ in $(seq 0 49); do
        if ! port_busy "$p"; then echo "$p"; return 0; fi
        p=$((p + 1))
    done
    die "no free port in $PREFERRED_PORT..$p"
}

create_db() {
    if [ "$(psql_q -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'")" != "1" ]; then
        psql_q -d postgres -c "CREATE DATABASE ${DB_NAME}"
        log "created database ${DB_NAME}"
    fi
    psql_q -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS postgis"
    if [ "$(psql_q -d "$DB_NAME" -Atc "SELECT 1 FROM pg_available_extensions WHERE name = 'pgrouting'")" = "1" ]; then
        psql_q -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS pgrouting"
    else
        log "pgrouting not installed; database has postgis only"
    fi
}

cmd_start() {
    [ -x "$PG_BIN/pg_ctl" ] || die "$PG_BIN/pg_ctl not found; run scripts/install-system-deps.sh"
    prepare_dirs
    exec 9>>"$STATE/lock"
    flock 9
    if running; then
        log "already running in $DATA on port $(port)"
    else
        init_cluster
        local p
        p="$(pick_port)"
        echo "$p" >"$PORT_FILE"
        log "starting in $DATA on 127.0.0.1:$p (log: $LOGFILE)"
        if ! closefds as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -o "-c port=$p" -w -t 60 start </dev/null >/dev/null; then
            tail -n 30 "$LOGFILE" >&2 || true
            die "server did not start"
        fi
    fi
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$(port)" -t 30 || die "server not accepting connections on port $(port)"
    create_db
    url
}

cmd_stop() {
    if running; then
        as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        log "stopped ($DATA)"
    else
        log "not running"
    fi
}

cmd_url() {
    running || { log "not running ($DATA); use: scripts/pg-test-cluster.sh start"; exit 1; }
    url
}

cmd_status() {
    if running; then
        echo "running: $DATA port $(port)"
        url
    else
        echo "stopped: $DATA"
        exit 1
    fi
}

cmd_reset() {
    cmd_stop
    rm -rf "$DATA" "$PORT_FILE"
    log "removed $DATA"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) cmd_url ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    *) echo "usage: $0 start|stop|url|status|reset" >&2; exit 2 ;;
esac
