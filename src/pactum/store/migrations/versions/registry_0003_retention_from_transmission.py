"""registry: the recast's Eurodac storage periods run from the transmission of the biometric data

Regulation (EU) 2024/1358 counts every storage period from the date the biometric data were
transmitted to Eurodac (Art 29(1), (3) to (9)); Pactum counted them from the date the data were
taken, as Regulation (EU) No 603/2013 does (Arts 12(1), 16(1)). The ``retention_until`` of each
record not erased whose regime is the recast's (the day the data were taken is on or after 12 June
2026) and whose transmission is known is counted again (``pactum.registry.rules.retention_until``):

- a registration's record: from the local day of ``biometric_captures.transmitted_at``;
- an applicant's record made when an application was recorded (an identity record with no capture
  of its own): from the local day the record was made (``identity_records.created_at``), when the
  data set was transmitted to the Central System.

Records under Reg. 603/2013 and records whose transmission is not recorded keep their end (counted
from the capture, the earliest the transmission can be). Running it again changes nothing.
Downgrading leaves the corrected values: the earlier ones erased the data before the end the
Regulation sets.

Revision ID: registry_0003_retention_from_transmission
Revises: registry_0002_screening_maximum
Create Date: 2026-11-30
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "registry_0003_retention_from_transmission"
down_revision = "registry_0002_screening_maximum"
branch_labels = None
depends_on = None

_EURODAC = sa.table(
    "eurodac_records", sa.column("id", sa.String()), sa.column("identity_record_id", sa.String()),
    sa.column("category", sa.String()), sa.column("member_state", sa.String()),
    sa.column("retention_until", sa.Date()), sa.column("erased_at", sa.DateTime(timezone=True)))
_CAPTURES = sa.table(
    "biometric_captures", sa.column("identity_record_id", sa.String()),
    sa.column("captured_at", sa.DateTime(timezone=True)), sa.column("transmitted_at", sa.DateTime(timezone=True)))
_RECORDS = sa.table(
    "identity_records", sa.column("id", sa.String()), sa.column("recorded_on", sa.Date()),
    sa.column("created_at", sa.DateTime(timezone=True)))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    from pactum.common.errors import ValidationProblem
    from pactum.registry import rules
    from pactum.registry.local_time import local_day
    from pactum.registry.model import EurodacCategory

    conn = op.get_bind()
    live = _EURODAC.c.erased_at.is_(None)
    # (row id, category, state, stored end, day taken, day transmitted)
    counted: list[tuple[str, str, str, date, date, date]] = []
    registrations = sa.select(
        _EURODAC.c.id, _EURODAC.c.category, _EURODAC.c.member_state, _EURODAC.c.retention_until,
        _CAPTURES.c.captured_at, _CAPTURES.c.transmitted_at,
    ).join(_CAPTURES, _CAPTURES.c.identity_record_id == _EURODAC.c.identity_record_id).where(
        live, _CAPTURES.c.captured_at.is_not(None), _CAPTURES.c.transmitted_at.is_not(None))
    for row in conn.execute(registrations):
        ms = row.member_state
        counted.append((row.id, row.category, ms, _day(row.retention_until),
                        local_day(_utc(row.captured_at), ms), local_day(_utc(row.transmitted_at), ms)))
    has_capture = sa.exists().where(_CAPTURES.c.identity_record_id == _EURODAC.c.identity_record_id)
    applications = sa.select(
        _EURODAC.c.id, _EURODAC.c.category, _EURODAC.c.member_state, _EURODAC.c.retention_until,
        _RECORDS.c.recorded_on, _RECORDS.c.created_at,
    ).join(_RECORDS, _RECORDS.c.id == _EURODAC.c.identity_record_id).where(
        live, _EURODAC.c.category == EurodacCategory.applicant.value, ~has_capture)
    for row in conn.execute(applications):
        ms = row.member_state
        made_on = _day(row.recorded_on)
        counted.append((row.id, row.category, ms, _day(row.retention_until), made_on,
                        max(made_on, local_day(_utc(row.created_at), ms))))

    moved = []
    for row_id, category, ms, stored, taken_on, transmitted_on in counted:
        try:
            result = rules.retention_until(EurodacCategory(category), taken_on, ms, transmitted_on)
        except (ValueError, ValidationProblem):  # a category or day the rules do not count: left alone
            continue
        if result.regime == "pact" and result.ends_on is not None and result.ends_on != stored:
            moved.append({"row_id": row_id, "end": result.ends_on})
    if moved:
        conn.execute(sa.update(_EURODAC).where(_EURODAC.c.id == sa.bindparam("row_id"))
                     .values(retention_until=sa.bindparam("end")), moved)


def downgrade() -> None:
    """The ends counted from the transmission stay: the earlier ones erased the data too soon."""
