"""Bad input to the CLI's shared machinery: one readable line naming what is wrong, exit code 2,
nothing written. The JSON reader every command uses, output paths, ``serve``'s options, the
settings, the store's folder, ``users create`` without a terminal, and Typer's usage errors."""

from __future__ import annotations

import json
import os
import sys

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.common.limits import TOO_LARGE_MESSAGE

runner = CliRunner()

ARRIVAL = {
    "identity": {"surname": "Rahimi", "given_names": "Ahmad", "nationality": "AFG", "date_of_birth": "2000"},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T10:00:00Z", "kind": "irregular_crossing"},
}


def _env(services, **more: str) -> dict[str, str]:
    return {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "it-caseworker",
            "PACTUM_ARGON2_TIME_COST": "1", "PACTUM_ARGON2_MEMORY_KIB": "1024", **more}


def _one_line(r, start: str) -> None:
    """Exit code 2, nothing on stdout, exactly one line on stderr beginning with ``start``."""
    assert r.exit_code == 2, (r.exit_code, r.output, r.exception)
    assert r.stdout == "", r.stdout
    assert r.stderr.count("\n") == 1 and r.stderr.endswith("\n"), r.stderr
    assert r.stderr.startswith(start), r.stderr


def _encounters(services) -> int:
    from pactum.store.tables.registry import encounters

    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(encounters)).scalar_one()


# --------------------------------------------------------------------------- the JSON reader


def test_a_json_file_that_is_not_utf8_exits_2_naming_the_byte(services, tmp_path):
    f = tmp_path / "latin1.json"
    f.write_bytes(json.dumps(ARRIVAL).replace("Rahimi", "Rah\u00efmi").encode("latin-1"))
    r = runner.invoke(app, ["registry", "register", str(f)], env=_env(services))
    assert r.stderr == f"error: {f}: not UTF-8 text: byte 0xef on line 1 (save the file as UTF-8)\n"
    _one_line(r, "error: ")
    assert _encounters(services) == 0


def test_non_utf8_standard_input_exits_2(services):
    r = runner.invoke(app, ["registry", "register", "-"], input=b"\xff\xfe{}", env=_env(services))
    assert r.stderr == "error: standard input: not UTF-8 text: byte 0xff on line 1 (save the file as UTF-8)\n"


@pytest.mark.parametrize("depth", [150, 5000])
def test_json_nested_too_deeply_exits_2(services, depth):
    r = runner.invoke(app, ["registry", "register", "-"], input="[" * depth + "]" * depth,
                      env=_env(services))
    _one_line(r, "error: -: nested more than 100 levels deep")


def test_an_integer_of_thousands_of_digits_exits_2_naming_its_place(services):
    body = json.dumps(ARRIVAL)[:-1] + ', "count": ' + "9" * 5000 + "}"
    r = runner.invoke(app, ["registry", "register", "-"], input=body, env=_env(services))
    assert r.stderr == f"error: -: count {TOO_LARGE_MESSAGE}\n"
    _one_line(r, "error: ")
    assert _encounters(services) == 0


@pytest.mark.parametrize("number", [2**63, -(2**63), 10**30])
def test_a_whole_number_beyond_64_bits_exits_2_naming_its_place(services, tmp_path, number):
    f = tmp_path / "big.json"
    f.write_text(json.dumps({**ARRIVAL, "encounter": {**ARRIVAL["encounter"], "people": [1, number]}}))
    r = runner.invoke(app, ["registry", "register", str(f)], env=_env(services))
    assert r.stderr == f"error: {f}: encounter.people.1 {TOO_LARGE_MESSAGE}\n"
    assert r.exit_code == 2
    assert _encounters(services) == 0


def test_the_reader_still_reads_good_json_whole(services, tmp_path):
    from pactum.cli.io import read_json

    r = runner.invoke(app, ["registry", "register", "-"], input=json.dumps(ARRIVAL), env=_env(services))
    assert r.exit_code == 0, r.output
    assert _encounters(services) == 1
    value = {"n": 2**63 - 1, "m": -(2**63 - 1), "deep": [[[[1.5]]]], "s": "Jos\u00e9", "t": True}
    f = tmp_path / "good.json"
    f.write_text(json.dumps(value), encoding="utf-8")
    assert read_json(str(f)) == value


def test_a_value_of_another_json_type_exits_2_naming_it_as_the_api_refuses_it(services, tmp_path):
    """The CLI reads its JSON files with the API's JSON types: a date of birth written as a
    number, or a boolean written as text, is not converted into something else."""
    for where, bad in ((("encounter", "occurred_at"), 1764000000), (("identity", "date_of_birth"), 2000)):
        body = json.loads(json.dumps(ARRIVAL))
        body[where[0]][where[1]] = bad
        f = tmp_path / "arrival.json"
        f.write_text(json.dumps(body), encoding="utf-8")
        r = runner.invoke(app, ["registry", "register", str(f)], env=_env(services))
        _one_line(r, f"error: {where[0]}.{where[1]}: ")
    assert _encounters(services) == 0


# --------------------------------------------------------------------------- output paths


def test_an_output_file_in_a_folder_that_refuses_files_exits_2_before_any_work(services):
    """``/proc`` exists, and os.access says even root may write there, yet no file can be created:
    the shared check tries, so the command stops first instead of a FileNotFoundError at the end."""
    r = runner.invoke(app, ["followup", "export", "--out", "/proc/pactum-test.yaml"], env=_env(services))
    assert r.stderr == "error: --out: cannot write /proc/pactum-test.yaml: the folder /proc is not writable\n"
    _one_line(r, "error: --out: ")


def test_the_output_check_leaves_nothing_behind(tmp_path):
    from pactum.cli.io import output_file

    output_file("--out", tmp_path / "x.yaml")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- serve


@pytest.fixture
def no_server(monkeypatch):
    """uvicorn.run recorded, never run: ``serve`` must refuse bad options before it."""
    import uvicorn

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append(kw))
    return calls


@pytest.mark.parametrize(("argv", "line"), [
    (["--log-level", "bogus"],
     "error: --log-level: 'bogus' is not one of critical, error, warning, info, debug, trace\n"),
    (["--port", "-1"], "error: Invalid value for '--port': "),
    (["--port", "0"], "error: Invalid value for '--port': "),
    (["--port", "99999"], "error: Invalid value for '--port': "),
    (["--host", "no-such-host.invalid"], "error: --host: cannot resolve 'no-such-host.invalid': "),
])
def test_serve_refuses_bad_options_before_starting(services, no_server, argv, line):
    r = runner.invoke(app, ["serve", *argv], env=_env(services))
    _one_line(r, line)
    assert no_server == []


def test_serve_passes_good_options_on(services, no_server):
    r = runner.invoke(app, ["serve", "--port", "65535", "--log-level", "INFO"], env=_env(services))
    assert r.exit_code == 0, r.output
    assert [(c["port"], c["log_level"]) for c in no_server] == [(65535, "info")]


# --------------------------------------------------------------------------- settings and the store


def test_a_database_url_sqlalchemy_cannot_use_exits_2_naming_the_variable(tmp_path):
    r = runner.invoke(app, ["db", "upgrade"], env={"PACTUM_DATABASE_URL": "bogus://x"})
    assert r.stderr == ("error: PACTUM_DATABASE_URL: no database kind 'bogus' "
                        "(sqlite:///PATH or postgresql://USER@HOST/NAME)\n")
    _one_line(r, "error: PACTUM_DATABASE_URL: ")


def test_a_setting_of_the_wrong_type_exits_2_naming_the_variable(services):
    r = runner.invoke(app, ["audit", "verify"], env=_env(services, PACTUM_SESSION_HOURS="abc"))
    _one_line(r, "error: PACTUM_SESSION_HOURS: Input should be a valid integer")


@pytest.mark.parametrize("argv", [["db", "upgrade"], ["audit", "verify"]])
def test_a_store_in_a_missing_folder_names_the_folder(tmp_path, argv):
    store = tmp_path / "no" / "dir" / "x.db"
    r = runner.invoke(app, argv, env={"PACTUM_DATABASE_URL": f"sqlite:///{store}"})
    assert r.stderr == (f"error: PACTUM_DATABASE_URL: the folder {store.parent} of the store {store} "
                        "does not exist (create it, or point PACTUM_DATABASE_URL elsewhere)\n")
    _one_line(r, "error: ")
    assert not store.parent.exists()


def test_the_command_itself_names_the_missing_folder_not_missing_tables(tmp_path):
    """Through the real entry point (its handler for store errors used to blame missing tables)."""
    import subprocess

    store = tmp_path / "no" / "x.db"
    env = {**os.environ, "PACTUM_DATABASE_URL": f"sqlite:///{store}"}
    r = subprocess.run([sys.executable, "-m", "pactum.cli.main", "db", "upgrade"], env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and f"the folder {store.parent} " in r.stderr
    assert "no Pactum tables" not in r.stderr


# --------------------------------------------------------------------------- users create


def test_users_create_without_a_terminal_asks_for_password_option(services):
    r = runner.invoke(app, ["users", "create", "u4", "--authority", "IT", "--role", "caseworker"],
                      env=_env(services))
    assert r.stderr == ("error: --password: give the password with --password (standard input is "
                        "not a terminal, so it cannot be asked for)\n")
    _one_line(r, "error: --password: ")


def test_users_create_with_password_option(services):
    r = runner.invoke(app, ["users", "create", "it-clerk4", "--authority", "IT", "--role", "caseworker",
                            "--password", "a-long-password"], env=_env(services, PACTUM_CLI_USER=""))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["username"] == "it-clerk4"


# --------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(("argv", "line"), [
    (["procedures", "queue", "--limit", "x"], "error: Invalid value for '--limit': "),
    (["registry", "register"], "error: Missing argument "),
    (["registry", "register", "x.json", "--bogus"], "error: No such option: --bogus"),
    (["--bogus"], "error: No such option: --bogus"),
    (["users", "nope"], "error: No such command 'nope'."),
    (["users"], "error: Missing command."),
])
def test_usage_errors_are_one_line_with_exit_code_2(argv, line):
    r = runner.invoke(app, argv)
    _one_line(r, line)
    assert "╭" not in r.stderr and "Usage:" not in r.stderr


def test_help_is_unchanged():
    r = runner.invoke(app, ["procedures", "queue", "--help"])
    assert r.exit_code == 0 and r.stderr == ""
    assert "Usage: pactum procedures queue [OPTIONS]" in r.stdout and "--limit" in r.stdout
    bare = runner.invoke(app, [])  # no command: the help, as before
    assert "Usage: pactum [OPTIONS] COMMAND" in bare.stdout and "error:" not in bare.output


def test_the_entry_point_prints_usage_errors_in_one_line():
    import subprocess

    r = subprocess.run([sys.executable, "-m", "pactum.cli.main", "procedures", "queue", "--limit", "x"],
                       capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "80"})
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith("error: Invalid value for '--limit': ") and r.stderr.count("\n") == 1

