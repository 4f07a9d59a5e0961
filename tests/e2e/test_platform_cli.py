"""The CLI: JSON in, JSON out with the API's schema; exit code 2 and one line on bad input."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pactum.cli.main import app

runner = CliRunner()


def _env(services):
    return {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "it-caseworker"}


ARRIVAL = {
    "identity": {"surname": "Rahimi", "given_names": "Ahmad", "nationality": "AFG", "date_of_birth": "2000"},
    "encounter": {"member_state": "IT", "occurred_at": "2026-11-20T10:00:00Z", "kind": "irregular_crossing"},
}


def test_register_from_json_prints_the_api_schema(services, tmp_path):
    f = tmp_path / "arrival.json"
    f.write_text(json.dumps(ARRIVAL))
    r = runner.invoke(app, ["registry", "register", str(f)], env=_env(services))
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert set(out) == {"person_id", "identity_record_id", "encounter_id", "regime", "eurodac",
                        "biometrics", "screening", "encounter"}
    assert out["screening"]["variant"] == "border"


def test_bad_json_file_exits_2_with_one_line(services, tmp_path):
    f = tmp_path / "bad.json"
    f.write_text('{"identity": ')
    r = runner.invoke(app, ["registry", "register", str(f)], env=_env(services))
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and "not valid JSON" in r.stderr


def test_invalid_field_exits_2_naming_the_field(services, tmp_path):
    f = tmp_path / "bad.json"
    f.write_text(json.dumps({**ARRIVAL, "encounter": {**ARRIVAL["encounter"], "kind": "flying"}}))
    r = runner.invoke(app, ["registry", "register", str(f)], env=_env(services))
    assert r.exit_code == 2 and "encounter.kind" in r.stderr



def test_a_nul_character_in_a_json_file_exits_2_naming_the_field(services, tmp_path):
    from sqlalchemy import func, select

    from pactum.store.tables.registry import encounters

    f = tmp_path / "nul.json"
    f.write_text(json.dumps({**ARRIVAL, "identity": {**ARRIVAL["identity"], "surname": "Rah\x00imi"}}))
    r = runner.invoke(app, ["registry", "register", str(f)], env=_env(services))
    assert r.exit_code == 2
    assert r.stderr == f"error: {f}: identity.surname must not contain the NUL character (U+0000)\n"
    with services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(encounters)).scalar() == 0

def test_missing_file_exits_2(services):
    r = runner.invoke(app, ["registry", "register", "/nonexistent.json"], env=_env(services))
    assert r.exit_code == 2 and "no such file" in r.stderr


def test_audit_verify_detects_an_altered_entry(services, tmp_path):
    f = tmp_path / "arrival.json"
    f.write_text(json.dumps(ARRIVAL))
    runner.invoke(app, ["registry", "register", str(f)], env=_env(services))
    ok = runner.invoke(app, ["audit", "verify"], env=_env(services))
    assert ok.exit_code == 0 and "intact" in ok.stdout
    from sqlalchemy import text

    with services.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3"))
    broken = runner.invoke(app, ["audit", "verify"], env=_env(services))
    assert broken.exit_code == 1 and "entry 3 was altered" in broken.stderr


def test_audit_verify_detects_a_removed_entry(services):
    from sqlalchemy import text

    with services.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    r = runner.invoke(app, ["audit", "verify"], env=_env(services))
    assert r.exit_code == 1 and "entry 2 is missing" in r.stderr


def test_retention_apply_erases_what_is_past_its_period_and_audits_it(services, tmp_path, principal):
    from datetime import UTC, datetime

    from pactum.registry.model import RegisterArrival
    from pactum.services import registry

    old = {**ARRIVAL, "encounter": {**ARRIVAL["encounter"], "occurred_at": "2025-01-15T10:00:00Z"},
           "biometrics": {"captured_at": "2025-01-15T12:00:00Z", "template_ref": "t"}}
    # registered when it happened: data already past their period are not registered (Art 29)
    now = services.clock.now()
    services.clock.set(datetime(2025, 1, 16, 9, tzinfo=UTC))
    out = registry.register_arrival(services, principal("it-caseworker"), RegisterArrival.model_validate(old))
    services.clock.set(now)
    assert str(out.eurodac.retention_until) == "2026-07-15"  # 18 months under Reg. 603/2013
    env = {"PACTUM_DATABASE_URL": services.settings.database_url}
    r = runner.invoke(app, ["retention", "apply", "--on", "2026-11-28"], env=env)
    assert r.exit_code == 0 and json.loads(r.stdout) == {"erased": 1}
    again = runner.invoke(app, ["retention", "apply", "--on", "2026-11-28"], env=env)
    assert json.loads(again.stdout) == {"erased": 0}
    from sqlalchemy import select

    from pactum.store.tables.platform import audit_log

    with services.engine.connect() as conn:
        actions = list(conn.execute(select(audit_log.c.action)).scalars())
    assert "eurodac.erased" in actions
    bad = runner.invoke(app, ["retention", "apply", "--on", "28/11/2026"], env=env)
    assert bad.exit_code == 2


def test_scenario_build_refuses_an_unknown_scale(services):
    r = runner.invoke(app, ["scenario", "build", "--scale", "huge"],
                      env={"PACTUM_DATABASE_URL": services.settings.database_url})
    assert r.exit_code == 2 and "scale 'huge'" in r.stderr


def test_a_value_the_store_refuses_is_one_line_and_exit_code_2(capsys):
    """The last line of defence behind validation: a column PostgreSQL finds too small for a value
    is reported as a refusal, not a traceback."""
    import pytest
    import typer
    from sqlalchemy.exc import DataError

    from pactum.cli.io import run_command

    def refused() -> None:
        raise DataError("INSERT ...", {}, Exception("value too long for type character varying(3)\nDETAIL: x"))

    with pytest.raises(typer.Exit) as exit_info:
        run_command(refused)
    assert exit_info.value.exit_code == 2
    assert capsys.readouterr().err == "error: the store refused a value: value too long for type character varying(3)\n"



def test_a_store_without_tables_is_one_line_naming_the_fix(tmp_path):
    """A command run where no store was migrated (a fresh folder, a new PostgreSQL database)
    says so instead of printing the store's 'no such table' traceback; serve refuses to start
    rather than answer 500 on every page. Commands that need no store still run."""
    import os
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    (tmp_path / "empty.db").touch()  # a store never migrated (one that does not exist: test_qa19_cli)
    env = {**os.environ, "PACTUM_DATABASE_URL": url}

    def pactum(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pactum.cli.main", *argv], env=env, input=stdin,
                              capture_output=True, text=True, timeout=120)

    for argv in (["followup", "list"], ["audit", "verify"], ["serve", "--port", "8999"]):
        r = pactum(*argv)
        assert r.returncode == 2, (argv, r.stderr)
        assert r.stderr == (f"error: the store {url} has no Pactum tables yet: "
                            "run `pactum db upgrade` (or `make demo` for the demo world)\n"), argv
    limit = pactum("law", "time-limit", "-", stdin=json.dumps(
        {"kind": "transfer", "event_at": "2026-08-01T10:00:00Z", "member_state": "DE",
         "application_registered_on": "2026-08-01"}))
    assert limit.returncode == 0 and json.loads(limit.stdout)["ends_on"] == "2027-02-01"
    assert pactum("db", "upgrade").returncode == 0
    assert pactum("audit", "verify").returncode == 0
    # a store that cannot be reached at all: one line naming it, not a traceback
    env["PACTUM_DATABASE_URL"] = "postgresql+psycopg://pactum@127.0.0.1:1/pactum"
    r = pactum("audit", "verify")
    assert r.returncode == 2
    assert r.stderr.startswith("error: cannot reach the store postgresql+psycopg://pactum@127.0.0.1:1/pactum: ")
    assert r.stderr.count("\n") == 1


def test_version_and_whether_the_store_is_at_the_codes_migrations(services, tmp_path):
    from pactum import __version__

    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout == f"pactum {__version__}\n"
    # a store never migrated: every branch is to upgrade; after `db upgrade`, none
    fresh = {"PACTUM_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    (tmp_path / "fresh.db").touch()
    before = json.loads(runner.invoke(app, ["db", "status"], env=fresh).stdout)
    assert before["applied"] == [] and before["up_to_date"] is False
    assert before["to_upgrade"] == before["code"] and len(before["code"]) >= 8  # one head per area branch
    assert runner.invoke(app, ["db", "upgrade"], env=fresh).exit_code == 0
    after = json.loads(runner.invoke(app, ["db", "status"], env=fresh).stdout)
    # every head of the code reached; a head another area's migration depends on
    # (registry_0006, which awareness_0002 reads) leaves the store's version table
    assert after["code"] == before["code"] and set(after["applied"]) <= set(after["code"])
    assert set(after["code"]) - set(after["applied"]) == {"registry_0006_encounter_time_zone"}
    assert after["to_upgrade"] == [] and after["up_to_date"] is True
    assert json.loads(runner.invoke(app, ["db", "status"], env=_env(services)).stdout)["up_to_date"] is True


def test_an_administrator_lists_and_changes_users_from_the_command_line(services):
    """As on the user administration page: a state's administrator sees and manages their own
    state's users only; a change is audited, and a deactivated user can no longer log in."""
    from pactum.common.errors import Unauthenticated
    from pactum.services import users

    admin = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "it-admin"}
    listed = json.loads(runner.invoke(app, ["users", "list"], env=admin).stdout)
    assert listed and {u["authority"] for u in listed} == {"IT"}
    assert "it-caseworker" in [u["username"] for u in listed]

    r = runner.invoke(app, ["users", "update", "it-caseworker", "--role", "caseworker", "--role", "dublin_unit",
                            "--full-name", "Giulia Rossi"], env=admin)
    assert r.exit_code == 0, r.output
    changed = json.loads(r.stdout)
    assert changed["roles"] == ["caseworker", "dublin_unit"] and changed["full_name"] == "Giulia Rossi"
    r = runner.invoke(app, ["users", "update", "it-caseworker", "--inactive"], env=admin)
    assert r.exit_code == 0 and json.loads(r.stdout)["active"] is False
    import pytest

    with pytest.raises(Unauthenticated):
        users.authenticate(services, "it-caseworker", "pactum-demo")
    # another state's user is not this administrator's to see; nothing given, nothing to change
    r = runner.invoke(app, ["users", "update", "de-caseworker", "--inactive"], env=admin)
    assert r.exit_code == 2 and r.stderr.startswith("error: ")
    r = runner.invoke(app, ["users", "update", "it-return"], env=admin)
    assert r.exit_code == 2 and r.stderr == "error: give what changes: --role, --full-name, --active or --inactive, --password\n"
    r = runner.invoke(app, ["audit", "verify"], env=admin)
    assert r.exit_code == 0, r.output


def test_a_registered_person_is_found_and_read_from_the_command_line_as_through_the_api(services, client,
                                                                                        auth_headers, tmp_path):
    f = tmp_path / "arrival.json"
    f.write_text(json.dumps(ARRIVAL))
    registered = json.loads(runner.invoke(app, ["registry", "register", str(f)], env=_env(services)).stdout)
    h = auth_headers("it-caseworker")
    found = json.loads(runner.invoke(app, ["registry", "search", "--name", "rahimi"], env=_env(services)).stdout)
    assert [r["person_id"] for r in found] == [registered["person_id"]]
    assert found == client.get("/api/v1/registry/search", params={"name": "rahimi"}, headers=h).json()
    shown = json.loads(runner.invoke(app, ["registry", "person", registered["person_id"]], env=_env(services)).stdout)
    assert shown == client.get(f"/api/v1/registry/persons/{registered['person_id']}", headers=h).json()
    due = json.loads(runner.invoke(app, ["registry", "screenings-due"], env=_env(services)).stdout)
    api_due = client.get("/api/v1/registry/screenings/due", headers=h).json()
    # the same screenings, written alike (hours_left runs on each side's own clock)
    assert [{k: v for k, v in d.items() if k != "hours_left"} for d in due] == \
        [{k: v for k, v in d.items() if k != "hours_left"} for d in api_due] and due
    # another state's caseworker does not find it
    de = {**_env(services), "PACTUM_CLI_USER": "de-caseworker"}
    assert json.loads(runner.invoke(app, ["registry", "search", "--name", "rahimi"], env=de).stdout) == []
    r = runner.invoke(app, ["registry", "person", registered["person_id"]], env=de)
    assert r.exit_code == 2 and r.stderr.startswith("error: ")


def test_the_auditor_reads_the_log_from_the_command_line(services, tmp_path):
    f = tmp_path / "arrival.json"
    f.write_text(json.dumps(ARRIVAL))
    registered = json.loads(runner.invoke(app, ["registry", "register", str(f)], env=_env(services)).stdout)
    auditor = {**_env(services), "PACTUM_CLI_USER": "auditor"}
    entries = json.loads(runner.invoke(app, ["audit", "list", "--entity-id", registered["identity_record_id"]],
                                       env=auditor).stdout)
    assert [e["action"] for e in entries] == ["arrival.registered"]
    assert entries[0]["actor"] == "it-caseworker"
    r = runner.invoke(app, ["audit", "list"], env=_env(services))  # a caseworker is no auditor
    assert r.exit_code == 2 and "auditor" in r.stderr
