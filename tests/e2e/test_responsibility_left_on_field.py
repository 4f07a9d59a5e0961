"""The day the person left the territory goes only with the grounds that take it.

A take-back notification (Regulation (EU) 2024/1351, Art 41(3)) is contested on a cessation of the
obligations of the state notified (an absence, Art 37(4); a departure under a return decision, Art
37(5); a residence document, Art 38(4), second subparagraph) or on a wrong indication in Eurodac of
the Member State responsible. Only the absence and the departure have a day of leaving: the server
refuses ``left_on`` with the others (422 on ``left_on``). Before, the contest (and refusal) form
showed "The person left the territory on" for every ground, a notification on Art 38(4) included,
where no ground offered takes it. Now the field's label names the grounds it goes with, the field is
left out where no ground offered takes one, and the site's script (layout.js, ``data-shown-with``)
hides and disables it while another ground is chosen; without the script the label and the server's
refusal say the same."""

from __future__ import annotations

import pytest

from pactum.services.responsibility import refusal_grounds
from tests.e2e.test_responsibility_contest_wrong_indication import EVIDENCE, november  # noqa: F401
from tests.e2e.test_responsibility_document_ends_notification import _case, _notify, _people

try:
    from .test_browser import ARGS, CHROMIUM, login_page, server
except ImportError:  # tests/e2e is not a package: pytest put its directory on sys.path
    from test_browser import ARGS, CHROMIUM, login_page, server  # type: ignore[no-redef]  # noqa: F401


def _contest_form(page: str) -> str:
    return page.split('id="refusal-ground-contest"')[1].split("</fieldset>")[0]


def test_the_grounds_say_which_take_a_day_of_leaving() -> None:
    eurodac = refusal_grounds("ammr", "take_back_notification", "indicated_responsible_in_eurodac")
    assert [(g["ground"], g["left_on"]) for g in eurodac] == [
        ("left_territory", True),
        ("returned", True),
        ("wrong_indication", False),
    ]
    during = refusal_grounds("ammr", "take_back_notification", "during_determination")
    assert [(g["ground"], g["left_on"]) for g in during] == [("residence_document", False)]


def test_the_contest_form_shows_the_day_of_leaving_with_an_absence_or_a_departure_only(
    client, auth_headers, services, web_client, november  # noqa: F811
) -> None:
    it_person, _ = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    req = _notify(client, auth_headers, case_id, "indicated_responsible_in_eurodac")
    web = web_client("de-dublin")
    form = _contest_form(web.get(f"/responsibility/requests/{req['id']}").text)
    field = form.split('id="left-on-contest"')[1].split("</label>")[0]
    assert 'data-shown-with="refusal_ground"' in field
    assert 'data-shown-values="left_territory returned"' in field
    assert "wrong_indication" not in field
    # the label says which grounds the day goes with, so the form reads right without the script
    assert (
        '(only with the grounds "the person left the territory of the Member States for at least 9 '
        'months" or "the person left the territory of the Member States under a return '
        'decision or removal order issued after the application was withdrawn or rejected"; leave it '
        "blank otherwise)"
    ) in field
    # typed anyway with a wrong indication (no script): refused on the field, saying why, all kept
    r = web.post(
        f"/responsibility/requests/{req['id']}",
        data={
            "action": "contest",
            "version": str(req["version"]),
            "reasons": "Not ours.",
            "refusal_ground": "wrong_indication",
            "evidence": EVIDENCE,
            "left_on": "2026-01-05",
        },
    )
    assert r.status_code == 422, r.text
    assert "not with a wrong indication in Eurodac" in r.text
    again = _contest_form(r.text)
    assert 'value="2026-01-05" aria-invalid="true"' in again.split('name="left_on"')[1].split(">")[0]


def test_no_day_of_leaving_on_a_notification_that_no_absence_ends(
    client, auth_headers, services, web_client, november  # noqa: F811
) -> None:
    it_person, _ = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    req = _notify(client, auth_headers, case_id, "during_determination")  # Art 38(4): a document only
    form = _contest_form(web_client("de-dublin").get(f"/responsibility/requests/{req['id']}").text)
    assert 'value="residence_document"' in form
    assert 'name="left_on"' not in form and "left the territory on" not in form


@pytest.mark.browser
def test_the_script_hides_the_day_while_another_ground_is_chosen(
    client, auth_headers, services, server, november  # noqa: F811
) -> None:
    from playwright.sync_api import sync_playwright

    it_person, _ = _people(client, auth_headers, services)
    case_id = _case(client, auth_headers, it_person)
    req = _notify(client, auth_headers, case_id, "indicated_responsible_in_eurodac")
    form = "form:has(#refusal-ground-contest)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = login_page(browser, server, "de-dublin", f"/responsibility/requests/{req['id']}")
        page.wait_for_load_state()
        day = page.locator(f"{form} input[name=left_on]")
        assert not day.is_visible()  # no ground chosen yet
        page.select_option(f"{form} select[name=refusal_ground]", "left_territory")
        assert day.is_visible() and day.is_enabled()
        day.fill("2026-01-05")
        page.select_option(f"{form} select[name=refusal_ground]", "returned")
        assert day.is_visible()
        page.select_option(f"{form} select[name=refusal_ground]", "wrong_indication")
        assert not day.is_visible() and day.is_disabled()
        # the day typed under another ground is not sent: the contest on the indication goes through
        page.fill(f"{form} textarea[name=reasons]", "Not ours.")
        page.fill(f"{form} input[name=evidence]", EVIDENCE)
        page.click(f"{form} button[type=submit]")
        page.wait_for_load_state()
        assert EVIDENCE in page.inner_text("#contest-ground")
        browser.close()
    out = client.get(f"/api/v1/responsibility/requests/{req['id']}", headers=auth_headers("it-dublin")).json()
    assert out["contest_ground"]["ground"] == "wrong_indication" and out["refusal_cessation"] is None
