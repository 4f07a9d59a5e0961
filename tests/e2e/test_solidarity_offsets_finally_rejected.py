"""AMMR Art 63(9), read in the Official Journal text (Italian version): "Lo Stato membro contributore può
applicare il presente articolo ai cittadini di paesi terzi o agli apolidi la cui domanda è stata
definitivamente respinta nello Stato membro beneficiario. Si applicano gli articoli 55 e 56 del
regolamento (UE) 2024/1348." Until 1 December 2026 a take-over of such a person said nothing of it: the
contributing state's Dublin unit was not told that the person's further application is a subsequent one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import insert

from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.store.tables.procedures import asylum_applications

try:
    from .test_solidarity_offsets import API, VOLUNTARY, _adopted_pool
    from .test_solidarity_offsets_conditions import _person, _person_case
except ImportError:  # tests/e2e is not a package
    from test_solidarity_offsets import API, VOLUNTARY, _adopted_pool  # type: ignore[no-redef]
    from test_solidarity_offsets_conditions import _person, _person_case  # type: ignore[no-redef]

H = Callable[[str], dict[str, str]]
P = Callable[[str], Principal]


def _asylum_case(services: Services, person_id: str, ms: str, ref: str, **state: object) -> None:
    """The person's asylum case in ``ms`` as the procedures register keeps it, closed with ``state``."""
    with services.engine.begin() as conn:
        conn.execute(insert(asylum_applications).values(
            id=f"asy_{ref}", member_state=ms, person_id=person_id, nationality="SYR", context="territory",
            unaccompanied_minor=False, procedure="regular", routing_mandatory=False, routing_grounds=[], routing={},
            made_on=date(2026, 7, 1), decided_on=date(2026, 8, 1), closed=True, reference=ref,
            created_at=services.clock.now(), **state))


def test_a_person_finally_rejected_in_the_benefitting_state_is_taken_over_citing_article_63_9(
        client: TestClient, auth_headers: H, principal: P, services: Services) -> None:
    _adopted_pool(client, auth_headers, VOLUNTARY)
    de_cw = principal("de-caseworker")
    rejected, appealed, other = (_person(services, de_cw, n) for n in ("Haddad", "Nasser", "Salem"))
    _asylum_case(services, rejected, "IT", "IT-2026-000901", state="final", outcome="rejected_unfounded")
    _asylum_case(services, appealed, "IT", "IT-2026-000902", state="appeal_decided", outcome="inadmissible",
                 appeal_outcome="dismissed")
    # still under appeal in Italy: not finally rejected
    _asylum_case(services, other, "IT", "IT-2026-000903", state="appeal_lodged", outcome="rejected_unfounded")
    cases = [_person_case(services, de_cw, f"DE-R-{i}", p) for i, p in enumerate((rejected, appealed, other))]
    assert all(c["determination"]["responsible_member_state"] == "IT" for c in cases)
    r = client.post(f"{API}/cycles/2026/offsets", headers=auth_headers("de-admin"), json={
        "beneficiary_member_state": "IT", "case_ids": [c["id"] for c in cases], "on": "2026-11-28"})
    assert r.status_code == 201, r.text
    for c, finally_rejected in zip(cases, (True, True, False), strict=True):
        step = responsibility.get_case(services, de_cw, c["id"])["determination"]["trace"][-1]
        assert step["rule"] == "responsibility_offset"
        cited = "Regulation (EU) 2024/1351, Article 63(9)" in step["legal_basis"]
        assert cited is finally_rejected, step
        assert step["facts"].get("finally_rejected_in_benefitting_state", False) is finally_rejected
        if finally_rejected:
            assert step["outcome"].endswith(
                "the applicant's application was finally rejected in IT: DE applies Regulation (EU) 2024/1351, "
                "Article 63(9), and Regulation (EU) 2024/1348, Articles 55 and 56 (subsequent applications) apply")
