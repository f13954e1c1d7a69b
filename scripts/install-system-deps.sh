#!/usr/bin/env bash
# Install the Debian packages that the kotacerdas test suite needs:
# PostgreSQL 15 with PostGIS 3 and pgRouting, Debian's Chromium (driven by
# Playwright) and Node.js/npm (front-end assets).
#
# Idempotent: only missing packages are installed, and `apt-get update` runs
# at most once. Without root (or without apt-get) it prints the command to run
# and exits 0, so the tests that need these packages skip instead.
set -euo pipefail

PACKAGES=(
    postgresql-15
    postgresql-15-postgis-3
    postgresql-15-pgrouting
    chromium
    chromium-driver
)

is_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    if command -v dpkg-query >/dev/null 2>&1 && is_installed "$pkg"; then
        continue
    fi
    missing+=("$pkg")
done
# Node.js and npm may come from a non-Debian build that bundles npm; only ask
# apt for them when the commands are absent (Debian's npm conflicts with such builds).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v make >/dev/null 2>&1 || missing+=(make)

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-system-deps: all system packages present (${PACKAGES[*]} node npm make)"
    exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: missing: ${missing[*]}"
    echo "install-system-deps: run as root on Debian/Ubuntu:"
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
    echo "install-system-deps: tests marked 'postgres' or 'browser' will skip until then."
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-system-deps: installing: ${missing[*]}"
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
echo "install-system-deps: installed: ${missing[*]}"
