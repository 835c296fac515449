"""Entry script of the frozen kiosk (PyInstaller needs a file, not a console-script name)."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
