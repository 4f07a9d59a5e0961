"""Counts said as a reader says them: "1 hit", "2 hits", never "1 hit(s)". The shared pager takes
the noun in the singular and its plural; a caller giving one noun gets it as given."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pactum.common.text import counted, plural
from pactum.web.render import TEMPLATES

TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "src" / "pactum" / "web" / "templates"


@pytest.mark.parametrize(("n", "said"), [(0, "0 hits"), (1, "1 hit"), (2, "2 hits"), (1234, "1234 hits")])
def test_a_count_takes_its_noun_in_the_right_number(n: int, said: str) -> None:
    assert counted(n, "hit") == said


def test_irregular_plurals_and_thousands() -> None:
    assert counted(1, "entry", "entries") == "1 entry" and counted(3, "entry", "entries") == "3 entries"
    assert counted(1, "beneficiary", "beneficiaries") == "1 beneficiary"
    assert counted(1234, "decision", grouped=True) == "1,234 decisions"
    assert plural(1, "person", "persons") == "person" and plural(0, "person", "persons") == "persons"


def _pager(total: int, shown: int, offset: int = 0, **nouns: str) -> str:
    macro = TEMPLATES.env.from_string(
        '{% from "_partials/pager.html" import pager %}'
        '{{ pager(total, shown, offset, 2, "?", noun, id="n", nouns=nouns) }}')
    return macro.render(total=total, shown=shown, offset=offset, noun=nouns["noun"], nouns=nouns.get("nouns"))


def test_the_pager_says_one_hit_and_two_hits() -> None:
    assert '<p class="muted" id="n">1 hit.' in _pager(1, 1, noun="hit", nouns="hits")
    assert '<p class="muted" id="n">0 hits.' in _pager(0, 0, noun="hit", nouns="hits")
    assert '<p class="muted" id="n">3 hits; showing 1–2.' in _pager(3, 2, noun="hit", nouns="hits")


def test_the_pager_keeps_a_single_noun_as_given() -> None:
    """A caller that gives no plural (an older template) gets its noun whatever the count."""
    assert '<p class="muted" id="n">2 people.' in _pager(2, 2, noun="people")


def test_no_template_counts_with_an_s_in_brackets() -> None:
    """No page says "(s)", "(es)" or "(ies)" after a count any more (the alert's fields "(q)–(s)" are
    the letters of Reg. (EU) 2018/1860 Art 4(1), not a plural)."""
    offending = []
    for path in TEMPLATE_DIR.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # what the page says: the text between the tags and the quoted words inside them, not
            # the code of a tag (``list_name(s)`` calls a function on ``s``)
            said = re.sub(r"\{[{%](.*?)[}%]\}", lambda m: " ".join(re.findall(r"\"[^\"]*\"|'[^']*'", m[1])), line)
            if re.search(r"[a-z]\((?:s|es|ies)\)", said.replace("(q)–(s)", "")):
                offending.append(f"{path.relative_to(TEMPLATE_DIR)}:{number}")
    assert offending == []


def test_no_template_puts_a_bare_count_before_days_left() -> None:
    """A deadline one day away says "1 day left" (the Dublin request's next deadline), not "1 days
    left": the count goes through ``counted``."""
    offending = [str(path.relative_to(TEMPLATE_DIR)) for path in TEMPLATE_DIR.rglob("*.html")
                 if re.search(r"\}\} days left", path.read_text(encoding="utf-8"))]
    assert offending == []
    said = TEMPLATES.env.from_string('{{ n | counted("day") }} left')
    assert said.render(n=1) == "1 day left" and said.render(n=30) == "30 days left"


def test_the_trace_counts_the_asylum_cases_decided() -> None:
    """The decision's trace (*How the terms were computed*) says "1 asylum case decided", "2
    asylum cases decided"."""
    from datetime import date

    from pactum.returns.stay import AsylumCaseFacts, check_stay

    def case(case_id: str) -> AsylumCaseFacts:
        return AsylumCaseFacts(id=case_id, state="notified", procedure="regular", made_on=date(2026, 7, 1),
                               pending=False, outcome="rejected_unfounded", decided_on=date(2026, 8, 20),
                               negative=True)

    def staying(*cases: AsylumCaseFacts) -> str:
        out = check_stay(issued_on=date(2026, 9, 1), member_state="IT", grounds=["illegal_stay"],
                         asylum_case_id=None, cases=list(cases), protection_elsewhere=[])
        return str(next(s["outcome"] for s in out.trace if s["rule"] == "staying_illegally"))

    assert staying(case("asy_1")).endswith("(1 asylum case decided)")
    assert staying(case("asy_1"), case("asy_2")).endswith("(2 asylum cases decided)")
