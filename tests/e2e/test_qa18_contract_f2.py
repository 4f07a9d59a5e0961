"""API contract audit (W5), fixer F2: a CSV import with a cell or header beyond Python's csv field
limit is refused naming the line (API 422, CLI exit 2), not an unexpected error; the follow-up CSV
export is spreadsheet-safe, reads back as it was, and comes as a download; the resettlement plan's nullable
bounds are published as JSON Schema minimum/maximum."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

runner = CliRunner()
BIG = "x" * 140_000  # beyond csv.field_size_limit() (131,072)


def _msgs(r) -> str:
    return " ".join(f"{'.'.join(str(x) for x in d['loc'])}: {d['msg']}" for d in r.json()["detail"])


# -- W5-2: a field beyond the csv module's limit ------------------------------------------------


def test_reception_import_refuses_a_huge_cell_naming_its_line(client, auth_headers) -> None:
    h = auth_headers("it-caseworker")
    text = f"reported_on,note\n2026-11-09,\n2026-11-16,{BIG}\n"
    r = client.post("/api/v1/reception/reports/import", headers=h, content=text)
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "line 3"]
    assert "longer than 131,072 characters" in r.json()["detail"][0]["msg"]


def test_reception_import_refuses_a_200_kb_header_naming_line_1(client, auth_headers) -> None:
    r = client.post("/api/v1/reception/reports/import", headers=auth_headers("it-caseworker"),
                    content="reported_on," + "n" * 200_000 + "\n2026-11-09,\n")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "line 1"], r.text


def test_followup_csv_import_refuses_a_huge_cell_naming_its_line(client, auth_headers) -> None:
    h = auth_headers("com-analyst")
    assert client.post("/api/v1/followup/load", headers=h).status_code == 200
    lines = client.get("/api/v1/followup/export", params={"format": "csv"}, headers=h).text.splitlines()
    lines.insert(3, lines[2] + BIG)
    r = client.post("/api/v1/followup/import", params={"format": "csv"}, headers=h,
                    content="\n".join(lines) + "\n")
    assert r.status_code == 422, r.text
    assert "line 4: a cell is longer than 131,072 characters" in _msgs(r)
    header = client.post("/api/v1/followup/import", params={"format": "csv"}, headers=h,
                         content="kind," + "k" * 200_000 + "\n")
    assert header.status_code == 422 and "line 1: a cell is longer" in _msgs(header), header.text


def test_statistics_import_refuses_a_huge_cell_or_header_naming_the_line(client, auth_headers) -> None:
    h = auth_headers("euaa-analyst")
    head = ("year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,"
            "dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n")
    row = "2025,Pakistan,PAK,PAK,Italy,ITA,ITA,G,FI,P,1,100,600,0,701\n"
    r = client.post("/api/v1/procedures/statistics/import", headers=h,
                    content=(head + row + row.replace("Pakistan", BIG)).encode())
    assert r.status_code == 422 and "line 3: a cell is longer than 131,072" in _msgs(r), r.text
    r = client.post("/api/v1/procedures/statistics/import", headers=h,
                    content=("year," + "y" * 200_000 + "\n" + row).encode())
    assert r.status_code == 422 and "line 1: a cell is longer" in _msgs(r), r.text


def test_key_figures_refuse_a_200_kb_header_naming_line_1(client, auth_headers) -> None:
    com = auth_headers("com-solidarity")
    r = client.post("/api/v1/solidarity/cycles/2026/key-figures", headers={**com, "Content-Type": "text/csv"},
                    params={"reference_year": 2024, "source": "Eurostat"},
                    content="member_state,population,gdp_meur," + "c" * 200_000 + "\nAT,1,1,x\n")
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["loc"] == ["body", "line 1"] and "longer than 131,072" in r.text
    r = client.post("/api/v1/solidarity/cycles/2026/key-figures", headers={**com, "Content-Type": "text/csv"},
                    params={"reference_year": 2024, "source": "Eurostat"},
                    content=f"member_state,population,gdp_meur,country\nAT,9104772,477246.2,{BIG}\n")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "line 2"], r.text


def test_cli_reception_import_of_a_huge_cell_is_exit_2_in_one_line(services, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PACTUM_CLI_USER", "it-caseworker")
    f = tmp_path / "reports.csv"
    f.write_text(f"reported_on,note\n2026-11-09,{BIG}\n")
    r = runner.invoke(app, ["reception", "import", str(f)])
    assert r.exit_code == 2, r.output
    said = r.output.strip()
    assert "line 2" in said and "131,072" in said and "unexpected" not in said
    assert len(said.splitlines()) == 1


# -- W5-3: the follow-up CSV export is spreadsheet-safe and round-trips --------------------------

NASTY = {"name": '=HYPERLINK("http://evil.example","Open")', "region": "-2+3", "note": "@SUM(1)"}


def test_followup_csv_export_is_spreadsheet_safe_and_reads_back_as_it_was(client, auth_headers) -> None:
    h = auth_headers("com-analyst")
    assert client.post("/api/v1/followup/load", headers=h).status_code == 200
    yaml_before = client.get("/api/v1/followup/export", headers=h).text
    r = client.get("/api/v1/followup/export", params={"format": "csv"}, headers=h)
    rows = list(csv.DictReader(io.StringIO(r.text)))
    partner = next(row for row in rows if row["kind"] == "partner")
    partner.update(NASTY)
    partner_code = partner["code"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    r = client.post("/api/v1/followup/import", params={"format": "csv"}, headers=h, content=out.getvalue())
    assert r.status_code == 200, r.text
    exported = client.get("/api/v1/followup/export", params={"format": "csv"}, headers=h)
    assert exported.headers["content-disposition"].startswith("attachment; filename=")
    assert ".csv" in exported.headers["content-disposition"]
    back = next(row for row in csv.DictReader(io.StringIO(exported.text))
                if row["kind"] == "partner" and row["code"] == partner_code)
    # a spreadsheet opens these as text, not formulas
    assert back["name"] == "'" + NASTY["name"] and back["region"] == "'-2+3" and back["note"] == "'@SUM(1)"
    for cell in (c for row in csv.reader(io.StringIO(exported.text)) for c in row):
        assert cell[:1] not in ("=", "+", "-", "@"), cell
    # the documented lossless round trip: the export imported gives the same export
    r = client.post("/api/v1/followup/import", params={"format": "csv"}, headers=h, content=exported.text)
    assert r.status_code == 200, r.text
    again = client.get("/api/v1/followup/export", params={"format": "csv"}, headers=h).text
    assert again == exported.text
    yaml_after = client.get("/api/v1/followup/export", headers=h).text
    assert NASTY["name"] in yaml_after and "-2+3" in yaml_after and yaml_after != yaml_before


def test_spreadsheet_safe_is_undone_exactly() -> None:
    from pactum.common.csvrows import from_spreadsheet_safe, spreadsheet_safe

    for text in ["=1+1", "'=1+1", "''@x", "'quoted", "plain", "", "-2", "+", "'"]:
        assert from_spreadsheet_safe(spreadsheet_safe(text)) == text


# -- W5-10: the plan's nullable bounds in OpenAPI -------------------------------------------------


@pytest.mark.parametrize("model", ["PlanIn", "PlanAmend"])
def test_plan_bounds_are_published_as_minimum_and_maximum(client, model: str) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"][model]
    text = str(schema)
    assert "'ge'" not in text and "'le'" not in text
    resettlement = schema["properties"]["resettlement"]["anyOf"][0]
    assert resettlement["minimum"] == 0 and resettlement["maximum"] == 1_000_000
    states = schema["properties"]["announced_states"]["anyOf"][0]
    assert states["minimum"] == 1 and states["maximum"] == 31


def test_awareness_import_refuses_a_200_kb_header_naming_the_file(client, auth_headers) -> None:
    r = client.post("/api/v1/awareness/imports/frontex?release=test", headers=auth_headers("frontex-analyst"),
                    content="Route," + "n" * 200_000 + "\nCentral Mediterranean Route,1\n")
    assert r.status_code == 422, r.text
    (err,) = r.json()["detail"]
    assert err["loc"][-1] == "file" and "line 1" in err["msg"], err
