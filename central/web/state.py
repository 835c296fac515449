"""Per-application state of the web side (``app.state.web``): secret, templates, limits.

Built once by :func:`central.web.include_web`; nothing here is a module-level singleton.
"""

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from fastapi import Request
from fastapi.templating import Jinja2Templates

from central.web.display import hidden_text
from central.web.i18n import t
from central.web.sign_in import LoginLimits

log = logging.getLogger(__name__)

STATIC_PREFIX = "/static"


class SlidingWindowLimiter:
    """At most ``limit`` hits per ``window`` seconds per key (in this process)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Record a hit; ``None`` when allowed, else seconds until the next one is."""
        now = time.monotonic()
        with self._lock:
            q = self._hits.setdefault(key, deque())
            while q and q[0] <= now - self.window:
                q.popleft()
            if len(q) >= self.limit:
                return max(1.0, q[0] + self.window - now)
            q.append(now)
            if len(self._hits) > 10_000:  # forget idle keys
                for k in [k for k, v in self._hits.items() if not v]:
                    del self._hits[k]
            return None


@dataclass
class WebState:
    secret: bytes
    templates: Jinja2Templates
    login_limits: LoginLimits = field(default_factory=LoginLimits)
    password_hash_threads: int = 2
    folio_limiter: SlidingWindowLimiter = field(
        default_factory=lambda: SlidingWindowLimiter(limit=30, window=60.0)
    )
    #: The public Muro (``/muro/<CLUES>``): a waiting room's screens share one address and
    #: turn a page every 20 s, so this bucket is larger than the folio look-ups'.
    wall_limiter: SlidingWindowLimiter = field(
        default_factory=lambda: SlidingWindowLimiter(limit=60, window=60.0)
    )
    static_version: str = "1"

    _sign_in_limiter: Any = None

    def sign_in_limiter(self) -> anyio.CapacityLimiter:
        """How many sign-ins hash at once in this process (made on first use, in the event
        loop that serves the requests)."""
        if self._sign_in_limiter is None:
            self._sign_in_limiter = anyio.CapacityLimiter(self.password_hash_threads)
        return self._sign_in_limiter

    #: PDFs rendered at once in this process (a national report takes a core for seconds;
    #: the others wait, the board keeps its share of the machine).
    pdf_threads: int = 1
    _pdf_limiter: Any = None

    def pdf_limiter(self) -> anyio.CapacityLimiter:
        if self._pdf_limiter is None:
            self._pdf_limiter = anyio.CapacityLimiter(self.pdf_threads)
        return self._pdf_limiter

    def sign(self, value: str) -> str:
        return hmac.new(self.secret, value.encode(), hashlib.sha256).hexdigest()[:32]


def load_secret(configured: str, data_dir: Path | None) -> bytes:
    """The session-signing secret: configured, else kept in ``data_dir/keys``, else random."""
    if configured:
        return configured.encode()
    if data_dir is not None:
        path = Path(data_dir) / "keys" / "web_session_secret"
        try:
            if path.exists():
                return path.read_bytes().strip()
            path.parent.mkdir(parents=True, exist_ok=True)
            value = secrets.token_hex(32).encode()
            path.write_bytes(value)
            path.chmod(0o600)
            return value
        except OSError:
            log.warning("cannot keep the web session secret in the data folder; using a new one")
    return secrets.token_hex(32).encode()


def format_count(value: object) -> object:
    """A count as people in Mexico write it: 27,979. Anything else is left as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value


def make_templates() -> Jinja2Templates:
    folder = Path(__file__).resolve().parents[1] / "templates"
    templates = Jinja2Templates(directory=str(folder))
    env = templates.env
    env.globals["t"] = t
    env.globals["hidden_text"] = hidden_text
    env.filters["num"] = format_count
    env.autoescape = True
    return templates


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200,
           headers: dict[str, str] | None = None) -> Any:
    state = web_state(request)
    ctx = {"static_url": lambda path: f"{STATIC_PREFIX}/{path}?v={state.static_version}"}
    viewer = getattr(request.state, "viewer", None)
    if viewer is not None:
        ctx.update(
            user=viewer,
            user_name=viewer.display_name,
            scope_name=viewer.scope_name,
            user_is_admin=viewer.is_admin,
            csrf_token=viewer.csrf_token,
        )
    ctx.update(context)
    return state.templates.TemplateResponse(
        request, name, ctx, status_code=status_code, headers=headers
    )
