"""Bad input to the data-import and analysis commands (``followup``, ``awareness``, ``statistics``):
exit code 2 with one readable line naming the file's line and column or the option, and nothing
written: no row in the store, no output folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from pactum.cli.main import app

runner = CliRunner()

ROUTE = "Central Mediterranean Route"
FRONTEX_H = "month,route,border_type,nationality_iso3,nationality_name,detections\n"
FRONTEX_ROW = f"2025-03,{ROUTE},Sea,GIN,Guinea,3\n"
STATS_H = ("year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,"
           "dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n")
STATS_ROW = "2025,Afghanistan,AFG,AFG,Austria,AUS,AUT,G,FA,P,2083,1263,2478,2306,8130\n"


@pytest.fixture
def cli(services, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(services.settings.var_dir))

    def run(user: str, *args: str, stdin: bytes | None = None):
        monkeypatch.setenv("PACTUM_CLI_USER", user)
        return runner.invoke(app, list(args), input=stdin)

    return run


def counts(services) -> dict[str, int]:
    with services.engine.connect() as conn:
        return {t: conn.execute(text(f'select count(*) from "{t}"')).scalar_one()
                for t in inspect(conn).get_table_names()}


def one_line_exit_2(r, *needles: str) -> str:
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1, r.output
    assert "Traceback" not in r.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# --------------------------------------------------------------------------- follow-up import


@pytest.fixture
def followup(cli, services, tmp_path: Path):
    """The annex loaded, and its CSV and YAML exports as of 2026-01-01."""
    assert cli("com-analyst", "followup", "load").exit_code == 0
    files = {}
    for fmt in ("csv", "yaml"):
        path = tmp_path / f"export.{fmt}"
        r = cli("com-analyst", "followup", "export", "--format", fmt, "--as-of", "2026-01-01",
                "--out", str(path))
        assert r.exit_code == 0, r.output
        files[fmt] = path
    return files


def _without_column(path: Path, column: str) -> str:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    k = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([c for i, c in enumerate(r) if i != k] for r in rows)
    return out.getvalue()


@pytest.mark.parametrize("column", ["due", "progress", "status"])
def test_followup_csv_without_a_column_of_the_export_changes_nothing(cli, services, followup, tmp_path, column):
    bad = tmp_path / "bad.csv"
    bad.write_text(_without_column(followup["csv"], column), encoding="utf-8")
    before = counts(services)
    r = cli("com-analyst", "followup", "import", str(bad), "--as-of", "2026-01-02")
    line = one_line_exit_2(r, "line 1", f"the header lacks {column}")
    assert len(line) < 200  # not one "Field required" per row
    assert counts(services) == before


def test_followup_non_utf8_files_and_stdin_name_the_line(cli, services, followup, tmp_path):
    before = counts(services)
    yaml_bytes = followup["yaml"].read_bytes()
    bad_yaml = tmp_path / "latin1.yaml"
    bad_yaml.write_bytes(yaml_bytes.replace(b"title:", b"titl\xe9:", 1))
    title_line = yaml_bytes[:yaml_bytes.index(b"title:")].count(b"\n") + 1
    one_line_exit_2(cli("com-analyst", "followup", "import", str(bad_yaml)),
                    str(bad_yaml), f"line {title_line}", "not UTF-8")
    bad_csv = tmp_path / "latin1.csv"
    csv_bytes = followup["csv"].read_bytes()
    bad_csv.write_bytes(csv_bytes + "\xe9\n".encode("latin-1"))
    last = len(csv_bytes.splitlines()) + 1
    one_line_exit_2(cli("com-analyst", "followup", "import", str(bad_csv)),
                    str(bad_csv), f"line {last}", "not UTF-8")
    one_line_exit_2(cli("com-analyst", "followup", "import", "-", "--format", "yaml", stdin=b"x: caf\xe9\n"),
                    "standard input", "line 1", "not UTF-8")
    assert counts(services) == before


def test_followup_yaml_date_the_calendar_lacks_names_field_and_line(cli, services, followup, tmp_path):
    text_ = followup["yaml"].read_text(encoding="utf-8")
    at = text_.index("due: ")
    line_no = text_[:at].count("\n") + 1
    bad = tmp_path / "feb30.yaml"
    bad.write_text(text_[:at] + "due: 2026-02-30 #" + text_[at + 5:], encoding="utf-8")
    before = counts(services)
    one_line_exit_2(cli("com-analyst", "followup", "import", str(bad), "--as-of", "2026-01-02"),
                    ".due", f"line {line_no}")
    assert counts(services) == before


@pytest.mark.parametrize("args", [
    ["--as-of", "2026-01-01", "--since", "yesterday"],
    ["--as-of", "2026-01-01", "--since", "2026-06-01"],
    ["--as-of", "1900-01-01"],
])
def test_followup_report_with_bad_input_creates_no_folder(cli, followup, tmp_path, args):
    out = tmp_path / "reports" / "nested" / "deeper"
    r = cli("com-analyst", "followup", "report", *args, "--out", str(out))
    one_line_exit_2(r)
    assert "--since" in r.output or "1900-01-01" in r.output
    assert not (tmp_path / "reports").exists()


# --------------------------------------------------------------------------- awareness import


def _frontex(tmp_path: Path, body: str) -> str:
    path = tmp_path / "frontex.csv"
    path.write_text(FRONTEX_H + body, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("body", "needles"), [
    (FRONTEX_ROW.replace(",3\n", ",nan\n"), ["line 2.detections", "nan"]),
    (FRONTEX_ROW.replace(",3\n", ",inf\n"), ["line 2.detections", "inf"]),
    (FRONTEX_ROW.replace(",3\n", ",1e308\n"), ["line 2.detections", "more than"]),
    (FRONTEX_ROW.replace(",3\n", ",3.7\n"), ["line 2.detections", "whole number"]),
    (FRONTEX_ROW.replace("2025-03", "1800-05"), ["line 2.month", "before 2000"]),
    (FRONTEX_ROW.replace("2025-03", "2099-05"), ["line 2.month", "future"]),
    (FRONTEX_ROW.replace("2025-03", "2026-12"), ["line 2.month", "future"]),  # the tests' clock: 2026-11-28
    (FRONTEX_ROW + FRONTEX_ROW, ["line 3", "as line 2"]),
    (f'2025-03,"{ROUTE},Sea,GIN,Guinea,3\n', ["line 2", "quote"]),
    (FRONTEX_ROW.strip() + ",9\n", ["line 2", "7 fields where the header has 6"]),
])
def test_awareness_import_refuses_impossible_values_and_keeps_the_series(cli, services, tmp_path, body, needles):
    good = tmp_path / "good.csv"
    good.write_text(FRONTEX_H + FRONTEX_ROW + FRONTEX_ROW.replace("GIN", "CIV"), encoding="utf-8")
    assert cli("frontex-analyst", "awareness", "import", "frontex", str(good), "--release", "r1").exit_code == 0
    before = counts(services)
    assert before["awareness_series"] == 2
    r = cli("frontex-analyst", "awareness", "import", "frontex", _frontex(tmp_path, body), "--release", "x")
    one_line_exit_2(r, *needles)
    assert counts(services) == before


def test_awareness_import_refuses_unknown_country_codes(cli, services, tmp_path):
    before = counts(services)
    euro = tmp_path / "eurostat.csv"
    euro.write_text("month,geo,citizen,asyl_app,persons\n2020-01,XX,TOTAL,ASY_APP,3\n", encoding="utf-8")
    one_line_exit_2(cli("frontex-analyst", "awareness", "import", "eurostat", str(euro), "--release", "x"),
                    "line 2.geo", "'XX'")
    unhcr = tmp_path / "unhcr.csv"
    unhcr.write_text("year,coo_iso,coa_iso,applied\n2020,AFG,QQQ,3\n", encoding="utf-8")
    one_line_exit_2(cli("frontex-analyst", "awareness", "import", "unhcr", str(unhcr), "--release", "x"),
                    "line 2.coa_iso", "'QQQ'")
    assert counts(services) == before


def test_awareness_import_of_a_directory_says_so(cli, tmp_path):
    one_line_exit_2(cli("frontex-analyst", "awareness", "import", "frontex", str(tmp_path), "--release", "x"),
                    "is a directory")


# --------------------------------------------------------------------------- awareness analysis


@pytest.mark.parametrize("origin", ["bogus", "2016-13", "2099-01", "1990-01"])
def test_awareness_backtest_names_first_origin_and_the_months(cli, services, origin):
    before = counts(services)
    r = cli("frontex-analyst", "awareness", "backtest", "--route", ROUTE, "--first-origin", origin)
    line = one_line_exit_2(r, "--first-origin", origin)
    if origin[:4] in ("2099", "1990"):
        assert "from 2009-01 to 2025-04" in line and "from 2012-01 to 2025-01" in line
    assert counts(services) == before


@pytest.mark.parametrize(("args", "option"), [
    (["--month", "bogus"], "--month"),
    (["--month", "2025-13"], "--month"),
    (["--month", "2025-4"], "--month"),
    (["--month", "2025-04-15"], "--month"),
    (["--rise-pct", "nan"], "--rise-pct"),
    (["--rise-pct", "-50"], "--rise-pct"),
    (["--min-volume", "-1"], "--min-volume"),
    (["--min-volume", "inf"], "--min-volume"),
])
def test_awareness_evaluate_names_the_option_and_records_nothing(cli, services, args, option):
    before = counts(services)
    one_line_exit_2(cli("frontex-analyst", "awareness", "evaluate", *args), option)
    assert counts(services) == before


def test_awareness_service_refuses_bad_thresholds_too(services):
    from pactum.awareness.alerts import AlertSettings
    from pactum.common.errors import ValidationProblem
    from pactum.services import awareness
    from pactum.services.auth import SYSTEM

    with pytest.raises(ValidationProblem) as err:
        awareness.evaluate_alerts(services, SYSTEM, AlertSettings(rise_pct=float("nan"), min_volume=-1), "2025-4")
    assert [f for f, _ in err.value.problems] == ["month", "rise_pct", "min_volume"]


@pytest.mark.parametrize("week", ["bogus", "2026-W99", "1800-W01"])
def test_awareness_report_with_a_bad_week_creates_no_folder(cli, tmp_path, week):
    out = tmp_path / "reports" / "weekly"
    one_line_exit_2(cli("frontex-analyst", "awareness", "report", "--week", week, "--out", str(out)),
                    "--week", week)
    assert not (tmp_path / "reports").exists()


# --------------------------------------------------------------------------- statistics import


@pytest.mark.parametrize(("body", "needles"), [
    (STATS_ROW.replace("2025,", "-5,", 1), ["line 2, column year", "'-5'"]),
    (STATS_ROW.replace("2025,", "2099,", 1), ["line 2, column year", "'2099'"]),
    (STATS_ROW.replace(",2083,", ",20.5,"), ["line 2, column dec_recognized", "'20.5'"]),
    (STATS_ROW.replace(",2083,", ",,"), ["line 2, column dec_recognized", "empty"]),
    (STATS_ROW.replace(",1263,", ",abc,"), ["line 2, column dec_other", "'abc'"]),
    (STATS_ROW.strip() + ",1,2\n", ["line 2", "17 fields where the header has 15"]),
    ("2025,Afghanistan,AFG\n", ["line 2", "3 fields where the header has 15"]),
    (STATS_ROW + '2025,"Afghanistan,AFG,AFG\n', ["line 3", "quote"]),
])
def test_statistics_import_names_line_and_column(cli, services, tmp_path, body, needles):
    path = tmp_path / "unhcr.csv"
    path.write_text(STATS_H + body, encoding="utf-8")
    before = counts(services)
    one_line_exit_2(cli("com-analyst", "statistics", "import", str(path)), *needles)
    assert counts(services) == before


def test_statistics_import_needs_a_source_label(cli, services, tmp_path):
    path = tmp_path / "unhcr.csv"
    path.write_text(STATS_H + STATS_ROW, encoding="utf-8")
    before = counts(services)
    one_line_exit_2(cli("com-analyst", "statistics", "import", str(path), "--source", " "), "--source")
    assert counts(services) == before


def test_followup_csv_separated_by_semicolons_says_so(cli, services, followup, tmp_path):
    bad = tmp_path / "semicolon.csv"
    bad.write_text(followup["csv"].read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    before = counts(services)
    line = one_line_exit_2(cli("com-analyst", "followup", "import", str(bad)), "line 1", "';'")
    assert len(line) < 120
    assert counts(services) == before
