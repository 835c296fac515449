#!/usr/bin/env bash
# Idempotent setup for a fresh Debian machine: system packages (when missing), a virtual
# environment in .venv and the project with both programs (kiosk, central) and the test tools.
# Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# Qt (offscreen and a real X display: the xcb plugin's libraries, the window manager the
# kiosk session runs, and the tools the real-display tests drive it with), PostgreSQL and
# Chromium for the tests, venv for the project, makeself for the Linux one-file installer
# (tests/installer builds it), Pango for the central server's PDF reports (WeasyPrint).
xdisplay_pkgs=$(sed -e 's/#.*//' scripts/xdisplay-packages.txt | xargs)
for pkg in libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 fontconfig dbus \
           libglib2.0-0 libdbus-1-3 chromium postgresql python3-venv makeself \
           libpango-1.0-0 libpangoft2-1.0-0 $xdisplay_pkgs; do
  have "$pkg" || need_pkgs+=("$pkg")
done
if ((${#need_pkgs[@]})); then
  echo "setup: installing system packages: ${need_pkgs[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${need_pkgs[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.td-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  # setuptools too: the one a new venv gets (65.5) has a known vulnerability (pip-audit).
  .venv/bin/python -m pip install -q --upgrade pip setuptools >/dev/null
  # dist (PyInstaller): tests/installer builds the kiosk bundle and its installer.
  .venv/bin/python -m pip install -q -e ".[kiosk,central,test,dist]"
  touch "$stamp"
fi
