"""Text an awareness import would keep is refused when too long, never cut: the release's name
(at most 80 characters, the imports list shows it whole) and the origin or citizenship codes of a
Eurostat or UNHCR row (at most 20). Nothing is imported."""

from __future__ import annotations

from sqlalchemy import func, select

from pactum.store.tables.awareness import awareness_imports, awareness_series

UNHCR = "year,coo_iso,coa_iso,applied\n2024,SYR,DEU,300\n"
CSV = {"Content-Type": "text/csv"}


def _stored(services) -> tuple[int, int]:
    with services.engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(awareness_imports)).scalar(),
                conn.execute(select(func.count()).select_from(awareness_series)).scalar())


def test_a_release_name_beyond_80_characters_is_refused_naming_release(services, client, auth_headers):
    h = auth_headers("euaa-analyst") | CSV
    r = client.post("/api/v1/awareness/imports/unhcr", params={"release": "v" * 300}, content=UNHCR, headers=h)
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["query", "release"], "type": "value_error",
                                   "msg": "at most 80 characters (blanks around it dropped), this one has 300"}]
    assert _stored(services) == (0, 0)


def test_a_release_name_of_80_characters_is_kept_whole(services, client, auth_headers):
    h = auth_headers("euaa-analyst") | CSV
    name = "UNHCR refugees data " + "x" * 60
    r = client.post("/api/v1/awareness/imports/unhcr", params={"release": f"  {name}  "}, content=UNHCR, headers=h)
    assert r.status_code == 201 and r.json()["release"] == name
    assert client.get("/api/v1/awareness/imports", headers=h).json()[0]["release"] == name


def test_the_imports_page_says_it_beside_the_release_name(services, web_client):
    r = web_client("euaa-analyst").post("/awareness/imports/unhcr", data={"release": "v" * 300},
                                        files={"file": ("u.csv", UNHCR.encode(), "text/csv")})
    assert r.status_code == 422
    assert 'id="release-error-unhcr">at most 80 characters' in r.text
    assert _stored(services) == (0, 0)


def test_codes_longer_than_the_store_keeps_are_refused_naming_line_and_column(services, client, auth_headers):
    h = auth_headers("euaa-analyst") | CSV
    r = client.post("/api/v1/awareness/imports/unhcr", params={"release": "v1"}, headers=h,
                    content="year,coo_iso,coa_iso,applied\n2024," + "S" * 300 + ",DEU,300\n")
    assert r.status_code == 422
    (d,) = r.json()["detail"]
    assert d["loc"] == ["body", "line 2", "coo_iso"] or d["loc"][-1] == "coo_iso"
    assert "at most 20 characters, this one has 300" in d["msg"] and "S" * 41 not in d["msg"]
    r = client.post("/api/v1/awareness/imports/eurostat", params={"release": "v1"}, headers=h,
                    content="month,geo,citizen,asyl_app,persons\n2020-08,DE," + "C" * 30 + ",ASY_APP,5\n")
    assert r.status_code == 422
    (d,) = r.json()["detail"]
    assert d["loc"][-1] == "citizen" and "this one has 30" in d["msg"]
    assert _stored(services) == (0, 0)
