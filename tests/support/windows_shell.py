"""``trato-kiosk-shell.exe run`` as the frozen Windows kiosk runs it (kiosk.cli.main), on
this machine: the installed program's own update launcher (kiosk.sync.launch), and, when it
answers that the installed version runs here, the installed fake build (where the real
program would go on to paint its attract screen in the same process).

    python tests/support/windows_shell.py <installed>/trato-kiosk-shell.exe run
"""

import os
import subprocess
import sys
from pathlib import Path

from kiosk.sync.launch import launch_installed

if __name__ == "__main__":
    executable, argv = Path(sys.argv[1]), sys.argv[2:]
    code = launch_installed(argv, executable=executable)
    if code is None:  # os.environ has TD_KIOSK_LAUNCHER now, as the real kiosk's would
        code = subprocess.call([str(executable), *argv], env=os.environ)
    sys.exit(code)
