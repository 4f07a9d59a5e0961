"""The examples of the README and the area pages stay in step with the code ("docs are kept in step
by tests"): every ``pactum …`` command they show names commands and options the CLI has, every
``/api/v1/…`` path they mention is a route of the app (with the method they give), every job they
name is registered, and a few read-only commands, run on the test store, print what the pages say
they print (fields, values of the shipped data, exit codes).

docs/cli.md and docs/api.md are generated (tests/test_docs.py); docs/performance.md and docs/adr/
are records of measurements and decisions, not examples.
"""

from __future__ import annotations

import json
import re
import shlex
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from pactum.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["README.md", *(f"docs/{name}.md" for name in (
    "registry", "identity", "procedures", "responsibility", "returns", "solidarity", "awareness",
    "followup", "law", "settings", "development"))]
ELLIPSIS = ("…", "...")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

runner = CliRunner()


def _text(page: str) -> str:
    return (ROOT / page).read_text(encoding="utf-8")


# ------------------------------------------------------------------ what the pages show


def _code_spans(text: str) -> list[tuple[int, str]]:
    """Inline code spans outside fenced blocks, with the line they start on; a span may run over
    a line break (joined with a space)."""
    out: list[tuple[int, str]] = []
    prose = re.sub(r"^```.*?^```", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.M | re.S)
    for m in re.finditer(r"`([^`]+)`", prose):
        out.append((prose.count("\n", 0, m.start()) + 1, " ".join(m.group(1).split())))
    return out


def _fenced_blocks(text: str) -> list[tuple[int, str, str]]:
    """(first line, info string, body) of every fenced code block."""
    return [(text.count("\n", 0, m.start()) + 1, m.group(1).strip(), m.group(2))
            for m in re.finditer(r"^```([^\n]*)\n(.*?)^```", text, flags=re.M | re.S)]


def _fenced_commands(body: str) -> list[str]:
    """``pactum …`` lines of a code block, a line continued by an indented one joined to it."""
    commands: list[str] = []
    for line in body.splitlines():
        stripped = line.strip()
        if re.match(r"(\.venv/bin/)?pactum ", stripped):
            commands.append(stripped)
        elif commands and line[:1].isspace() and stripped.startswith(("[", "--")):
            commands[-1] += " " + stripped
    return commands


def _relative_commands(text: str) -> list[tuple[int, str]]:
    """Commands a page writes without ``pactum <group>``: the spans of the paragraph that follows
    "(`pactum returns …`)" (in a heading: the next paragraph), prefixed with that group; and the
    cells of a table's CLI column, returned as written (the caller prefixes the page's area)."""
    lines = text.splitlines()
    found: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        trigger = re.search(r"\(`pactum ([a-z-]+) (?:…|\.\.\.)`\)", line)
        if not trigger:
            continue
        start = i + 1 if line.startswith("#") else i
        while start < len(lines) and not lines[start].strip():
            start += 1
        end = start
        while end < len(lines) and lines[end].strip():
            end += 1
        paragraph = "\n".join(lines[start:end])
        if start == i:  # the trigger's own line: only what follows it
            paragraph = paragraph[trigger.end():]
        for line_no, span in _code_spans(paragraph):
            if re.match(r"[a-z][a-z-]*( |$)", span):
                found.append((start + line_no, f"pactum {trigger.group(1)} {span}"))
    column = None
    for i, line in enumerate(lines):
        if not line.startswith("|"):
            column = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if "CLI" in cells:
            column = cells.index("CLI")
        elif column is not None and column < len(cells) and not set(cells[column]) <= set("-: "):
            for span in re.findall(r"`([^`]+)`", cells[column]):
                if re.match(r"[a-z][a-z-]*( |$)", span):
                    found.append((i + 1, span))
    return found


def page_commands(page: str) -> list[tuple[int, str]]:
    """Every command a page shows, as (line, command text)."""
    text = _text(page)
    found = [(line, span) for line, span in _code_spans(text) if re.match(r"(\.venv/bin/)?pactum ", span)]
    for line, info, body in _fenced_blocks(text):
        if info in ("", "sh", "bash", "console", "shell"):
            found += [(line, command) for command in _fenced_commands(body)]
    area = Path(page).stem
    for line, command in _relative_commands(text):
        found.append((line, command if command.startswith("pactum ") else f"pactum {area} {command}"))
    return found


# ------------------------------------------------------------------ the CLI as click sees it


@cache
def _cli() -> Any:
    """The click command tree of ``pactum`` (Typer's own copy of click: duck-typed)."""
    command = typer.main.get_command(app)
    assert _is_group(command)
    return command


def _is_group(command: Any) -> bool:
    return isinstance(getattr(command, "commands", None), dict)


def _options(command: Any) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for param in command.params:
        if param.param_type_name == "option":
            for name in (*param.opts, *param.secondary_opts):
                options[name] = param
    return options


def _all_options() -> set[str]:
    names = {"--help"}

    def walk(command: Any) -> None:
        names.update(_options(command))
        if _is_group(command):
            for sub in command.commands.values():
                walk(sub)

    walk(_cli())
    return names


def _tokens(command: str) -> list[str]:
    command = re.sub(r"\s#.*$", "", command)  # a shell comment
    command = re.sub(r"^\.venv/bin/", "", command)
    try:
        tokens = shlex.split(command)
    except ValueError:
        tokens = command.split()
    out: list[str] = []
    for token in tokens:
        token = token.strip("[]")
        if token and token not in ("|", *ELLIPSIS) and not token.endswith(ELLIPSIS):
            out.append(token)
    return out


def _split_alternatives(command: str) -> list[str]:
    """``a | b | c`` at bracket depth 0 (a list of subcommands of one group); inside brackets a
    ``|`` offers alternative options (``[--model M | --em]``) and stays."""
    parts, depth, current = [], 0, ""
    i = 0
    while i < len(command):
        c = command[i]
        depth += c == "["
        depth -= c == "]"
        if depth == 0 and command.startswith(" | ", i):
            parts.append(current)
            current, i = "", i + 3
            continue
        current += c
        i += 1
    return [*parts, current]


def check_command(command: str) -> list[str]:
    """What is wrong with a command as a page writes it (empty: it parses against the CLI)."""
    problems: list[str] = []
    alternatives = _split_alternatives(command)
    group = _cli()
    for index, part in enumerate(alternatives):
        tokens = _tokens(part)
        if index == 0:
            if not tokens or tokens[0] != "pactum":
                return [f"not a pactum command: {part!r}"]
            tokens = tokens[1:]
            current = _cli()
        else:
            current = group
        path: list[str] = []
        while _is_group(current) and tokens and not tokens[0].startswith("-"):
            names = tokens[0].split("|")
            missing = [n for n in names if n not in current.commands]
            if missing:
                problems.append(f"`{' '.join(['pactum', *path])}` has no command {', '.join(missing)} "
                                f"(it has {', '.join(sorted(current.commands))})")
                break
            group = current
            path.append(names[0])
            current = current.commands[names[0]]
            tokens = tokens[1:]
        else:
            problems += _check_arguments(current, ["pactum", *path], tokens)
            continue
    return problems


def _check_arguments(command: Any, path: list[str], tokens: list[str]) -> list[str]:
    name = " ".join(path)
    if _is_group(command):
        return [f"`{name}` is a group; `{tokens[0]}` is none of its commands"] if tokens else []
    options = _options(command)
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    room = float("inf") if any(a.nargs == -1 for a in arguments) else sum(a.nargs for a in arguments)
    problems, positional, i = [], 0, 0
    while i < len(tokens):
        token = tokens[i]
        if token.startswith("--"):
            option_name = token.split("=", 1)[0]
            option = options.get(option_name)
            if option is None and option_name != "--help":
                problems.append(f"`{name}` has no option {option_name} (it has {', '.join(sorted(options))})")
            elif (option is not None and not option.is_flag and "=" not in token and i + 1 < len(tokens)
                  and not tokens[i + 1].startswith("-")):
                i += 1  # its value
        elif token != "-" and token.startswith("-"):
            problems.append(f"`{name}`: unexpected {token}")
        else:
            positional += 1
        i += 1
    if positional > room:
        problems.append(f"`{name}` takes {room} argument(s); the page gives {positional}: {tokens}")
    return problems


# ------------------------------------------------------------------ the routes


@cache
def _routes() -> list[tuple[re.Pattern[str], frozenset[str], str]]:
    """The API's routes as the OpenAPI schema lists them (the schema docs/api.md is made from)."""
    from pactum.api.app import create_app

    out = []
    for path, operations in create_app().openapi()["paths"].items():
        if path.startswith("/api/v1"):
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
            out.append((re.compile(pattern + "$"), frozenset(m.upper() for m in operations), path))
    return out


def _variants(path: str) -> list[str]:
    """A page's path without its query (``[?on=]``, ``?year=``), optional parts both ways
    (``reports/2026-W47[/pdf]``)."""
    path = re.sub(r"\[[?&][^\]]*\]", "", path).split("?", 1)[0]
    optional = re.search(r"\[(/[^\]]*)\]", path)
    if optional:
        return [path[:optional.start()] + path[optional.end():],
                path[:optional.start()] + optional.group(1) + path[optional.end():]]
    return [path]


def page_paths(page: str) -> list[tuple[int, str | None, str]]:
    """(line, methods or None, path) for every API path a page mentions: ``/api/v1/…`` anywhere,
    and ``GET /x`` in a section whose API base a heading gives (``## API (`/api/v1/returns`)``)."""
    found: list[tuple[int, str | None, str]] = []
    base = "/api/v1"
    for number, line in enumerate(_text(page).splitlines(), start=1):
        if line.startswith("#"):
            heading = re.search(r"`(/api/v1[^`]*)`", line)
            base = heading.group(1) if heading else "/api/v1"
        seen: set[int] = set()
        method_re = rf"((?:{'|'.join(METHODS)})(?:\|(?:{'|'.join(METHODS)}))*) (/[^\s`,;)]*)"
        for m in re.finditer(method_re, line):
            path = m.group(2)
            if not path.startswith("/api/"):
                path = base + path
            found.append((number, m.group(1), path))
            seen.add(m.start(2))
        for m in re.finditer(r"/api/v1(/[^\s`,;)]*)?", line):
            if m.start() in seen or m.group(1) is None:
                continue
            found.append((number, None, m.group(0).rstrip(".:")))
    return [(n, methods, path) for n, methods, path in found if not any(e in path for e in ELLIPSIS)]


def check_path(methods: str | None, path: str) -> list[str]:
    problems = []
    for variant in _variants(path):
        matches = [(allowed, template) for pattern, allowed, template in _routes() if pattern.match(variant)]
        if not matches:
            prefix = [t for _, _, t in _routes() if t.startswith(variant.rstrip("/") + "/")]
            if methods is None and prefix and variant.count("/") <= 3:
                continue  # an area's base, "the API under /api/v1/returns"
            problems.append(f"no route {variant}")
            continue
        offered = set().union(*(allowed for allowed, _ in matches))
        for method in (methods.split("|") if methods else ()):
            if method not in offered:
                problems.append(f"{method} {variant}: the route offers {', '.join(sorted(offered))}")
    return problems


# ------------------------------------------------------------------ the checks


@pytest.mark.parametrize("page", PAGES)
def test_every_command_a_page_shows_parses_against_the_cli(page):
    commands = page_commands(page)
    problems = [f"{page}:{line}: {command}\n    {problem}"
                for line, command in commands for problem in check_command(command)]
    assert not problems, "\n".join(problems)


def test_the_pages_show_commands_and_the_collector_finds_them():
    """The collector itself: it finds the commands of each kind of example (a failure here means
    the pages changed form, not that the CLI changed)."""
    found = {page: {c for _, c in page_commands(page)} for page in PAGES}
    assert ".venv/bin/pactum serve --workers 2" in found["README.md"]
    assert any(c.startswith("pactum identity link INPUT.csv --out CLUSTERS.csv") and "--max-block" in c
               for c in found["docs/identity.md"])
    assert "pactum returns stats --year YYYY [--member-state CODE] [--format json|csv]" in found["docs/returns.md"]
    assert "pactum followup history action 9.b" in found["docs/followup.md"]
    assert "pactum solidarity cycle-action YEAR open_pledging FILE" in found["docs/solidarity.md"]
    assert sum(len(v) for v in found.values()) >= 100


def test_a_wrong_command_or_option_is_caught():
    assert check_command("pactum returns stats --year 2026") == []
    assert check_command("pactum returns statistics --year 2026")
    assert check_command("pactum returns stats --yaer 2026")
    assert check_command("pactum responsibility determine F | case F | sweep [--on DATE]") == []
    assert check_command("pactum responsibility determine F | case F | sweeps")
    assert check_command("pactum procedures safe-country list|remove")
    assert check_command("pactum law time-limit A.json B.json")
    assert check_path("GET", "/api/v1/law/parameters[?on=]") == []
    assert check_path("DELETE", "/api/v1/law/parameters")
    assert check_path(None, "/api/v1/law/paramaters")


@pytest.mark.parametrize("page", PAGES)
def test_every_option_a_page_names_exists(page):
    options = _all_options()
    unknown = [f"{page}:{line}: `{span}`" for line, span in _code_spans(_text(page))
               if span.startswith("--") and span.split()[0].split("=")[0] not in options]
    assert not unknown, "options no command has:\n" + "\n".join(unknown)


@pytest.mark.parametrize("page", PAGES)
def test_every_api_path_a_page_mentions_is_a_route(page):
    problems = [f"{page}:{line}: {methods or ''} {path}: {problem}"
                for line, methods, path in page_paths(page) for problem in check_path(methods, path)]
    assert not problems, "\n".join(problems)


def test_the_pages_mention_api_paths():
    found = {page: page_paths(page) for page in PAGES}
    assert ("PATCH", "/api/v1/returns/decisions/{id}/facts") in {(m, p) for _, m, p in found["docs/returns.md"]}
    assert sum(len(v) for v in found.values()) >= 100


def test_every_job_a_page_names_is_registered():
    from pactum.services.jobs import load_all

    names = set(load_all())
    named = {(page, name) for page in PAGES
             for name in re.findall(r"[Jj]ob `([a-z0-9_.-]+)`", " ".join(_text(page).split()))}
    assert len(named) >= 8
    unknown = sorted(f"{page}: {name}" for page, name in named if name not in names)
    assert not unknown, f"jobs no area registers: {unknown}"


def _spans_and_blocks(page: str) -> list[tuple[int, str]]:
    text = _text(page)
    return _code_spans(text) + [(line, body) for line, _, body in _fenced_blocks(text)]


def test_every_make_target_a_page_names_exists():
    makefile = _text("Makefile")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M))
    named = {(page, line, m.group(1)) for page in PAGES for line, span in _spans_and_blocks(page)
             for m in re.finditer(r"\bmake ([a-z][a-z-]*)", span)}
    assert len(named) >= 10
    unknown = sorted(f"{page}:{line}: make {target}" for page, line, target in named if target not in targets)
    assert not unknown, f"no such make target: {unknown}"


def test_every_file_a_page_names_exists():
    """``src/…``, ``tests/…``, ``bench/…``, ``scripts/…`` and ``docs/…`` paths (development.md's
    area ``foo`` is a placeholder)."""
    named = {(page, line, m.group(1).rstrip(".,:")) for page in PAGES for line, span in _code_spans(_text(page))
             for m in re.finditer(r"(?:^|[\s(])((?:src|tests|bench|scripts|docs)/[\w./-]*)(?![\w<{*])", span)}
    named = {n for n in named if "/foo" not in n[2]}
    assert len(named) >= 60
    missing = sorted(f"{page}:{line}: {path}" for page, line, path in named if not (ROOT / path).exists())
    assert not missing, "no such file:\n" + "\n".join(missing)


# ------------------------------------------------------------------ run them


def _json_after(page: str, marker: str, index: int = 0) -> Any:
    """The JSON of the ``index``-th ```json block after ``marker`` on a page."""
    text = _text(page)
    at = text.index(marker)
    blocks = re.findall(r"^```json\n(.*?)^```", text[at:], flags=re.M | re.S)
    return json.loads(blocks[index])


def _top_level_keys(shown: str) -> list[str]:
    """The keys of the outermost object of JSON a page writes with placeholders."""
    keys, depth = [], 0
    for m in re.finditer(r'[{}\[\]]|"(\w+)":', shown):
        if m.group(0) in "{[":
            depth += 1
        elif m.group(0) in "}]":
            depth -= 1
        elif depth == 1:
            keys.append(m.group(1))
    return keys


def _is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and (value.strip() in ELLIPSIS
                                       or (value.startswith(ELLIPSIS) and value.endswith(ELLIPSIS)))


def matches(doc: Any, actual: Any, *, values: bool = True, where: str = "") -> list[str]:
    """How ``actual`` differs from a page's example: ``…`` in a string stands for any text, a list
    holding ``…`` for more elements, a ``"...": "..."`` key for more keys, ``{}`` for any object.
    With ``values=False`` only the shape (keys at every level) is compared."""
    if isinstance(doc, dict):
        if not isinstance(actual, dict):
            return [f"{where}: an object on the page, {type(actual).__name__} printed"]
        if not doc or (not values and all(k.isdigit() for k in doc)):
            return []  # any object; counts keyed by a value (by_model_version: {"0": 30})
        keys = set(doc) - {"...", "…"}
        problems = []
        if "..." in doc or "…" in doc:
            if keys - set(actual):
                problems.append(f"{where}: printed without {sorted(keys - set(actual))}")
        elif set(doc) != set(actual):
            problems.append(f"{where}: keys {sorted(doc)} on the page, {sorted(actual)} printed")
        for key in keys & set(actual):
            problems += matches(doc[key], actual[key], values=values, where=f"{where}.{key}")
        return problems
    if isinstance(doc, list):
        if not isinstance(actual, list):
            return [f"{where}: a list on the page, {type(actual).__name__} printed"]
        if not doc:
            return []
        loose = any(_is_placeholder(d) or (isinstance(d, str | dict) and any(e in json.dumps(d, ensure_ascii=False)
                                                                            for e in ELLIPSIS)) for d in doc)
        if len(doc) == len(actual) and not any(_is_placeholder(d) for d in doc):
            return [p for i, (d, a) in enumerate(zip(doc, actual, strict=True))
                    for p in matches(d, a, values=values, where=f"{where}[{i}]")]
        if not loose:
            return [f"{where}: {len(doc)} element(s) on the page, {len(actual)} printed"]
        return [f"{where}: nothing printed matches {d!r}" for d in doc if not _is_placeholder(d)
                and not any(not matches(d, a, values=values) for a in actual)]
    if not values:
        return []
    if isinstance(doc, str) and any(e in doc for e in ELLIPSIS):
        pieces = [p for p in re.split(r"…|\.\.\.", doc) if p]
        position = 0
        for piece in pieces:
            position = actual.find(piece, position) if isinstance(actual, str) else -1
            if position < 0:
                return [f"{where}: {doc!r} on the page, {actual!r} printed"]
        return []
    return [] if doc == actual else [f"{where}: {doc!r} on the page, {actual!r} printed"]


@pytest.fixture
def cli(services, monkeypatch, tmp_path):
    monkeypatch.setenv("PACTUM_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("PACTUM_VAR_DIR", str(services.settings.var_dir))
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(ROOT / "var" / "numba"))

    def run(*args: str, user: str = "", stdin: str | None = None) -> tuple[int, Any, str]:
        monkeypatch.setenv("PACTUM_CLI_USER", user)
        result = runner.invoke(app, list(args), input=stdin)
        try:
            out = json.loads(result.stdout)
        except ValueError:
            out = result.stdout
        return result.exit_code, out, result.stderr

    return run


def _write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def test_routing_prints_the_answer_procedures_md_shows(cli, tmp_path):
    page = "docs/procedures.md"
    body = _json_after(page, "`pactum procedures route FILE.json` take")
    answer = _json_after(page, "`pactum procedures route FILE.json` take", 1)
    code, out, err = cli("procedures", "route", _write(tmp_path, "routing.json", body))
    assert code == 0, err
    assert not matches(answer, out, where="answer"), matches(answer, out, where="answer")


def test_determination_prints_the_fields_responsibility_md_names(cli, tmp_path):
    page = "docs/responsibility.md"
    body = _json_after(page, "### The JSON contract")
    code, out, err = cli("responsibility", "determine", _write(tmp_path, "facts.json", body))
    assert code == 0, err
    named = re.search(r"and return `\{([^}]*)\}`", _text(page)).group(1)
    assert set(out) == set(re.findall(r'"(\w+)"', named))
    body["unknown_field"] = 1  # "Unknown fields are refused ... (CLI exit 2) naming the field"
    code, _, err = cli("responsibility", "determine", _write(tmp_path, "bad.json", body))
    assert code == 2 and "unknown_field" in err and err.count("\n") == 1


def test_time_limit_prints_the_answer_law_md_lists(cli, tmp_path):
    page = "docs/law.md"
    text = " ".join(_text(page).split())
    body = json.loads(re.search(r"Body: `(\{.*?\})`", text).group(1))
    code, out, err = cli("law", "time-limit", _write(tmp_path, "limit.json", body))
    assert code == 0, err
    listed = re.findall(r"`(\w+)`", re.search(r"Answer: (.*?) Bad input", text).group(1))
    assert set(out) == set(listed), (sorted(out), sorted(listed))
    # the Python example of the same page: two months from the event, Reg. 1182/71
    assert (out["kind"], out["regime"], out["ends_on"]) == ("take_charge_request", "ammr", "2026-11-02")


def test_the_law_parameters_example(cli):
    code, out, err = cli("law", "parameters", "--on", "2026-09-01", "--prefix", "eurodac")
    assert code == 0, err
    values = {p["path"]: p["value"] for p in out["parameters"]}
    # law.md: param("eurodac.biometrics.minimum_age", on=date(2026, 9, 1)).value  # 6
    shown = re.search(r'param\("eurodac\.biometrics\.minimum_age".*?\.value\s+# (\d+)', _text("docs/law.md"))
    assert values["eurodac.biometrics.minimum_age"] == int(shown.group(1))


def test_relocation_matching_prints_the_output_solidarity_md_gives(cli, tmp_path):
    page = "docs/solidarity.md"
    body = _json_after(page, "## Individual relocation matching")
    for applicant in body["applicants"]:
        for link in applicant["links"]:
            link["kind"] = link["kind"].split("|")[0]  # the page lists the kinds a link may take
    code, out, err = cli("solidarity", "match", _write(tmp_path, "match.json", body), user="com-solidarity")
    assert code == 0, err
    shown = re.search(r"Output: `(\{.*?\})`\.", " ".join(_text(page).split())).group(1)
    assert list(out) == _top_level_keys(shown)
    assert set(out["objective"]) >= {"relocated", "link_score"}
    assert out["solver"]["name"] == "HiGHS" and out["solver"]["optimal"] is True
    assert out["assignments"] == [{"applicant_id": "A1", "member_state": "DE"}]


def test_fair_shares_state_the_reference_year_and_pool_solidarity_md_gives(cli):
    code, out, err = cli("solidarity", "fair-shares", "--year", "2026")
    assert code == 0, err
    text = " ".join(_text("docs/solidarity.md").split())
    year = re.search(r"The latest year available offline is (\d{4})", text).group(1)
    assert out["reference_year"] == int(year)
    relocations, millions = re.search(r"the 2026 pool \(([\d,]+) / EUR (\d+)m", text).groups()
    assert out["pool"]["relocations"] == int(relocations.replace(",", ""))
    assert out["pool"]["financial_eur"] == int(millions) * 1_000_000


def test_return_statistics_print_the_json_returns_md_shows(cli):
    shown = _json_after("docs/returns.md", "## Statistics (`pactum returns stats --year 2026`)")
    code, out, err = cli("returns", "stats", "--year", "2026", user="it-return")
    assert code == 0, err
    assert set(out) == set(shown) and out["year"] == shown["year"] and out["rows"] == []
    # the page's row, counted as the statistics count it: DE returned one TUN national in 2026
    from datetime import date

    from pactum.returns.stats import Return, stats_rows

    row = shown["rows"][0]
    rows = stats_rows(2026, [], [Return("p1", row["member_state"], row["nationality"], date(2026, 5, 4))])
    assert not matches(shown, {"year": 2026, "rows": rows}, where="stats")


def test_verification_outcomes_print_the_json_identity_md_shows(cli):
    page = "docs/identity.md"
    shown = _json_after(page, "### How the model fares on the officers' decisions")
    code, out, err = cli("identity", "outcomes", user="it-caseworker")
    assert code == 0, err
    assert not matches(shown, out, values=False, where="outcomes")
    bands = re.search(r"one row per band ([\d. /]+), empty bands included", json.dumps(shown)).group(1)
    edges = [float(x) for x in bands.split(" / ")]
    assert [r["low"] for r in out["rows"] if r["evidence"] == "biographic"] == edges[:-1]
    assert [r["evidence"] for r in out["rows"] if r["low"] is None] == [
        row["evidence"] for row in shown["rows"] if isinstance(row, dict) and row["low"] is None]
    code, _, err = cli("identity", "outcomes", "--model-version", "-1", user="it-caseworker")
    assert code == 2 and err.count("\n") == 1 and "--model-version: " in err  # "a 422 naming the field"


def test_the_backtest_prints_what_awareness_md_shows(cli):
    text = _text("docs/awareness.md")
    block = next(body for _, _, body in _fenced_blocks(text) if "pactum awareness backtest --route" in body)
    command = _tokens(next(line for line in block.splitlines() if line.startswith("pactum awareness backtest")))
    code, out, err = cli(*command[1:], user="frontex-analyst")
    assert code == 0, err
    shown = re.search(r"^\{.*?\}$", block, flags=re.M | re.S).group(0)
    assert list(out) == _top_level_keys(shown)
    assert out["route"] == command[command.index("--route") + 1]
    assert out["origins"] == int(re.search(r'"origins": (\d+)', shown).group(1))
    assert set(out["models"][0]) == set(re.findall(r'"(\w+)": ', shown.split('"models": [')[1].split("}")[0]))
