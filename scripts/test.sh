#!/usr/bin/env bash
# Runs the whole suite: Qt on the offscreen platform, real SQLite, PostgreSQL and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
export PYTHONFAULTHANDLER=1
exec .venv/bin/python -m pytest "$@"
