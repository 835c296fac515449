"""Campaigns on the central side (in process, SQLite and PostgreSQL): the form's checks store
nothing, a good campaign reaches only its units' change feed, and campaign responses pushed
by a real signed kiosk are checked against their campaign and counted in the campaign rollup
in the ingest's transaction (equal to a rebuild from the raw rows), never in the board's.
With the server's clock moved (``app.state.clock``) and a kiosk clock behind it, both sides
judge the window on server time: the record's own time corrected by its batch's offset, the
kiosk's clock corrected by the offset it learned."""

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
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


#: Noon in Mexico City (18:00 UTC) on a day inside _form()'s window.
INSIDE = datetime(2027, 3, 15, 18, tzinfo=UTC)


def _at(central_app: Any, moment: datetime) -> dict[str, str]:
    """The server's clock set to ``moment``; answers what a kiosk whose clock agrees sends
    (``sent_at`` for :meth:`TestKiosk.push`, also the ``created_at`` of its records)."""
    central_app.state.clock = lambda: moment
    return {"sent_at": moment.isoformat()}


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
        central_app: Any, db: Callable[[], Session], kiosk: TestKiosk) -> None:
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

    sent = _at(central_app, INSIDE)  # answered and sent inside the campaign's window
    at = sent["sent_at"]
    good = [survey_record(kiosk.next_seq(), rating=None, instrument_id=PERCEPTION_INSTRUMENT,
                          answers=answers(tiempo_espera=v, limpieza="na"), created_at=at)
            for v in (5, 4, 2)]
    unknown = survey_record(kiosk.next_seq(), rating=None, instrument_id=PERCEPTION_INSTRUMENT,
                            answers={CAMPAIGN_KEY: str(uuid.uuid4()), "tiempo_espera": 5},
                            created_at=at)
    wrong_version = survey_record(kiosk.next_seq(), rating=None, instrument_version=9,
                                  instrument_id=PERCEPTION_INSTRUMENT,
                                  answers=answers(tiempo_espera=5), created_at=at)
    bad_answer = survey_record(kiosk.next_seq(), rating=None,
                               instrument_id=PERCEPTION_INSTRUMENT,
                               answers=answers(tiempo_espera=7), created_at=at)
    ordinary = survey_record(kiosk.next_seq(), rating=5, created_at=at)
    response = kiosk.push([*good, unknown, wrong_version, bad_answer, ordinary], **sent)
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
    scheduled the day before its first day, open on its first and last days, closed after;
    staff may record answers on the web only while it is open (the page says why otherwise,
    and a form posted then stores nothing)."""
    from central.services.users import create_or_update_user
    from tests.central.web.conftest import csrf_from

    with db() as s:
        publish_bundled_configuration(s)
        s.commit()
        create_or_update_user(s, "nacional", role="nacional", password="contraseña-segura-1")  # noqa: S106
        ags = str(_node(s, "AGS").id)
        unit = str(_node(s, "ASIMS000039").id)
    page = client.get("/entrar")
    client.post("/entrar", data={"username": "nacional", "password": "contraseña-segura-1",
                                 "csrf_token": csrf_from(page.text), "next": "/campanas"})
    form = client.get("/campanas")
    token = csrf_from(form.text)
    created = client.post("/campanas", follow_redirects=False, data={
        "csrf_token": token, "nombre": "Marzo-abril",
        "instrumento": f"{PERCEPTION_INSTRUMENT}@1", "inicio": "2027-03-01",
        "fin": "2027-04-30", "meta": "20", "canal": ["kiosk", "staff"], "cobertura": ags})
    assert created.status_code == 303, created.text[:1000]
    path = created.headers["location"]
    entry = {"csrf_token": token, "unidad": unit, "canal": "staff",
             **{f"r_{code}": "4" for code in DIMENSIONS}}

    def entered() -> int:
        with db() as s:
            return int(s.execute(select(func.coalesce(func.sum(CampaignUnitRollup.answers), 0))
                                 .where(CampaignUnitRollup.question == "")).scalar_one())

    # Noon UTC is 06:00 in Mexico City: the local day is the calendar day.
    closed_on = {"scheduled": "empieza el 01/03/2027", "closed": "terminó el 30/04/2027"}
    for moment, state in (("2027-02-28", "scheduled"), ("2027-03-01", "open"),
                          ("2027-04-30", "open"), ("2027-05-01", "closed")):
        central_app.state.clock = lambda m=moment: datetime.fromisoformat(m + "T12:00+00:00"
                                                                          ).astimezone(UTC)
        page = client.get(path)
        assert f'data-state="{state}"' in page.text, moment
        before = entered()
        if state == "open":
            assert 'id="enter-answers"' in page.text
            assert client.get(f"{path}/capturar").status_code == 200
            saved = client.post(f"{path}/capturar", data=entry, follow_redirects=False)
            assert saved.status_code == 303 and entered() == before + 1, moment
            continue
        assert 'id="enter-answers"' not in page.text  # not offered
        shown = client.get(f"{path}/capturar")
        assert shown.status_code == 409 and closed_on[state] in shown.text
        assert 'id="entry-form"' not in shown.text
        refused = client.post(f"{path}/capturar", data=entry, follow_redirects=False)
        assert refused.status_code == 400 and closed_on[state] in refused.text
        assert "las respuestas no se guardaron" in refused.text and entered() == before
    late = datetime(2027, 5, 1, 5, 30, tzinfo=UTC)  # 23:30 on 30 April in Mexico City
    central_app.state.clock = lambda: late
    assert 'data-state="open"' in client.get(path).text
    assert client.get(f"{path}/capturar").status_code == 200


def test_the_window_is_judged_on_server_time_on_both_sides(
        central_app: Any, db: Callable[[], Session], kiosk: TestKiosk, tmp_path: Any) -> None:
    """The day after the close, a kiosk whose clock is 2 days behind pushes one batch: each
    campaign response is judged on its own time corrected by the batch's offset, in the
    unit's local day. Recorded on the last day (23:30 local) or weeks before: stored however
    late; recorded after the close (the kiosk's own day still in the window) or before the
    first day, or after a withdrawal: ``rejected`` with the window's reason, nothing else
    harmed. A resend stores nothing twice, even with another offset. The kiosk itself,
    once it learned the offset from that push, no longer offers the campaign."""
    from central.services.campaigns import withdraw_campaign
    from kiosk.clock import FixedClock
    from kiosk.services.campaigns import CampaignOffers
    from kiosk.storage.db import open_database
    from kiosk.storage.identity import get_sync_state
    from kiosk.sync.changes import apply_change
    from trato.domain.campaigns import OUTSIDE_WINDOW
    from trato.protocol.wire import ChangeFeed

    with db() as s:
        publish_bundled_configuration(s)
        ags = _node(s, "AGS")
        scope = Scope("ooad_id", ags.id)
        campaign = create_campaign(s, scope, _form(node=str(ags.id)), created_by="ooad_ags")
        gone = create_campaign(s, scope, _form(node=str(ags.id), name="Retirada"),
                               created_by="ooad_ags")
        s.commit()
        withdraw_campaign(s, gone, reason="Duplicada", by="Comité", today=date(2027, 4, 15),
                          now=datetime(2027, 4, 15, 18, tzinfo=UTC))
        s.commit()
    server_now = datetime(2027, 5, 1, 18, tzinfo=UTC)  # noon on 1 May in Mexico City
    behind = server_now - timedelta(days=2)  # the kiosk's clock
    central_app.state.clock = lambda: server_now

    def answer(cid: uuid.UUID, kiosk_time: datetime) -> dict[str, Any]:
        return survey_record(kiosk.next_seq(), rating=None, instrument_id=PERCEPTION_INSTRUMENT,
                             answers={CAMPAIGN_KEY: str(cid), "limpieza": 4},
                             created_at=kiosk_time.isoformat())

    records = [
        # Server time 1 May 05:30 UTC: 23:30 on 30 April in Mexico City, the last day.
        answer(campaign.id, datetime(2027, 4, 29, 5, 30, tzinfo=UTC)),
        answer(campaign.id, datetime(2027, 4, 8, 18, tzinfo=UTC)),  # 10 April, synced late
        # The kiosk's day is 29 April, the server's 1 May: after the close.
        answer(campaign.id, datetime(2027, 4, 29, 17, tzinfo=UTC)),
        answer(campaign.id, datetime(2027, 2, 20, 18, tzinfo=UTC)),  # 22 February: before
        answer(gone.id, datetime(2027, 4, 11, 18, tzinfo=UTC)),  # 13 April: before withdrawn
        answer(gone.id, datetime(2027, 4, 14, 18, tzinfo=UTC)),  # 16 April: after
        survey_record(kiosk.next_seq(), rating=5, created_at=behind.isoformat()),
    ]
    first = kiosk.push(records, sent_at=behind.isoformat())
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["clock_offset_seconds"] == 2 * 86400
    results = body["results"]
    assert [r["status"] for r in results] == ["stored", "stored", "rejected", "rejected",
                                              "stored", "rejected", "stored"]
    for r in (results[2], results[3], results[5]):
        assert r["reason"].startswith(f"{OUTSIDE_WINDOW}: recorded "), r
    assert "2027-05-01" in results[2]["reason"] and "2027-02-22" in results[3]["reason"]
    assert "withdrawn" in results[5]["reason"]
    # Resent with the kiosk's clock a day further behind: by that batch's offset the first
    # would fall on 1 May, but what is stored is answered a duplicate.
    again = kiosk.push(records, sent_at=(behind - timedelta(days=1)).isoformat())
    assert [r["status"] for r in again.json()["results"]] == [
        "duplicate", "duplicate", "rejected", "rejected", "duplicate", "rejected", "duplicate"]
    with db() as s:
        whole = dict(s.execute(select(CampaignUnitRollup.campaign_id, CampaignUnitRollup.answers)
                               .where(CampaignUnitRollup.question == "")).all())
        assert whole == {campaign.id: 2, gone.id: 1}
        assert s.execute(select(func.sum(SurveyUnitDay.responses))).scalar_one() == 1

    # The kiosk: the campaign received through its signed pull, its clock 2 days behind.
    store = open_database(tmp_path / "kiosk.db").database
    feed = ChangeFeed.model_validate(kiosk.changes(0).json())
    with store.write() as s:
        for change in feed.changes:
            assert apply_change(s, change, behind)
    offers = CampaignOffers(store, FixedClock(behind))
    offered = offers.current()  # no offset learned: its own clock says 29 April
    assert offered is not None and offered.campaign_id == campaign.id
    with store.write() as s:  # what the sync engine keeps from a push's answer
        get_sync_state(s).clock_offset_seconds = body["clock_offset_seconds"]
    assert offers.current() is None


def test_withdraw_and_edit_send_newer_versions_to_the_units(
        central_app: Any, db: Callable[[], Session], kiosk: TestKiosk) -> None:
    """On both engines: a change to a scheduled campaign is a newer version for every covered
    unit and a switched-off one for a unit it no longer covers; a unit that already has
    responses cannot be taken out; a withdrawal switches it off everywhere, keeps its
    counts, and happens once."""
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
    sent = _at(central_app, INSIDE)  # once it opened
    pushed = kiosk.push([survey_record(kiosk.next_seq(), rating=None,
                                       instrument_id=PERCEPTION_INSTRUMENT,
                                       answers={CAMPAIGN_KEY: str(campaign.id), "limpieza": 5},
                                       created_at=sent["sent_at"])], **sent)
    assert [r["status"] for r in pushed.json()["results"]] == ["stored"]
    with db() as s:
        campaign = s.get(Campaign, campaign.id)
        with pytest.raises(CampaignProblems) as caught:  # the kiosk's unit has a response
            edit_campaign(s, campaign, CampaignForm(**{**edit_form(campaign, [one]).__dict__,
                                                       "units": [str(two)]}),
                          today=today, now=now)
        assert caught.value.problems == {"cobertura": "campaign.error.unit_answered"}
        s.rollback()
        later, moment = INSIDE.date(), INSIDE + timedelta(hours=1)
        withdraw_campaign(s, campaign, reason="Duplicada", by="Comité", today=later, now=moment)
        s.commit()
        assert latest(s, campaign.id) == {one: (3, False), two: (2, False)}
        assert s.get(Campaign, campaign.id).withdrawn_reason == "Duplicada"
        with pytest.raises(CampaignProblems) as caught:
            withdraw_campaign(s, campaign, reason="Otra vez", by="Comité", today=later,
                              now=moment)
        assert caught.value.problems == {"motivo": "campaign.error.already_withdrawn"}
        whole = s.execute(select(CampaignUnitRollup.answers).where(
            CampaignUnitRollup.question == "")).scalar_one()
        assert whole == 1
