"""The committees' rules (central/services/committees.py) and the queries of their pages and
of the report (central/web/committee_data.py) on SQLite and PostgreSQL: whose committee a user
writes for, which cases a session may name, the limits on dates, the follow-up history, the
answers to a recommendation and who sees them."""

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from central.models import AuditLog, Case, CommitteeSession, OrgNode
from central.services import committees as rules
from central.services.users import create_or_update_user
from central.web.committee_data import due_rows, recommendations, report_block, session_rows
from central.web.scope import scope_for
from tests.support.central import TestKiosk, case_record

TODAY = date(2026, 11, 20)
PASSWORD = "contraseña-segura-1"  # noqa: S105 - test user


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-15", date(2026, 3, 15)), ("15/03/2026", date(2026, 3, 15)),
    ("5/3/2026", date(2026, 3, 5)), ("2026-02-30", None), ("31/04/2026", None),
    ("mañana", None), ("", None), ("2026-3-15", None),
])
def test_dates_as_a_date_field_sends_them_or_as_people_write_them(text: str,
                                                                  expected: date | None) -> None:
    assert rules.parse_day(text) == expected


def _keys(exc: pytest.ExceptionInfo[rules.FormProblemsError]) -> list[tuple[str, str]]:
    return [(p.field, p.key.rsplit(".", 1)[-1]) for p in exc.value.problems]


def _push_quejas(client: Any, issue: Callable[..., str], kiosk: TestKiosk) -> dict[str, Case]:
    other = TestKiosk.enrol("http://testserver", issue("BCIMS000039"), client=client)
    folios = {}
    for name, k in (("flagged", kiosk), ("plain", kiosk), ("elsewhere", other)):
        rec = case_record(k.next_seq(), unit_number=k.unit_number, kiosk_number=k.kiosk_number)
        assert k.push([rec]).status_code == 200
        folios[name] = rec["body"]["folio"]
    return folios  # type: ignore[return-value]


def test_committee_rules_and_queries(client: Any, issue: Callable[..., str], kiosk: TestKiosk,
                                     db: Callable[[], Session]) -> None:
    folios = _push_quejas(client, issue, kiosk)
    with db() as s:
        cases = {}
        for name, folio in folios.items():
            compact = folio.replace("-", "")
            case = s.exec(select(Case).where(Case.folio == compact)).one()
            case.impacto_institucional = name != "plain"
            s.add(case)
            cases[name] = case
        s.commit()
        users = {name: create_or_update_user(s, name, role=role, scope_code=code,
                                             password=PASSWORD)
                 for name, role, code in (("o_ags", "ooad", "AGS"), ("o_bc", "ooad", "BC"),
                                          ("nac", "nacional", None), ("uni", "unidad",
                                                                      "ASIMS000039"))}
        nodes = {n.code: n for n in s.exec(select(OrgNode)).all()}
        ags = rules.committee_of(s, users["o_ags"])
        assert ags is not None and ags.code == "AGS"
        national = rules.committee_of(s, users["nac"])
        assert national is not None and national.code == "NC"
        assert rules.committee_of(s, users["uni"]) is None

        form = {"fecha": (TODAY + timedelta(days=1)).isoformat(),
                "asistentes": " Ana, titular\r\n\r\n",
                "folios": folios["flagged"], "acuerdo_texto": "Revisar el triaje",
                "acuerdo_responsable": "Jefatura de urgencias",
                "acuerdo_fecha": (TODAY + timedelta(days=10)).isoformat(),
                "acuerdo_recomendacion": "1"}
        with pytest.raises(rules.FormProblemsError) as refused:
            rules.check_session(s, ags, {**form, "fecha": (TODAY + timedelta(days=2)).isoformat(),
                                         "folios": f"{folios['plain']} {folios['elsewhere']}",
                                         "acuerdo_responsable": " ", "minuta": "a\x00b"},
                                [str(cases["elsewhere"].id), "not-an-id"], TODAY)
        assert sorted(_keys(refused)) == [
            ("acuerdo_responsable", "owner_required"), ("casos", "case_unknown"),
            ("casos", "case_unknown"), ("fecha", "date_future"),
            ("folios", "folio_outside"), ("folios", "folio_outside"),
            ("minuta", "bad_character")]
        entry = rules.check_session(s, ags, form, [str(cases["flagged"].id)], TODAY)
        assert entry.attendees == "Ana, titular" and [c.id for c in entry.cases] == [
            cases["flagged"].id]
        assert entry.agreement is not None and not entry.agreement.recommendation  # OOAD's
        row = rules.record_session(s, ags, users["o_ags"], entry)
        s.commit()
        assert (row.ooad_id, row.umae_id) == (nodes["AGS"].id, None)

        nat_entry = rules.check_session(s, national, form, [str(cases["elsewhere"].id)], TODAY)
        assert nat_entry.agreement is not None and nat_entry.agreement.recommendation
        nat_row = rules.record_session(s, national, users["nac"], nat_entry)
        s.commit()
        recommendation = s.exec(select(rules.Agreement).where(
            rules.Agreement.session_id == nat_row.id)).one()
        with pytest.raises(rules.FormProblemsError) as empty:
            rules.respond(s, recommendation, ags, users["o_ags"], {"estado": "cumplido"})
        assert _keys(empty) == [("nota", "note_required")]
        rules.respond(s, recommendation, ags, users["o_ags"],
                      {"estado": "en_proceso", "nota": "Se difundió en AGS"})
        own = s.exec(select(rules.Agreement).where(rules.Agreement.session_id == row.id)).one()
        rules.follow_up(s, own, users["o_ags"], {"estado": "cumplido", "nota": "Hecho"})
        s.commit()

        scope = {name: scope_for(u, "ooad" if u.role == "ooad" else None)
                 for name, u in users.items()}
        assert [r["id"] for r in session_rows(s, scope["o_ags"])] == [str(row.id)]
        assert session_rows(s, scope["o_bc"]) == [] and session_rows(s, scope["uni"]) == []
        assert {r["id"] for r in session_rows(s, scope["nac"])} == {str(row.id), str(nat_row.id)}
        assert due_rows(s, scope["o_ags"], TODAY) == []  # closed
        assert [r["id"] for r in due_rows(s, scope["nac"], TODAY)] == [str(recommendation.id)]
        seen = {n: recommendations(s, nodes[n], TODAY)[0] for n in ("NC", "AGS", "BC")}
        assert [x["note"] for x in seen["NC"]["responses"]] == ["Se difundió en AGS"]
        assert seen["AGS"]["mine"]["status"] == "en_proceso"
        assert seen["BC"]["mine"] is None and seen["BC"]["history"] == []
        quarter = (date(2026, 10, 1), date(2027, 1, 1))
        block = report_block(s, str(nodes["AGS"].id), "ooad", *quarter, TODAY)
        assert block is not None and [a["status"] for a in block["agreements"]] == ["cumplido"]
        assert report_block(s, "", "nivel_central", *quarter, TODAY)["agreements"][0][
            "recommendation"]
        assert [r["mine"]["note"] for r in block["recommendations"]] == ["Se difundió en AGS"]
        national_block = report_block(s, "", "nivel_central", *quarter, TODAY)
        assert national_block is not None
        assert [len(r["responses"]) for r in national_block["recommendations"]] == [1]
        other = report_block(s, str(nodes["BC"].id), "ooad", *quarter, TODAY)
        assert other is not None and other["sessions"] == other["agreements"] == []
        assert [r["mine"] for r in other["recommendations"]] == [None]  # nothing of AGS
        earlier = report_block(s, str(nodes["AGS"].id), "ooad", date(2026, 1, 1),
                               date(2026, 4, 1), TODAY)
        assert earlier == {"sessions": [], "agreements": [], "recommendations": []}
        assert report_block(s, str(nodes["ASIMS000039"].id), "unit", *quarter, TODAY) is None
        audited = s.exec(select(AuditLog.action).where(
            AuditLog.target_id.in_([str(own.id), str(recommendation.id), str(row.id)]))).all()
        assert sorted(audited) == sorted([
            "committee_session", "committee_agreement", "committee_agreement_note",
            "committee_agreement", "committee_recommendation_response"])
        assert s.get(CommitteeSession, uuid.UUID(str(row.id))) is not None
