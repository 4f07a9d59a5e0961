"""A Member State's officers' daily journeys through the web UI, as walked in a browser: each page
says what an action did and where the new thing is, leads on to the next step and back to the
person or case, and says a refusal in the form's own words next to what was refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from pactum.services import jobs
from pactum.services.bootstrap import Services

Login = Callable[[str], TestClient]


def _arrival(**overrides: str) -> dict[str, str]:
    data = {"surname": "Darwish", "given_names": "Ahmed", "surname_latin": "Darwish",
            "given_names_latin": "Ahmed", "sex": "M", "date_of_birth": "2003-05-12",
            "nationality": "SYR", "kind": "irregular_crossing", "occurred_at": "2026-11-27T10:00",
            "place": "Lampedusa"}
    data.update(overrides)
    return data


def _register(c: TestClient, **overrides: str) -> tuple[str, str]:
    """Register an arrival; the person's id and the person page's HTML."""
    r = c.post("/registry/register", data=_arrival(**overrides), follow_redirects=False)
    assert r.status_code == 303, r.text
    pid = re.search(r"/registry/persons/([^?]+)", r.headers["location"]).group(1)  # type: ignore[union-attr]
    return pid, c.get(r.headers["location"]).text


def _version(html: str, action: str) -> str:
    form = re.search(r'name="action" value="' + action + r'"><input type="hidden" name="version" value="(\d+)"', html)
    assert form, action
    return form.group(1)


def _case(c: TestClient, pid: str, nationality: str = "SYR") -> str:
    r = c.post("/procedures/new", data={"person_id": pid, "made_on": "2026-11-27", "registered_on": "2026-11-27",
                                        "context": "in_territory", "nationality": nationality},
               follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


# ---------------------------------------------------------------- caseworker: registration, screening


def test_a_refused_registration_names_the_fields_as_labelled_and_keeps_the_document_type(web_client: Login) -> None:
    c = web_client("it-caseworker")
    r = c.post("/registry/register", data=_arrival(nationality="SYX", document_type="identity_card",
                                                   document_number="ID99887"))
    assert r.status_code == 422
    errors = r.text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert "Nationality: &#39;SYX&#39; is not an ISO 3166 alpha-3 country code" in errors
    assert "Value error" not in errors
    # the issuing country left blank takes the nationality: its refusal is not said a second time
    assert errors.count("SYX") == 1
    assert '<option value="identity_card" selected>' in r.text  # the document type typed is kept


def test_the_search_shows_the_category_in_words(web_client: Login) -> None:
    c = web_client("it-caseworker")
    _register(c)
    results = c.get("/registry/search?name=darwish").text.split('id="results"', 1)[1]
    assert "<td>irregular crossing</td>" in results and "irregular_crossing" not in results


def test_the_person_and_the_screening_lead_on_to_the_asylum_application(web_client: Login) -> None:
    c = web_client("it-caseworker")
    pid, page = _register(c)
    screening_url = re.search(r'Next: <a href="(/registry/screenings/[^"]+)">complete the screening</a>', page)
    assert screening_url, "the registration notice leads to the open screening"
    assert f'href="/procedures/new?person_id={pid}&amp;screening_id=' in page
    url = screening_url.group(1)
    # answers saved without an outcome: the page says they were saved and the screening stays open
    r = c.post(url, data={"version": "1", "languages": "Arabic"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?saved=true")
    saved = c.get(r.headers["location"]).text
    assert "Screening answers saved; the screening stays open" in saved
    assert "Choosing an outcome completes the screening" in saved
    # the outcome completes it: the page says so and offers the application for this person
    r = c.post(url, data={"version": "2", "languages": "Arabic", "database_hit": "no", "outcome": "asylum"},
               follow_redirects=True)
    assert "Screening completed: outcome asylum." in r.text
    sid = url.rsplit("/", 1)[1]
    link = f'/procedures/new?person_id={pid}&amp;screening_id={sid}'
    assert f'Next: <a href="{link}">make the asylum application</a>' in r.text
    assert "<button type=\"submit\">Save</button>" not in r.text  # nothing left to save
    # the application form comes with the person, the screening and the person's nationality
    form = c.get(link.replace("&amp;", "&")).text
    assert f'name="person_id" value="{pid}"' in form and f'name="screening_id" value="{sid}"' in form
    assert re.search(r'name="nationality"[^>]*value="SYR"', form)
    assert '<option value="in_territory" >in territory</option>' in form  # contexts read as words


# ---------------------------------------------------------------- caseworker: the asylum case


def test_each_step_of_the_case_says_what_happened_and_a_refusal_sits_by_its_step(web_client: Login) -> None:
    c = web_client("it-caseworker")
    pid, _ = _register(c)
    url = _case(c, pid)
    assert url.endswith("?done=made")
    page = c.get(url).text
    assert "Application made and routed. The case is now <strong>registered</strong>" in page
    # the next step comes before the routing explanation: it is what the officer came to do
    assert page.index("<h2>Next steps</h2>") < page.index("<h2>Routing:")
    assert "<strong>Lodge the application</strong>" in page
    case = url.split("?")[0]
    r = c.post(f"{case}/act", data={"action": "lodge", "version": _version(page, "lodge"),
                                    "lodged_on": "2026-11-27"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=lodge")
    page = c.get(r.headers["location"]).text
    assert "Done: lodge the application. The case is now <strong>lodged</strong>" in page
    r = c.post(f"{case}/act", data={"action": "schedule_interview", "version": _version(page, "schedule_interview"),
                                    "interview_on": "2026-12-10", "language": "Arabic"}, follow_redirects=True)
    # an interview still to come is announced, not offered as held
    assert "Interview due on 2026-12-10" in r.text and 'value="hold_interview"' not in r.text
    r = c.post(f"{case}/act", data={"action": "schedule_interview", "version": _version(r.text, "schedule_interview"),
                                    "interview_on": "2026-11-28", "language": "Arabic"}, follow_redirects=True)
    # holding the interview in the future is refused next to that step, in the step's words
    r = c.post(f"{case}/act", data={"action": "hold_interview", "version": _version(r.text, "hold_interview"),
                                    "held_on": "2026-12-10", "interpreter_language": "Arabic"})
    assert r.status_code == 422
    step = r.text.split('name="action" value="hold_interview"', 1)[1].split("</form>", 1)[0]
    assert "Held on: cannot be after today (2026-11-28)" in step
    assert "Interpreter&#39;s language" in step and 'value="Arabic"' in step
    assert r.text.count("cannot be after today") == 1  # said once, by the step


def test_the_queue_filters_by_nationality(web_client: Login) -> None:
    c = web_client("it-caseworker")
    syrian = _case(c, _register(c)[0]).split("/")[-1].split("?")[0]
    afghan = _case(c, _register(c, surname="Rahimi", surname_latin="Rahimi", nationality="AFG")[0],
                   nationality="AFG").split("/")[-1].split("?")[0]
    queue = c.get("/procedures?nationality=syr").text
    assert syrian in queue and afghan not in queue
    assert re.search(r'name="nationality"[^>]*value="SYR"', queue)
    assert '<div class="card"><table id="queue">' in queue  # the table scrolls in its card on a narrow screen


# ---------------------------------------------------------------- identity: the links to verify


def test_deciding_a_link_is_confirmed_on_the_queue(web_client: Login) -> None:
    c = web_client("it-caseworker")
    _register(c)
    _, page = _register(c, surname="Darwich", surname_latin="Darwich", given_names="Ahmad",
                        given_names_latin="Ahmad")
    link = re.search(r'href="/identity/links/([^"]+)"', page)
    assert link, "the near-identical names make a yellow link"
    queue = c.get("/identity/queue").text
    assert "1 waiting" in queue
    link_page = c.get(f"/identity/links/{link.group(1)}").text
    assert '<a href="/identity/queue">Back to the links to verify</a>' in link_page
    # both records are the state's own: the officer can open each person to compare them
    persons = re.findall(r'<a href="/registry/persons/([^"]+)">open the person</a>', link_page)
    assert len(persons) == 2 and persons[0] != persons[1]
    assert f'<a href="/registry/persons/{persons[0]}">open the person</a>' in c.get(f"/registry/persons/{persons[1]}").text
    assert '<span class="badge yellow">yellow</span>' in link_page
    version = re.search(r'name="version" value="(\d+)"', link_page).group(1)  # type: ignore[union-attr]
    r = c.post(f"/identity/links/{link.group(1)}", data={"colour": "green", "reason": "different fathers",
                                                         "version": version}, follow_redirects=True)
    assert f'Recorded: <a href="/identity/links/{link.group(1)}">link {link.group(1)}</a> is now' in r.text
    assert "(different persons sharing similar data). 0 links still to verify." in r.text
    assert "0 waiting" in r.text


# ---------------------------------------------------------------- Dublin unit


#: The determination form as the officer fills it in (the API's facts, field by field).
FACTS_FORM = {
    "application.registered_in": "IT", "application.registered_on": "2026-11-20",
    "applicant.date_of_birth": "2003-05-12",
    "entries[0].kind": "irregular_crossing", "entries[0].member_state": "EL", "entries[0].on": "2026-10-01",
}


def test_the_dublin_case_and_its_request_say_what_was_done_with_readable_times(web_client: Login) -> None:
    it = web_client("it-dublin")
    r = it.post("/responsibility/cases", data={**FACTS_FORM, "reference": "IT-UXA-1",
                                               "applicant_name": "Ahmad Darwich", "save": "1"},
                follow_redirects=True)
    assert "Case IT-UXA-1 recorded: EL is responsible. Next: send the request below." in r.text
    timeline = r.text.split('id="timeline"', 1)[1]
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", timeline) and "UTC" in timeline
    case = re.search(r'action="(/responsibility/cases/[^"]+/requests)"', r.text).group(1)  # type: ignore[union-attr]
    r = it.post(case, data={"kind": "take_charge", "requested_member_state": "EL"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=sent")
    page = it.get(r.headers["location"]).text
    assert "Request sent. Status: <strong>awaiting reply</strong>; next deadline: reply" in page
    url = r.headers["location"].split("?")[0]
    el = web_client("el-dublin")
    version = re.search(r'name="action" value="accept"><input type="hidden" name="version" value="(\d+)"',
                        el.get(url).text).group(1)  # type: ignore[union-attr]
    page = el.post(url, data={"action": "accept", "version": version}, follow_redirects=True).text
    assert "Accepted: your state is responsible. Status: <strong>accepted</strong>" in page
    timeline = page.split('id="timeline"', 1)[1]
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", timeline)


def test_withdrawing_a_dublin_request_asks_the_officer_to_confirm(web_client: Login) -> None:
    it = web_client("it-dublin")
    r = it.post("/responsibility/cases", data={**FACTS_FORM, "reference": "IT-UXA-2",
                                               "applicant_name": "Ahmad Darwich", "save": "1"},
                follow_redirects=True)
    case = re.search(r'action="(/responsibility/cases/[^"]+/requests)"', r.text).group(1)  # type: ignore[union-attr]
    url = it.post(case, data={"kind": "take_charge", "requested_member_state": "EL"},
                  follow_redirects=False).headers["location"].split("?")[0]
    page = it.get(url).text
    form = page.split('name="action" value="withdraw"', 1)[1].split("</form>", 1)[0]
    assert '<input type="checkbox" name="confirm" required>' in form
    version = re.search(r'name="action" value="withdraw"><input type="hidden" name="version" value="(\d+)"',
                        page).group(1)  # type: ignore[union-attr]
    refused = it.post(url, data={"action": "withdraw", "version": version})
    assert refused.status_code == 422 and "Confirm: tick the box to confirm the withdrawal" in refused.text
    assert "awaiting reply" in it.get(url).text  # nothing withdrawn
    done = it.post(url, data={"action": "withdraw", "version": version, "confirm": "on"}, follow_redirects=True)
    assert "Request withdrawn." in done.text


# ---------------------------------------------------------------- return officers


def test_a_return_decision_keeps_its_grounds_when_refused_and_leads_back_to_the_person(
        web_client: Login, services: Services) -> None:
    pid, _ = _register(web_client("it-caseworker"))
    it = web_client("it-return")
    form = {"person_id": pid, "issued_on": "2026-11-28", "voluntary_departure_days": "30",
            "entry_ban_years": "9", "grounds": ["risk_of_absconding"]}
    r = it.post("/returns/decisions/new", data=form)
    assert r.status_code == 422 and "serious_threat" in r.text
    assert 'value="risk_of_absconding" checked>' in r.text  # the ground ticked is still ticked
    r = it.post("/returns/decisions/new", data={**form, "entry_ban_years": "3"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=issued")
    page = it.get(r.headers["location"]).text
    assert "Return decision issued; its return alert is entered in SIS. Status: <strong>issued</strong>" in page
    assert f'<a href="/registry/persons/{pid}">Ahmed Darwish</a>' in page
    decision = r.headers["location"].split("?")[0]
    alert_id = re.search(r"Return alert <small>([^<]+)</small>", page).group(1)  # type: ignore[union-attr]

    jobs.load_all()["identity_index"].fn(services, datetime(2026, 11, 28, 12, tzinfo=UTC))
    de = web_client("de-return")
    found = de.get("/returns/search", params={"surname": "Darwish", "given_names": "Ahmed",
                                              "date_of_birth": "2003-05-12"}).text
    assert f'name="alert_id" value="{alert_id}"' in found
    # a hit is a match with a person Germany encountered (SIS Reg. 2018/1861 Art 3(8)): registered first
    met, _ = _register(web_client("de-caseworker"), kind="illegal_stay", place="Munich",
                       occurred_at="2026-11-28T09:00")
    r = de.post("/returns/hits", data={"alert_id": alert_id, "place": "Munich", "local_person_id": met},
                follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=recorded")
    hit = r.headers["location"].split("?")[0]
    page = de.get(r.headers["location"]).text
    assert "Hit recorded: the alert and the decision are open to your state." in page
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", page) and "UTC at Munich" in page
    assert "/registry/persons/" not in page  # Germany sees Italy's decision, not Italy's person
    version = re.search(r'/recognise"><input type="hidden" name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    page = de.post(f"{hit}/recognise", data={"version": version}, follow_redirects=True).text
    assert "Decision recognised: your state may now enforce it." in page
    dec_version = re.search(r'name="version" value="(\d+)"><input type="hidden" name="return_decision_id"', page)
    departure = {"version": dec_version.group(1),  # type: ignore[union-attr]
                 "return_decision_id": decision.rsplit("/", 1)[1], "departed_on": "2026-11-28"}
    # the 30 days for voluntary departure run: no removal yet (Directive 2008/115/EC Art 8(1))
    refused = de.post(f"{hit}/departure", data={**departure, "mode": "enforced"})
    assert refused.status_code == 422 and "period for voluntary departure runs until" in refused.text
    page = de.post(f"{hit}/departure", data={**departure, "mode": "voluntary"}, follow_redirects=True).text
    assert "Departure confirmed: the return alert is deleted and the issuing state informed." in page
    # the deleted alert has left SIS: Germany no longer reads its personal data (Reg. 2018/1860 Art 14)
    assert "Darwish" not in page.split("Departure confirmed", 1)[1]


def _under_review(web_client: Login, outcome: str) -> tuple[str, str]:
    """A case of it-caseworker's, its decision drafted with ``outcome`` and submitted for review:
    its address and its page as the caseworker sees it."""
    c = web_client("it-caseworker")
    pid, _ = _register(c)
    case = _case(c, pid).split("?")[0]
    page = c.get(case).text
    for action, data in (("lodge", {"lodged_on": "2026-11-27"}),
                         ("schedule_interview", {"interview_on": "2026-11-28", "language": "Arabic"}),
                         ("hold_interview", {"held_on": "2026-11-28", "interpreter_language": "Arabic"}),
                         ("draft_decision", {"outcome": outcome, "reasons": "as examined"}),
                         ("submit_for_review", {})):
        r = c.post(f"{case}/act", data={"action": action, "version": _version(page, action), **data},
                   follow_redirects=True)
        assert r.status_code == 200, (action, r.text[-500:])
        page = r.text
    return case, page


def test_the_drafter_is_not_offered_the_approval_of_their_own_draft(web_client: Login) -> None:
    case, page = _under_review(web_client, "rejected_unfounded")
    assert 'name="action" value="approve"' not in page and 'id="four-eyes"' in page
    assert 'name="action" value="return_draft"' in page
    reviewer = web_client("it-reviewer").get(case).text
    assert 'name="action" value="approve"' in reviewer and 'id="four-eyes"' not in reviewer


def _decided(web_client: Login, outcome: str) -> str:
    """A case of it-caseworker's decided with ``outcome`` (reviewed by it-reviewer, a second
    caseworker: an administrator does not act on cases); its page, as
    the caseworker sees it."""
    case, _page = _under_review(web_client, outcome)
    reviewer = web_client("it-reviewer")
    page = reviewer.get(case).text
    r = reviewer.post(f"{case}/act", data={"action": "approve", "version": _version(page, "approve"),
                                           "decided_on": "2026-11-28"}, follow_redirects=True)
    assert r.status_code == 200, r.text[-400:]
    return web_client("it-caseworker").get(case).text


def test_a_rejection_is_notified_with_its_return_decision_unless_unticked(web_client: Login) -> None:
    page = _decided(web_client, "rejected_unfounded")
    notify = page.split('name="action" value="notify"', 1)[1].split("</form>", 1)[0]
    assert re.search(r'<input type="checkbox" name="with_return_decision" checked>', notify), notify
    # a grant has no return decision to issue: the box is not offered
    granted = _decided(web_client, "refugee_status")
    notify = granted.split('name="action" value="notify"', 1)[1].split("</form>", 1)[0]
    assert "with_return_decision" not in notify
