# Thin wrapper over ./dev (which works without make on a fresh machine).
.PHONY: help setup run test lint screenshots bench dist translations

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup:  ## system packages, .venv and the project
	./dev setup
run:  ## embedded central server with demo data + an enrolled kiosk + the board
	./dev run
test:  ## every test (Qt offscreen, SQLite, PostgreSQL, Chromium)
	./dev test
lint:  ## ruff and the import contracts
	./dev lint
screenshots:  ## every kiosk screen, both themes, into docs/screenshots/
	./dev screenshots
bench:  ## benchmarks (print figures, assert nothing)
	./dev bench
translations:  ## refresh and compile the Qt catalogues
	./dev translations
dist:  ## the kiosk as a folder build (PyInstaller onedir), smoke-checked, + the Linux one-file installer
	./dev setup && .venv/bin/pip install -q -e ".[kiosk,dist]"
	.venv/bin/pyinstaller --noconfirm --distpath dist --workpath build/pyinstaller installer/trato-kiosk.spec
	installer/check-dist.sh dist/trato-kiosk
	installer/build-linux-installer.sh dist/trato-kiosk
