"""The return officer is told when a return decision's person had their identity record corrected
after the decision was issued: the decision keeps the nationality and destination it recorded (the
return authority decides, Directive 2008/115/EC Art 3(3)), and its page, its API read and
``pactum returns show`` say what it recorded, what the record now says and when and by whom the
record was corrected; a destination that is the country of the nationality the correction removed
is marked. The lists of decisions (web, API, command line) find the decisions needing this review.

Italy registered Karim Trabelsi as Egyptian and issued a return decision to Egypt; on 3 September
its caseworker corrected his nationality to Tunisian once his passport was checked. Italy's
decision on Yusuf Haddad, whose record was not corrected, says nothing."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

try:
    from .test_returns_support import World, browser, cli, cli_world, get, make_world, post
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_returns_support import (  # type: ignore[no-redef]
        World,
        browser,
        cli,
        cli_world,
        get,
        make_world,
        post,
    )

CORRECTED_AT = datetime(2026, 9, 3, 10, 15, tzinfo=UTC)
REASON = "nationality corrected: Tunisian passport checked"


def _decision(world: World, person: str) -> dict[str, Any]:
    r = post(world, "it.returns", "/decisions", {"person_id": person, "issued_on": "2026-08-20",
                                                 "voluntary_departure_days": 7})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _story(world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    """Italy's decision to Egypt whose person's nationality was corrected to Tunisian after it,
    and Italy's decision on a person whose record was not corrected."""
    corrected = _decision(world, world.person("it.returns", surname="Trabelsi", nationality="EGY"))
    untouched = _decision(world, world.person("it.returns", surname="Haddad", nationality="TUN",
                                              given_names="Yusuf", date_of_birth="1988-11-14"))
    assert (corrected["nationality"], corrected["destination_country"]) == ("EGY", "EGY")
    world.clock.set(CORRECTED_AT)
    r = world.client.post(f"/api/v1/registry/records/{corrected['identity_record_id']}/corrections",
                          json={"changes": {"nationality": "TUN"}, "reason": REASON},
                          headers=world.headers("it.caseworker"))
    assert r.status_code == 200, r.text
    return corrected, untouched


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def test_the_api_read_says_what_the_decision_recorded_what_the_record_says_and_when(world: World) -> None:
    corrected, untouched = _story(world)
    d = get(world, "it.returns", f"/decisions/{corrected['id']}").json()
    assert (d["nationality"], d["destination_country"]) == ("EGY", "EGY")  # kept: the officer decides
    review = d["identity_review"]
    assert review["differences"] == [{"field": "nationality", "label": "nationality", "decision": "EGY",
                                      "record": "TUN"}]
    (correction,) = review["corrections"]
    assert (correction["at"][:10], correction["by"], correction["reason"]) == ("2026-09-03", "it.caseworker", REASON)
    assert review["destination_of_removed_nationality"] is True and review["destination_review"] is True
    assert "EGY (Egypt)" in review["words"] and "TUN (Tunisia)" in review["words"]
    assert get(world, "it.returns", f"/decisions/{untouched['id']}").json()["identity_review"] is None


def test_the_api_list_finds_the_decision_to_review_and_refuses_a_filter_that_is_not_one(world: World) -> None:
    corrected, untouched = _story(world)
    r = get(world, "it.returns", "/decisions?identity_review=true")
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "1"
    assert [(x["id"], x["identity_review_fields"]) for x in r.json()] == [(corrected["id"], ["nationality"])]
    every = {x["id"]: x["identity_review_fields"] for x in get(world, "it.returns", "/decisions").json()}
    assert every == {corrected["id"]: ["nationality"], untouched["id"]: []}
    bad = get(world, "it.returns", "/decisions?identity_review=perhaps")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "identity_review"]


def test_the_decision_page_tells_the_officer_and_links_the_destination_to_amend(world: World) -> None:
    corrected, untouched = _story(world)
    web = browser(world, "it.returns")
    page = web.get(f"/returns/decisions/{corrected['id']}")
    assert page.status_code == 200
    notice = page.text.split('id="identity-review"', 1)[1].split("</div>", 1)[0]
    assert "corrected after this decision was issued" in notice
    assert "Egypt (EGY)" in notice and "Tunisia (TUN)" in notice
    assert "Corrected on 2026-09-03 at 10:15 UTC by it.caseworker (IT): " + REASON in notice
    assert "Destination to review" in notice and "the nationality the correction removed" in notice
    assert 'href="#destination-amendment"' in notice and 'id="destination-amendment"' in page.text
    other = web.get(f"/returns/decisions/{untouched['id']}").text
    assert 'id="identity-review"' not in other and "Destination to review" not in other


def test_the_decision_list_filters_the_decisions_to_review(world: World) -> None:
    corrected, untouched = _story(world)
    web = browser(world, "it.returns")
    every = web.get("/returns/decisions").text
    assert f'id="review-{corrected["id"]}"' in every and f'id="review-{untouched["id"]}"' not in every
    only = web.get("/returns/decisions?review=yes")
    assert only.status_code == 200
    assert corrected["reference"] in only.text and untouched["reference"] not in only.text
    assert "1 decision whose person's record was corrected since" in html.unescape(only.text)
    refused = web.get("/returns/decisions?review=perhaps")
    assert refused.status_code == 422 and "'perhaps' is not a choice" in html.unescape(refused.text)
    assert untouched["reference"] in refused.text  # the whole list instead, the filter refused said


def test_a_destination_set_again_by_the_officer_is_no_longer_marked_as_the_removed_nationality(
        world: World) -> None:
    corrected, _ = _story(world)
    d = get(world, "it.returns", f"/decisions/{corrected['id']}").json()
    r = post(world, "it.returns", f"/decisions/{corrected['id']}/destination",
             {"version": d["version"], "destination_country": "TUN", "issued_on": "2026-09-03",
              "reasons": "Tunisian passport checked on 3 September 2026", "remedies": "appeal to the court"})
    assert r.status_code == 200, r.text
    review = r.json()["identity_review"]
    assert review["destination_country"] == "TUN" and review["destination_of_removed_nationality"] is False
    page = browser(world, "it.returns").get(f"/returns/decisions/{corrected['id']}").text
    assert "Destination to review" not in page and 'id="identity-review"' in page


def test_a_state_with_a_hit_does_not_read_the_issuing_states_record_review(world: World) -> None:
    corrected, _ = _story(world)
    met = world.met("de.returns", "Trabelsi")
    alert = world.find_alert("de.returns", "Trabelsi")
    assert alert == corrected["alert"]["id"]
    assert post(world, "de.returns", "/hits", {"alert_id": alert, "local_person_id": met}).status_code == 201
    assert get(world, "de.returns", f"/decisions/{corrected['id']}").json()["identity_review"] is None


def test_the_command_line_shows_the_notice_and_lists_the_decisions_to_review(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    corrected, untouched = _story(world)
    shown = cli(monkeypatch, "it.returns", "show", corrected["id"])
    assert shown.exit_code == 0, shown.output
    review = json.loads(shown.stdout)["identity_review"]
    assert [(x["decision"], x["record"]) for x in review["differences"]] == [("EGY", "TUN")]
    assert review["corrections"][0]["at"][:10] == "2026-09-03" and review["destination_of_removed_nationality"]
    other = cli(monkeypatch, "it.returns", "show", untouched["id"])
    assert json.loads(other.stdout)["identity_review"] is None
    listed = cli(monkeypatch, "it.returns", "decisions", "--identity-review")
    assert listed.exit_code == 0, listed.output
    assert [x["id"] for x in json.loads(listed.stdout)] == [corrected["id"]]


def test_the_queue_marks_the_decision_to_review_beside_the_others(world: World) -> None:
    corrected, untouched = _story(world)
    items = {x["id"]: x["identity_review_fields"] for g in get(world, "it.returns", "/queue").json()
             for x in g["decisions"]}
    assert items == {corrected["id"]: ["nationality"], untouched["id"]: []}
    page = browser(world, "it.returns").get("/returns").text
    mark = page.split(f'id="review-{corrected["id"]}"', 1)[1].split("</a>", 1)[0]
    assert "record corrected since: nationality" in mark
    assert f'id="review-{untouched["id"]}"' not in page


# --------------------------------------------------------------------------- the officer's review

REVIEWED_AT = datetime(2026, 9, 10, 9, 30, tzinfo=UTC)
NOTE = "destination set to TUN in the facts for removal: the passport is Tunisian"


def _review(world: World, officer: str, decision_id: str, note: str | None = NOTE,
            version: int | None = None) -> Any:
    """``officer`` records the review of the decision over the API (the version as read)."""
    if version is None:
        version = get(world, "it.returns", f"/decisions/{decision_id}").json()["version"]
    body: dict[str, Any] = {"version": version}
    if note is not None:
        body["note"] = note
    return post(world, officer, f"/decisions/{decision_id}/identity-reviewed", body)


def _correct_again(world: World, decision: dict[str, Any], changes: dict[str, Any], reason: str) -> None:
    world.clock.set(datetime(2026, 9, 17, 14, 0, tzinfo=UTC))
    r = world.client.post(f"/api/v1/registry/records/{decision['identity_record_id']}/corrections",
                          json={"changes": changes, "reason": reason}, headers=world.headers("it.caseworker"))
    assert r.status_code == 200, r.text


def test_the_officer_records_the_review_and_the_decision_leaves_the_lists_to_review(world: World) -> None:
    corrected, untouched = _story(world)
    before = get(world, "it.returns", f"/decisions/{corrected['id']}").json()
    assert before["identity_review"]["review_needed"] is True and before["identity_review"]["last_review"] is None
    world.clock.set(REVIEWED_AT)
    r = _review(world, "it.returns", corrected["id"])
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["version"] == before["version"] + 1
    assert (d["nationality"], d["destination_country"]) == ("EGY", "EGY")  # the review changes nothing recorded
    review = d["identity_review"]
    assert review["last_review"] == {"reviewed_by": "it.returns", "reviewed_at": REVIEWED_AT.isoformat(),
                                     "authority": "IT", "note": NOTE}
    assert review["review_needed"] is False and review["corrected_since_review"] is False
    assert review["differences"][0]["record"] == "TUN"  # the notice still says what differs
    assert "it.returns reviewed the decision against the record on 2026-09-10" in review["words"]
    # the lists no longer find it; its row still says which field differs
    listed = get(world, "it.returns", "/decisions?identity_review=true")
    assert listed.headers["X-Total-Count"] == "0" and listed.json() == []
    rows = {x["id"]: x for x in get(world, "it.returns", "/decisions").json()}
    assert rows[corrected["id"]]["identity_review_fields"] == ["nationality"]
    assert rows[corrected["id"]]["identity_review_needed"] is False
    assert rows[untouched["id"]]["identity_review_needed"] is False
    queued = {x["id"]: x for g in get(world, "it.returns", "/queue").json() for x in g["decisions"]}
    assert queued[corrected["id"]]["identity_review_needed"] is False
    web = browser(world, "it.returns")
    assert f'id="review-{corrected["id"]}"' not in web.get("/returns/decisions").text
    assert f'id="review-{corrected["id"]}"' not in web.get("/returns").text
    assert corrected["reference"] not in web.get("/returns/decisions?review=yes").text
    page = web.get(f"/returns/decisions/{corrected['id']}").text
    notice = page.split('id="identity-review"', 1)[1].split("</div>", 1)[0]
    assert "Reviewed</span> on 2026-09-10 at 09:30 UTC by it.returns (IT): " + html.escape(NOTE) in notice
    assert "No review is needed until the record is corrected again" in notice
    assert 'id="identity-review-form"' not in notice


def test_a_later_correction_of_the_nationality_puts_the_decision_for_review_again(world: World) -> None:
    corrected, _ = _story(world)
    world.clock.set(REVIEWED_AT)
    assert _review(world, "it.returns", corrected["id"]).status_code == 200
    # a correction of a field the decision does not record leaves the review standing
    _correct_again(world, corrected, {"place_of_birth": "Gabes"}, "place of birth corrected")
    assert get(world, "it.returns", "/decisions?identity_review=true").json() == []
    # the nationality corrected again: the decision needs review anew
    _correct_again(world, corrected, {"nationality": "DZA"}, "nationality corrected: Algerian passport")
    d = get(world, "it.returns", f"/decisions/{corrected['id']}").json()
    review = d["identity_review"]
    assert review["review_needed"] is True and review["corrected_since_review"] is True
    assert review["last_review"]["note"] == NOTE and review["differences"][0]["record"] == "DZA"
    listed = get(world, "it.returns", "/decisions?identity_review=true").json()
    assert [(x["id"], x["identity_review_needed"]) for x in listed] == [(corrected["id"], True)]
    web = browser(world, "it.returns")
    assert f'id="review-{corrected["id"]}"' in web.get("/returns/decisions").text
    notice = web.get(f"/returns/decisions/{corrected['id']}").text.split('id="identity-review"', 1)[1]
    notice = notice.split("</div>", 1)[0]
    assert "The record was corrected again since this review." in notice and 'id="identity-review-form"' in notice
    again = _review(world, "it.returns", corrected["id"], note="destination unchanged: EGY kept, he holds both")
    assert again.status_code == 200 and again.json()["identity_review"]["review_needed"] is False


def test_a_review_is_refused_naming_why(world: World) -> None:
    corrected, untouched = _story(world)
    version = get(world, "it.returns", f"/decisions/{corrected['id']}").json()["version"]
    for note in (None, "   "):  # no note: what the officer decided is the review
        r = _review(world, "it.returns", corrected["id"], note=note)
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "note", r.text
    stale = _review(world, "it.returns", corrected["id"], version=version - 1)
    assert stale.status_code == 409 and "changed by someone else" in stale.json()["detail"]
    nothing = _review(world, "it.returns", untouched["id"])
    assert nothing.status_code == 409
    assert "the record has not been corrected since the decision" in nothing.json()["detail"]
    assert _review(world, "it.returns", corrected["id"], version=version).status_code == 200
    twice = _review(world, "it.returns", corrected["id"])
    assert twice.status_code == 409 and "already reviewed after the last correction" in twice.json()["detail"]
    # nothing of the refused attempts was written: one review, the version moved on once
    d = get(world, "it.returns", f"/decisions/{corrected['id']}").json()
    assert d["version"] == version + 1 and d["identity_review"]["last_review"]["note"] == NOTE


def test_another_state_a_caseworker_and_a_closed_decision_are_refused(world: World) -> None:
    corrected, _ = _story(world)
    version = get(world, "it.returns", f"/decisions/{corrected['id']}").json()["version"]
    assert _review(world, "fr.returns", corrected["id"], version=version).status_code == 404  # no hit: not seen
    met = world.met("de.returns", "Trabelsi")
    alert = world.find_alert("de.returns", "Trabelsi")
    assert post(world, "de.returns", "/hits", {"alert_id": alert, "local_person_id": met}).status_code == 201
    assert _review(world, "de.returns", corrected["id"], version=version).status_code == 403  # seen, not its own
    assert _review(world, "it.caseworker", corrected["id"], version=version).status_code == 403
    withdrawn = post(world, "it.returns", f"/decisions/{corrected['id']}/withdraw",
                     {"version": version, "reason": "annulled by the court"})
    assert withdrawn.status_code == 200, withdrawn.text
    closed = _review(world, "it.returns", corrected["id"])
    assert closed.status_code == 409 and "no longer to be enforced" in closed.json()["detail"]


def test_the_command_line_records_the_review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    world = cli_world(tmp_path, monkeypatch)
    corrected, _ = _story(world)
    version = json.loads(cli(monkeypatch, "it.returns", "show", corrected["id"]).stdout)["version"]
    refused = cli(monkeypatch, "it.returns", "identity-reviewed", corrected["id"], "-",
                  stdin=json.dumps({"version": version}))
    assert refused.exit_code == 2 and "note" in refused.output
    done = cli(monkeypatch, "it.returns", "identity-reviewed", corrected["id"], "-",
               stdin=json.dumps({"version": version, "note": NOTE}))
    assert done.exit_code == 0, done.output
    review = json.loads(done.stdout)["identity_review"]
    assert review["last_review"]["note"] == NOTE and review["review_needed"] is False
    listed = cli(monkeypatch, "it.returns", "decisions", "--identity-review")
    assert listed.exit_code == 0 and json.loads(listed.stdout) == []
    twice = cli(monkeypatch, "it.returns", "identity-reviewed", corrected["id"], "-",
                stdin=json.dumps({"version": version + 1, "note": NOTE}))
    assert twice.exit_code == 2 and "already reviewed" in twice.output


def test_the_decision_page_form_records_the_review(world: World) -> None:
    corrected, _ = _story(world)
    d = get(world, "it.returns", f"/decisions/{corrected['id']}").json()
    reader = browser(world, "it.caseworker").get(f"/returns/decisions/{corrected['id']}").text
    assert 'id="identity-review"' in reader and 'id="identity-review-form"' not in reader  # only who may act
    web = browser(world, "it.returns")
    page = web.get(f"/returns/decisions/{corrected['id']}").text
    form = page.split('id="identity-review-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="note"' in form and "What you decided" in form and "Record the review" in form
    refused = web.post(f"/returns/decisions/{corrected['id']}/identity-reviewed", follow_redirects=False,
                       data={"version": d["version"], "note": " "})
    assert refused.status_code == 422 and "What you decided" in html.unescape(refused.text)
    world.clock.set(REVIEWED_AT)
    r = web.post(f"/returns/decisions/{corrected['id']}/identity-reviewed", follow_redirects=False,
                 data={"version": d["version"], "note": NOTE})
    assert r.status_code == 303, r.text
    shown = web.get(r.headers["location"]).text
    assert "Review against the corrected record recorded." in shown
    notice = shown.split('id="identity-review"', 1)[1].split("</div>", 1)[0]
    assert "by it.returns (IT): " + html.escape(NOTE) in notice and 'id="identity-review-form"' not in notice
