"""The person page's possible matches: a multiple-identity link verified by another state is read
where it stands (Reg. (EU) 2019/818: the authority whose record is linked sees the link and its
decision), and the match explanation says what its levels mean."""

from __future__ import annotations

import re

from pactum.identity.comparisons import level_words
from pactum.identity.schemas import LinkDecision
from pactum.services import identity


def _register(c, ms_form: dict[str, str]) -> str:
    r = c.post("/registry/register", data=ms_form, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"].split("?")[0]


def _form(given: str, surname: str) -> dict[str, str]:
    return {"surname": surname, "given_names": given, "sex": "M", "date_of_birth": "1994-05-02",
            "nationality": "TUN", "kind": "in_territory_application", "occurred_at": "2026-11-20T09:00",
            "place": "Roma", "captured_at": "2026-11-20T10:00"}


def test_a_link_verified_by_another_state_is_read_on_the_person_page_not_opened(web_client, services, principal):
    it, el = web_client("it-caseworker"), web_client("el-caseworker")
    it_person = _register(it, _form("Walid", "Gharbi"))
    it.get(it_person)  # its page indexes the record for the search
    el_person = _register(el, {**_form("Walid", "Garbi"), "occurred_at": "2026-11-25T09:00",
                                 "captured_at": "2026-11-25T10:00", "place": "Athina"})
    el_page = el.get(el_person).text  # Greece's search finds Italy's applicant record and links it
    link_id = re.search(r'href="/identity/links/(IDL_[^"]+)"', el_page).group(1)
    link = identity.get_link(services, principal("el-caseworker"), link_id)
    identity.decide_link(services, principal("el-caseworker"), link_id, LinkDecision(
        colour="red", reason="same fingerprints, identity changed without reason", version=link["version"]))

    page = it.get(it_person).text
    assert f'href="/identity/links/{link_id}"' not in page  # Italy does not verify it: no dead link
    assert it.get(f"/identity/links/{link_id}").status_code == 404
    decision = page.split(f'id="link-{link_id}"', 1)[1].split("</div>", 1)[0]
    assert "verified by EL" in decision and "el-caseworker" in decision
    assert "same fingerprints, identity changed without reason" in decision
    assert 'badge red">red' in page
    # Greece, which verified it, still opens it
    assert f'href="/identity/links/{link_id}"' in el.get(el_person).text


def test_names_that_agree_after_folding_are_not_said_to_be_spelled_the_same(web_client):
    assert level_words("names", "same spelling") == "same name after folding transliteration variants"
    assert level_words("names", "null") == "not recorded on one or both records"
    assert level_words("sex", "same") == "same"
    it, el = web_client("it-caseworker"), web_client("el-caseworker")
    it.get(_register(it, _form("Walid", "Gharbi")))
    r = el.post("/registry/register", data={**_form("Walid", "Garbi"), "place": "Athina"}, follow_redirects=False)
    person, record = r.headers["location"].split("?registered=")
    # the officer's "Search for matches" shows the candidates with the evidence in words
    page = el.post(f"{person}/matches", data={"record_id": record}).text
    assert "Names: same name after folding transliteration variants" in page
    assert "same spelling" not in page
    link_id = re.search(r'href="/identity/links/(IDL_[^"]+)"', page).group(1)
    link_page = el.get(f"/identity/links/{link_id}").text
    assert "same name after folding transliteration variants" in link_page and "same spelling" not in link_page
    model = el.get("/identity/model").text
    assert "same name after folding transliteration variants <code>same spelling</code>" in model
