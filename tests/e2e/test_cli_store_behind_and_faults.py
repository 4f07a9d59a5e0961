"""A store behind the code's migrations, a number beyond the store's 64 bits and a fault of
Pactum's, as the command line and /health tell them: one line each, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from pactum.store.migrate import alembic_config, upgrade


def _store_behind(path: Path) -> str:
    """A SQLite store at the code's migrations except the reception branch's."""
    from alembic import command

    url = f"sqlite:///{path}"
    engine = create_engine(url)
    upgrade(engine)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "reception@-1")
    engine.dispose()
    return url


def _pactum(env: dict[str, str], *argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pactum.cli.main", *argv], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_a_store_behind_the_code_is_one_line_naming_the_fix(tmp_path):
    """The code updated and the store not: commands printed the store's "no such table" with 90
    lines of traceback, and `pactum serve` started and answered 500."""
    url = _store_behind(tmp_path / "behind.db")
    env = {**os.environ, "PACTUM_DATABASE_URL": url}
    line = (f"error: the store at {url} is behind the code (missing migrations reception_0002_condition_decisions): "
            "run `pactum db upgrade`\n")
    # the newest reception migration adds the table of the decisions on applicants' reception
    # conditions: a command reading it meets the store behind the code
    for argv in (["reception", "conditions", "counts"], ["serve", "--port", "8999"]):
        r = _pactum(env, *argv)
        assert (r.returncode, r.stderr) == (2, line), argv
    status = _pactum(env, "db", "status")
    assert status.returncode == 0
    assert json.loads(status.stdout)["to_upgrade"] == ["reception_0002_condition_decisions"]
    assert _pactum(env, "db", "upgrade").returncode == 0
    r = _pactum(env, "reception", "list")
    assert r.returncode == 0, r.stderr
    r = _pactum(env, "reception", "conditions", "counts")
    assert r.returncode == 0, r.stderr


def test_health_says_migrations_pending_with_503(tmp_path, services):
    from pactum.api.app import create_app
    from pactum.services.bootstrap import bootstrap
    from pactum.settings import Settings

    assert TestClient(create_app(services)).get("/health").json()["status"] == "ok"
    url = _store_behind(tmp_path / "behind.db")
    behind = bootstrap(Settings(database_url=url, var_dir=tmp_path))
    r = TestClient(create_app(behind)).get("/health")
    assert r.status_code == 503
    assert r.json()["status"] == "migrations pending" and r.json()["to_upgrade"] == ["reception_0002_condition_decisions"]


def test_a_number_beyond_64_bits_reaching_the_store_is_one_line_and_exit_2(capsys):
    """A whole number of 2^63 that reached SQLite ("Python int too large to convert to SQLite
    INTEGER", an OverflowError, as `pactum statistics import` of such a count did) was a traceback."""
    import typer
    from sqlalchemy import text

    from pactum.cli.io import run_command

    engine = create_engine("sqlite://")

    def store(count: int) -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT :count"), {"count": count})

    with pytest.raises(typer.Exit) as refused:
        run_command(store, 2**63)
    assert refused.value.exit_code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: a number given is beyond what the store holds")
    assert "whole number between" in err


def test_a_nul_character_in_a_file_the_cli_reads_is_one_line(tmp_path, monkeypatch, capsys):
    from pactum.cli.io import read_text

    file = tmp_path / "reports.csv"
    file.write_text("reported_on,period\n2026-11-09,we\x00ek\n")
    with pytest.raises(Exception) as refused:
        read_text(str(file))
    assert getattr(refused.value, "exit_code", None) == 2
    assert capsys.readouterr().err == (f"error: {file}: line 2, column 14: must not contain the NUL "
                                       "character (U+0000)\n")


def test_a_fault_of_pactum_s_is_one_line_exit_1_and_the_traceback_on_request(monkeypatch, capsys, tmp_path):
    import pactum.cli.main as cli

    def broken() -> None:
        raise KeyError("screening_points")

    monkeypatch.setenv("PACTUM_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.setattr(cli, "_store_line", lambda: None)
    monkeypatch.delenv("PACTUM_DEBUG", raising=False)
    with pytest.raises(SystemExit) as ended:
        cli.main()
    assert ended.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: unexpected error KeyError: 'screening_points'")
    assert "PACTUM_DEBUG=1" in err
    monkeypatch.setenv("PACTUM_DEBUG", "1")
    with pytest.raises(SystemExit):
        cli.main()
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and err.endswith("report it)\n")
