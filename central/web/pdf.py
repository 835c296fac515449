"""A board page as a PDF, rendered by WeasyPrint from the very HTML the browser gets (print
styles of board.css, A4). Nothing is fetched from the network: the only resources resolved are
this server's own static files (stylesheet, Noto Sans fonts), read from the package folder;
any other URL is refused and left out. WeasyPrint needs Pango (Debian's libpango-1.0-0 and
libpangoft2-1.0-0, see scripts/setup.sh); it is imported on first use."""

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from central.web.state import STATIC_PREFIX

STATIC_DIR = (Path(__file__).resolve().parents[1] / "static").resolve()
#: The base URL the page's relative links resolve against (never contacted).
BASE_URL = "http://trato-digno.invalid/"


class ResourceRefusedError(ValueError):
    """A URL that is not one of this server's static files."""


def static_fetcher(url: str, *_args: Any, **_kwargs: Any) -> dict[str, Any]:
    """WeasyPrint's URL fetcher: the package's static files only."""
    parts = urlsplit(url)
    prefix = STATIC_PREFIX + "/"
    if parts.scheme in ("http", "https") and parts.path.startswith(prefix):
        path = (STATIC_DIR / parts.path[len(prefix):]).resolve()
        if STATIC_DIR in path.parents and path.is_file():
            return {"string": path.read_bytes(), "redirected_url": url,
                    "mime_type": mimetypes.guess_type(path.name)[0]}
    raise ResourceRefusedError(url)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html, base_url=BASE_URL, url_fetcher=static_fetcher).write_pdf())
