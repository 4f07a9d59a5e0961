"""A take-charge request to a state the determination does not designate rested on no criterion
(``criterion: null``, no legal basis). It now names the criterion of the hierarchy on which the
requested state is responsible (Dublin III Art 21(3); AMMR Art 39), refused (422 on
``criterion``) without one, with a code the regime's hierarchy does not have, or with one that
contradicts the determination for the designated state; the request carries that criterion and
its articles as the criteria engine cites them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pactum.common.clock import FixedClock
from pactum.common.errors import Conflict, ValidationProblem
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from tests.e2e.test_qa19_responsibility import _act, _case, _send  # an irregular crossing into Italy

Who = Callable[[str], Principal]
Headers = Callable[[str], dict[str, str]]
Login = Callable[[str], TestClient]
API = "/api/v1/responsibility"
D3 = "Regulation (EU) No 604/2013"
AMMR = "Regulation (EU) 2024/1351"

AMMR_CODES = ("unaccompanied_minor_family, unaccompanied_minor_relative, unaccompanied_minor_presence, "
              "dependent_persons, family_beneficiary, family_applicant, family_procedure, residence_document, "
              "visa, expired_documents, diploma, irregular_entry, sar_disembarkation, visa_waived_entry, "
              "airport_transit")
D3_CODES = ("unaccompanied_minor_family, unaccompanied_minor_relative, unaccompanied_minor_presence, "
            "dependent_persons, family_beneficiary, family_applicant, family_procedure, residence_document, "
            "visa, expired_documents, irregular_entry, sar_disembarkation, irregular_stay, visa_waived_entry, "
            "airport_transit")
REQUIRED_AMMR = ("is required: the determination designates IT, so a take-charge request to FR names the "
                 f"criterion on which FR is responsible ({AMMR}, Article 39(3)); "
                 f"one of {AMMR_CODES}")


def _move(services: Services, day: date) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime.combine(day, time(12, 0), tzinfo=clock.now().tzinfo))


def _refused(services: Services, principal: Who, case: dict[str, Any], **body: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationProblem) as exc:
        _send(services, principal, case, **body)
    return list(exc.value.problems)


def test_a_take_charge_to_another_state_needs_its_criterion_through_the_api(
        services: Services, principal: Who, client: TestClient, auth_headers: Headers) -> None:
    case = _case(services, principal("de-dublin"), "QA19-TC-1")
    url = f"{API}/cases/{case['id']}/requests"
    r = client.post(url, json={"kind": "take_charge", "requested_member_state": "FR"},
                    headers=auth_headers("de-dublin"))
    assert r.status_code == 422
    assert [(e["loc"], e["msg"]) for e in r.json()["detail"]] == [(["body", "criterion"], REQUIRED_AMMR)]
    # a code the AMMR's hierarchy does not have (irregular stay was dropped), or no code at all
    for code in ("irregular_stay", "relocation", "first_application", "visas"):
        r = client.post(url, json={"kind": "take_charge", "requested_member_state": "FR", "criterion": code},
                        headers=auth_headers("de-dublin"))
        assert r.status_code == 422
        assert [(e["loc"], e["msg"]) for e in r.json()["detail"]] == [
            (["body", "criterion"], f"{code} is not a criterion of the hierarchy under ammr; one of {AMMR_CODES}")]
    assert responsibility.get_case(services, principal("de-dublin"), case["id"])["requests"] == []
    # with its criterion: the request carries it and the engine's article for it
    r = client.post(url, json={"kind": "take_charge", "requested_member_state": "FR", "criterion": "visa"},
                    headers=auth_headers("de-dublin"))
    assert r.status_code == 201, r.text
    req = r.json()
    assert (req["criterion"], req["criterion_label"], req["legal_basis"]) == (
        "visa", "valid visa", [f"{AMMR}, Article 29(2)"])
    # FR sees what it is asked to check
    seen = client.get(f"{API}/requests/{req['id']}", headers=auth_headers("fr-dublin")).json()
    assert (seen["criterion"], seen["legal_basis"]) == ("visa", [f"{AMMR}, Article 29(2)"])


@pytest.mark.parametrize(("code", "basis"), [
    ("diploma", [f"{AMMR}, Article 30"]),
    ("family_beneficiary", [f"{AMMR}, Article 26"]),
    ("dependent_persons", [f"{AMMR}, Article 34(1)"]),
    ("unaccompanied_minor_family", [f"{AMMR}, Article 25(2)", f"{AMMR}, Article 25(3)"]),
    ("expired_documents", [f"{AMMR}, Article 29(4)"]),
])
def test_the_stored_legal_basis_is_the_engines_article_for_the_criterion(
        services: Services, principal: Who, code: str, basis: list[str]) -> None:
    case = _case(services, principal("de-dublin"), f"QA19-TC-{code}")
    req = _send(services, principal, case, requested_member_state="FR", criterion=code)
    assert (req["criterion"], req["legal_basis"]) == (code, basis)


def test_a_take_charge_to_the_designated_state_keeps_the_determination(services: Services,
                                                                      principal: Who) -> None:
    case = _case(services, principal("de-dublin"), "QA19-TC-2")
    assert _refused(services, principal, case, requested_member_state="IT", criterion="visa") == [(
        "criterion", "the determination designates IT on the criterion irregular_entry, not visa: leave the "
                     "criterion out or name irregular_entry")]
    assert _refused(services, principal, case, criterion="irregular_stay") == [(
        "criterion", f"irregular_stay is not a criterion of the hierarchy under ammr; one of {AMMR_CODES}")]
    named = _send(services, principal, case, requested_member_state="IT", criterion="irregular_entry")
    assert (named["criterion"], named["legal_basis"]) == ("irregular_entry", [f"{AMMR}, Article 33(1)"])


def test_left_out_for_the_designated_state_the_determinations_criterion_stands(services: Services,
                                                                              principal: Who) -> None:
    case = _case(services, principal("de-dublin"), "QA19-TC-3")
    req = _send(services, principal, case)
    assert (req["requested_member_state"], req["criterion"], req["legal_basis"]) == (
        "IT", "irregular_entry", [f"{AMMR}, Article 33(1)"])


def test_dublin_iii_lists_its_own_hierarchy(services: Services, principal: Who) -> None:
    _move(services, date(2026, 7, 15))  # within the three months from the lodging (Art 21(1))
    case = _case(services, principal("de-dublin"), "QA19-TC-4", registered_on="2026-06-20")
    assert case["determination"]["regime"] == "dublin_iii"
    assert _refused(services, principal, case, requested_member_state="FR") == [(
        "criterion", "is required: the determination designates IT, so a take-charge request to FR names the "
                     f"criterion on which FR is responsible ({D3}, Article 21(3)); one of {D3_CODES}")]
    assert _refused(services, principal, case, requested_member_state="FR", criterion="diploma") == [(
        "criterion", f"diploma is not a criterion of the hierarchy under dublin_iii; one of {D3_CODES}")]
    req = _send(services, principal, case, requested_member_state="FR", criterion="irregular_stay")
    assert (req["criterion"], req["criterion_label"], req["legal_basis"]) == (
        "irregular_stay", "irregular stay of at least five months", [f"{D3}, Article 13(2)"])


def test_a_request_that_cannot_be_sent_is_refused_before_its_criterion_is_read(services: Services, principal: Who) -> None:
    """Past the time limit the state of lodging is responsible (409): that comes before a criterion."""
    case = _case(services, principal("de-dublin"), "QA19-TC-10", registered_on="2026-06-20")
    with pytest.raises(Conflict, match=r"^the time limit for this request ended on 2026-09-21 .*: DE is "
                                       r"responsible \(Regulation \(EU\) No 604/2013, Article 21\(1\), third "
                                       r"subparagraph\)$"):
        _send(services, principal, case, requested_member_state="FR")
    to_it = _send(services, principal, case, kind="humanitarian", requested_member_state="IT",
                  consented_in_writing_on="2026-06-20")
    with pytest.raises(Conflict, match="already has a humanitarian-clause request to IT"):
        _send(services, principal, case, requested_member_state="FR")
    assert to_it["status"] == "pending"


def test_a_take_back_or_humanitarian_request_names_no_criterion(services: Services, principal: Who) -> None:
    case = _case(services, principal("de-dublin"), "QA19-TC-5", entries=[],
                 earlier_applications=[{"member_state": "IT", "registered_on": "2026-08-01"}])
    assert _refused(services, principal, case, kind="take_back_notification", eurodac_hit=True,
                    hit_on="2026-11-20", take_back_ground="indicated_responsible_in_eurodac",
                    criterion="first_application") == [(
        "criterion", "only a take charge names a criterion; a take-back notification rests on its take-back "
                     "ground (take_back_ground)")]
    assert _refused(services, principal, case, kind="humanitarian", requested_member_state="SE",
                    consented_in_writing_on="2026-11-02", criterion="family_beneficiary") == [(
        "criterion", "only a take charge names a criterion; a humanitarian-clause request rests on the humanitarian clause")]
    # unchanged: the take back rests on its ground, the humanitarian request on no criterion
    tb = _send(services, principal, case, kind="take_back_notification", eurodac_hit=True, hit_on="2026-11-20",
               take_back_ground="indicated_responsible_in_eurodac")
    assert (tb["criterion"], tb["legal_basis"]) == ("indicated_responsible_in_eurodac", [f"{AMMR}, Article 36(1)(b)"])


def test_a_humanitarian_request_is_unchanged(services: Services, principal: Who) -> None:
    case = _case(services, principal("de-dublin"), "QA19-TC-6")
    req = _send(services, principal, case, kind="humanitarian", requested_member_state="SE",
                consented_in_writing_on="2026-11-02")
    assert (req["criterion"], req["legal_basis"]) == (None, [])


def test_the_web_form_offers_the_criteria_in_words(services: Services, principal: Who,
                                                   web_client: Login) -> None:
    case = _case(services, principal("de-dublin"), "QA19-TC-7")
    de = web_client("de-dublin")
    page = de.get(f"/responsibility/cases/{case['id']}").text
    assert '<select name="criterion">' in page
    assert f'<option value="visa">valid visa ({AMMR}, Article 29(2))</option>' in page
    assert (f'<option value="irregular_entry">irregular entry across an external border ({AMMR}, '
            'Article 33(1))</option>') in page
    assert 'value="irregular_stay"' not in page  # not a criterion under the AMMR
    url = f"/responsibility/cases/{case['id']}/requests"
    bad = de.post(url, data={"kind": "take_charge", "requested_member_state": "FR"}, follow_redirects=False)
    assert bad.status_code == 422
    assert ("Criterion: is required: the determination designates IT, so a take-charge request to FR names "
            "the criterion on which FR is responsible") in bad.text
    assert "\u201cvalid visa\u201d" in bad.text  # the codes as the form words them
    assert '<option value="">—</option>' in bad.text
    ok = de.post(url, data={"kind": "take_charge", "requested_member_state": "FR", "criterion": "visa"},
                 follow_redirects=False)
    assert ok.status_code == 303, ok.text
    shown = de.get(ok.headers["location"]).text
    assert "valid visa" in shown and f"{AMMR}, Article 29(2)" in shown
    req = responsibility.get_case(services, principal("de-dublin"), case["id"])["requests"][0]
    assert (req["requested_member_state"], req["criterion"], req["legal_basis"]) == (
        "FR", "visa", [f"{AMMR}, Article 29(2)"])


def test_the_refused_web_form_keeps_the_criterion_typed(services: Services, principal: Who,
                                                        web_client: Login) -> None:
    case = _case(services, principal("de-dublin"), "QA19-TC-8")
    bad = web_client("de-dublin").post(
        f"/responsibility/cases/{case['id']}/requests",
        data={"kind": "take_charge", "requested_member_state": "IT", "criterion": "visa"}, follow_redirects=False)
    assert bad.status_code == 422
    assert ("Criterion: the determination designates IT on the criterion \u201cirregular entry across an "
            "external border\u201d, not \u201cvalid visa\u201d") in bad.text
    assert f'<option value="visa" selected>valid visa ({AMMR}, Article 29(2))</option>' in bad.text


def test_the_command_line_sends_the_criterion(services: Services, principal: Who, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from pactum.cli.main import app

    case = _case(services, principal("de-dublin"), "QA19-TC-9")
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "de-dublin")
    body = tmp_path / "request.json"
    body.write_text(json.dumps({"kind": "take_charge", "requested_member_state": "FR"}))
    out = CliRunner().invoke(app, ["responsibility", "request", case["id"], str(body)])
    assert out.exit_code == 2
    assert out.output.strip().splitlines() == [f"error: criterion: {REQUIRED_AMMR}"]
    body.write_text(json.dumps({"kind": "take_charge", "requested_member_state": "FR", "criterion": "visa"}))
    out = CliRunner().invoke(app, ["responsibility", "request", case["id"], str(body)])
    assert out.exit_code == 0, out.output
    sent = json.loads(out.output)
    assert (sent["criterion"], sent["legal_basis"]) == ("visa", [f"{AMMR}, Article 29(2)"])


def test_the_humanitarian_reply_deadline_is_checked_against_the_text_and_carries_no_mark(
        services: Services, principal: Who, web_client: Login) -> None:
    """The AMMR's humanitarian-clause reply period (two months from receipt of the request,
    Art 35(2)) has been checked against the text of the Regulation (ammr.humanitarian.reply is no
    longer unverified): the Dublin unit that reads the reply deadline sees no "awaits confirmation"
    mark, as for a take charge's reply deadline (AMMR Art 40(1))."""
    case = _case(services, principal("de-dublin"), "QA20-HUM-1")
    hum = _send(services, principal, case, kind="humanitarian", requested_member_state="SE",
                consented_in_writing_on="2026-11-02")
    assert hum["deadlines"]["reply"]["unverified"] is False
    page = web_client("de-dublin").get(f"/responsibility/requests/{hum['id']}").text
    assert 'id="reply-unverified"' not in page
    other = _case(services, principal("de-dublin"), "QA20-HUM-2")
    tc = _send(services, principal, other, requested_member_state="IT")
    assert tc["deadlines"]["reply"]["unverified"] is False
    assert 'id="reply-unverified"' not in web_client("de-dublin").get(f"/responsibility/requests/{tc['id']}").text


def test_the_dublin_iii_humanitarian_reply_checked_against_the_text_is_not_marked(
        services: Services, principal: Who, web_client: Login) -> None:
    """Dublin III's humanitarian-clause reply period (two months, Art 17(2), third subparagraph)
    has been read in the Official Journal text (dublin3.humanitarian.reply is no longer
    unverified): the Dublin unit that reads a humanitarian request's reply deadline on a case
    registered before the AMMR applied sees no "awaits confirmation" mark."""
    case = _case(services, principal("de-dublin"), "QA22-HUM-D3", registered_on="2026-05-04")
    assert case["determination"]["legal_basis"][0].startswith("Regulation (EU) No 604/2013")
    hum = _send(services, principal, case, kind="humanitarian", requested_member_state="SE",
                consented_in_writing_on="2026-05-04")
    assert hum["deadlines"]["reply"]["unverified"] is False
    assert hum["deadlines"]["reply"]["legal_basis"][0] == "Regulation (EU) No 604/2013, Article 17(2)"
    page = web_client("de-dublin").get(f"/responsibility/requests/{hum['id']}").text
    assert 'id="reply-unverified"' not in page


def test_a_deadline_resting_on_an_unverified_value_says_so_on_the_request_page(
        services: Services, principal: Who, web_client: Login) -> None:
    """The window to ask for a re-examination of a refusal under the AMMR (three weeks, taken over
    from Regulation 1560/2003 pending Implementing Regulation (EU) 2025/2055, which could not be
    read: ammr.reexamination.request is unverified in the law tree): the Dublin unit that reads the
    refused request sees that the window's legal value awaits confirmation."""
    case = _case(services, principal("de-dublin"), "QA22-REEX-AMMR")
    req = _send(services, principal, case, requested_member_state="IT")
    refused = _act(services, principal("it-dublin"), req, "refuse", reasons="No entry recorded")
    window = refused["deadlines"]["reexamination_request"]
    assert window["unverified"] is True
    page = web_client("de-dublin").get(f"/responsibility/requests/{refused['id']}").text
    assert "Re-examination may be asked until: " in page and "legal value awaiting confirmation" in page


def test_the_dublin_iii_reexamination_window_read_in_the_text_is_not_marked(
        services: Services, principal: Who, web_client: Login) -> None:
    """Dublin III's window to ask for a re-examination of a refusal (three weeks from receipt of
    the negative reply, Commission Regulation (EC) No 1560/2003, Art 5(2)) has been read in the
    text of the Regulation (dublin3.reexamination.request is no longer unverified): the Dublin unit
    that reads a refused request on a case registered before the AMMR applied sees the window, cited
    to Art 5(2), with no "awaits confirmation" mark, and its last day three weeks after the
    refusal."""
    _move(services, date(2026, 6, 1))  # within the three months of Dublin III Art 21(1)
    case = _case(services, principal("de-dublin"), "QA22-REEX-D3", registered_on="2026-05-04")
    assert case["determination"]["legal_basis"][0].startswith("Regulation (EU) No 604/2013")
    req = _send(services, principal, case, requested_member_state="IT")
    refused = _act(services, principal("it-dublin"), req, "refuse", reasons="No entry recorded")
    window = refused["deadlines"]["reexamination_request"]
    assert window["unverified"] is False
    assert window["legal_basis"][0].startswith("Commission Regulation (EC) No 1560/2003, Article 5(2)")
    assert refused["reexamination_request_due"] == "2026-06-22"  # refused on Mon 1 June + 3 weeks
    page = web_client("de-dublin").get(f"/responsibility/requests/{refused['id']}").text
    # named in words with the article it was read in
    assert ("Re-examination may be asked until: 2026-06-22 (3 weeks, Commission Regulation (EC) No 1560/2003, "
            "Article 5(2))") in page and "legal value awaiting confirmation" not in page
