"""Generate docs/cli.md from the CLI's own --help and docs/api.md from the OpenAPI schema.

`make docs` runs it; tests/test_docs.py fails when either file is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _walk(group, prefix):  # type: ignore[no-untyped-def]
    yield prefix, group
    if hasattr(group, "list_commands"):
        for name in sorted(group.list_commands(None)):
            yield from _walk(group.get_command(None, name), [*prefix, name])


def cli_markdown() -> str:
    import typer.core
    import typer.main
    from typer.testing import CliRunner

    typer.core.HAS_RICH = False  # plain click help: stable text for the reference
    from pactum.cli.main import app

    command = typer.main.get_command(app)
    runner = CliRunner()
    out = ["# Command-line reference", "",
           "Generated from `pactum … --help` by `make docs`; a test fails when it is stale.", ""]
    for path, _cmd in _walk(command, []):
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100", "TERM": "dumb",
                                                             "NO_COLOR": "1"}, color=False)
        title = " ".join(["pactum", *path])
        out += [f"## `{title}`", "", "```", result.stdout.rstrip(), "```", ""]
    return "\n".join(out)


def api_markdown() -> str:
    from pactum.api.app import create_app

    schema = create_app().openapi()
    out = ["# HTTP API reference", "",
           "Every route under `/api/v1`, generated from the OpenAPI schema (served at `/openapi.json`, "
           "browsable at `/docs`) by `make docs`; a test fails when it is stale.", "",
           "Authentication: `POST /api/v1/auth/token` with a username and password returns a bearer "
           "token. Errors: 401 without valid credentials, 403 without the role, 404 for what the "
           "user may not see, 409 for a stale version or a transition the state does not allow, "
           "422 with a message per field, each at its location as FastAPI gives it: the source, "
           "then keys as text and list positions as numbers (`[\"body\", \"applicants\", 0, "
           "\"links\", 1, \"kind\"]`), whichever check refused it. A path, query, JSON or form "
           "value holding the NUL "
           "character (U+0000, which PostgreSQL text cannot hold) is refused with 422 at its "
           "location (`[\"body\", \"identity\", \"surname\"]`, `[\"query\", \"name\"]`, "
           "`[\"path\", \"person_id\"]`) on every route and either store; the CLI refuses it in "
           "its JSON files with exit code 2. So is a whole number in a JSON body beyond 64 bits "
           "(the stores' widest column); amounts kept in 32-bit columns name their bound "
           "(2,147,483,647), and text of blanks only is no text where text is required. A JSON "
           "value of another type than the schema's is refused at its location, not converted: "
           "text for a number, `0` or `\"true\"` for a boolean, a number for a date or for text "
           "(`pactum.common.json_types`); the CLI reads its JSON files the same way. A query "
           "parameter the route does not take is refused with 422 at `[\"query\", name]`, naming "
           "those it takes (a misspelt filter was silently dropped and the answer read as filtered).", ""]
    by_tag: dict[str, list[str]] = {}
    for path, methods in sorted(schema["paths"].items()):
        for method, op in methods.items():
            tag = (op.get("tags") or ["other"])[0]
            summary = (op.get("summary") or "").strip()
            by_tag.setdefault(tag, []).append(f"| `{method.upper()}` | `{path}` | {summary} |")
    for tag in sorted(by_tag):
        out += [f"## {tag}", "", "| Method | Path | Summary |", "|---|---|---|", *by_tag[tag], ""]
    return "\n".join(out)


def main() -> int:
    (ROOT / "docs" / "cli.md").write_text(cli_markdown(), encoding="utf-8")
    (ROOT / "docs" / "api.md").write_text(api_markdown(), encoding="utf-8")
    print("wrote docs/cli.md and docs/api.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
