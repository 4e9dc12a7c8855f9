#!/usr/bin/env bash
# Install what the browser tests (tests/test_browser.py) need, idempotently:
#   - Debian's chromium (apt; needs root), driven by the Python package `playwright`
#     (never `playwright install`: we use /usr/bin/chromium);
#   - axe-core (npm) into tests/.cache/ (gitignored).
# Safe to run repeatedly; tests skip with a clear reason when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "setup_browser: chromium ontbreekt en kan niet worden geïnstalleerd (geen root/apt)" >&2
  fi
fi

if [ ! -f tests/.cache/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    mkdir -p tests/.cache
    npm install --prefix tests/.cache --no-audit --no-fund --silent axe-core >/dev/null
  else
    echo "setup_browser: npm ontbreekt; axe-core niet geïnstalleerd" >&2
  fi
fi

PY="${PYTHON:-python}"
if ! "$PY" -c "import playwright" >/dev/null 2>&1; then
  "$PY" -m pip install --quiet "playwright>=1.40" || echo "setup_browser: playwright niet geïnstalleerd" >&2
fi

command -v chromium >/dev/null 2>&1 && chromium --version || true
ls tests/.cache/node_modules/axe-core/axe.min.js 2>/dev/null || true
