"""The follow-up describes the annex to the letter of June 2023 (edition dated 23 June 2023): a file
cannot be recorded as the state of play before the annex it holds was written (nor after today),
and a report asked for a day before the first annex says there was no annex then, rather than
showing the 2023 one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pactum.followup import annex_data
from pactum.store.tables.followup import followup_item_versions

TEXT = {"Content-Type": "text/plain"}


def _versions(services) -> int:
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(followup_item_versions)).scalar()


@pytest.mark.parametrize("as_of", ["0001-01-01", "1000-01-01", "2020-01-01", "2023-06-22"])
def test_an_import_dated_before_the_annex_is_refused_naming_as_of(client, auth_headers, services, as_of):
    h = auth_headers("com-analyst") | TEXT
    r = client.post("/api/v1/followup/import", params={"format": "yaml", "as_of": as_of},
                    content=annex_data.shipped_text(), headers=h)
    assert r.status_code == 422, r.text
    (detail,) = r.json()["detail"]
    assert detail["loc"] == ["query", "as_of"]
    assert "before the annex's own date 2023-06-23" in detail["msg"]
    assert _versions(services) == 0  # nothing written


def test_an_import_dated_after_today_is_refused_naming_as_of(client, auth_headers, services):
    h = auth_headers("com-analyst") | TEXT
    r = client.post("/api/v1/followup/import", params={"format": "yaml", "as_of": "2026-11-29"},
                    content=annex_data.shipped_text(), headers=h)
    assert r.status_code == 422
    (detail,) = r.json()["detail"]
    assert detail["loc"] == ["query", "as_of"] and "future" in detail["msg"]
    assert _versions(services) == 0


def test_an_import_on_the_annex_date_or_later_is_taken(client, auth_headers):
    h = auth_headers("com-analyst") | TEXT
    r = client.post("/api/v1/followup/import", params={"format": "yaml", "as_of": "2023-06-23"},
                    content=annex_data.shipped_text(), headers=h)
    assert r.status_code == 200 and r.json()["valid_from"] == "2023-06-23"


def test_a_report_before_the_annex_says_there_was_no_annex_then(client, auth_headers):
    h = auth_headers("com-analyst")
    assert client.post("/api/v1/followup/load", headers=h).status_code == 200
    r = client.get("/api/v1/followup/report", params={"as_of": "1500-06-01"}, headers=h)
    assert r.status_code == 404
    assert r.json()["detail"] == "there was no annex on 1500-06-01: the follow-up starts with the annex of 2023-06-23"
    assert client.get("/api/v1/followup/report", params={"as_of": "2023-06-23"}, headers=h).status_code == 200


def test_an_edit_dated_before_the_first_annex_is_refused(client, auth_headers, services):
    h = auth_headers("com-analyst")
    assert client.post("/api/v1/followup/load", headers=h).status_code == 200
    versions = _versions(services)
    r = client.delete("/api/v1/followup/items/action/12.i", params={"version": 1, "valid_from": "1500-01-01"},
                      headers=h)
    assert r.status_code == 422
    (detail,) = r.json()["detail"]
    assert detail["loc"] == ["query", "valid_from"] and "before the first annex recorded" in detail["msg"]
    assert _versions(services) == versions


def test_the_web_import_names_its_date_field(web_client, services):
    c = web_client("com-analyst")
    r = c.post("/followup/import", data={"format": "yaml", "valid_from": "2020-01-01"},
               files={"file": ("annex.yaml", annex_data.shipped_text().encode(), "application/yaml")})
    assert r.status_code == 422
    assert "before the annex’s own date 2023-06-23" in r.text.replace("&#39;", "’").replace("'", "’")
    assert _versions(services) == 0
