"""Campaigns on the central side (in process, SQLite and PostgreSQL): the form's checks store
nothing, a good campaign reaches only its units' change feed, and campaign responses pushed
by a real signed kiosk are checked against their campaign and counted in the campaign rollup
in the ingest's transaction (equal to a rebuild from the raw rows), never in the board's."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from central.catalogue import publish_bundled_configuration
from central.models import (
    Campaign,
    CampaignUnit,
    CampaignUnitRollup,
    ChangeLog,
    OrgNode,
    SurveyUnitDay,
)
from central.services.campaigns import CampaignForm, CampaignProblems, create_campaign
from central.services.rollups import rebuild_rollups
from central.web.scope import Scope
from tests.support.central import TestKiosk, survey_record
from trato.domain.campaigns import CAMPAIGN_KEY, DIMENSIONS, PERCEPTION_INSTRUMENT
from trato.protocol.wire import CampaignData, ChangeKind

EVERYTHING = Scope(None, None)


def _node(s: Session, code: str) -> OrgNode:
    return s.execute(select(OrgNode).where(OrgNode.code == code)).scalar_one()


def _form(**values: Any) -> CampaignForm:
    base = dict(name="Percepción hospitalaria, marzo-abril", starts_on="2027-03-01",
                ends_on="2027-04-30", target="30", channels=["kiosk", "staff"],
                instrument=f"{PERCEPTION_INSTRUMENT}@1")
    return CampaignForm(**{**base, **values})


def _counts(s: Session, model: Any) -> int:
    return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_bad_forms_store_nothing(db: Callable[[], Session]) -> None:
    with db() as s:
        publish_bundled_configuration(s)
        s.commit()
        ags, bc = _node(s, "AGS"), _node(s, "BC")
        ooad_ags = Scope("ooad_id", ags.id)
        bc_unit = _node(s, "BCIMS000039")
        feed_before = _counts(s, ChangeLog)
        cases = {
            "fin": _form(node=str(ags.id), ends_on="2027-02-28"),
            "meta": _form(node=str(ags.id), target="0"),
            "instrumento": _form(node=str(ags.id), instrument="no-existe@1"),
            "canal": _form(node=str(ags.id), channels=["fax"]),
            "cobertura": _form(node=str(bc.id)),
        }
        for field, form in cases.items():
            with pytest.raises(CampaignProblems) as caught:
                create_campaign(s, ooad_ags, form, created_by="ooad_ags")
            assert field in caught.value.problems, (field, caught.value.problems)
            s.rollback()
        with pytest.raises(CampaignProblems) as caught:  # a unit of another OOAD in a list
            create_campaign(s, ooad_ags, _form(units=[str(bc_unit.id)]), created_by="x")
        assert caught.value.problems == {"cobertura": "campaign.error.out_of_scope"}
        s.rollback()
        assert _counts(s, Campaign) == 0 and _counts(s, ChangeLog) == feed_before


def test_campaign_responses_counted_in_their_own_rollup(
        db: Callable[[], Session], kiosk: TestKiosk) -> None:
    with db() as s:
        publish_bundled_configuration(s)
        ags = _node(s, "AGS")
        campaign = create_campaign(s, Scope("ooad_id", ags.id), _form(node=str(ags.id)),
                                   created_by="ooad_ags")
        s.commit()
        units = set(s.execute(select(CampaignUnit.unit_id)
                              .where(CampaignUnit.campaign_id == campaign.id)).scalars())
        assert units == {_node(s, "ASIMS000039").id, _node(s, "ASIMS000076").id}
        changes = s.execute(select(ChangeLog).where(
            ChangeLog.kind == ChangeKind.CAMPAIGN.value)).scalars().all()
        assert {c.scope_unit_id for c in changes} == units
        data = CampaignData.model_validate(changes[0].data)
        assert [q.code for q in data.questions] == list(DIMENSIONS)
        board_before = _counts(s, SurveyUnitDay)

    def answers(**given: Any) -> dict[str, Any]:
        return {CAMPAIGN_KEY: str(campaign.id), **given}

    good = [survey_record(kiosk.next_seq(), rating=None, instrument_id=PERCEPTION_INSTRUMENT,
                          answers=answers(tiempo_espera=v, limpieza="na"))
            for v in (5, 4, 2)]
    unknown = survey_record(kiosk.next_seq(), rating=None, instrument_id=PERCEPTION_INSTRUMENT,
                            answers={CAMPAIGN_KEY: str(uuid.uuid4()), "tiempo_espera": 5})
    wrong_version = survey_record(kiosk.next_seq(), rating=None, instrument_version=9,
                                  instrument_id=PERCEPTION_INSTRUMENT,
                                  answers=answers(tiempo_espera=5))
    bad_answer = survey_record(kiosk.next_seq(), rating=None,
                               instrument_id=PERCEPTION_INSTRUMENT,
                               answers=answers(tiempo_espera=7))
    ordinary = survey_record(kiosk.next_seq(), rating=5)
    response = kiosk.push([*good, unknown, wrong_version, bad_answer, ordinary])
    assert response.status_code == 200, response.text
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses == ["stored"] * 3 + ["rejected"] * 3 + ["stored"]
    with db() as s:
        rows = {(r.question): r for r in s.execute(select(CampaignUnitRollup)).scalars()}
        assert rows[""].answers == 3
        wait = rows["tiempo_espera"]
        assert (wait.answers, wait.rating_5, wait.rating_4, wait.rating_2) == (3, 1, 1, 1)
        assert rows["limpieza"].not_applicable == 3
        # The ordinary response only: campaign responses stay out of the board's counts.
        unit_day = s.execute(select(func.sum(SurveyUnitDay.responses))).scalar_one()
        assert unit_day == 1 and _counts(s, SurveyUnitDay) == board_before + 1
        before = sorted((r.question, r.answers, r.not_applicable, r.rating_5)
                        for r in rows.values())
        rebuild_rollups(s.connection())
        s.commit()
        rebuilt = sorted((r.question, r.answers, r.not_applicable, r.rating_5)
                         for r in s.execute(select(CampaignUnitRollup)).scalars())
        assert rebuilt == before
        assert s.execute(select(func.sum(SurveyUnitDay.responses))).scalar_one() == 1


def test_a_campaign_opens_and_closes_on_its_dates_on_the_server_clock(
        central_app: Any, client: Any, db: Callable[[], Session]) -> None:
    """In process, the server's clock moved (``app.state.clock``): the same campaign is
    scheduled the day before its first day, open on its first and last days, closed after."""
    from datetime import UTC, datetime

    from central.services.users import create_or_update_user
    from tests.central.web.conftest import csrf_from

    with db() as s:
        publish_bundled_configuration(s)
        s.commit()
        create_or_update_user(s, "nacional", role="nacional", password="contraseña-segura-1")  # noqa: S106
        ags = str(_node(s, "AGS").id)
    page = client.get("/entrar")
    client.post("/entrar", data={"username": "nacional", "password": "contraseña-segura-1",
                                 "csrf_token": csrf_from(page.text), "next": "/campanas"})
    form = client.get("/campanas")
    created = client.post("/campanas", follow_redirects=False, data={
        "csrf_token": csrf_from(form.text), "nombre": "Marzo-abril",
        "instrumento": f"{PERCEPTION_INSTRUMENT}@1", "inicio": "2027-03-01",
        "fin": "2027-04-30", "meta": "20", "canal": "kiosk", "cobertura": ags})
    assert created.status_code == 303, created.text[:1000]
    path = created.headers["location"]
    # Noon UTC is 06:00 in Mexico City: the local day is the calendar day.
    for moment, state in (("2027-02-28", "scheduled"), ("2027-03-01", "open"),
                          ("2027-04-30", "open"), ("2027-05-01", "closed")):
        central_app.state.clock = lambda m=moment: datetime.fromisoformat(m + "T12:00+00:00"
                                                                          ).astimezone(UTC)
        page = client.get(path)
        assert f'data-state="{state}"' in page.text, moment
    late = datetime(2027, 5, 1, 5, 30, tzinfo=UTC)  # 23:30 on 30 April in Mexico City
    central_app.state.clock = lambda: late
    assert 'data-state="open"' in client.get(path).text


def test_withdraw_and_edit_send_newer_versions_to_the_units(
        db: Callable[[], Session], kiosk: TestKiosk) -> None:
    """On both engines: a change to a scheduled campaign is a newer version for every covered
    unit and a switched-off one for a unit it no longer covers; a unit that already has
    responses cannot be taken out; a withdrawal switches it off everywhere, keeps its
    counts, and happens once."""
    from datetime import UTC, date, datetime

    from central.services.campaigns import edit_campaign, edit_form, withdraw_campaign

    today, now = date(2027, 2, 1), datetime(2027, 2, 1, 18, tzinfo=UTC)

    def latest(s: Session, campaign_id: uuid.UUID) -> dict[uuid.UUID, tuple[int, bool]]:
        rows = s.execute(select(ChangeLog).where(ChangeLog.kind == ChangeKind.CAMPAIGN.value,
                                                 ChangeLog.key == str(campaign_id))
                         .order_by(ChangeLog.cursor)).scalars()
        return {r.scope_unit_id: (r.version, r.data["active"]) for r in rows}

    with db() as s:
        publish_bundled_configuration(s)
        ags = _node(s, "AGS")
        one, two = _node(s, "ASIMS000039").id, _node(s, "ASIMS000076").id
        campaign = create_campaign(s, Scope("ooad_id", ags.id), _form(node=str(ags.id)),
                                   created_by="ooad_ags")
        s.commit()
        form = edit_form(campaign, [one, two])
        changes = edit_campaign(s, campaign, CampaignForm(**{**form.__dict__, "node": "",
                                                             "units": [str(one)]}),
                                today=today, now=now)
        s.commit()
        assert changes == {"node": [str(ags.id), ""], "units": [[], [str(one)]]}
        assert latest(s, campaign.id) == {one: (2, True), two: (2, False)}
    pushed = kiosk.push([survey_record(kiosk.next_seq(), rating=None,
                                       instrument_id=PERCEPTION_INSTRUMENT,
                                       answers={CAMPAIGN_KEY: str(campaign.id), "limpieza": 5})])
    assert [r["status"] for r in pushed.json()["results"]] == ["stored"]
    with db() as s:
        campaign = s.get(Campaign, campaign.id)
        with pytest.raises(CampaignProblems) as caught:  # the kiosk's unit has a response
            edit_campaign(s, campaign, CampaignForm(**{**edit_form(campaign, [one]).__dict__,
                                                       "units": [str(two)]}),
                          today=today, now=now)
        assert caught.value.problems == {"cobertura": "campaign.error.unit_answered"}
        s.rollback()
        withdraw_campaign(s, campaign, reason="Duplicada", by="Comité", today=today, now=now)
        s.commit()
        assert latest(s, campaign.id) == {one: (3, False), two: (2, False)}
        assert s.get(Campaign, campaign.id).withdrawn_reason == "Duplicada"
        with pytest.raises(CampaignProblems) as caught:
            withdraw_campaign(s, campaign, reason="Otra vez", by="Comité", today=today,
                              now=now)
        assert caught.value.problems == {"motivo": "campaign.error.already_withdrawn"}
        whole = s.execute(select(CampaignUnitRollup.answers).where(
            CampaignUnitRollup.question == "")).scalar_one()
        assert whole == 1
