"""The asylum statistics beside the border data count what their label says: UNHCR's new
applications at first instance by persons in the EU+ (EU-27, Norway, Switzerland), not the UK,
appeals, repeat applications and cases added to them; Eurostat's figures keep their flags; each
series says how old its latest period is."""

from __future__ import annotations

import csv
import re
from datetime import date
from html import unescape

from pactum.common.states import MEMBER_STATES
from pactum.services import awareness
from pactum.services.auth import SYSTEM
from pactum.services.awareness import report as weekly
from pactum.services.awareness.series import UNHCR, data_path
from pactum.services.awareness.service import EU_PLUS_ISO3, external_summary, unhcr_category

HEADER = "year,coo_iso,coa_iso,procedure_type,app_type,dec_level,app_pc,applied\n"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _expected_from_the_shipped_file() -> dict[str, float]:
    """New applications (N) at first instance (FI, FA, NA) by persons in EU27 + NO + CH, read
    straight from the shipped CSV."""
    eu_plus = {s.iso3 for s in MEMBER_STATES.values() if s.kind == "eu"} | {"NOR", "CHE"}
    out: dict[str, float] = {}
    with data_path(UNHCR).open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if (r["coa_iso"] in eu_plus and r["app_type"] == "N" and r["dec_level"] in ("FI", "FA", "NA")
                    and r["app_pc"] == "P"):
                out[r["year"]] = out.get(r["year"], 0) + float(r["applied"])
    return out


def test_eu_plus_is_the_27_member_states_norway_and_switzerland():
    assert len(EU_PLUS_ISO3) == 29 and {"NOR", "CHE"} <= EU_PLUS_ISO3
    assert not {"GBR", "ISL", "LIE"} & EU_PLUS_ISO3


def test_the_shipped_unhcr_figure_counts_new_first_instance_applications_by_persons_in_the_eu_plus(services):
    awareness.import_release(services, SYSTEM, "unhcr", data_path(UNHCR).read_text(encoding="utf-8"), "v2025.12.1")
    with services.engine.connect() as conn:
        u = external_summary(conn, date(2026, 11, 28))["unhcr"]
    expected = _expected_from_the_shipped_file()
    assert u["year"] == "2025"
    assert u["total"] == expected["2025"] == 693_848  # not 1,285,146: every level, unit and the UK added up
    assert u["previous_year"] == expected["2024"] == 928_989  # not 1,361,448
    assert u["change_pct"] == -25.3  # not -5.6%
    assert u["countries"] == 29
    assert u["label"] == ("New asylum applications at first instance (persons), EU+ (the 27 EU Member States, "
                          "Norway and Switzerland) — UNHCR")
    # what UNHCR reports beside it, left out and said so: the whole release's year adds up
    left = {x["what"]: x["applications"] for x in u["left_out"]}
    assert left["outside the EU+ (United Kingdom, Iceland, Liechtenstein)"] == 168_185 + 2_124 + 70
    assert left["appeals and reviews (application type A, levels AR, JR)"] == 292_837
    assert u["reported_total"] == u["total"] + sum(left.values()) == 1_285_146
    assert u["top_origins"][0]["nationality"] == "VEN"
    assert u["freshness"]["months_old"] == 11 and not u["freshness"]["stale"]


def test_appeals_repeats_cases_and_the_uk_are_not_counted(client, auth_headers, web_client):
    release = HEADER + (
        "2025,SYR,DEU,G,N,FI,P,100\n"    # counted
        "2025,AFG,AUT,G,N,FA,P,40\n"     # counted: a new application, first instance and appeal together
        "2025,SYR,DEU,G,A,JR,P,500\n"    # judicial review
        "2025,SYR,DEU,G,R,RA,P,70\n"     # repeat
        "2025,UNK,GBR,G,A,AR,C,900\n"    # the UK, in cases
        "2025,IRN,GBR,G,N,FI,P,300\n"    # the UK
        "2025,IRN,FRA,G,N,FI,C,11\n"     # cases, not persons
        "2024,SYR,DEU,G,N,FI,P,200\n"
    )
    h = auth_headers("euaa-analyst")
    assert client.post("/api/v1/awareness/imports/unhcr?release=test", content=release,
                       headers=h | {"Content-Type": "text/csv"}).status_code == 201
    u = client.get("/api/v1/awareness/dashboard", headers=h).json()["external"]["unhcr"]
    assert (u["year"], u["total"], u["previous_year"], u["change_pct"]) == ("2025", 140, 200, -30.0)
    assert [t["nationality"] for t in u["top_origins"]] == ["SYR", "AFG"]
    assert u["reported_total"] == 1921
    page = _text(web_client("euaa-analyst").get("/awareness").text)
    assert "New asylum applications at first instance (persons), EU+ (the 27 EU Member States, Norway and " \
           "Switzerland) — UNHCR: 140 in 2025 (200 in 2024, -30.0%)" in page
    assert "Not counted, though UNHCR reports them for 2025: outside the EU+ (United Kingdom, Iceland, " \
           "Liechtenstein) 1,200; counted in cases, not persons 11; appeals and reviews" in page


def test_a_unhcr_release_without_its_breakdown_says_what_it_cannot_tell(client, auth_headers):
    release = "year,coo_iso,coa_iso,applied\n2025,SYR,DEU,100\n2025,SYR,GBR,50\n"
    h = auth_headers("euaa-analyst")
    assert client.post("/api/v1/awareness/imports/unhcr?release=test", content=release,
                       headers=h | {"Content-Type": "text/csv"}).status_code == 201
    u = client.get("/api/v1/awareness/dashboard", headers=h).json()["external"]["unhcr"]
    assert u["total"] == 100  # the UK is still left out
    assert "gives no application type, level or unit" in u["label"]


def test_a_unhcr_code_that_is_not_one_is_refused_by_line(client, auth_headers):
    release = HEADER + "2025,SYR,DEU,G,N,first instance,P,100\n"
    r = client.post("/api/v1/awareness/imports/unhcr?release=test", content=release,
                    headers=auth_headers("euaa-analyst") | {"Content-Type": "text/csv"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "line 2", "dec_level"]


def test_unhcr_categories():
    assert unhcr_category("DEU", "asylum_applications:G:N:FI:P") is None
    assert unhcr_category("DEU", "asylum_applications:U:N:FI:P") is None
    assert unhcr_category("GBR", "asylum_applications:G:N:FI:P").startswith("outside the EU+")
    assert unhcr_category("BGR", "asylum_applications:G:NR:FA:P").startswith("new and repeat")
    assert unhcr_category("DEU", "asylum_applications") is None  # no breakdown: nothing tells it apart


EUROSTAT = ("month,geo,citizen,asyl_app,persons,flag\n"
            "2019-08,EU27_2020,TOTAL,ASY_APP,54700,\n2020-07,EU27_2020,TOTAL,ASY_APP,39920,d\n"
            "2020-08,EU27_2020,TOTAL,ASY_APP,32320,d\n")


def test_eurostat_flags_are_kept_and_explained(client, auth_headers, web_client, services):
    h = auth_headers("frontex-analyst")
    assert client.post("/api/v1/awareness/imports/eurostat?release=Oct 2020", content=EUROSTAT,
                       headers=h | {"Content-Type": "text/csv"}).status_code == 201
    e = client.get("/api/v1/awareness/dashboard", headers=h).json()["external"]["eurostat"]
    assert e["change"]["value"] == 32320 and e["change"]["change_year_pct"] == -40.9
    assert e["flag"] == "d" and e["flags"] == {"2020-08": "d", "2020-07": "d"}
    assert e["flag_meanings"] == {"d": "definition differs (see Eurostat's metadata)"}
    assert e["freshness"] == {"latest_period": "2020-08", "months_old": 75, "stale": True,
                              "text": "latest data: August 2020 — 75 months old on 2026-11-28"}
    page = _text(web_client("frontex-analyst").get("/awareness").text)
    assert "32,320 (flag d) in 2020-08 (-40.9% on 54,700 a year earlier)" in page
    assert "d: definition differs (see Eurostat's metadata)" in page
    assert "latest data: August 2020 — 75 months old on 2026-11-28" in page
    # the weekly report (its HTML file and PDF are drawn from the same HTML) says the same
    html = _text(weekly.render_html(weekly.build(services, SYSTEM, "2026-W47")))
    assert "32,320 (flag d) in 2020-08" in html and "d: definition differs (see Eurostat's metadata)" in html
    assert "latest data: August 2020 — 75 months old on 2026-11-22" in html


def test_a_flag_eurostat_does_not_use_is_refused_by_line(client, auth_headers):
    bad = EUROSTAT + "2020-09,EU27_2020,TOTAL,ASY_APP,1,q\n"
    r = client.post("/api/v1/awareness/imports/eurostat?release=x", content=bad,
                    headers=auth_headers("frontex-analyst") | {"Content-Type": "text/csv"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "line 5", "flag"]
