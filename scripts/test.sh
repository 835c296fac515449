#!/usr/bin/env bash
# Runs the whole suite: Qt on the offscreen platform, real SQLite, PostgreSQL and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
export PYTHONFAULTHANDLER=1
if [ $# -eq 0 ]; then
  # The whole suite also keeps the code clean (same rules as ./dev lint) and the layers in
  # order (the import contracts in pyproject.toml; tests/test_architecture.py checks them too).
  .venv/bin/ruff check --quiet trato kiosk central tests bench devtools
  if ! out="$(.venv/bin/lint-imports --no-logo --no-cache 2>&1)"; then
    echo "$out"; exit 1
  fi
fi
exec .venv/bin/python -m pytest "$@"
