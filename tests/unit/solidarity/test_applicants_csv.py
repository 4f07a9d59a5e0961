"""Reading the applicants of a relocation matching from CSV (the web page's upload): every row or
none, each problem naming the line (the header is line 1) and the column."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import ValidationProblem
from pactum.solidarity import applicants_csv
from pactum.solidarity.matching import LinkIn


def _problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ValidationProblem) as exc:
        applicants_csv.parse(text, "IT")
    return exc.value.problems


def test_the_template_reads_back_as_applicants_in_the_benefitting_state() -> None:
    f = applicants_csv.parse(applicants_csv.TEMPLATE, "IT")
    assert [r.line for r in f.rows] == [2, 3, 4, 5]
    a1, _, a3, a4 = f.applicants
    assert a1.id == "A1" and a1.family_id == "F1" and a1.in_member_state == "IT"
    assert a1.links == [LinkIn(member_state="DE", kind="family"), LinkIn(member_state="FR", kind="language")]
    assert a1.excluded_member_states == ["HU"] and a1.status == "applicant" and a1.consent is None
    assert a3.status == "beneficiary" and a3.protection_granted_on == date(2025, 3, 2) and a3.consent is True
    assert f.rows[2].consent_on == date(2026, 11, 20) and f.rows[2].nationality == "AFG"
    assert a4.links == [] and a4.family_id is None and a4.status == "applicant"
    assert applicants_csv.TEMPLATE.splitlines()[0] == ",".join(applicants_csv.COLUMNS)


def test_columns_in_any_order_only_id_required_codes_normalised_blank_lines_skipped() -> None:
    f = applicants_csv.parse("\ufeffnationality, id ,links\nsyr,X1, gr:language ;\n\n,X2,\n", "CY")
    assert [a.id for a in f.applicants] == ["X1", "X2"]
    assert f.applicants[0].links == [LinkIn(member_state="EL", kind="language")]
    assert f.rows[0].nationality == "SYR" and f.rows[1].line == 4
    assert f.line_of(1) == 4 and f.line_of(2) is None


def test_a_beneficiary_without_consent_is_read_not_consenting() -> None:
    f = applicants_csv.parse("id,status,protection_granted_on\nB1,beneficiary,2025-01-01\n", "IT")
    assert f.applicants[0].consent is False and f.rows[0].consent_on is None


def test_each_bad_cell_is_named_by_line_and_column() -> None:
    problems = dict(_problems(
        "id,family_id,links,excluded_member_states,status,protection_granted_on,consent_on,nationality\n"
        ",F1,DE:family,,,,,\n"
        "A2,,DE-family,,,,,\n"
        "A3,,XX:family,,,,,\n"
        "A4,,DE:friend,,,,,\n"
        "A5,,,ZZ,,,,\n"
        "A6,,,,refugee,,,\n"
        "A7,,,,beneficiary,2025-02-30,,\n"
        "A8,,,,beneficiary,,,\n"
        "A9,,,,applicant,2025-01-01,,\n"
        "A10,,,,,,,QQQ\n"
        "A10,,,,,,,\n"
        "A12,,,\n"))
    assert problems["line 2.id"] == "an applicant id is required"
    assert problems["line 3.links"].startswith("'DE-family' is not STATE:kind")
    assert problems["line 4.links"].startswith("'XX' is not a state")
    assert problems["line 5.links"].startswith("unknown link kind 'friend'")
    assert problems["line 6.excluded_member_states"].startswith("'ZZ'")
    assert problems["line 7.status"].startswith("'refugee' is not a status")
    assert problems["line 8.protection_granted_on"] == "'2025-02-30' is not a date (YYYY-MM-DD)"
    assert problems["line 9.protection_granted_on"].startswith("required for a beneficiary")
    assert problems["line 10.status"].startswith("protection_granted_on and consent_on concern beneficiaries")
    assert "line 11.nationality" in problems
    assert problems["line 12.id"] == "'A10' is already on line 11"
    assert problems["line 13"] == "4 fields where the header has 8"


def test_the_header_and_an_empty_file_are_refused_as_such() -> None:
    assert _problems("") == [("applicants", "no applicants: upload a CSV file or paste its text")]
    assert _problems("id,age,age\nA1,3,4\n") == [
        ("line 1", "unknown columns age, age; the columns are " + ", ".join(applicants_csv.COLUMNS)),
        ("line 1", "column named twice: age")]
    assert _problems("links\nDE:family\n") == [("line 1", "missing column id")]
    assert _problems("id\n") == [("applicants", "the file has a header but no applicant")]
    assert _problems('id,links\nA1,"DE:family\nA2,\n') == [
        ("line 2.links", "the cell runs over several lines (a quote is opened and never closed)")]
    assert _problems('id,links,status\nA1,"DE:family\nA2,\n')[0][1].endswith("(a quote is opened and never closed)")


def test_at_most_twenty_problems_are_said() -> None:
    text = "id,links\n" + "".join(f"A{i},bad\n" for i in range(50))
    assert len(_problems(text)) == applicants_csv.MAX_PROBLEMS
