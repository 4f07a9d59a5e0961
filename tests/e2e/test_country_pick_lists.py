"""A caseworker registering an arrival from Eritrea need not know that its code is ERI: the
country fields offer every country by name and send its code; a name typed and sent instead is
refused with the code to write, never taken for one."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from pactum.common.countries import all_countries, country
from tests.e2e.test_web_journeys_national import _arrival, _register

Login = Callable[[str], TestClient]


def _datalist(html: str, list_id: str) -> dict[str, str]:
    body = html.split(f'<datalist id="{list_id}">', 1)[1].split("</datalist>", 1)[0]
    return dict(re.findall(r'<option value="([^"]+)">([^<]+)</option>', body))


def test_the_registration_form_offers_every_country_by_name_and_sends_its_code(web_client: Login) -> None:
    page = web_client("it-caseworker").get("/registry/register").text
    for field in ("nationality", "document_country"):
        tag = re.search(rf'<input name="{field}"[^>]*>', page).group(0)  # type: ignore[union-attr]
        assert 'list="countries"' in tag
        assert "maxlength" not in tag  # a name can be typed to find the country
    offered = _datalist(page, "countries")
    assert offered["ERI"] == "Eritrea" and offered["XXA"] == "Stateless" and offered["XXX"] == "Unknown"
    assert offered["XKX"] == "Kosovo" and offered["SYR"] == "Syria"
    assert len(offered) == len(all_countries()) > 240


def test_the_correction_form_offers_the_same_list(web_client: Login) -> None:
    c = web_client("it-caseworker")
    _, person = _register(c)
    record = re.search(r"/registry/records/([^/]+)/correct", person).group(1)  # type: ignore[union-attr]
    page = c.get(f"/registry/records/{record}/correct").text
    assert 'list="countries"' in re.search(r'<input name="nationality"[^>]*>', page).group(0)  # type: ignore[union-attr]
    assert _datalist(page, "countries")["AFG"] == "Afghanistan"


def test_a_country_typed_by_name_is_refused_with_the_code_to_write(web_client: Login) -> None:
    r = web_client("it-caseworker").post("/registry/register", data=_arrival(nationality="Eritrea"))
    assert r.status_code == 422
    assert "&#39;Eritrea&#39; is not an ISO 3166 alpha-3 country code: Eritrea is ERI" in r.text


@pytest.mark.parametrize(("typed", "said"), [
    ("sudan", "'sudan' is not an ISO 3166 alpha-3 country code: Sudan is SDN"),
    ("Stateless", "'Stateless' is not an ISO 3166 alpha-3 country code: Stateless is XXA"),
    # COG's name heads the DRC's ("Congo, The Democratic Republic of the"): no code is suggested
    ("Congo", "'Congo' is not an ISO 3166 alpha-3 country code"),
    ("ZZZ", "'ZZZ' is not an ISO 3166 alpha-3 country code"),
])
def test_a_name_is_refused_with_a_code_only_where_it_names_one_country(typed: str, said: str) -> None:
    with pytest.raises(ValueError) as refused:
        country(typed)
    assert str(refused.value) == said


def test_the_list_is_in_the_order_of_the_names() -> None:
    names = [c.name.casefold() for c in all_countries()]
    assert names == sorted(names)
    assert {c.alpha3 for c in all_countries()} >= {"XXA", "XXX", "XKX", "ERI", "AFG"}


def test_the_time_limits_calculator_offers_the_member_states_by_name(web_client: Login) -> None:
    page = web_client("it-caseworker").get("/law/time-limits").text
    assert 'list="member-states"' in re.search(r'<input type="text" name="member_state"[^>]*>', page).group(0)  # type: ignore[union-attr]
    states = _datalist(page, "member-states")
    assert states["EL"] == "Greece" and states["IT"] == "Italy" and states["CH"] == "Switzerland"


@pytest.mark.parametrize(("user", "path", "field", "list_id"), [
    ("it-caseworker", "/procedures/new", "first_country_of_asylum", "countries"),
    ("it-caseworker", "/procedures/new", "responsible_state", "member-states"),
    ("it-caseworker", "/procedures", "nationality", "countries"),
    ("it-return", "/returns/search", "nationality", "countries"),
    ("com-solidarity", "/solidarity/transfers", "origin", "member-states"),
])
def test_the_country_and_state_fields_of_the_daily_forms_offer_the_lists(web_client: Login, user: str, path: str,
                                                                          field: str, list_id: str) -> None:
    page = web_client(user).get(path)
    assert page.status_code == 200, path
    tag = re.search(rf'<input name="{field}"[^>]*>', page.text).group(0)  # type: ignore[union-attr]
    assert f'list="{list_id}"' in tag
    assert _datalist(page.text, list_id)  # the list the field names is on the page
