"""Every registration runs the identity comparison (issue #5, identity item 4), on each channel:
the registration page and ``pactum registry register`` compare the record at once; a
registration through the API is answered without waiting and its record stays pending until the
``identity_comparison`` job compares it (as Eurodac compares on transmission and answers hit or
no hit later), writing the same multiple-identity links; ``GET
/api/v1/identity/records/{id}/comparison`` reads the outcome, for the record's own state only."""

from __future__ import annotations

import asyncio
import copy
import json
import re

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services import identity
from pactum.services.jobs import load_all
from pactum.store.tables.identity import identity_comparisons, identity_links
from pactum.store.tables.platform import audit_log

runner = CliRunner()

#: Italy's applicant, registered on the registration page.
IT_FORM = {"surname": "Gharbi", "given_names": "Walid", "sex": "M", "date_of_birth": "1994-05-02",
           "nationality": "TUN", "kind": "in_territory_application", "occurred_at": "2026-11-20T09:00",
           "place": "Roma", "captured_at": "2026-11-20T10:00"}
#: The same man applying in Greece, his name written another way, posted by Greece's national system.
EL_ARRIVAL = {
    "identity": {"given_names": "Walid", "surname": "Garbi", "sex": "M", "date_of_birth": "1994-05-02",
                 "nationality": "TUN"},
    "encounter": {"member_state": "EL", "occurred_at": "2026-11-25T07:00:00Z", "kind": "in_territory_application",
                  "place": "Athina"},
    "biometrics": {"captured_at": "2026-11-25T08:00:00Z"},
}


def _job(services) -> str:
    return load_all()["identity_comparison"].fn(services, services.clock.now())


def _count(services, table) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def _links_of(services, record_id: str) -> list:
    with services.engine.connect() as conn:
        return conn.execute(select(identity_links).where(identity_links.c.record_id == record_id)
                            .order_by(identity_links.c.id)).fetchall()


def _register_on_the_page(c, form) -> tuple[str, str]:
    r = c.post("/registry/register", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    person, record = r.headers["location"].split("?registered=")
    return person.rsplit("/", 1)[1], record


def _post(client, headers, body, key: str | None = None):
    h = {**headers, **({"Idempotency-Key": key} if key else {})}
    r = client.post("/api/v1/registry/arrivals", json=body, headers=h)
    assert r.status_code == 201, r.text
    return r


def test_a_registration_on_the_page_is_compared_at_once_and_the_job_leaves_it(web_client, services, client,
                                                                              auth_headers):
    _person, record = _register_on_the_page(web_client("it-caseworker"), IT_FORM)
    body = client.get(f"/api/v1/identity/records/{record}/comparison", headers=auth_headers("it-caseworker")).json()
    assert body["status"] == "compared" and body["compared_via"] == "registration"
    assert body["requested_by"] == "it-caseworker" and body["compared_by"] == "it-caseworker"
    assert _job(services) == "0 identity records compared, 0 still pending"


def test_an_api_registration_is_pending_until_the_job_links_it_as_the_page_would(web_client, services, client,
                                                                               auth_headers, principal):
    el = auth_headers("el-caseworker")
    _register_on_the_page(web_client("it-caseworker"), IT_FORM)
    # Greece registers the man once on its page (compared at once): the link the page makes
    _p, by_page = _register_on_the_page(web_client("el-caseworker"), {
        **IT_FORM, "surname": "Garbi", "occurred_at": "2026-11-25T09:00", "captured_at": "2026-11-25T10:00",
        "place": "Athina"})
    page_link = next(lk for lk in _links_of(services, by_page) if lk.verifying_authority == "EL"
                     and lk.linked_record_id != by_page)
    assert page_link.colour == "yellow" and page_link.status == "pending"

    # ... and its national system posts the same arrival: answered at once, nothing compared yet
    answer = _post(client, el, EL_ARRIVAL).json()
    record = answer["identity_record_id"]
    assert _links_of(services, record) == []
    pending = client.get(f"/api/v1/identity/records/{record}/comparison", headers=el)
    assert pending.status_code == 200
    assert pending.json() | {"requested_at": None} == {
        "identity_record_id": record, "person_id": answer["person_id"], "status": "pending", "requested_at": None,
        "requested_by": "el-caseworker", "compared_at": None, "compared_by": None, "compared_via": None,
        "links": [], "candidates": []}

    assert _job(services) == "1 identity records compared, 0 still pending"
    links = {lk.linked_record_id: lk for lk in _links_of(services, record)}
    italian = page_link.linked_record_id
    # the same link to Italy's record as the page made: yellow, in Greece's verification queue
    job_link = links[italian]
    assert (job_link.colour, job_link.status, job_link.verifying_authority, job_link.match_probability) == (
        page_link.colour, page_link.status, page_link.verifying_authority, page_link.match_probability)
    queue = identity.verification_queue(services, principal("el-caseworker"))
    assert job_link.id in {lk["id"] for lk in queue}
    # the disclosure of Italy's record is logged to the officer who registered it, as a comparison
    with services.engine.connect() as conn:
        logged = conn.execute(select(audit_log.c.actor, audit_log.c.after).where(
            audit_log.c.action == identity.DISCLOSED_EURODAC)).fetchall()
    assert any(a.actor == "el-caseworker" and (json.loads(a.after) if isinstance(a.after, str) else a.after)
               ["compared_record_id"] == record for a in logged)

    compared = client.get(f"/api/v1/identity/records/{record}/comparison", headers=el).json()
    assert compared["status"] == "compared" and compared["compared_via"] == "scheduled"
    assert compared["compared_by"] == "el-caseworker" and compared["compared_at"]
    italian_candidate = next(c for c in compared["candidates"] if c["identity_record_id"] == italian)
    assert italian_candidate["member_state"] == "IT" and italian_candidate["withheld"] is False
    assert italian_candidate["record"]["surname"] == "Gharbi"
    assert italian_candidate["link"] == {"id": job_link.id, "colour": "yellow", "status": "pending"}
    assert {lk["id"] for lk in compared["links"]} == {lk.id for lk in links.values()}

    # running the job again compares nothing and writes nothing
    before = (_count(services, identity_links), _count(services, audit_log))
    assert _job(services) == "0 identity records compared, 0 still pending"
    assert (_count(services, identity_links), _count(services, audit_log)) == before


def test_another_state_cannot_read_the_outcome(client, auth_headers, services):
    record = _post(client, auth_headers("el-caseworker"), EL_ARRIVAL).json()["identity_record_id"]
    url = f"/api/v1/identity/records/{record}/comparison"
    assert client.get(url, headers=auth_headers("it-caseworker")).status_code == 404
    assert client.get(url, headers=auth_headers("frontex-analyst")).status_code == 403
    _job(services)
    assert client.get(url, headers=auth_headers("it-caseworker")).status_code == 404
    assert client.get(url, headers=auth_headers("el-dublin")).json()["status"] == "compared"


def test_a_replayed_registration_is_answered_byte_for_byte_and_compared_once(client, auth_headers, services):
    el = auth_headers("el-caseworker")
    first = _post(client, el, EL_ARRIVAL, key="el-arrival-1")
    assert _count(services, identity_comparisons) == 1
    again = _post(client, el, copy.deepcopy(EL_ARRIVAL), key="el-arrival-1")
    assert again.content == first.content
    assert set(first.json()) == {"person_id", "identity_record_id", "encounter_id", "regime", "eurodac",
                                 "biometrics", "screening", "encounter"}
    assert _count(services, identity_comparisons) == 1
    _job(services)
    assert _post(client, el, EL_ARRIVAL, key="el-arrival-1").content == first.content


def test_the_command_line_registration_compares_at_once_and_prints_the_candidates(web_client, services, tmp_path):
    _register_on_the_page(web_client("it-caseworker"), IT_FORM)
    f = tmp_path / "arrival.json"
    f.write_text(json.dumps(EL_ARRIVAL))
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "el-caseworker"}
    r = runner.invoke(app, ["registry", "register", str(f)], env=env)
    assert r.exit_code == 0, r.output
    record = json.loads(r.stdout)["identity_record_id"]  # standard output: the API's JSON alone
    lines = r.stderr.splitlines()
    assert lines[0].startswith(f"identity comparison of {record}: ") and re.search(r", 1 link(;|$)", lines[0])
    assert any(" IT eurodac: Walid Gharbi, born 1994-05-02; probability " in line and " yellow pending" in line
               for line in lines[1:])
    assert _job(services) == "0 identity records compared, 0 still pending"
    shown = runner.invoke(app, ["identity", "comparison", record], env=env)
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["compared_via"] == "registration"


def test_the_job_runs_from_the_command_line(client, auth_headers, services):
    _post(client, auth_headers("el-caseworker"), EL_ARRIVAL)
    env = {"PACTUM_DATABASE_URL": services.settings.database_url}
    r = runner.invoke(app, ["jobs", "run", "--only", "identity_comparison"], env=env)
    assert r.exit_code == 0, r.output
    assert r.stdout == "identity_comparison: 1 identity records compared, 0 still pending\n"


def test_the_person_page_says_the_comparison_is_pending_until_the_job_runs(client, auth_headers, services,
                                                                           web_client):
    answer = _post(client, auth_headers("el-caseworker"), EL_ARRIVAL).json()
    el = web_client("el-caseworker")
    page = el.get(f"/registry/persons/{answer['person_id']}").text
    assert f"Comparison pending for record {answer['identity_record_id']}: registered through the API" in page
    api = client.get(f"/api/v1/registry/persons/{answer['person_id']}", headers=auth_headers("el-caseworker"))
    assert api.json()["comparisons_pending"] == [answer["identity_record_id"]]
    _job(services)
    assert "Comparison pending" not in el.get(f"/registry/persons/{answer['person_id']}").text


@pytest.mark.postgres
def test_registrations_on_the_event_loop_are_pending_once_each_and_the_job_compares_them(pg_services):
    """PostgreSQL's group commit (the served API's path): each registration's pending comparison is
    committed with its rows, once for a key sent three times; the job compares each once."""
    from pactum.registry.model import RegisterArrival
    from pactum.services import registry
    from pactum.services.uow import AsyncStore
    from tests.conftest import principal_of

    officer = principal_of(pg_services, "el-caseworker")
    arrivals = []
    for i in range(6):
        data = copy.deepcopy(EL_ARRIVAL)
        data["identity"]["surname"] = f"Garbi{i}"
        arrivals.append(RegisterArrival.model_validate(data))

    async def run() -> list[str]:
        store = AsyncStore(pg_services.engine, size=2)
        try:
            return await asyncio.gather(*(
                registry.register_arrival_json_async(pg_services, store, officer, arrivals[i % 6],
                                                     idempotency_key=f"k{i % 6}") for i in range(18)))
        finally:
            await store.close()

    answers = asyncio.run(run())
    records = {json.loads(a)["identity_record_id"] for a in answers}
    assert len(records) == 6
    with pg_services.engine.connect() as conn:
        rows = conn.execute(select(identity_comparisons)).fetchall()
    assert {r.identity_record_id for r in rows} == records
    assert all(r.compared_at is None and r.requested_by == "el-caseworker" for r in rows)
    assert _job(pg_services) == "6 identity records compared, 0 still pending"
    assert _job(pg_services) == "0 identity records compared, 0 still pending"


def test_a_command_line_registration_sent_again_is_not_compared_again(services, tmp_path):
    f = tmp_path / "arrival.json"
    f.write_text(json.dumps(EL_ARRIVAL))
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "el-caseworker"}
    first = runner.invoke(app, ["registry", "register", str(f), "--idempotency-key", "k1"], env=env)
    assert first.exit_code == 0, first.output
    before = _count(services, audit_log)
    again = runner.invoke(app, ["registry", "register", str(f), "--idempotency-key", "k1"], env=env)
    assert again.exit_code == 0 and again.stdout == first.stdout
    record = json.loads(first.stdout)["identity_record_id"]
    assert again.stderr == (f"identity comparison of {record}: already made; "
                            f"`pactum identity comparison {record}` shows its outcome\n")
    assert _count(services, audit_log) == before
