"""Small helpers shared by the API tests."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from central.models import Case, CaseEvent, ChangeLog, IngestedRecord, Kiosk, SurveyResponse


def counts(db: Callable[[], Session]) -> dict[str, int]:
    with db() as s:
        return {
            model.__tablename__: int(
                s.execute(select(func.count()).select_from(model)).scalar_one()
            )
            for model in (IngestedRecord, SurveyResponse, Case, CaseEvent, ChangeLog, Kiosk)
        }


def error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert a 4xx ErrorBody with a reason (and the server time header)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"code", "detail"}, body
    assert body["detail"]
    if code is not None:
        assert body["code"] == code, body
    assert "x-td-server-time" in response.headers
    return body
