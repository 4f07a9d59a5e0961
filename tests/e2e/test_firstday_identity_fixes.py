"""First-day walk FD-01, FD-11 and FD-24 (identity links and the applications they join).

FD-01: a caseworker registered an applicant again under a second record; the platform linked the
two records (yellow) and yet "Make an asylum application" said nothing of the open application
under the other record, and after the link was verified white each person page listed only its
own case. The form now names the linked person's applications (a notice, not a refusal), the API's
answer carries the same in ``warnings``, and each person page lists the applications of the same
person under another record once a white or red link says they are one.

FD-11: one pair of persons waited in the queue as four links (one per pair of their records); a
decision on one left three near-identical links pending. The queue groups them by person pair and
one decision may settle them all (``apply_to_person_pair``), each audited and each a label.

FD-24: a link between two records born 2003-01-01 said "same year, both dates partial": 1 January
is read as an unknown day and month (placeholder date of birth), and the words now say so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from typer.testing import CliRunner

from pactum.identity.comparisons import DOB, level_words
from pactum.identity.features import features
from pactum.services import identity
from pactum.services.bootstrap import Services
from pactum.store.tables.identity import identity_links
from pactum.store.tables.platform import audit_log

Headers = Callable[[str], dict[str, str]]
LINKS = "/api/v1/identity/links"


def _register(client: TestClient, auth_headers: Headers, given: str, surname: str, nationality: str,
              on: str, person_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "identity": {"given_names": given, "surname": surname, "sex": "M", "date_of_birth": "2003-01-01",
                     "nationality": nationality},
        "encounter": {"member_state": "IT", "occurred_at": f"{on}T06:30:00Z", "kind": "sar_disembarkation",
                      "place": "Lampedusa"},
        "biometrics": {"captured_at": f"{on}T09:00:00Z", "transmitted_at": f"{on}T10:00:00Z"}}
    if person_id:
        body["person_id"] = person_id
    r = client.post("/api/v1/registry/arrivals", json=body, headers=auth_headers("it-caseworker"))
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def _link(services: Services, link_id: str, record: str, linked: str, *, colour: str = "yellow",
          status: str = "pending", explanation: dict[str, Any] | None = None) -> None:
    with services.engine.begin() as conn:
        conn.execute(insert(identity_links).values(
            id=link_id, record_id=record, linked_record_id=linked, colour=colour, status=status,
            verifying_authority="IT", match_probability=0.922,
            basis={"component": "national", "explanation": explanation or {}, "match_weight": 3.6},
            created_at=services.clock.now(), version=1))


def _apply(client: TestClient, auth_headers: Headers, person_id: str, made_on: str) -> dict[str, Any]:
    r = client.post("/api/v1/procedures/applications", headers=auth_headers("it-caseworker"), json={
        "person_id": person_id, "made_on": made_on, "context": "sar_disembarkation"})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


@pytest.fixture
def pair(client: TestClient, auth_headers: Headers, services: Services) -> dict[str, Any]:
    """Two Italian persons, Adel Othman born 2003-01-01 (EGY, then TUN), each with two records,
    joined by four yellow links (one per pair of their records), as the first-day walk found."""
    old1 = _register(client, auth_headers, "Adel", "Othman", "EGY", "2026-11-20")
    old2 = _register(client, auth_headers, "Adel", "Othman", "EGY", "2026-11-24", old1["person_id"])
    new1 = _register(client, auth_headers, "Adel", "Othman", "TUN", "2026-11-27")
    new2 = _register(client, auth_headers, "Adel", "Othman", "TUN", "2026-11-28", new1["person_id"])
    dob = {"date_of_birth": {"level": "same year, both dates partial", "weight": 6.81}}
    olds = [old1["identity_record_id"], old2["identity_record_id"]]
    news = [new1["identity_record_id"], new2["identity_record_id"]]
    ids = []
    for i, (n, o) in enumerate((n, o) for n in news for o in olds):
        ids.append(f"idl_fd_{i}")
        _link(services, ids[-1], n, o, explanation=dob)
    return {"old": old1["person_id"], "new": new1["person_id"], "links": ids}


def _decide(client: TestClient, auth_headers: Headers, link_id: str, colour: str, **extra: Any) -> Any:
    h = auth_headers("it-caseworker")
    version = client.get(f"{LINKS}/{link_id}", headers=h).json()["version"]
    return client.post(f"{LINKS}/{link_id}/decision", headers=h,
                       json={"colour": colour, "reason": "same person, compared the photos", "version": version, **extra})


# --- FD-11: one decision for the links between the same two persons ------------------------------


def test_the_queue_names_the_other_links_between_the_same_two_persons(client, auth_headers, pair):
    queue = {q["id"]: q for q in client.get(f"{LINKS}/queue", headers=auth_headers("it-caseworker")).json()}
    for link_id in pair["links"]:
        assert sorted(queue[link_id]["same_persons"]) == sorted(set(pair["links"]) - {link_id})


def test_one_decision_settles_every_pending_link_between_the_two_persons(client, auth_headers, services, pair):
    first, *others = pair["links"]
    r = _decide(client, auth_headers, first, "white", apply_to_person_pair=True)
    assert r.status_code == 200, r.text
    assert sorted(r.json()["also_decided"]) == sorted(others)
    h = auth_headers("it-caseworker")
    for link_id in pair["links"]:
        link = client.get(f"{LINKS}/{link_id}", headers=h).json()
        assert (link["colour"], link["status"], link["decided_by"]) == ("white", "verified", "it-caseworker")
    assert client.get(f"{LINKS}/queue", headers=h).json() == []
    with services.engine.connect() as conn:
        audited = {row.entity_id: row.after for row in conn.execute(
            select(audit_log.c.entity_id, audit_log.c.after).where(audit_log.c.action == identity.LINK_VERIFIED))}
        labels = identity.verified_labels(conn)
    assert set(audited) == set(pair["links"])
    assert all(audited[o]["with_link"] == first and audited[o]["colour"] == "white" for o in others)
    assert len(labels) == 4 and all(label["clerical_match_score"] == 1.0 for label in labels)


def test_without_the_option_a_decision_stays_one_links(client, auth_headers, pair):
    first, *others = pair["links"]
    r = _decide(client, auth_headers, first, "green")
    assert r.status_code == 200 and r.json()["also_decided"] == []
    queue = client.get(f"{LINKS}/queue", headers=auth_headers("it-caseworker")).json()
    assert sorted(q["id"] for q in queue) == sorted(others)


def test_the_queue_page_groups_the_pair_and_the_link_page_offers_to_decide_them_together(web_client, pair):
    w = web_client("it-caseworker")
    queue = w.get("/identity/queue").text
    assert "4 waiting, between 1 pair of persons" in queue
    assert "and 3 other links between these two persons" in queue
    first = pair["links"][0]
    page = w.get(f"/identity/links/{first}").text
    box = page.split('id="apply-to-pair"', 1)[1].split("</label>", 1)[0]
    assert "checked" in box and "Also decide the 3 other links between these two persons" in box
    r = w.post(f"/identity/links/{first}", data={"colour": "white", "reason": "same person, same photos",
                                                  "version": "1", "apply_to_person_pair": "on"})
    assert r.status_code == 200, r.text  # followed to the queue
    assert "with the 3 other links between the same two persons" in r.text
    assert "No link is waiting for verification." in r.text


def test_the_cli_decides_the_pair_with_an_option(services, pair, monkeypatch):
    from pactum.cli.main import app

    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_CLI_USER", "it-caseworker")
    body = json.dumps({"colour": "white", "reason": "same person", "version": 1})
    r = CliRunner().invoke(app, ["identity", "decide", pair["links"][0], "-", "--apply-to-person-pair"], input=body)
    assert r.exit_code == 0, r.output
    assert sorted(json.loads(r.output)["also_decided"]) == sorted(pair["links"][1:])


# --- FD-01: an application of the same person under another record -------------------------------


def test_making_an_application_names_the_linked_persons_application(client, auth_headers, web_client, pair):
    existing = _apply(client, auth_headers, pair["old"], "2026-11-26")
    page = web_client("it-caseworker").get(f"/procedures/new?person_id={pair['new']}")
    assert page.status_code == 200
    notice = page.text.split('id="linked-applications"', 1)[1].split("</div>", 1)[0]
    assert existing["id"] in notice and "made on 2026-11-26" in notice and "made" in notice
    assert "Verify the link first" in notice and "subsequent application" in notice
    # a notice, not a refusal: the application is made, and the API's answer says the same
    made = _apply(client, auth_headers, pair["new"], "2026-11-28")
    said = [w for w in made["warnings"] if existing["reference"] in w]
    assert len(said) == 1 and "verify the link first" in said[0] and "made on 2026-11-26" in said[0]
    assert said[0].startswith("a yellow link (") and "Adel Othman" in said[0]


def test_no_notice_without_a_link_or_once_the_link_says_two_persons(client, auth_headers, web_client, pair):
    existing = _apply(client, auth_headers, pair["old"], "2026-11-26")
    _decide(client, auth_headers, pair["links"][0], "green", apply_to_person_pair=True)
    page = web_client("it-caseworker").get(f"/procedures/new?person_id={pair['new']}").text
    assert 'id="linked-applications"' not in page
    made = _apply(client, auth_headers, pair["new"], "2026-11-28")
    assert not [w for w in made["warnings"] if existing["reference"] in w]


def test_each_person_page_lists_the_same_persons_applications_once_the_link_is_white(
        client, auth_headers, web_client, pair):
    old_case = _apply(client, auth_headers, pair["old"], "2026-11-26")
    new_case = _apply(client, auth_headers, pair["new"], "2026-11-28")
    w = web_client("it-caseworker")
    assert 'id="same-person-cases"' not in w.get(f"/registry/persons/{pair['new']}").text  # yellow: not yet
    _decide(client, auth_headers, pair["links"][0], "white", apply_to_person_pair=True)
    for person, other_case in ((pair["new"], old_case), (pair["old"], new_case)):
        page = w.get(f"/registry/persons/{person}").text
        section = page.split('id="same-person-cases"', 1)[1].split("</div>", 1)[0]
        assert "Applications of the same person under another record" in section
        assert other_case["id"] in section and "white" in section


# --- FD-24: the placeholder date of birth in the explanation -------------------------------------


def test_a_placeholder_date_is_said_to_be_read_as_an_unknown_day_and_month():
    both = level_words("date_of_birth", "same year, both dates partial", "2003-01-01", "2003-01-01")
    assert both == "same year; 1 January read as an unknown day and month on both records (placeholder date of birth)"
    one = level_words("date_of_birth", "same year, one date partial", "2003-01-01", "2003-06-14")
    assert one == ("same year; 1 January read as an unknown day and month (placeholder date of birth), "
                   "the other record gives a full date")
    year = level_words("date_of_birth", "year within 1, both dates partial", "2003-12-31", "2002")
    assert year.startswith("year within 1; 31 December read as an unknown day and month")
    assert year.endswith("the other record gives only the year")
    # partial dates that are no placeholder, and screens without the dates, keep the level's words
    assert level_words("date_of_birth", "same year, both dates partial", "2003", "2003-05") == \
        "same year, both dates partial"
    assert level_words("date_of_birth", "same year, both dates partial") == "same year, both dates partial"


def test_the_words_change_nothing_of_the_comparison():
    a = features({"member_state": "IT", "given_names": "Adel", "surname": "Othman", "date_of_birth": "2003-01-01"})
    b = features({"member_state": "IT", "given_names": "Adel", "surname": "Othman", "date_of_birth": "2003-01-01"})
    level = DOB.levels[len(DOB.levels) - 1 - DOB.level_of(a, b)]
    assert level.label == "same year, both dates partial"


def test_the_link_page_says_why_two_full_dates_compare_as_partial(web_client, pair):
    page = web_client("it-caseworker").get(f"/identity/links/{pair['links'][0]}").text
    evidence = page.split('id="evidence"', 1)[1].split("</table>", 1)[0]
    assert "1 January read as an unknown day and month on both records (placeholder date of birth)" in evidence
    assert "both dates partial" not in evidence
