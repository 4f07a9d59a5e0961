"""Every kind of read the personal-data read log records is named where an auditor looks it up:
the API's description of `GET /api/v1/audit/reads` (and docs/api.md generated from it)."""

from __future__ import annotations

from pactum.api.routers.platform import audit_reads
from pactum.services import reads


def test_the_reads_endpoint_names_every_kind_of_read() -> None:
    doc = " ".join((audit_reads.__doc__ or "").split())
    missing = [kind for kind in reads.WHAT if f"`{kind}`" not in doc]
    assert not missing, f"GET /api/v1/audit/reads does not name {missing}"
