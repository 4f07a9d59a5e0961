"""Applicants for a relocation matching as a CSV file (the web page's upload or pasted text).

One row per person, the header naming the columns (any order; only ``id`` is required)::

    id,family_id,links,excluded_member_states,status,protection_granted_on,consent_on,nationality
    A1,F7,DE:family; FR:language,HU,applicant,,,SYR
    A2,F7,DE:family,,beneficiary,2025-03-02,2026-11-20,SYR

* ``id``: the applicant's reference, unique in the file;
* ``family_id``: members sharing it are relocated together or not at all (blank: single);
* ``links``: ``STATE:kind`` separated by ``;``, kind one of ``family``, ``previous_residence``,
  ``diploma``, ``language``, ``cultural``;
* ``excluded_member_states``: states the person is never relocated to, separated by ``;``;
* ``status``: ``applicant`` (blank) or ``beneficiary`` of international protection;
* ``protection_granted_on``: a beneficiary's date of grant (YYYY-MM-DD);
* ``consent_on``: the date of a beneficiary's written consent to relocation (blank: none);
* ``nationality``: ISO 3166 alpha-3 code (kept on the relocation transfer).

Every person is in the benefitting state the matching is for (``in_member_state``). A file is read
whole or refused: each problem names the line (the header is line 1) and the column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from pactum.common.countries import country
from pactum.common.csvrows import header_problems, rows_with_lines, width_problem
from pactum.common.errors import ValidationProblem
from pactum.common.states import member_state
from pactum.common.text import shortened
from pactum.solidarity.matching import LINK_KINDS, STATUSES, ApplicantIn, LinkIn

COLUMNS: tuple[str, ...] = ("id", "family_id", "links", "excluded_member_states", "status",
                            "protection_granted_on", "consent_on", "nationality")
REQUIRED: tuple[str, ...] = ("id",)
#: More persons than one matching round of a benefitting state has ever put forward, by far.
MAX_ROWS = 20_000
#: The problems said at once (a file wrong throughout is said by its first lines).
MAX_PROBLEMS = 20
#: The longest reference the transfers keep (``relocation_transfers.applicant_ref``).
MAX_REF = 60

TEMPLATE = (
    ",".join(COLUMNS) + "\r\n"
    "A1,F1,DE:family; FR:language,HU,applicant,,,SYR\r\n"
    "A2,F1,DE:family,,applicant,,,SYR\r\n"
    "A3,,FR:previous_residence,,beneficiary,2025-03-02,2026-11-20,AFG\r\n"
    "A4,,,,,,,ERI\r\n"
)


@dataclass(frozen=True, slots=True)
class ApplicantRow:
    """One row read: the applicant as the matching takes it, the line it starts on, and what the
    relocation transfer keeps beyond the matching (nationality, date of consent)."""

    line: int
    applicant: ApplicantIn
    nationality: str | None = None
    consent_on: date | None = None


@dataclass(slots=True)
class ApplicantsFile:
    rows: list[ApplicantRow] = field(default_factory=list)

    def line_of(self, index: int) -> int | None:
        """The line of the ``index``-th applicant (as the matching's ``applicants[index]`` names it)."""
        return self.rows[index].line if 0 <= index < len(self.rows) else None

    @property
    def applicants(self) -> list[ApplicantIn]:
        return [r.applicant for r in self.rows]


def _date(raw: str, where: str, problems: list[tuple[str, str]]) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append((where, f"'{shortened(raw, 20)}' is not a date (YYYY-MM-DD)"))
        return None


def _states(raw: str, where: str, problems: list[tuple[str, str]]) -> list[str]:
    out = []
    for part in (p.strip() for p in raw.split(";")):
        if not part:
            continue
        try:
            out.append(member_state(part))
        except ValueError as exc:
            problems.append((where, str(exc)))
    return out


def _links(raw: str, where: str, problems: list[tuple[str, str]]) -> list[LinkIn]:
    out = []
    for part in (p.strip() for p in raw.split(";")):
        if not part:
            continue
        code, sep, kind = (x.strip() for x in part.partition(":"))
        if not sep or not code or not kind:
            problems.append((where, f"'{shortened(part, 30)}' is not STATE:kind (e.g. DE:family)"))
            continue
        if kind not in LINK_KINDS:
            problems.append((where, f"unknown link kind '{shortened(kind, 30)}'; use one of {', '.join(LINK_KINDS)}"))
            continue
        try:
            out.append(LinkIn(member_state=member_state(code), kind=kind))
        except ValueError as exc:
            problems.append((where, str(exc)))
    return out


def parse(text: str, in_member_state: str) -> ApplicantsFile:
    """The applicants of ``text`` (CSV with a header), all in ``in_member_state``; a
    :class:`ValidationProblem` naming ``line N.column`` for each bad cell (``file`` for the header)."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ValidationProblem.one("applicants", "no applicants: upload a CSV file or paste its text")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    problems = header_problems(reader, COLUMNS, REQUIRED)
    if problems:
        raise ValidationProblem(problems)
    out = ApplicantsFile()
    seen: dict[str, int] = {}
    try:
        for line, rec in rows_with_lines(reader):
            if len(problems) >= MAX_PROBLEMS:
                break
            if not any((v or "").strip() for k, v in rec.items() if k is not None) and not rec.get(None):
                continue  # a line of empty cells
            wrong = width_problem(rec, len(reader.fieldnames or []))
            if wrong is not None:
                problems.append((f"line {line}", wrong))
                continue
            spans = [k for k, v in rec.items() if k is not None and "\n" in (v or "")]
            if spans:
                problems.append((f"line {line}.{spans[0]}", "the cell runs over several lines "
                                                            "(a quote is opened and never closed)"))
                continue
            if len(out.rows) >= MAX_ROWS:
                problems.append((f"line {line}", f"more than {MAX_ROWS:,} applicants in one matching"))
                break
            cell = {k: (v or "").strip() for k, v in rec.items()}
            n = len(problems)
            aid = cell.get("id", "")
            if not aid:
                problems.append((f"line {line}.id", "an applicant id is required"))
            elif len(aid) > MAX_REF:
                problems.append((f"line {line}.id", f"at most {MAX_REF} characters"))
            elif aid in seen:
                problems.append((f"line {line}.id", f"'{shortened(aid, 30)}' is already on line {seen[aid]}"))
            else:
                seen[aid] = line
            family = cell.get("family_id") or None
            if family is not None and len(family) > MAX_REF:
                problems.append((f"line {line}.family_id", f"at most {MAX_REF} characters"))
            links = _links(cell.get("links", ""), f"line {line}.links", problems)
            excluded = _states(cell.get("excluded_member_states", ""), f"line {line}.excluded_member_states", problems)
            status = cell.get("status") or "applicant"
            if status not in STATUSES:
                problems.append((f"line {line}.status", f"'{shortened(status, 20)}' is not a status; "
                                                        f"use {' or '.join(STATUSES)}"))
            granted = consent = None
            if cell.get("protection_granted_on"):
                granted = _date(cell["protection_granted_on"], f"line {line}.protection_granted_on", problems)
            if cell.get("consent_on"):
                consent = _date(cell["consent_on"], f"line {line}.consent_on", problems)
            if status == "applicant" and (cell.get("protection_granted_on") or cell.get("consent_on")):
                problems.append((f"line {line}.status", "protection_granted_on and consent_on concern beneficiaries; "
                                                        "set status to beneficiary"))
            if status == "beneficiary" and not cell.get("protection_granted_on"):
                problems.append((f"line {line}.protection_granted_on",
                                 "required for a beneficiary of international protection"))
            nationality = None
            if cell.get("nationality"):
                try:
                    nationality = country(cell["nationality"].upper()).alpha3
                except ValueError as exc:
                    problems.append((f"line {line}.nationality", str(exc)))
            if len(problems) > n:
                continue
            out.rows.append(ApplicantRow(
                line=line,
                applicant=ApplicantIn(
                    id=aid, family_id=family, in_member_state=in_member_state, links=links,
                    excluded_member_states=excluded, status=status, protection_granted_on=granted,
                    consent=(consent is not None) if status == "beneficiary" else None),
                nationality=nationality, consent_on=consent))
    except csv.Error as exc:
        problems.append((f"line {reader.line_num}", f"not readable as CSV: {exc}"))
    if problems:
        raise ValidationProblem(problems[:MAX_PROBLEMS])
    if not out.rows:
        raise ValidationProblem.one("applicants", "the file has a header but no applicant")
    return out
