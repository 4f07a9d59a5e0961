"""The Dublin unit's pages: the case page shows the state responsible now beside the original
determination; refusals name the form's labels, not JSON fields; a refused request shows until when
a re-examination may be asked; "none identified" in the screening is nothing to check."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from pactum.responsibility.schemas import CaseCreate, RequestAction, RequestCreate
from pactum.services import responsibility
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.services.responsibility import _states_nothing

Login = Callable[[str], TestClient]


def _case(services: Services, who: Principal, ref: str, registered_on: str = "2026-11-20") -> dict:
    return responsibility.create_case(services, who, CaseCreate.model_validate({
        "reference": ref, "applicant_name": "Samir Haddad",
        "facts": {"application": {"registered_in": "DE", "registered_on": registered_on},
                  "entries": [{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-06-01"}]}}))


def test_the_case_page_shows_the_state_responsible_now(services: Services, web_client: Login,
                                                       principal: Callable[[str], Principal]) -> None:
    # registered 2026-08-20 (AMMR): the two months for a take-charge request ended on 2026-10-20
    case = _case(services, principal("de-caseworker"), "DE-NOW-W", registered_on="2026-08-20")
    de = web_client("de-dublin")
    page = de.get(f"/responsibility/cases/{case['id']}").text
    assert 'Responsible now: <strong id="responsible">DE</strong>' in page
    assert 'Originally determined: <strong id="determined">IT</strong>' in page
    assert "no take-charge request was sent to IT by 2026-10-20" in page
    assert 'id="no-request"' in page
    assert "<option selected>IT</option>" not in page  # the form no longer proposes IT
    listing = de.get("/responsibility/cases").text
    assert "<strong>DE</strong>" in listing


def test_request_refusals_name_the_form_labels(services: Services, web_client: Login,
                                              principal: Callable[[str], Principal]) -> None:
    case = _case(services, principal("de-caseworker"), "DE-LBL-1")
    de = web_client("de-dublin")
    url = f"/responsibility/cases/{case['id']}/requests"
    r = de.post(url, data={"kind": "take_charge", "requested_member_state": "IT", "hit_on": "2026-11-21"})
    assert r.status_code == 422
    assert "Eurodac hit: a hit date is given but no Eurodac hit is stated" in r.text
    r = de.post(url, data={"kind": "take_charge", "requested_member_state": "IT", "eurodac_hit": "on"})
    assert "Date of the Eurodac hit: the date of the Eurodac hit is required" in r.text
    r = de.post(url, data={"kind": "take_charge", "requested_member_state": "DE"})
    assert "To: is your own state (DE)" in r.text and "requested_member_state:" not in r.text
    r = de.post(url, data={"kind": "take_back_notification", "requested_member_state": "IT",
                           "eurodac_hit": "on", "hit_on": "2026-11-21"})
    assert "Take-back ground:" not in r.text and "Kind: a take-back notification needs its ground" in r.text
    assert "take_back_notification" not in r.text.split('role="alert"', 1)[-1].split("</div>", 1)[0]


def test_a_refusal_page_names_reasons_and_shows_the_reexamination_window(
        services: Services, web_client: Login, principal: Callable[[str], Principal]) -> None:
    case = _case(services, principal("de-caseworker"), "DE-LBL-2")
    req = responsibility.send_request(services, principal("de-dublin"), case["id"], RequestCreate(kind="take_charge"))
    it = web_client("it-dublin")
    r = it.post(f"/responsibility/requests/{req['id']}",
                data={"action": "refuse", "version": "1", "reasons": "x" * 4001})
    assert r.status_code == 422 and "Reasons: at most 4000 characters" in r.text
    assert "String should have" not in r.text
    responsibility.act(services, principal("it-dublin"), req["id"], "refuse",
                       RequestAction(version=1, reasons="No trace of the entry"))
    page = web_client("de-dublin").get(f"/responsibility/requests/{req['id']}").text
    assert "Re-examination may be requested until" in page and 'id="reexamination-window"' in page
    assert "1560/2003" in page


def test_none_identified_is_not_a_vulnerability() -> None:
    for nothing in ("none identified", "None identified.", "n/a", "no", "", None, "No vulnerability found",
                    "none"):
        assert _states_nothing(nothing), nothing
    for something in ("special reception needs", "pregnant", "brother in Germany"):
        assert not _states_nothing(something), something
