"""Bad input to the identity commands, found by sweeping the CLI (`pactum identity link /
evaluate / generate / train`): each used to end in a traceback (exit 1), blame the wrong column,
overwrite its own input or link a broken line. Each is now one line on stderr naming the option,
the column, the line or the value, with exit code 2, and no output file is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app

runner = CliRunner()

HEADER = "record_id,member_state,given_names,surname,date_of_birth,sex,nationality\n"
ROWS = ("1,IT,Ahmed,Karimi,1990-01-02,M,AFG\n2,DE,Ahmad,Karimi,1990-01-02,M,AFG\n"
        "3,EL,Fatima,Noori,1985-05-05,F,SYR\n4,ES,Fatma,Nouri,1985-05-05,F,SYR\n")
LABELLED = (HEADER.strip() + ",person_id\n"
            + "".join(r + f",p{i // 2}\n" for i, r in enumerate(ROWS.splitlines())))


def _refused(args: list[str], *needles: str, env: dict[str, str] | None = None) -> str:
    """Run ``pactum identity ARGS``; assert exit 2 and one ``error:`` line naming every needle."""
    r = runner.invoke(app, ["identity", *args], env=env)
    assert r.exit_code == 2, (r.exit_code, r.output, r.exception)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    assert "Traceback" not in r.output
    return lines[0]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    p = tmp_path / "in.csv"
    p.write_text(HEADER + ROWS, encoding="utf-8")
    return p


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    p = tmp_path / "lab.csv"
    p.write_text(LABELLED, encoding="utf-8")
    return p


# --- 1. evaluate: the options link checks, and data too small ------------------------------------

@pytest.mark.parametrize(("option", "value", "needles"), [
    ("--engine", "bogus", ("engine", "unknown engine 'bogus'")),
    ("--threshold", "-1", ("threshold", "between 0 and 1")),
    ("--threshold", "nan", ("threshold", "between 0 and 1")),
])
def test_evaluate_refuses_the_options_link_refuses(tmp_path, labelled, option, value, needles):
    out = tmp_path / "e.json"
    _refused(["evaluate", str(labelled), option, value, "--out", str(out)], *needles)
    assert not out.exists()


def test_evaluate_refuses_a_model_that_is_missing_or_not_a_model(tmp_path, labelled):
    missing = tmp_path / "nope.json"
    _refused(["evaluate", str(labelled), "--model", str(missing)], "model", str(missing), "no such file")
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": 1,\n "b": }', encoding="utf-8")
    _refused(["evaluate", str(labelled), "--model", str(bad)], "model", "not valid JSON at line 2")
    empty_object = tmp_path / "obj.json"
    empty_object.write_text("{}", encoding="utf-8")
    _refused(["evaluate", str(labelled), "--model", str(empty_object)], "model", "design version")
    listed = tmp_path / "list.json"
    listed.write_text("[]", encoding="utf-8")
    _refused(["evaluate", str(labelled), "--model", str(listed)], "model", "not a saved model")
    _refused(["evaluate", "--dataset", "febrl1", "--model", str(missing)], "model", "no such file")


@pytest.mark.parametrize("records", ["0", "-5", "2"])
def test_evaluate_refuses_too_few_generated_records(records):
    _refused(["evaluate", "--records", records], "records", "must be at least 3")


def test_evaluate_scores_a_four_record_file(tmp_path, labelled):
    """It failed with "math domain error": on four records the plain configuration's rules for
    the starting prior found no pair, a prior of 0 whose match weight is log2(0)."""
    out = tmp_path / "e.json"
    r = runner.invoke(app, ["identity", "evaluate", str(labelled), "--out", str(out)])
    assert r.exit_code == 0, (r.output, r.exception)
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["records"] == 4
    assert res["results"]["pactum_em"]["scores"]["true_pairs"] == 2
    assert set(res["results"]) == {"pactum_em", "plain_splink"}


def test_evaluate_refuses_a_file_too_small_to_score(tmp_path):
    two = tmp_path / "two.csv"
    two.write_text(HEADER.strip() + ",person_id\n1,IT,Ahmed,Karimi,1990,M,AFG,a\n2,DE,Ahmad,Karimi,1990,M,AFG,a\n",
                   encoding="utf-8")
    _refused(["evaluate", str(two)], "too few records to evaluate on (2)", "at least 3")


# --- 4. evaluate names the label column it did not find -------------------------------------------

def test_evaluate_names_the_missing_label_column_not_the_files_own(tmp_path, labelled):
    line = _refused(["evaluate", str(labelled), "--label-column", "bogus"], "--label-column: ", "bogus")
    assert "unknown column" not in line


def test_evaluate_does_not_overwrite_its_input(labelled):
    _refused(["evaluate", str(labelled), "--out", str(labelled)], "--out", "is the input file")
    assert labelled.read_text(encoding="utf-8") == LABELLED


# --- 2. train --------------------------------------------------------------------------------------

def test_train_refuses_an_unknown_engine(services):
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "eu-admin"}
    _refused(["train", "--engine", "bogus"], "engine", "unknown engine 'bogus'", "duckdb, spark", env=env)


# --- 3. link: the input a folder, DuckDB's options --------------------------------------------------

def test_link_refuses_a_folder_as_input(tmp_path):
    folder = tmp_path / "adir"
    folder.mkdir()
    _refused(["link", str(folder), "--out", str(tmp_path / "c.csv")], str(folder), "is a folder")
    assert not (tmp_path / "c.csv").exists()


@pytest.mark.parametrize(("option", "value", "needles"), [
    ("--threads", "-1", ("threads", "-1")),
    ("--memory-limit", "lots", ("--memory-limit: ", "'lots'", "4GB")),
    ("--memory-limit", "4", ("--memory-limit: ", "'4'", "a number and a unit")),
    ("--memory-limit", "1MB", ("--memory-limit: ", "'1MB'", "at least 64MB")),
])
def test_link_checks_duckdbs_options_before_duckdb_starts(tmp_path, good, option, value, needles):
    out = tmp_path / "c.csv"
    _refused(["link", str(good), "--out", str(out), option, value], *needles)
    assert not out.exists()


@pytest.mark.parametrize("limit", ["500MiB", "1.5 GB", "4gb"])
def test_link_takes_the_memory_limits_duckdb_reads(tmp_path, good, limit):
    out = tmp_path / "c.csv"
    r = runner.invoke(app, ["identity", "link", str(good), "--out", str(out), "--memory-limit", limit,
                            "--threads", "1"])
    assert r.exit_code == 0, (r.output, r.exception)
    assert out.exists()


# --- 6. link: values that are not what the columns hold, lines of the wrong width --------------------

@pytest.mark.parametrize(("rows", "needles"), [
    (ROWS + "5,IT\n", ("line 6", "2 fields, the header has 7")),
    (ROWS.replace("2,DE,Ahmad,Karimi,1990-01-02,M,AFG", "2,DE,Ahmad,Karimi"), ("line 3", "4 fields")),
    # every line one field too many: pandas took the first column for an index, silently
    ("".join(r + ",x\n" for r in ROWS.splitlines()), ("line 2", "8 fields, the header has 7")),
    # quoted fields are counted by the csv module
    (ROWS + '5,IT,"Karimi, Ahmed"\n', ("line 6", "3 fields")),
    (ROWS.replace("1990-01-02", "14/03/1990", 1), ("date_of_birth", "line 2", "'14/03/1990'")),
    (ROWS.replace("1990-01-02", "1850", 1), ("date_of_birth", "line 2", "'1850'")),
])
def test_link_refuses_the_whole_file_naming_line_column_and_value(tmp_path, rows, needles):
    inp = tmp_path / "in.csv"
    inp.write_text(HEADER + rows, encoding="utf-8")
    outs = [tmp_path / "c.csv", tmp_path / "p.csv", tmp_path / "m.json"]
    _refused(["link", str(inp), "--out", str(outs[0]), "--pairs", str(outs[1]), "--save-model", str(outs[2])],
             str(inp), *needles)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]  # nothing written, not even a part


def test_link_reads_missing_values_and_other_spellings_of_valid_ones(tmp_path):
    """Any column but record_id may be empty; codes in any case, and another system's codes for a
    state or a sex (DEU, UK, "male", "U") read as given; a date the calendar lacks or one after
    today is read for what it says, as documented (docs/identity.md, Batch linkage): the generator
    makes such typing errors too. Another system's file is linked, not refused for its codes."""
    inp = tmp_path / "in.csv"
    inp.write_text(HEADER + "1,it,Ahmed,Karimi,1990-02-30,m,AFG\n2,GR,Ahmad,Karimi,1990-13,x,AFG\n"
                   "3,,Fatima,Noori,2099-05-05,,\n4,ES,Fatma,Nouri,,F,SYR\n5,,,,,,\n"
                   "6,DEU,Ahmad,Karimi,1990-01-02,male,AFG\n7,UK,Fatima,Noori,1985,U,\n", encoding="utf-8")
    out = tmp_path / "c.csv"
    r = runner.invoke(app, ["identity", "link", str(inp), "--out", str(out), "--threads", "1"])
    assert r.exit_code == 0, (r.output, r.exception)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 8


def test_a_quoted_field_with_a_comma_is_one_field(tmp_path):
    inp = tmp_path / "in.csv"
    inp.write_text('record_id,place_of_birth,surname\n1,"Aleppo, Syria",Karimi\n2,Kabul,Noori\n', encoding="utf-8")
    r = runner.invoke(app, ["identity", "link", str(inp), "--out", str(tmp_path / "c.csv"), "--threads", "1"])
    assert r.exit_code == 0, (r.output, r.exception)


# --- 7. link never writes over its input ----------------------------------------------------------

@pytest.mark.parametrize("option", ["--out", "--pairs", "--save-model"])
def test_link_refuses_to_write_over_its_input(tmp_path, good, option):
    args = ["link", str(good), "--out", str(tmp_path / "c.csv")]
    args += [option, str(good)] if option != "--out" else []
    if option == "--out":
        args[3] = str(tmp_path / "." / good.name)  # the same file by another spelling
    _refused(args, f"{option}: ", "is the input file")
    assert good.read_text(encoding="utf-8") == HEADER + ROWS
    assert not (tmp_path / "c.csv").exists()


def test_link_refuses_pairs_written_over_the_clusters(tmp_path, good):
    out = tmp_path / "c.csv"
    _refused(["link", str(good), "--out", str(out), "--pairs", str(out)], "pairs", "is also the out file")
    assert not out.exists()


# --- 8. generate: the noise multiplier ------------------------------------------------------------

@pytest.mark.parametrize("noise", ["-1", "nan", "inf"])
def test_generate_refuses_a_noise_multiplier_that_is_not_one(tmp_path, noise):
    out = tmp_path / "g.csv"
    _refused(["generate", str(out), "--records", "10", "--noise", noise], "noise", "0 or more")
    assert not out.exists()


def test_generate_takes_no_noise_and_capped_noise(tmp_path):
    for noise in ("0", "1000"):
        out = tmp_path / f"g{noise}.csv"
        r = runner.invoke(app, ["identity", "generate", str(out), "--records", "10", "--noise", noise])
        assert r.exit_code == 0, (r.output, r.exception)
        assert len(out.read_text(encoding="utf-8").splitlines()) == 11
    assert not list(tmp_path.glob(".*.partial"))


def test_a_byte_order_mark_is_not_part_of_the_header(tmp_path):
    """Excel writes UTF-8 with a byte order mark: it was "the header has no record_id column"."""
    inp = tmp_path / "in.csv"
    inp.write_text("\ufeff" + HEADER + ROWS, encoding="utf-8")
    out = tmp_path / "c.csv"
    r = runner.invoke(app, ["identity", "link", str(inp), "--out", str(out), "--threads", "1"])
    assert r.exit_code == 0, (r.output, r.exception)
    assert out.read_text(encoding="utf-8").splitlines()[:2] == ["record_id,cluster_id", "1,1"]
