"""registry: an encounter and its screening record the place's clock (region and time zone)

A Canary Islands arrival (Atlantic/Canary, one hour behind Madrid all year), an Azores one
(Atlantic/Azores, one hour behind Lisbon) or a Madeira one entered in UTC, as the web form asks,
was read on the capital's clock: nothing recorded said where it happened, and only an offset given
with the time placed it. The encounter now records its region (ISO 3166-2: ``ES-CN``, ``PT-20``,
``PT-30``; null: the capital's clock) and the time zone (IANA) of its place, and the screening its
time zone: the days of the encounter's periods are counted, and its times shown, on that clock
(docs/registry.md, "Local days").

What a store written before holds is kept as the platform counted it. Each screening gets the zone
it has been shown on, read from its deadline (``pactum.registry.local_time.screening_zone_name``:
the capital's, or the territory's whose clock shows the end of a day then, as for a Canary Islands
arrival given with the islands' offset), and its encounter that zone and the region it is the
clock of (``ES-CN`` for ``Atlantic/Canary``, ``PT-20`` for ``Atlantic/Azores``). An encounter
without a screening (before 12 June 2026) keeps a null zone: its days were counted on the capital's
clock or at the offset given, which the store did not keep; it is shown on the capital's. No
deadline, day or storage end changes. Running it again changes nothing; downgrading drops the
columns and what they recorded.

Revision ID: registry_0006_encounter_time_zone
Revises: registry_0005_held_over_72h_four_days_after
Create Date: 2026-12-01
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "registry_0006_encounter_time_zone"
down_revision = "registry_0005_held_over_72h_four_days_after"
branch_labels = None
depends_on = None

_SCREENINGS = sa.table(
    "screenings", sa.column("id", sa.String()), sa.column("encounter_id", sa.String()),
    sa.column("member_state", sa.String()), sa.column("deadline_at", sa.DateTime(timezone=True)),
    sa.column("time_zone", sa.String()))
_ENCOUNTERS = sa.table(
    "encounters", sa.column("id", sa.String()), sa.column("member_state", sa.String()),
    sa.column("region", sa.String()), sa.column("time_zone", sa.String()))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def upgrade() -> None:
    from pactum.registry.local_time import region_of_zone, screening_zone_name

    insp = sa.inspect(op.get_bind())
    if "time_zone" not in {c["name"] for c in insp.get_columns("encounters")}:
        op.add_column("encounters", sa.Column("region", sa.String(6), nullable=True))
        op.add_column("encounters", sa.Column("time_zone", sa.String(40), nullable=True))
    if "time_zone" not in {c["name"] for c in insp.get_columns("screenings")}:
        op.add_column("screenings", sa.Column("time_zone", sa.String(40), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_SCREENINGS.c.id, _SCREENINGS.c.encounter_id, _SCREENINGS.c.member_state,
                  _SCREENINGS.c.deadline_at).where(_SCREENINGS.c.time_zone.is_(None))).all()
    screenings, encounters = [], []
    for row in rows:
        zone = screening_zone_name(_utc(row.deadline_at), row.member_state)
        screenings.append({"row_id": row.id, "zone": zone})
        if row.encounter_id is not None:
            region = region_of_zone(row.member_state, zone)
            encounters.append({"row_id": row.encounter_id, "zone": zone, "region": region.code if region else None})
    if screenings:
        conn.execute(sa.update(_SCREENINGS).where(_SCREENINGS.c.id == sa.bindparam("row_id"))
                     .values(time_zone=sa.bindparam("zone")), screenings)
    if encounters:
        conn.execute(sa.update(_ENCOUNTERS).where(_ENCOUNTERS.c.id == sa.bindparam("row_id"),
                                                  _ENCOUNTERS.c.time_zone.is_(None))
                     .values(time_zone=sa.bindparam("zone"), region=sa.bindparam("region")), encounters)


def downgrade() -> None:
    # dropped in place (ALTER TABLE ... DROP COLUMN), not by copying the table: screenings refer to
    # encounters, and a copied table would be dropped under them
    op.drop_column("screenings", "time_zone")
    op.drop_column("encounters", "time_zone")
    op.drop_column("encounters", "region")
