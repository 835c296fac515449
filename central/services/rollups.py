"""Rebuild the rollups from the raw rows (``trato-central rebuild-rollups``, the end of an
upgrade that created them, the national benchmark's data load).

One transaction: the rollup tables are locked against concurrent ingest (PostgreSQL:
``EXCLUSIVE``, readers go on), emptied and filled by ``INSERT … SELECT … GROUP BY`` over
``survey_response`` and ``case``; the unit and branch rollups are summed from the module one.
An ingest that stored rows but had not yet added its counts when the lock was taken waits, then adds
them to the rebuilt tables; one that added them already has committed before the lock is
granted, and its rows are in the rebuild's snapshot. Either way every row counts once.
"""

import logging
from typing import Any

import sqlalchemy as sa

from central.db import local_day_sql
from central.models import (
    Case,
    CaseDay,
    Instrument,
    InstrumentStatus,
    SurveyBranchDay,
    SurveyModuleDay,
    SurveyResponse,
    SurveyUnitDay,
)
from central.models.rollups import (
    NO_DUE,
    NO_NODE,
    NO_SERVICE,
    RATINGS,
    SURVEY_MEASURES,
    key_columns,
    measure_columns,
)
from central.services.ingest.campaigns import campaign_clause, rebuild_campaign_rollup
from central.services.instruments import bundled_fingerprints

log = logging.getLogger(__name__)

ROLLUP_TABLES = (SurveyModuleDay.__table__, SurveyUnitDay.__table__,
                 SurveyBranchDay.__table__, CaseDay.__table__)


def _none_node(column: Any) -> Any:
    return sa.func.coalesce(column, sa.literal(NO_NODE, sa.Uuid()))


def survey_module_select(dialect: str) -> Any:
    """``rollup_survey_module_day`` as one SELECT over the raw survey responses."""
    sr = SurveyResponse.__table__.c
    ins = Instrument.__table__.c
    kept = sr.probable_misuse == sa.false()
    measures = [
        sa.func.count(),
        sa.func.sum(sa.case((sr.probable_misuse == sa.true(), 1), else_=0)),
        *(sa.func.sum(sa.case((sa.and_(kept, sr.rating == r), 1), else_=0)) for r in RATINGS),
    ]
    keys = [
        local_day_sql(sr.received_at, dialect), sr.module_id, sr.unit_id,
        _none_node(sr.ooad_id), _none_node(sr.umae_id),
        sa.func.coalesce(sr.service_code, NO_SERVICE), sr.instrument_id, sr.instrument_version,
        sa.func.coalesce(ins.fingerprint, _bundled_fingerprint(sr)),
    ]
    # The version's fingerprint: the table's published row, else the bundled file's, else ""
    # (as the ingest, central.services.instruments.instrument_fingerprints).
    published = sa.and_(ins.instrument_id == sr.instrument_id,
                        ins.version == sr.instrument_version,
                        ins.status == InstrumentStatus.PUBLISHED.value)
    # Campaign responses have their own counts (central.services.ingest.campaigns).
    return (sa.select(*keys, *measures)
            .select_from(SurveyResponse.__table__.outerjoin(Instrument.__table__, published))
            .where(sa.not_(campaign_clause(sr.answers))).group_by(*keys))


def _bundled_fingerprint(sr: Any) -> Any:
    whens = [(sa.and_(sr.instrument_id == iid, sr.instrument_version == version), fp)
             for (iid, version), fp in sorted(bundled_fingerprints().items())]
    return sa.case(*whens, else_=sa.literal("")) if whens else sa.literal("")


def survey_summed_select(table: Any) -> Any:
    """A coarser survey rollup (unit, branch) summed from ``rollup_survey_module_day``."""
    md = SurveyModuleDay.__table__.c
    keys = [md[k] for k in key_columns(table)]
    return sa.select(*keys, *(sa.func.sum(md[m]) for m in SURVEY_MEASURES)).group_by(*keys)


def case_select(dialect: str) -> Any:
    """``rollup_case_day`` as one SELECT over the case table."""
    c = Case.__table__.c
    keys = [
        local_day_sql(c.received_at, dialect), c.module_id, c.unit_id, _none_node(c.ooad_id),
        _none_node(c.umae_id), c.case_type, sa.func.coalesce(c.service_code, NO_SERVICE),
        c.stage, sa.func.coalesce(c.resolution_due, sa.literal(NO_DUE, sa.Date())),
    ]
    return sa.select(*keys, sa.func.count()).group_by(*keys)


def rebuild_rollups(conn: Any) -> dict[str, int]:
    """Empty and refill every rollup from the raw rows, in ``conn``'s transaction; answers
    the rows each table holds afterwards."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        names = ", ".join(t.name for t in ROLLUP_TABLES)
        conn.execute(sa.text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
        conn.execute(sa.text("SET LOCAL work_mem = '256MB'"))
    for table in ROLLUP_TABLES:
        conn.execute(sa.delete(table))
    module, unit, branch, case = ROLLUP_TABLES
    fills = ((module, survey_module_select(dialect)), (unit, survey_summed_select(unit)),
             (branch, survey_summed_select(branch)), (case, case_select(dialect)))
    for table, select in fills:
        columns = [*key_columns(table), *measure_columns(table)]  # the SELECTs' order
        conn.execute(sa.insert(table).from_select(columns, select))
    counts = {t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
              for t in ROLLUP_TABLES}
    counts["rollup_campaign_unit"] = rebuild_campaign_rollup(conn)
    log.info("rollups rebuilt: %s", counts)
    return counts
