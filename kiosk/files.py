"""Files written whole or not at all (settings, reports, the signed updates' pointers).

Standard library only, and ``tempfile`` imported on the first write: the Windows launcher
(:mod:`kiosk.sync.launch`) runs before the attract screen and usually writes nothing."""

import os
from pathlib import Path


def write_text_atomically(path: Path, text: str, *, prefix: str) -> None:
    """Replace ``path`` with ``text`` whole or not at all: a temporary file in the same
    folder, flushed to disk, renamed over it (``os.replace``: a rename on POSIX, MoveFileEx
    replacing the existing file on Windows). Raises OSError (nothing changed then)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
