"""Who is signed in to the staff area (Qt-free): the agent the staff pages act for.

Shared by the staff screens (sign-in builds it; the case list, the board and the export read
it from ``StaffArea.agent``, None when nobody is signed in)."""

from dataclasses import dataclass
from datetime import date

from trato.domain.enums import StaffRole


@dataclass(frozen=True)
class Agent:
    staff_id: str
    name: str
    role: StaffRole
    can_read_sensitive: bool
    certified_on: date | None
    certified_until: date | None
