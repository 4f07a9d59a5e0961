"""Bad input found by a QA walk of the promise "bad input always gets a clear error naming what is
wrong, nothing half-written": each of these answered 500 or stored what no store should hold."""

from __future__ import annotations

from sqlalchemy import func, select

from pactum.common.limits import STORE_INTEGER_MAX
from pactum.store.tables.platform import audit_log
from tests.e2e.test_registry_screening import _screening

TWO_TO_64 = str(2**64)


def _count(services, table) -> int:
    with services.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _locs(response) -> list[tuple]:
    return [tuple(e["loc"]) for e in response.json()["detail"]]


# ----------------------------------------------------------------- periods beyond the calendar

def test_a_take_charge_request_whose_month_ends_after_year_9999_names_event_at(client, auth_headers):
    """A month counted from 9999-12-30 ends in January 10000: "year 10000 is out of range" was a
    500 (``_shift_months`` raised ValueError, not the OverflowError the period catches)."""
    headers = auth_headers("it-caseworker")
    for event_at in ("9999-12-30", "9999-12-31", "9999-12-15"):
        r = client.post("/api/v1/law/time-limits", headers=headers, json={
            "kind": "take_charge_request", "event_at": event_at, "member_state": "IT",
            "application_registered_on": "2026-11-01", "eurodac_hit": True})
        assert r.status_code == 422, r.text
        assert _locs(r) == [("body", "event_at")] and "the calendar holds" in r.text


def test_a_period_in_months_beyond_either_end_of_the_calendar_is_one_problem_of_start():
    from datetime import date

    import pytest

    from pactum.common.errors import ValidationProblem
    from pactum.law.periods import compute_period

    for start, amount, unit, backwards in ((date(9999, 12, 30), 1, "months", False),
                                           (date(9990, 6, 1), 10, "years", False),
                                           (date(1, 1, 15), 1, "months", True)):
        with pytest.raises(ValidationProblem) as refused:
            compute_period(start, amount, unit, "DE", backwards=backwards)
        assert [f for f, _ in refused.value.problems] == ["start"]


# ----------------------------------------------------------------- the audit log to the last day

def test_the_audit_log_until_the_calendar_s_last_day_lists_every_entry(client, auth_headers):
    """``until + 1 day`` overflowed at 9999-12-31 (500 on /audit and /audit.csv): the last day of
    the calendar bounds nothing, so every entry is listed, as with no ``until``."""
    h = auth_headers("eu-admin")
    everything = client.get("/api/v1/audit", headers=h)
    assert everything.status_code == 200 and everything.json()
    r = client.get("/api/v1/audit?until=9999-12-31", headers=h)
    assert r.status_code == 200, r.text
    assert r.json() == everything.json()
    csv = client.get("/api/v1/audit.csv?until=9999-12-31", headers=h)
    assert csv.status_code == 200 and csv.text == client.get("/api/v1/audit.csv", headers=h).text


# ----------------------------------------------------------------- whole numbers in the address

def test_a_version_beyond_64_bits_in_the_query_is_422_naming_it(client, auth_headers, services):
    """``DELETE …?version=18446744073709551616`` reached SQLite ("Python int too large to convert
    to SQLite INTEGER", a 500)."""
    h = auth_headers("com-analyst")
    assert client.post("/api/v1/followup/load", headers=h).status_code == 200
    before = _count(services, audit_log)
    for version in (TWO_TO_64, str(STORE_INTEGER_MAX + 1), "-" + TWO_TO_64, "1" + "0" * 5000):
        r = client.delete("/api/v1/followup/items/action/12.a", params={"version": version}, headers=h)
        assert r.status_code == 422, r.text
        assert _locs(r) == [("query", "version")] and "whole number between" in r.text
    assert _count(services, audit_log) == before
    # within the bound the route answers as before (a stale version is a conflict, not a 500)
    r = client.delete("/api/v1/followup/items/action/12.a", params={"version": str(10**18)}, headers=h)
    assert r.status_code == 409, r.text


def test_other_whole_number_query_parameters_are_bounded_too(client, auth_headers, web_client):
    r = client.get(f"/api/v1/audit?before_seq={TWO_TO_64}", headers=auth_headers("eu-admin"))
    assert r.status_code == 422 and _locs(r) == [("query", "before_seq")]
    # text that is no whole number is still the route's own refusal, and a text parameter of
    # digits is no number at all
    r = client.get("/api/v1/audit?before_seq=abc", headers=auth_headers("eu-admin"))
    assert r.status_code == 422 and "valid integer" in r.text
    r = client.get(f"/api/v1/audit?entity_id={TWO_TO_64}", headers=auth_headers("eu-admin"))
    assert r.status_code == 200 and r.json() == []


# ----------------------------------------------------------------- NUL in bodies of every type

def test_nul_in_a_json_body_of_any_json_type_or_case_is_refused(client, auth_headers):
    h = auth_headers("it-caseworker")
    url = _screening(client, auth_headers)
    for ctype in ("APPLICATION/JSON", "application/merge-patch+json", "Application/Json; charset=utf-8"):
        r = client.patch(url, content=b'{"version": 1, "languages": "a\\u0000r"}',
                         headers={**h, "Content-Type": ctype})
        assert r.status_code == 422, (ctype, r.text)
        assert _locs(r) == [("body", "languages")] and "NUL" in r.text
        # the 64-bit guard runs for these types as well
        r = client.patch(url, content=f'{{"version": {TWO_TO_64}}}'.encode(),
                         headers={**h, "Content-Type": ctype})
        assert r.status_code == 422 and _locs(r) == [("body", "version")], (ctype, r.text)
    stored = client.get(url, headers=h).json()
    assert stored["version"] == 1 and "\x00" not in str(stored)


def test_nul_in_a_csv_or_yaml_body_is_refused_naming_line_and_column(client, auth_headers, services):
    reception = {**auth_headers("es-caseworker"), "Content-Type": "text/csv"}
    unhcr = {**auth_headers("frontex-analyst"), "Content-Type": "text/csv"}
    analyst = auth_headers("com-analyst")
    before = _count(services, audit_log)
    header = "reported_on,period,open_places,open_accommodated,waiting_list"
    r = client.post("/api/v1/reception/reports/import", headers=reception,
                    content=f"{header}\n2026-11-09,we\x00ek,500,450,0\n".encode())
    assert r.status_code == 422, r.text
    assert _locs(r) == [("body",)]
    assert "line 2, column 14" in r.text and "NUL" in r.text
    r = client.post("/api/v1/awareness/imports/unhcr?release=2025", headers=unhcr,
                    content=b"Year,Country of origin\n2024,Sy\x00ria\n")
    assert r.status_code == 422 and "line 2, column 8" in r.text
    for fmt, ctype in (("yaml", "text/plain"), ("csv", "text/csv"), ("yaml", "application/yaml")):
        r = client.post(f"/api/v1/followup/import?format={fmt}", headers={**analyst, "Content-Type": ctype},
                        content=b"edition: x\ntitle: a\x00b\n")
        assert r.status_code == 422 and "line 2, column 9" in r.text, (fmt, ctype, r.text)
    # a raw NUL byte is no form either
    r = client.post("/api/v1/reception/reports/import", content=b"a=b\x00c",
                    headers={**reception, "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 422 and "NUL" in r.text
    assert _count(services, audit_log) == before


def test_a_gzip_body_may_hold_nul_bytes(client, auth_headers):
    """A compressed UNHCR export is bytes, not text: its NUL bytes are no reason to refuse it."""
    import gzip

    body = gzip.compress(b"Year,Country of origin\n")
    assert b"\x00" in body
    r = client.post("/api/v1/procedures/statistics/import?source=UNHCR", content=body,
                    headers={**auth_headers("euaa-analyst"), "Content-Type": "application/octet-stream"})
    assert "NUL" not in r.text
