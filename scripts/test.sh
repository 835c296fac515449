#!/usr/bin/env bash
# Runs the whole suite: Qt on the offscreen platform, real SQLite, PostgreSQL and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
export PYTHONFAULTHANDLER=1
if [ $# -eq 0 ]; then
  # The whole suite also keeps the code clean (same rules as ./dev lint), the layers in
  # order (the import contracts in pyproject.toml; tests/test_architecture.py checks them too)
  # and the security checks below.
  .venv/bin/ruff check --quiet trato kiosk central tests bench devtools
  if ! out="$(.venv/bin/lint-imports --no-logo --no-cache 2>&1)"; then
    echo "$out"; exit 1
  fi
  # Security: bandit over the shipped code (answers in docs/security.md), and pip-audit of
  # the installed packages against the committed OSV snapshot (offline; devtools/audit.py).
  if ! out="$(.venv/bin/bandit -c pyproject.toml -q -r trato kiosk central 2>/dev/null)"; then
    echo "$out"; exit 1
  fi
  .venv/bin/python -m devtools.audit
  # Two workers, one module per group (tests/conftest.py): the suite is mostly one core
  # busy at a time, and CI has two. TD_TEST_WORKERS=0 runs it in one process.
  exec .venv/bin/python -m pytest -p no:cacheprovider -n "${TD_TEST_WORKERS:-2}" \
    --dist loadgroup
fi
exec .venv/bin/python -m pytest "$@"
