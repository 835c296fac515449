"""Who is signed in to the staff area, and the sign-in itself (no Qt).

The staff area (:mod:`kiosk.ui.staff`) hands the signed-in :class:`Agent` to every staff page
(``StaffArea.agent``) and says when the session ended (``StaffArea.signed_out``).

**Sign-in design.** An agent types their employee number and their PIN; the kiosk never
lists the staff. A list of names to tap would be quicker, but the kiosk stands in a waiting
room: it would show every passer-by who works at the module, and hand anyone the first half
of every account. With the number, someone who wants to try PINs must first know an
employee number, and each account still locks after five misses (a wait of 5 minutes,
doubling to an hour) that a restart does not lift. The kiosk's own administrator has no
number: a separate button signs in as the administrator, with its PIN.

Verifying a PIN takes a fraction of a second on purpose (argon2id); the screens run
:meth:`StaffSignIn.attempt` off the GUI thread. An unknown number costs the same time and is
locked out the same way as a real one (in memory only: what was typed for an account that
does not exist is never written anywhere), so neither the wait nor the messages tell which
numbers exist.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from kiosk.flow.pin import PinLockout
from kiosk.services.staff_terms import (
    LOCAL_ADMIN_ID,
    UNKNOWN_ACCOUNT,
    AccountFields,
    AuditAction,
)
from trato.domain.enums import StaffRole

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Agent:
    """The member of staff signed in."""

    staff_id: str  # the roster id (employee number) from the central server, or "admin-local"
    name: str  # display name
    role: StaffRole
    can_read_sensitive: bool  # may open cases flagged sensible
    certified_on: date | None  # Buen Trato certification date; None = not certified
    certified_until: date | None

    @property
    def is_admin(self) -> bool:
        return self.role is StaffRole.ADMIN

    @property
    def is_local_admin(self) -> bool:
        return self.staff_id == LOCAL_ADMIN_ID

    def certified(self, today: date) -> bool:
        """A Buen Trato certification in force on ``today``."""
        return self.certified_on is not None and self.certified_on <= today and (
            self.certified_until is None or today <= self.certified_until)


class Clock(Protocol):
    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...


class Accounts(Protocol):
    """What the sign-in needs of :class:`kiosk.services.staff.StaffAccounts`."""

    def exists(self, staff_id: str) -> bool: ...

    def verify(self, staff_id: str, pin: str) -> AccountFields | None: ...

    def lockout(self, staff_id: str) -> tuple[int, datetime | None]: ...

    def keep_lockout(self, staff_id: str, *, failures: int,
                     locked_until: datetime | None) -> None: ...

    def audit(self, staff_id: str, action: AuditAction, detail: str = "") -> None: ...


@dataclass(frozen=True)
class SignInResult:
    """``agent`` when the PIN was right; else ``wait_minutes`` (0: try again now)."""

    agent: Agent | None = None
    wait_minutes: int = 0


def normalise_staff_id(text: str) -> str:
    """An employee number as typed (spaces and hyphens people put between groups dropped);
    the administrator's id as it is."""
    if text == LOCAL_ADMIN_ID:
        return text
    return "".join(ch for ch in text.strip() if ch not in " -")


class StaffSignIn:
    """Employee number and PIN against the accounts, one lockout per account."""

    def __init__(self, accounts: Accounts, clock: Clock) -> None:
        self.accounts = accounts
        self.clock = clock
        self._lockouts: dict[str, tuple[PinLockout, bool]] = {}
        self._lock = threading.Lock()

    def _lockout(self, staff_id: str) -> tuple[PinLockout, bool]:
        """The account's lockout (loaded from the store the first time) and whether it is a
        real account (whose lockout is kept in the store)."""
        with self._lock:
            found = self._lockouts.get(staff_id)
            if found is None:
                known = self.accounts.exists(staff_id)
                lockout = PinLockout(self.clock)
                if known:
                    failures, until = self.accounts.lockout(staff_id)
                    left = (until - self.clock.now()).total_seconds() if until else 0.0
                    lockout.restore(failures, left)
                found = self._lockouts[staff_id] = (lockout, known)
            return found

    def wait_minutes(self, staff_id: str) -> int:
        return self._lockout(normalise_staff_id(staff_id))[0].wait_minutes()

    def attempt(self, staff_id: str, pin: str) -> SignInResult:
        """Check ``pin`` for the account ``staff_id`` (slow: run it off the GUI thread)."""
        staff_id = normalise_staff_id(staff_id)
        lockout, known = self._lockout(staff_id)
        who = staff_id if known else UNKNOWN_ACCOUNT
        waiting = lockout.wait_minutes()
        if waiting:
            self.accounts.audit(who, AuditAction.SIGN_IN_REFUSED, "waiting")
            return SignInResult(wait_minutes=waiting)
        account = self.accounts.verify(staff_id, pin) if staff_id and pin else None
        if account is not None:
            lockout.succeeded()
            self._keep(staff_id, lockout, known)
            self.accounts.audit(staff_id, AuditAction.SIGN_IN)
            return SignInResult(agent=Agent(**account))
        locked = lockout.failed()
        self._keep(staff_id, lockout, known)
        self.accounts.audit(who, AuditAction.LOCKED_OUT if locked else
                            AuditAction.SIGN_IN_REFUSED, f"{lockout.failures} in a row")
        return SignInResult(wait_minutes=lockout.wait_minutes())

    def _keep(self, staff_id: str, lockout: PinLockout, known: bool) -> None:
        if not known:  # nothing of an unknown account is written
            return
        left = lockout.seconds_left()
        until = self.clock.now() + timedelta(seconds=left) if left else None
        self.accounts.keep_lockout(staff_id, failures=lockout.failures, locked_until=until)

    def signed_out(self, agent: Agent, reason: str) -> None:
        """``reason``: "staff" (the agent left), "idle" (nobody touched the screen) or
        "ended" (the session ended otherwise)."""
        self.accounts.audit(agent.staff_id, AuditAction.SIGN_OUT, reason)
