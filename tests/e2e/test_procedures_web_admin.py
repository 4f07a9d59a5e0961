"""The asylum-procedure actions the API and the command line offered and the web UI did not: the
safe-country lists in force on a day, with the form a state's (or an EU body's) administrator
designates a country on, and the import of a UNHCR decisions export on the decision statistics
page, for the analysts and administrators the service lets import."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pactum.services.bootstrap import Services
from pactum.store.tables.procedures import decision_statistics, safe_country_designations
from tests.conftest import unlabelled_fields

Login = Callable[[str], TestClient]
Headers = Callable[[str], dict[str, str]]

PAGE = "/procedures/safe-countries"
DESIGNATION = {"scope": "IT", "concept": "safe_country_of_origin", "country": "SEN",
               "valid_from": "2026-11-01", "valid_to": "",
               "reference": "Decreto interministeriale 7 ottobre 2026 (test)", "exclusion": "", "note": ""}
ROUTING = {"applied_on": "2026-11-20", "context": "in_territory", "nationality": "SEN"}
STATS = ("year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,"
         "dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n"
         "2025,Pakistan,PAK,PAK,Italy,ITA,ITA,G,FI,P,300,100,600,0,1000\n")


def _main(html: str) -> str:
    return html.split("<main", 1)[-1]


def _designations(services: Services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(safe_country_designations)).scalar() or 0)


def _statistics_rows(services: Services) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(decision_statistics)).scalar() or 0)


def _listed(client: TestClient, headers: dict[str, str], on: str = "2026-11-20") -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/procedures/safe-countries?on={on}", headers=headers)
    assert r.status_code == 200, r.text
    return [e for e in r.json() if e["country"] == "SEN"]


def _section(html: str, scope: str) -> str:
    found = re.search(rf'<section class="card" id="list-{scope}">(.*?)</section>', html, re.S)
    assert found, scope
    return found.group(1)


# --------------------------------------------------------------------------- safe countries



def _shown(html: str) -> str:
    """The page without the pick list of every country its country field offers."""
    return re.sub(r"<datalist .*?</datalist>", "", html, flags=re.S)

def test_a_states_administrator_designates_a_national_safe_country_for_their_state_only(
        services: Services, web_client: Login, client: TestClient, auth_headers: Headers) -> None:
    it = web_client("it-admin")
    page = it.get(PAGE)
    assert page.status_code == 200 and "<h1>Safe countries <small>in force on 2026-11-28</small></h1>" in page.text
    assert unlabelled_fields(page.text) == []
    # the EU list, with the act designating each country, and Italy's own list, empty so far
    eu = _section(page.text, "EU")
    assert "Bangladesh (BGD)" in eu and "safe country of origin" in eu and "Annex II" in eu
    assert "No country on the national list of Italy (IT) in force on 2026-11-28." in _section(page.text, "IT")
    # Italy's administrator maintains Italy's list only: the form offers no other
    form = re.search(r'<form method="post" action="/procedures/safe-countries".*?</form>', page.text, re.S)
    assert form and re.findall(r'<option value="([A-Z]+)"', form.group(0)) == ["IT"]
    assert "candidate country" not in form.group(0)

    r = it.post(PAGE, data=DESIGNATION, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith("/procedures/safe-countries?on=2026-11-28&designated=SEN")
    done = it.get(r.headers["location"])
    assert ("Designated: Senegal (SEN) as a safe country of origin on the national list of Italy (IT), "
            "from 2026-11-01") in done.text
    mine = _section(done.text, "IT")
    assert "Senegal (SEN)" in mine and "Decreto interministeriale 7 ottobre 2026 (test)" in mine
    assert "Senegal" not in _section(done.text, "EU")

    # the API lists it, as Italy's; the routing applies it in Italy and not in Germany
    listed = _listed(client, auth_headers("it-caseworker"))
    assert [(e["scope"], e["concept"], e["valid_from"], e["reference"]) for e in listed] == [
        ("IT", "safe_country_of_origin", "2026-11-01", DESIGNATION["reference"])]
    routed_it = client.post("/api/v1/procedures/routing", headers=auth_headers("it-caseworker"),
                            json={**ROUTING, "member_state": "IT"}).json()
    routed_de = client.post("/api/v1/procedures/routing", headers=auth_headers("de-caseworker"),
                            json={**ROUTING, "member_state": "DE"}).json()
    assert "safe_country_of_origin" in routed_it["grounds"]
    assert "safe_country_of_origin" not in routed_de["grounds"]
    # Germany's officers see the EU list and Germany's, not Italy's designation
    de = web_client("de-caseworker").get(PAGE)
    assert de.status_code == 200 and "Senegal" not in _shown(de.text) and 'id="list-IT"' not in de.text
    assert "No country on the national list of Germany (DE)" in de.text
    # an EU body sees every national list
    assert "Senegal (SEN)" in _section(web_client("euaa-analyst").get(PAGE).text, "IT")

    # the routing page that explains the ground links to the lists of the day
    routing = web_client("it-caseworker").post("/procedures/routing", data={**ROUTING, "member_state": "IT"})
    assert routing.status_code == 200
    assert '<a href="/procedures/safe-countries?on=2026-11-20">' in routing.text

    # a day before it applies, it is not in force
    before = it.get(PAGE + "?on=2026-10-31")
    assert "Senegal" not in _shown(before.text)


def test_a_refused_designation_keeps_what_was_typed_and_says_why_beside_the_field(
        services: Services, web_client: Login) -> None:
    it = web_client("it-admin")
    typed = {**DESIGNATION, "country": "QQQ", "valid_to": "2026-10-01", "note": "Ministry's note kept"}
    r = it.post(PAGE, data=typed)
    assert r.status_code == 422
    main = _main(r.text)
    assert "Nothing was designated" in main
    assert re.search(r'name="country"[^>]*value="QQQ"[^>]*aria-invalid="true"', main), main
    assert re.search(r'id="country-error">[^<]*QQQ[^<]*not an ISO 3166 alpha-3 country code', main), main
    assert re.search(r'name="valid_to" value="2026-10-01"[^>]*aria-invalid="true"', main)
    assert 'id="valid_to-error">ends before it starts' in main
    assert f'value="{DESIGNATION["reference"]}"' in main and "Ministry&#39;s note kept" in main
    assert re.search(r'<option value="safe_country_of_origin" selected>', main)
    assert _designations(services) == 0  # nothing written (the shipped lists are not even copied)

    # another state's list is not Italy's administrator's to keep
    r = it.post(PAGE, data={**DESIGNATION, "scope": "DE"})
    assert r.status_code == 422 and 'id="scope-error">you maintain the list of IT only' in r.text
    # a blank legal basis is named; a NUL character comes back on the page, the rest kept
    r = it.post(PAGE, data={**DESIGNATION, "reference": "  "})
    assert r.status_code == 422 and 'id="reference-error">name the act that designates the country' in r.text
    r = it.post(PAGE, data={**DESIGNATION, "note": "kept", "reference": "Decreto\x00 2026"})
    assert r.status_code == 422 and "Legal basis: must not contain the NUL character" in _main(r.text)
    assert 'value="Decreto 2026"' in r.text and 'value="SEN"' in r.text and 'value="kept"' in r.text
    assert _designations(services) == 0
    # a day that is no date is said beside the day's field
    r = it.get(PAGE + "?on=2026-02-30")
    assert r.status_code == 422 and 'id="on-error">a date YYYY-MM-DD' in r.text


def test_only_an_administrator_designates(services: Services, web_client: Login, client: TestClient,
                                         auth_headers: Headers) -> None:
    for who in ("it-caseworker", "it-analyst", "euaa-analyst"):
        c = web_client(who)
        page = c.get(PAGE)
        assert page.status_code == 200 and 'id="designation-form"' not in page.text, who
        r = c.post(PAGE, data=DESIGNATION)
        assert r.status_code == 403, who
        r = c.post(PAGE, data={**DESIGNATION, "note": "x\x00"})  # the form is not theirs: the error page
        assert r.status_code == 422 and 'id="designation-form"' not in r.text, who
    assert _designations(services) == 0 and _listed(client, auth_headers("it-caseworker")) == []
    # the EU body's administrator keeps the EU list (candidate countries too)
    eu = web_client("eu-admin")
    assert 'value="candidate_country"' in eu.get(PAGE).text
    r = eu.post(PAGE, data={**DESIGNATION, "scope": "EU", "reference": "Amending act to APR Annex II (test)"},
                follow_redirects=False)
    assert r.status_code == 303
    assert [e["scope"] for e in _listed(client, auth_headers("de-caseworker"))] == ["EU"]


# --------------------------------------------------------------------------- statistics import


def test_an_analyst_imports_a_unhcr_export_and_sees_its_figures(
        services: Services, web_client: Login, client: TestClient, auth_headers: Headers) -> None:
    euaa = web_client("euaa-analyst")
    page = euaa.get("/procedures/statistics")
    assert page.status_code == 200 and 'id="import-form"' in page.text and 'enctype="multipart/form-data"' in page.text
    assert unlabelled_fields(page.text) == []
    r = euaa.post("/procedures/statistics/import", data={"source": "UNHCR 2026 release"},
                  files={"file": ("unhcr.csv.gz", gzip.compress(STATS.encode()), "application/gzip")},
                  follow_redirects=False)
    assert r.status_code == 303, r.text
    shown = euaa.get(r.headers["location"])
    assert shown.status_code == 200
    notice = re.search(r'<p class="ok" role="status" id="imported">(.*?)</p>', shown.text, re.S)
    assert notice, shown.text
    said = " ".join(notice.group(1).split())
    assert "Imported from UNHCR 2026 release: 1 row (deciding state, citizenship and year) of 2025, for 1 citizenship" in said
    row = re.search(r"<tr><td>Pakistan \(PAK\)</td>(.*?)</tr>", shown.text)
    assert row and '<td class="num">1,000</td>' in row.group(1) and "40.0%" in row.group(1)
    # the API gives the same figures, and the routing's rate comes from them
    h = auth_headers("com-analyst")
    table = client.get("/api/v1/procedures/statistics?year=2025", headers=h).json()
    assert [(x["nationality"], x["total"], x["recognition_rate"]) for x in table["rows"]] == [("PAK", 1000, 40.0)]
    rate = client.get("/api/v1/procedures/recognition-rates/PAK?on=2026-11-20", headers=h).json()
    assert (rate["rate_percent"], rate["source"]) == (40.0, "UNHCR 2026 release first instance")
    # a plain CSV file is read too
    r = web_client("com-analyst").post("/procedures/statistics/import", data={"source": "UNHCR"},
                                      files={"file": ("unhcr.csv", STATS.encode(), "text/csv")})
    assert r.status_code == 200 and "Imported from UNHCR: 1 row" in " ".join(r.text.split())


def test_a_damaged_file_is_refused_saying_why_and_nothing_is_written(
        services: Services, web_client: Login, client: TestClient, auth_headers: Headers) -> None:
    h = auth_headers("euaa-analyst")
    before = client.get("/api/v1/procedures/statistics?year=2025", headers=h).json()
    euaa = web_client("euaa-analyst")
    cut = gzip.compress(STATS.encode() * 20)[:40]
    r = euaa.post("/procedures/statistics/import", data={"source": "UNHCR 2026 release"},
                  files={"file": ("unhcr.csv.gz", cut, "application/gzip")})
    assert r.status_code == 422
    main = _main(r.text)
    assert "Nothing was imported" in main
    assert 'id="import-file-error">a damaged or incomplete gzip file' in main
    assert 'value="UNHCR 2026 release"' in main and "File sent: unhcr.csv.gz" in main
    # a good first row does not go in when a later one is refused
    bad = STATS + "2025,Pakistan,PAK,PAK,France,FRA,FRA,G,FI,P,20.5,1,2,0,23\n"
    r = euaa.post("/procedures/statistics/import", data={"source": "UNHCR"},
                  files={"file": ("unhcr.csv", bad.encode(), "text/csv")})
    assert r.status_code == 422
    assert re.search(r'id="import-file-error">line 3, column dec_recognized: &#39;20.5&#39; is not a whole number', r.text)
    r = euaa.post("/procedures/statistics/import", data={"source": "UNHCR"},
                  files={"file": ("other.csv", b"a,b\n1,2\n", "text/csv")})
    assert r.status_code == 422 and "not a UNHCR decisions file: missing columns" in r.text
    # no file and no source: each said beside its field
    r = euaa.post("/procedures/statistics/import", data={"source": " "},
                  files={"file": ("", b"", "application/octet-stream")})
    assert r.status_code == 422
    assert 'id="import-file-error">choose the UNHCR export' in r.text
    assert 'id="import-source-error">name the source of the figures' in r.text
    assert _statistics_rows(services) == 0
    assert client.get("/api/v1/procedures/statistics?year=2025", headers=h).json() == before


def test_a_user_without_the_role_may_not_import(services: Services, web_client: Login) -> None:
    for who in ("it-caseworker", "it-dublin", "auditor"):
        c = web_client(who)
        page = c.get("/procedures/statistics")
        assert page.status_code == 200 and 'id="import-form"' not in page.text, who
        r = c.post("/procedures/statistics/import", data={"source": "UNHCR"},
                   files={"file": ("unhcr.csv", STATS.encode(), "text/csv")})
        assert r.status_code == 403, who
    assert _statistics_rows(services) == 0


def test_a_state_user_may_not_replace_the_eu_wide_statistics(
        services: Services, web_client: Login, client: TestClient, auth_headers: Headers) -> None:
    """The figures give the Union-wide recognition rate whose <= 20 % ground (APR Art 42(1)(j))
    routes every state's cases: an Italian analyst or administrator once replaced them for all."""
    for who in ("it-analyst", "it-admin"):
        c = web_client(who)
        page = c.get("/procedures/statistics")
        assert page.status_code == 200 and 'id="import-form"' not in page.text, who
        r = c.post("/procedures/statistics/import", data={"source": "UNHCR"},
                   files={"file": ("unhcr.csv", STATS.encode(), "text/csv")})
        assert r.status_code == 403 and "imported by an EU body; you act for IT only" in r.text, who
        r = client.post("/api/v1/procedures/statistics/import?source=UNHCR", content=STATS.encode(),
                        headers={**auth_headers(who), "Content-Type": "text/csv"})
        assert r.status_code == 403, who
        assert "the EU-wide decision statistics are imported by an EU body; you act for IT only" in r.text
    assert _statistics_rows(services) == 0
    assert 'id="import-form"' in web_client("eu-admin").get("/procedures/statistics").text


def test_the_api_refuses_a_source_or_an_exclusion_longer_than_the_store_keeps(
        services: Services, client: TestClient, auth_headers: Headers) -> None:
    """The web forms capped both at 60 characters; through the API a longer value reached the store
    (on PostgreSQL a 500). The services now refuse it, naming the field, and write nothing."""
    r = client.post("/api/v1/procedures/statistics/import?source=" + "U" * 61, content=STATS.encode(),
                    headers={**auth_headers("euaa-analyst"), "Content-Type": "text/csv"})
    assert r.status_code == 422 and "source" in r.text and _statistics_rows(services) == 0
    r = client.post("/api/v1/procedures/safe-countries", headers=auth_headers("it-admin"),
                    json={**DESIGNATION, "valid_to": None, "exclusion": "x" * 61})
    assert r.status_code == 422 and "exclusion" in r.text and _designations(services) == 0
    r = client.post("/api/v1/procedures/safe-countries", headers=auth_headers("it-admin"),
                    json={**DESIGNATION, "valid_to": None, "exclusion": "  armed conflict  "})
    assert r.status_code == 201 and r.json()["exclusion"] == "armed conflict"
