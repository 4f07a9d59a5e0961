"""returns: the personal data of deleted return alerts are erased

A deleted SIS return alert leaves SIS (Reg. (EU) 2018/1860 Art 14; Reg. (EU) 2018/1861 Art 51):
from now on the deletion erases the alert's personal data from its row
(``pactum.returns.alerts.PERSONAL_FIELDS``: names, place and date of birth, gender, nationality,
documents, references to photographs, fingerprints and document copies). This migration erases
them from the alerts already deleted. The rest of the row stays as the issuing state's record of
its alert (decision reference, issuing authority, reason, dates, field (y) at deletion, flags, the
deletion and its reason). Downgrading does not bring the erased data back.

Revision ID: returns_0002_erase_deleted_alerts
Revises: returns_0001_initial
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "returns_0002_erase_deleted_alerts"
down_revision = "returns_0001_initial"
branch_labels = None
depends_on = None

#: As ``pactum.returns.alerts.PERSONAL_FIELDS`` on the day of this migration (a migration does not
#: follow later changes of the code).
_PERSONAL = (
    "surnames", "forenames", "names_at_birth", "previous_names", "place_of_birth", "date_of_birth",
    "gender", "nationalities", "links", "offence_type", "document_category", "document_country",
    "document_number", "document_issue_date", "photo_ref", "fingerprints_ref", "document_copy_ref",
)

_ALERTS = sa.table("return_alerts", sa.column("status", sa.String()), *(sa.column(c) for c in _PERSONAL))


def upgrade() -> None:
    op.execute(
        _ALERTS.update().where(_ALERTS.c.status == "deleted").values(dict.fromkeys(_PERSONAL))
    )


def downgrade() -> None:
    """The erased data are not restored."""
