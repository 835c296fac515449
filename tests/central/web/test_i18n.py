"""The Spanish catalogue covers every key the board uses."""

import re
from pathlib import Path

import pytest

from central.models import CaseEventType
from central.web.i18n import catalogue, t
from trato.domain.enums import CaseStage, CaseType, Channel, StaffRole

ROOT = Path(__file__).resolve().parents[3]
LITERAL = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["'](?!\s*~)""")


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for folder, pattern in (("central/templates", "*.html"), ("central/web", "*.py")):
        for path in (ROOT / folder).glob(pattern):
            keys.update(k for k in LITERAL.findall(path.read_text("utf-8"))
                        if not k.endswith("."))
    return keys


def test_every_literal_key_is_in_the_spanish_catalogue() -> None:
    missing = sorted(k for k in _used_keys() if k not in catalogue("es"))
    assert missing == []


@pytest.mark.parametrize("prefix, values", [
    ("stage", [s.value for s in CaseStage]),
    ("type", [c.value for c in CaseType]),
    ("channel", [c.value for c in Channel]),
    ("event", [e.value for e in CaseEventType]),
    ("kiosk.state", ["ok", "stale", "never", "clock", "revoked"]),
    ("kind", ["nivel_central", "ooad", "umae", "unit", "module"]),
    ("selftest.result", ["ok", "warnings", "failures", "none"]),
    ("selftest.status", ["falla", "aviso"]),
    ("roster.state", ["valid", "expired", "none"]),
    ("roster.kiosk_role", [r.value for r in StaffRole]),
])
def test_dynamic_keys_exist(prefix: str, values: list[str]) -> None:
    assert [v for v in values if f"{prefix}.{v}" not in catalogue("es")] == []


def test_placeholders_and_missing_keys() -> None:
    assert t("cases.count", n=3) == "3 casos"
    assert t("no.such.key") == "no.such.key"


def test_every_kiosk_self_test_check_has_a_name_and_a_hint() -> None:
    """The Kioscos page words each check a kiosk reports (the names kiosk/selftest.py uses)."""
    source = (ROOT / "kiosk" / "selftest.py").read_text("utf-8")
    names = set(re.findall(r'_check\(\s*"([a-z_]+)"', source))
    assert {"assets", "qt", "database", "disk", "server", "clock_skew"} <= names
    missing = [f"{kind}.{n}" for n in sorted(names) for kind in ("selftest.check", "selftest.hint")
               if f"{kind}.{n}" not in catalogue("es")]
    assert missing == []


def test_every_roster_problem_has_its_words() -> None:
    """The staff page words each problem the roster import reports."""
    source = "".join((ROOT / "central" / "services" / name).read_text("utf-8")
                     for name in ("roster_import.py", "roster_edit.py"))
    codes = set(re.findall(r'Problem\(\s*"([a-z_]+)"', source))
    assert {"duplicate", "bad_date", "out_of_scope", "missing_columns", "taken"} <= codes
    assert sorted(c for c in codes if f"roster.problem.{c}" not in catalogue("es")) == []
