"""QA walk 19 of the command line (findings 1 to 11): a scale that is not a finite number, the
local operator on what acts for a Member State, JSON files with a byte order mark or a top level
that is not an object, pydantic's "Value error," prefix, help that said the wrong principal, the
store named when it already holds a world, a reader that leaves the pipe, a mistyped SQLite path,
a misspelt Dublin action and the options named in refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactum.cli.io import CLI_USER_HINT
from pactum.cli.main import BROKEN_PIPE_EXIT, app
from pactum.common.limits import TOO_LARGE_MESSAGE
from pactum.services.auth import LOCAL_OPERATOR_REFUSAL

runner = CliRunner()

TIME_LIMIT = {"kind": "transfer", "event_at": "2026-08-01T10:00:00Z", "member_state": "DE",
              "application_registered_on": "2026-08-01"}
ARRIVAL = {
    "identity": {"surname": "Rahimi", "given_names": "Ahmad", "nationality": "AFG", "date_of_birth": "2000"},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T10:00:00Z", "kind": "irregular_crossing"},
}


def _env(services, user: str = "", **more: str) -> dict[str, str]:
    return {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": user,
            "PACTUM_ARGON2_TIME_COST": "1", "PACTUM_ARGON2_MEMORY_KIB": "1024", **more}


def _refused(r, line: str) -> None:
    """Exit code 2, nothing on standard output, exactly ``error: line`` on standard error."""
    assert r.exit_code == 2, (r.exit_code, r.output, r.exception)
    assert r.stdout == "", r.stdout
    assert r.stderr == f"error: {line}\n", r.stderr


def _users(url: str) -> int:
    from sqlalchemy import create_engine, func, select

    from pactum.store.tables.platform import users

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(users)).scalar_one()
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- 1. scenario build --scale


@pytest.mark.parametrize(("scale", "line"), [
    ("nan", "scale 'nan' is not a finite number: give one of XS, S, M, L or a number above 0 and at most 1000"),
    ("inf", "scale 'inf' is not a finite number: give one of XS, S, M, L or a number above 0 and at most 1000"),
    ("-inf", "scale '-inf' is not a finite number: give one of XS, S, M, L or a number above 0 and at most 1000"),
    ("1e12", "scale 1e12 is too large: at most 1000 (L is 100)"),
])
def test_a_scale_not_finite_or_absurd_is_refused_before_anything_is_written(tmp_path, scale, line):
    """It was: 90 demo users committed, then `unexpected error ValueError` and exit 1 (nan, inf),
    or a build that ran for ever (1e12)."""
    store = tmp_path / "fresh.db"
    r = runner.invoke(app, ["scenario", "build", "--scale", scale], env={"PACTUM_DATABASE_URL": f"sqlite:///{store}"})
    _refused(r, line)
    assert not store.exists()


def test_the_largest_scale_is_still_taken():
    from pactum.scenario.world import MAX_SCALE, scale_factor

    assert scale_factor("1000") == MAX_SCALE == 1000.0
    assert scale_factor("l") == 100.0


# --------------------------------------------------------------------------- 2. without PACTUM_CLI_USER


@pytest.mark.parametrize("argv", [
    ["returns", "queue"],                 # printed []
    ["returns", "hits"],                  # printed {"executing": [], "issuing": []}
    ["returns", "notifications"],         # printed a total of 0
    ["returns", "decisions"],             # printed no decisions
    ["identity", "queue"],                # printed []
    ["registry", "search", "--name", "Rahimi"],  # refused without naming the variable
    ["registry", "screenings-due"],
    ["responsibility", "inbox"],
    ["responsibility", "outbox"],
])
def test_a_state_command_without_pactum_cli_user_names_the_variable(services, argv):
    r = runner.invoke(app, argv, env=_env(services))
    _refused(r, "this command acts for a Member State: set PACTUM_CLI_USER to one of its users' names")
    assert LOCAL_OPERATOR_REFUSAL == "this command acts for a Member State: set PACTUM_CLI_USER to one of its users' names"


def test_with_a_state_user_the_same_reads_answer(services):
    r = runner.invoke(app, ["returns", "queue"], env=_env(services, "it-return"))
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    r = runner.invoke(app, ["identity", "queue"], env=_env(services, "it-caseworker"))
    assert r.exit_code == 0 and json.loads(r.stdout) == []


def test_another_refusal_of_the_local_operator_says_the_variable_is_not_set(services, tmp_path):
    f = tmp_path / "report.json"
    f.write_text('{"reported_on": "2026-11-23"}')
    r = runner.invoke(app, ["reception", "record", str(f)], env=_env(services))
    _refused(r, "reception reports are recorded by a Member State's caseworker or administrator "
                "(PACTUM_CLI_USER is not set, so the command acts as the local operator: set it to a user's name)")
    assert CLI_USER_HINT == ("PACTUM_CLI_USER is not set, so the command acts as the local operator: "
                             "set it to a user's name")
    # a user's refusal is the service's own alone
    r = runner.invoke(app, ["reception", "record", str(f)], env=_env(services, "com-analyst"))
    assert r.exit_code == 2 and CLI_USER_HINT not in r.stderr, r.stderr


def test_the_api_still_answers_an_eu_bodys_user_an_empty_queue(client, auth_headers):
    """The API's behaviour is unchanged: an EU body's administrator reads no state's records."""
    r = client.get("/api/v1/returns/queue", headers=auth_headers("eu-admin"))
    assert r.status_code == 200 and r.json() == []
    r = client.get("/api/v1/registry/search", params={"name": "Rahimi"}, headers=auth_headers("eu-admin"))
    assert r.status_code == 403 and "this action is for a Member State authority" in r.text


# --------------------------------------------------------------------------- 3. 4. 5. JSON files


def test_a_json_file_with_a_byte_order_mark_is_read(services, tmp_path):
    f = tmp_path / "bom.json"
    f.write_bytes(b"\xef\xbb\xbf" + json.dumps(TIME_LIMIT).encode())
    r = runner.invoke(app, ["law", "time-limit", str(f)], env=_env(services))
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["ends_on"] == "2027-02-01"


@pytest.mark.parametrize(("content", "kind"), [
    ("[]", "a list [...]"), ('"x"', "a string"), ("null", "null"), ("3", "a number"), ("true", "true or false"),
])
def test_a_json_file_that_is_not_an_object_says_so_naming_the_file(services, tmp_path, content, kind):
    f = tmp_path / "f.json"
    f.write_text(content)
    r = runner.invoke(app, ["law", "time-limit", str(f)], env=_env(services))
    _refused(r, f"{f}: give a JSON object {{...}}, not {kind}")
    r = runner.invoke(app, ["responsibility", "clause", "dbc_x", str(f)], env=_env(services, "it-dublin"))
    _refused(r, f"{f}: give a JSON object {{...}}, not {kind}")


def test_a_nested_value_that_is_not_an_object_names_its_field(services, tmp_path):
    f = tmp_path / "arrival.json"
    f.write_text(json.dumps({**ARRIVAL, "identity": ["Rahimi"]}))
    r = runner.invoke(app, ["registry", "register", str(f)], env=_env(services, "it-caseworker"))
    _refused(r, "identity: give a JSON object {...}, not a list [...]")


def test_messages_are_worded_as_the_api_words_them(services, client, auth_headers, tmp_path):
    """Without pydantic's "Value error, " prefix, which the API strips."""
    f = tmp_path / "arrival.json"
    body = {**ARRIVAL, "identity": {**ARRIVAL["identity"], "nationality": "ZZZ"}}
    f.write_text(json.dumps(body))
    r = runner.invoke(app, ["registry", "register", str(f)], env=_env(services, "it-caseworker"))
    _refused(r, "identity.nationality: 'ZZZ' is not an ISO 3166 alpha-3 country code")
    api = client.post("/api/v1/registry/arrivals", json=body, headers=auth_headers("it-caseworker"))
    assert api.status_code == 422
    assert [e["msg"] for e in api.json()["detail"]] == ["'ZZZ' is not an ISO 3166 alpha-3 country code"]

    f.write_text(json.dumps({**TIME_LIMIT, "event_at": "2026-02-30T10:00:00Z"}))
    _refused(runner.invoke(app, ["law", "time-limit", str(f)], env=_env(services)),
             "event_at: day is out of range for month")
    f.write_text("{}")
    _refused(runner.invoke(app, ["identity", "search", str(f)], env=_env(services, "it-caseworker")),
             f"{f}: give at least a name or a document number")
    r = runner.invoke(app, ["users", "create", "qa19", "--authority", "XX", "--role", "caseworker",
                            "--password", "a-long-password"], env=_env(services))
    assert r.exit_code == 2 and "Value error" not in r.stderr and r.stderr.startswith("error: authority: ")


# --------------------------------------------------------------------------- 6. users create --help


def test_users_create_help_says_whom_it_acts_as():
    r = runner.invoke(app, ["users", "create", "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0
    text = " ".join(r.stdout.split())
    assert ("Create a user, as PACTUM_CLI_USER (an administrator creates users of their own authority), "
            "or as the local operator when it is empty.") in text
    assert "(acts as the local operator)" not in text


# --------------------------------------------------------------------------- 7. scenario build on a world


def test_scenario_build_on_a_store_with_a_world_names_that_store(services, tmp_path):
    f = tmp_path / "arrival.json"
    f.write_text(json.dumps(ARRIVAL))
    assert runner.invoke(app, ["registry", "register", str(f)], env=_env(services, "it-caseworker")).exit_code == 0
    r = runner.invoke(app, ["scenario", "build"], env=_env(services))
    url = services.engine.url.render_as_string(hide_password=True)
    _refused(r, f"the store {url} already holds a world; point PACTUM_DATABASE_URL at a new store "
                "or remove this one")
    assert "var/pactum.db" not in r.stderr


# --------------------------------------------------------------------------- 8. a reader that leaves


@pytest.mark.parametrize("argv", [
    ["audit", "list", "--format", "csv"],   # written line by line
    ["audit", "list"],                      # JSON, written at once
    ["law", "time-limit", "-"],             # needs no store at all
])
def test_output_to_a_pipe_nobody_reads_ends_quietly_with_141(services, argv):
    """As a Unix tool ended by SIGPIPE (``pactum … | head -1``), not a silent exit code 1 (which
    the CLI keeps for a fault of Pactum's) nor "Exception ignored … BrokenPipeError"."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first line is written
    env = {**os.environ, **_env(services, "auditor")}
    try:
        done = subprocess.run([sys.executable, "-m", "pactum.cli.main", *argv], stdout=write_end,
                              stderr=subprocess.PIPE, input=json.dumps(TIME_LIMIT).encode(), env=env,
                              timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == BROKEN_PIPE_EXIT == 141, done.stderr
    assert done.stderr == b""


# --------------------------------------------------------------------------- 9. a mistyped SQLite path


@pytest.mark.parametrize("argv", [["db", "status"], ["users", "list"], ["audit", "verify"]])
def test_a_command_on_a_store_that_does_not_exist_creates_no_file(tmp_path, argv):
    typo = tmp_path / "typo1.db"
    r = runner.invoke(app, argv, env={"PACTUM_DATABASE_URL": f"sqlite:///{typo}", "PACTUM_CLI_USER": ""})
    _refused(r, f"PACTUM_DATABASE_URL: no store at {typo}: `pactum db upgrade` creates it "
                "(or `make demo` the demo world); check the path if the store is elsewhere")
    assert not typo.exists()


def test_a_command_that_reads_no_store_runs_without_one_and_creates_none(tmp_path):
    missing = tmp_path / "none.db"
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"application": {"registered_in": "FR", "registered_on": "2026-09-01"}}))
    r = runner.invoke(app, ["responsibility", "determine", str(facts)],
                      env={"PACTUM_DATABASE_URL": f"sqlite:///{missing}", "PACTUM_CLI_USER": ""})
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["responsible_member_state"] == "FR"
    assert not missing.exists()


def test_db_upgrade_still_creates_the_store(tmp_path):
    store = tmp_path / "new.db"
    env = {"PACTUM_DATABASE_URL": f"sqlite:///{store}"}
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    assert store.exists()
    assert json.loads(runner.invoke(app, ["db", "status"], env=env).stdout)["up_to_date"] is True
    assert _users(f"sqlite:///{store}") == 0


# --------------------------------------------------------------------------- 10. a misspelt action


def test_a_misspelt_dublin_action_is_named_before_the_body_with_the_actions_there_are(services, tmp_path):
    f = tmp_path / "stale.json"
    f.write_text('{"version": 1}')
    r = runner.invoke(app, ["responsibility", "act", "dbr_x", "bogusaction", str(f)], env=_env(services, "it-dublin"))
    _refused(r, "unknown action 'bogusaction'; use one of accept, refuse, confirm, request_reexamination, "
                "accept_reexamination, refuse_reexamination, contest, accept_refusal, decide_transfer, arrange_transfer, "
                "complete_transfer, withdraw, extend_transfer, record_appeal, decide_appeal")
    # a known action still reaches the request (here: one that does not exist)
    r = runner.invoke(app, ["responsibility", "act", "dbr_x", "accept", str(f)], env=_env(services, "it-dublin"))
    assert r.exit_code == 2 and "unknown action" not in r.stderr


# --------------------------------------------------------------------------- 11. options, not fields


def test_refusals_name_the_option_typed(services, tmp_path):
    _refused(runner.invoke(app, ["reception", "overview", "--overdue-weeks", "-3"], env=_env(services, "it-caseworker")),
             "--overdue-weeks: must be a whole number of weeks from 1 to 520")
    _refused(runner.invoke(app, ["audit", "list", "--before-seq", "-1"], env=_env(services, "auditor")),
             "--before-seq: a sequence number between 1 and 9223372036854775807")
    _refused(runner.invoke(app, ["registry", "search", "--name", "a", "--offset", "99999999999999999999"],
                           env=_env(services, "it-caseworker")),
             f"--offset: {TOO_LARGE_MESSAGE}")


def test_identity_link_names_max_block(tmp_path):
    records = tmp_path / "records.csv"
    records.write_text("record_id,member_state,surname\n1,IT,Rahimi\n")
    r = runner.invoke(app, ["identity", "link", str(records), "--out", str(tmp_path / "out.csv"), "--max-block", "-1"])
    _refused(r, "--max-block: must be 0 (no limit) or a positive number of records")
    assert not Path(tmp_path / "out.csv").exists()
