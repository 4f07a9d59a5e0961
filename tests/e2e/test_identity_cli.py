"""``pactum identity link / generate / evaluate`` on CSV files: the file contracts, progress,
bad input as one line with exit code 2."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.identity.generator import INPUT_COLUMNS

runner = CliRunner()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    out = tmp_path / "labelled.csv"
    r = runner.invoke(app, ["identity", "generate", str(out), "--records", "1500", "--seed", "41"])
    assert r.exit_code == 0, r.output
    return out


def test_link_writes_a_cluster_for_every_record_and_the_scored_pairs(tmp_path, labelled):
    rows = _rows(labelled)
    assert list(rows[0]) == [*INPUT_COLUMNS, "person_id"]
    inp = tmp_path / "input.csv"
    with inp.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(INPUT_COLUMNS))
        w.writeheader()
        for row in rows:
            w.writerow({k: row[k] for k in INPUT_COLUMNS})
    clusters, pairs, model = tmp_path / "clusters.csv", tmp_path / "pairs.csv", tmp_path / "model.json"
    r = runner.invoke(app, ["identity", "link", str(inp), "--out", str(clusters), "--pairs", str(pairs),
                            "--engine", "duckdb", "--save-model", str(model)])
    assert r.exit_code == 0, r.output
    out = _rows(clusters)
    assert list(out[0]) == ["record_id", "cluster_id"]
    assert sorted(x["record_id"] for x in out) == sorted(x["record_id"] for x in rows)
    scored = _rows(pairs)
    assert list(scored[0]) == ["record_id_l", "record_id_r", "match_probability"]
    assert all(0.0 <= float(p["match_probability"]) <= 1.0 for p in scored)
    # most records linked together by the clustering belong to one person
    truth = {x["record_id"]: x["person_id"] for x in rows}
    cluster_of = {x["record_id"]: x["cluster_id"] for x in out}
    linked = [p for p in scored if cluster_of[p["record_id_l"]] == cluster_of[p["record_id_r"]]]
    assert linked and sum(truth[p["record_id_l"]] == truth[p["record_id_r"]] for p in linked) / len(linked) > 0.8
    # the saved model links the same file to the same clusters
    again = tmp_path / "again.csv"
    r = runner.invoke(app, ["identity", "link", str(inp), "--out", str(again), "--model", str(model)])
    assert r.exit_code == 0, r.output
    assert {x["record_id"]: x["cluster_id"] for x in _rows(again)} == cluster_of


def test_evaluate_reports_pactum_and_plain_in_the_same_run(tmp_path, labelled):
    out = tmp_path / "scores.json"
    r = runner.invoke(app, ["identity", "evaluate", str(labelled), "--out", str(out)])
    assert r.exit_code == 0, r.output
    res = json.loads(out.read_text())["results"]
    assert set(res) == {"pactum_em", "plain_splink"}
    for name in res:
        assert {"pairwise_precision", "pairwise_recall", "pairwise_f1", "bcubed_f1"} <= set(res[name]["scores"])
    assert res["pactum_em"]["scores"]["pairwise_f1"] > res["plain_splink"]["scores"]["pairwise_f1"]


@pytest.mark.parametrize("content, message", [
    ("given_names,surname\nA,B\n", "no record_id column"),
    ("record_id,surname,shoe_size\n1,B,42\n", "unknown column shoe_size"),
    ("record_id,surname\n1,B\n1,C\n", "line 3: record_id 1 appears twice"),
    ("record_id,date_of_birth\n1,14/03/1996\n", "line 2: date_of_birth '14/03/1996'"),
    ("record_id,surname\n,B\n", "line 2: record_id is empty"),
    ("record_id,surname\n1,B\n2,C,surplus\n", "Expected 2 fields in line 3, saw 3"),
    ("record_id,surname\n1,\udcff\udcfeB\n", "not UTF-8 text"),
    # the real reason: the year, not the form
    ("record_id,date_of_birth\n1,1990\n2,1850-01-01\n", "line 3: date_of_birth '1850-01-01' is before 1900"),
    ("record_id,date_of_birth\n1,1850\n", "line 2: date_of_birth '1850' is before 1900"),
    ("record_id,date_of_birth\n1,1850-1-1x\n", "line 2: date_of_birth '1850-1-1x' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    # the line of the first byte that is not UTF-8, and where in the line
    ("record_id,surname\n1,B\n2,C\n3,Ab\udce9\n", "line 4: not UTF-8 text: byte 0xe9 at byte 5 of the line"),
    ("record_id,sur\udcffname\n1,B\n", "line 1: not UTF-8 text: byte 0xff at byte 14 of the line"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, content, message):
    inp = tmp_path / "bad.csv"
    inp.write_bytes(content.encode("utf-8", errors="surrogateescape"))
    r = runner.invoke(app, ["identity", "link", str(inp), "--out", str(tmp_path / "c.csv")])
    assert r.exit_code == 2
    assert message in r.output
    assert not (tmp_path / "c.csv").exists()


def test_unknown_engine_and_missing_file(tmp_path):
    r = runner.invoke(app, ["identity", "link", str(tmp_path / "none.csv"), "--out", str(tmp_path / "c.csv")])
    assert r.exit_code == 2 and "no such file" in r.output
    inp = tmp_path / "in.csv"
    inp.write_text("record_id\n1\n", encoding="utf-8")
    r = runner.invoke(app, ["identity", "link", str(inp), "--out", str(tmp_path / "c.csv"), "--engine", "oracle"])
    assert r.exit_code == 2 and "unknown engine" in r.output



def test_an_output_that_cannot_be_written_is_refused_before_any_work(tmp_path):
    inp = tmp_path / "in.csv"
    inp.write_text("record_id,given_names\n1,Ahmed\n", encoding="utf-8")
    for argv, message in (
            (["link", str(inp), "--out", str(tmp_path / "no" / "c.csv")], f"--out: the folder {tmp_path / 'no'} does not exist"),
            (["link", str(inp), "--out", str(tmp_path / "c.csv"), "--pairs", str(tmp_path)],
             f"--pairs: {tmp_path} is a folder; give a file name"),
            (["generate", str(tmp_path / "no" / "g.csv"), "--records", "5"], "OUT.csv: the folder"),
            (["evaluate", "--records", "50", "--out", str(tmp_path / "no" / "e.json")], "--out: the folder")):
        r = runner.invoke(app, ["identity", *argv])
        assert r.exit_code == 2, argv
        assert r.stderr.startswith(f"error: {message}") and r.stderr.count("\n") == 1, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]

def test_link_uses_the_shipped_model_unless_told_to_train(tmp_path, labelled):
    inp = tmp_path / "input.csv"
    rows = _rows(labelled)
    with inp.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(INPUT_COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row[k] for k in INPUT_COLUMNS})
    shipped_json = tmp_path / "shipped.json"
    r = runner.invoke(app, ["identity", "link", str(inp), "--out", str(tmp_path / "a.csv"), "--save-model",
                            str(shipped_json)])
    assert r.exit_code == 0, r.output
    result = json.loads(r.output[r.output.index("{"):])
    assert result["model"].startswith("shipped model (generator seed 1")
    assert "train_on_input_s" not in result["timings_s"]
    from pactum.services.identity import default_model

    saved = json.loads(shipped_json.read_text(encoding="utf-8"))
    assert saved["comparisons"] == default_model()["comparisons"]  # the shipped m and u, unchanged
    r = runner.invoke(app, ["identity", "link", str(inp), "--out", str(tmp_path / "b.csv"), "--em"])
    assert r.exit_code == 0, r.output
    result = json.loads(r.output[r.output.index("{"):])
    assert result["model"] == "trained on the input (EM)" and "train_on_input_s" in result["timings_s"]
    r = runner.invoke(app, ["identity", "link", str(inp), "--out", str(tmp_path / "c.csv"), "--em",
                            "--model", str(shipped_json)])
    assert r.exit_code == 2 and "give either a model or --em" in r.output
    assert not (tmp_path / "c.csv").exists()


def test_the_generators_file_links_as_it_is_and_the_summary_on_stdout_is_json(tmp_path, labelled):
    """`generate` then `link`, as a user tries it first: the label column is not an unknown
    column, and the progress bar is not on standard output, so `> summary.json` keeps valid JSON
    (nor, outside a terminal, on standard error: a log gets no bar frames)."""
    clusters = tmp_path / "clusters.csv"
    r = runner.invoke(app, ["identity", "link", str(labelled), "--out", str(clusters)])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["records"] == 1500
    assert r.stderr == ""
    assert sorted(x["record_id"] for x in _rows(clusters)) == sorted(x["record_id"] for x in _rows(labelled))
    # the labels are not used: the clusters are those of the same file without them
    bare = tmp_path / "bare.csv"
    with bare.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(INPUT_COLUMNS), extrasaction="ignore")
        w.writeheader()
        w.writerows(_rows(labelled))
    again = tmp_path / "again.csv"
    assert runner.invoke(app, ["identity", "link", str(bare), "--out", str(again)]).exit_code == 0
    assert _rows(again) == _rows(clusters)


def test_on_a_terminal_the_bar_shows_the_stages_and_a_refusal_before_them_draws_none():
    import io

    from rich.console import Console

    from pactum.cli.commands.identity import _stages

    screen = io.StringIO()
    with _stages(3, console=Console(file=screen, force_terminal=True, width=100)) as step:
        step("read and normalise input")
        step("predict pairs")
    assert "done" in screen.getvalue() and "3/3" in screen.getvalue()
    # input refused before the first stage: the error line stands alone, no bar above it
    screen = io.StringIO()
    with pytest.raises(ValueError), _stages(3, console=Console(file=screen, force_terminal=True)):
        raise ValueError("engine: unknown engine 'bogus'")
    assert screen.getvalue() == ""
