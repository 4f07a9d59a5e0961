"""Reception rules without a database: occupancy, flags with their legal basis, the law governing
a report by its date, trend, overdue states, special reception needs, the CSV file."""

from __future__ import annotations

from datetime import date

import pytest

from pactum.common.errors import ValidationProblem
from pactum.law.tree import tree
from pactum.reception import csvfile, params, rules
from pactum.reception.model import FIGURES

EMPTY = dict.fromkeys(FIGURES, 0)


def figures(**values: int) -> dict[str, int]:
    return {**EMPTY, **values}


def codes(found: list[rules.Flag]) -> set[tuple[str, str | None]]:
    return {(f.code, f.facility) for f in found}


def test_occupancy_rate_and_a_type_without_places() -> None:
    assert rules.rate(200, 190) == 0.95
    assert rules.rate(0, 0) is None and rules.rate(0, 5) is None
    t = rules.totals(figures(open_places=100, open_accommodated=80, detention_places=20, detention_accommodated=2,
                             waiting_list=7, private_housing=3))
    assert t == {"places": 120, "accommodated": 82, "rate": round(82 / 120, 4), "free": 38, "not_accommodated": 10}


def test_above_capacity_is_flagged_not_refused_and_threshold_counts_at_equality() -> None:
    found = rules.flags(figures(open_places=100, open_accommodated=90, minors_places=10, minors_accommodated=12),
                        "activated", date(2026, 11, 23))
    assert codes(found) == {("above_threshold", "open"), ("over_capacity", "minors"), ("pressure", None)}
    assert not rules.flags(figures(open_places=100, open_accommodated=89), "in_place", date(2026, 11, 23))
    assert codes(rules.flags(figures(open_places=100, open_accommodated=85), "in_place", date(2026, 11, 23),
                             threshold=0.85)) == {("above_threshold", "open"), ("pressure", None),
                                                   ("plan_not_activated", None)}


def test_border_places_short_of_the_border_procedure() -> None:
    f = figures(border_places=50, border_accommodated=50, open_places=1000)
    (flag,) = [x for x in rules.flags(f, "activated", date(2026, 11, 23), border_occupancy=64) if x.code == "border_short"]
    assert flag.legal_basis == "Regulation (EU) 2024/1348, Articles 48 and 49" and "64 applicants" in flag.message
    assert "border_short" not in {x.code for x in rules.flags(f, "activated", date(2026, 11, 23), border_occupancy=50)}


def test_the_law_is_chosen_by_the_report_s_date() -> None:
    f = figures(open_places=100, open_accommodated=50)
    before, after = date(2026, 6, 11), date(2026, 6, 12)
    assert rules.governing_instrument(before) == "Directive 2013/33/EU"
    assert rules.governing_instrument(after) == "Directive (EU) 2024/1346"
    (flag,) = rules.flags(f, "none", after)
    assert flag.code == "no_contingency_plan" and flag.legal_basis == "Directive (EU) 2024/1346, Article 32"
    detention = {r["type"]: r for r in rules.assess(f, "in_place", before)["facilities"]}
    assert rules.assess(f, "in_place", before)["detention_legal_basis"] == "Directive 2013/33/EU, Article 8"
    assert "Article 10" in rules.assess(f, "in_place", after)["detention_legal_basis"] and detention


def test_the_contingency_plan_is_due_from_12_april_2025_under_article_32_2() -> None:
    """Directive (EU) 2024/1346, Art 32(2): the contingency plan is communicated to the Asylum
    Agency by 12 April 2025 at the latest. A report of that day saying no plan is in place is
    flagged, though Directive 2013/33/EU still governs reception until 12 June 2026; a report of the
    day before is not, and neither is one made under pressure with no duty yet to have a plan."""
    f = figures(open_places=100, open_accommodated=50)
    due = params.histories()["reception.contingency_plan.first_due"]
    assert (due.reference.article, due.reference.paragraph) == ("32", "2")
    assert params.param_value("contingency_plan.first_due", date(2025, 1, 1)) == date(2025, 4, 12)
    assert not rules.flags(f, "none", date(2025, 4, 11))
    (flag,) = rules.flags(f, "none", date(2025, 4, 12))
    assert flag.code == "no_contingency_plan" and flag.legal_basis == "Directive (EU) 2024/1346, Article 32"
    assert rules.governing_instrument(date(2025, 4, 12)) == "Directive 2013/33/EU"
    full = figures(open_places=100, open_accommodated=95)
    assert {x.code for x in rules.flags(full, "in_place", date(2025, 4, 11))} == {"above_threshold", "pressure"}
    assert "plan_not_activated" in {x.code for x in rules.flags(full, "in_place", date(2025, 4, 12))}


def test_change_since_the_previous_report_in_persons_and_points() -> None:
    a = rules.assess(figures(open_places=100, open_accommodated=90), "in_place", date(2026, 11, 23),
                     previous=figures(open_places=100, open_accommodated=80))
    assert a["change"] == {"places": 0, "accommodated": 10, "rate_points": 10.0}


def test_trend_over_four_weeks() -> None:
    points = [(date(2026, 10, 26), 0.80), (date(2026, 11, 2), 0.82), (date(2026, 11, 16), 0.86),
              (date(2026, 11, 23), 0.88)]
    assert rules.trend(points) == {"since": "2026-10-26", "change_points": 8.0, "direction": "rising"}
    assert rules.trend(points[1:]) is None  # no report four weeks before the latest
    assert rules.trend([(date(2026, 10, 26), 0.80), (date(2026, 11, 23), 0.81)])["direction"] == "stable"


def test_overdue_after_more_than_n_weeks() -> None:
    today = date(2026, 11, 28)
    assert not rules.overdue(date(2026, 11, 14), today)  # exactly two weeks
    assert rules.overdue(date(2026, 11, 13), today)
    assert rules.overdue(None, today)
    assert not rules.overdue(date(2026, 10, 26), today, weeks=6)


@pytest.mark.parametrize(("text", "needs"), [
    ("special reception needs", True), ("pregnant; torture survivor", True), ("unaccompanied minor", True),
    ("none identified", False), ("None", False), ("no special needs", False),
    ("No vulnerability identified.", False), ("n/a", False), ("", False), (None, False), ("  ", False),
])
def test_special_reception_needs_from_the_screening_point_e(text: str | None, needs: bool) -> None:
    assert rules.has_special_needs(text) is needs


def test_period_window() -> None:
    assert rules.period_window(date(2026, 11, 23), "week") == (date(2026, 11, 17), date(2026, 11, 23))
    assert rules.period_window(date(2026, 11, 23), "month") == (date(2026, 11, 1), date(2026, 11, 23))


def test_the_csv_file_is_read_whole_or_refused_by_line_and_column() -> None:
    rows = csvfile.parse("reported_on,open_places,open_accommodated\n2026-11-16,100,90\n\n2026-11-23,100,1 010\n")
    assert [(line, r.reported_on.isoformat(), r.open_accommodated) for line, r in rows] == [
        (2, "2026-11-16", 90), (4, "2026-11-23", 1010)]
    with pytest.raises(ValidationProblem) as exc:
        csvfile.parse("reported_on,open_places,colour\n2026-11-16,1,red\n")
    assert exc.value.problems[0][0] == "line 1" and "colour" in exc.value.problems[0][1]
    with pytest.raises(ValidationProblem) as exc:
        csvfile.parse("reported_on,open_places\n2026-11-16,1\n2026-11-16,2\n2026-13-01,3\n2026-11-30,-4\n"
                      "2026-11-30,4,5\n")
    assert exc.value.problems[:2] == [("line 3.reported_on", "2026-11-16 is already reported on line 2"),
                                      ("line 4.reported_on", exc.value.problems[1][1])]
    assert [p[0] for p in exc.value.problems[2:]] == ["line 5.open_places", "line 6"]
    assert "3 fields where the header has 2" in exc.value.problems[3][1]


def test_the_reception_parameters_are_dated_and_referenced_and_their_notes_say_what_was_read() -> None:
    histories = params.histories()
    assert set(histories) == {"reception.pact_from", "reception.contingency_plan.first_due",
                              "reception.reports_from"}
    for path, hist in histories.items():
        assert hist.values and all(isinstance(d, date) for d, _, _ in hist.values), path
        # the first date the platform holds a governing instrument for is Directive 2013/33/EU's
        expected = (("Directive 2013/33/EU", "32013L0033") if path == "reception.reports_from"
                    else ("Directive (EU) 2024/1346", "32024L1346"))
        assert (hist.reference.instrument, hist.reference.celex) == expected, path
        # DOMAIN.md covers neither Directive: the articles were read in their texts (2026-12-01)
        assert not hist.unverified and "Checked against the text" in (hist.note or ""), path
    assert params.param_value("pact_from", date(2026, 1, 1)) == date(2026, 6, 12)
    assert not params.directive_applies(date(2024, 1, 1))  # before the Directive existed


def test_the_parameters_are_in_the_law_tree_under_their_directive() -> None:
    """The reception parameters are part of the law tree (the rules pages list them), cited to the
    registered Directive (EU) 2024/1346."""
    from pactum.law.refs import INSTRUMENTS

    assert INSTRUMENTS["reception"].celex == "32024L1346"
    assert {p for p in tree() if p.startswith("reception.")} == set(params.histories())
    assert "reception.pact_from" in tree()


def test_the_earliest_report_date_is_a_dated_parameter() -> None:
    """Directive 2013/33/EU, the earliest instrument the platform cites, governs from 21 July 2015;
    a report before it has no governing law here."""
    hist = params.histories()["reception.reports_from"]
    assert not hist.unverified and "2013/33/EU" in (hist.note or "") and "Art. 32" in (hist.note or "")
    assert params.reports_from(date(2026, 11, 23)) == date(2015, 7, 21)
    assert params.reports_from(date(1999, 1, 1)) == date(2015, 7, 21)  # before the parameter's own date


PAST = date(2026, 6, 8)  # under Directive 2013/33/EU
PACT = date(2026, 6, 15)  # under Directive (EU) 2024/1346 and the APR


def test_every_citation_follows_the_report_s_date() -> None:
    full = figures(initial_places=10, initial_accommodated=12, open_places=10, open_accommodated=12,
                   minors_places=10, minors_accommodated=12, border_places=10, border_accommodated=12,
                   detention_places=10, detention_accommodated=12, waiting_list=3)
    before = rules.assess(full, "none", PAST, border_occupancy=50)
    # the contingency plan, due by 12 April 2025 under the recast Directive's Art 32(2), is the one
    # duty of that Directive a report of before 12 June 2026 cites
    (plan,) = [f for f in before["flags"] if f["code"] == "no_contingency_plan"]
    assert plan["legal_basis"] == "Directive (EU) 2024/1346, Article 32"
    cited = ([f["legal_basis"] for f in before["flags"] if f["code"] != "no_contingency_plan"]
             + [f["legal_basis"] for f in before["facilities"]])
    assert before["governing_law"] == "Directive 2013/33/EU"
    assert all("2024/1346" not in c and "2024/1348" not in c for c in cited), cited
    assert all("2013/33/EU" in c for c in cited), cited
    by_type = {f["type"]: f["legal_basis"] for f in before["facilities"]}
    assert by_type["detention"] == "Directive 2013/33/EU, Article 8" == before["detention_legal_basis"]
    assert "Directive 2013/32/EU, Article 43" in by_type["border"]
    over = {f["facility"]: f["legal_basis"] for f in before["flags"] if f["code"] == "over_capacity"}
    assert over == by_type
    (short,) = [f for f in before["flags"] if f["code"] == "border_short"]
    assert "2024/1348" not in short["legal_basis"]
    after = rules.assess(full, "none", PACT, border_occupancy=50)
    by_type = {f["type"]: f["legal_basis"] for f in after["facilities"]}
    assert by_type["detention"].startswith("Directive (EU) 2024/1346, Article 10")
    assert by_type["border"].startswith("Regulation (EU) 2024/1348")
    assert all("2013/33/EU" not in f["legal_basis"] for f in after["flags"])
    (short,) = [f for f in after["flags"] if f["code"] == "border_short"]
    assert "2024/1348, Articles 48 and 49" in short["legal_basis"]
    assert {f["code"] for f in after["flags"]} >= {"no_contingency_plan"}


def test_an_unchanged_rate_is_zero_not_minus_zero() -> None:
    same = figures(open_places=3, open_accommodated=1, minors_places=7, minors_accommodated=3)
    row = rules.assess(same, "in_place", PACT, previous=same)
    points = [f["rate_change_points"] for f in row["facilities"]] + [row["change"]["rate_points"]]
    assert all(p is None or str(p) == "0.0" for p in points), points
    assert str(rules._points(0.1 + 0.2, 0.3)) == "0.0" and str(rules._points(0.3, 0.1 + 0.2)) == "0.0"


def test_a_report_under_the_recast_directive_cites_its_articles_not_an_unverified_placeholder() -> None:
    """Directive (EU) 2024/1346, read in its text: Art 19 (material reception conditions) and 20
    (their modalities: housing in kind (1)(a) at the border or in transit zones, (b) reception
    centres, (c) private houses, flats, hotels), Arts 24 to 27 (special reception needs, their
    assessment, minors, unaccompanied minors). Before 12 June 2026 Directive 2013/33/EU's articles."""
    f = figures(open_places=100, open_accommodated=50, waiting_list=4)
    after = {r["type"]: r["legal_basis"] for r in rules.assess(f, "in_place", date(2026, 11, 23))["facilities"]}
    assert after == {
        "initial": "Directive (EU) 2024/1346, Articles 19 and 20",
        "open": "Directive (EU) 2024/1346, Article 20(1)(b) and (c)",
        "minors": "Directive (EU) 2024/1346, Articles 24 to 27",
        "border": "Regulation (EU) 2024/1348, Articles 46 to 49 (adequate capacity of the border procedure) "
                  "and 54, and Directive (EU) 2024/1346, Article 20(1)(a)",
        "detention": "Directive (EU) 2024/1346, Article 10",
    }
    (waiting,) = [x for x in rules.flags(f, "in_place", date(2026, 11, 23)) if x.code == "waiting_list"]
    assert waiting.legal_basis == "Directive (EU) 2024/1346, Articles 19 and 20"
    before = {r["type"]: r["legal_basis"] for r in rules.assess(f, "in_place", date(2026, 6, 11))["facilities"]}
    assert before["open"] == "Directive 2013/33/EU, Article 18(1)(b)" and "2024/1346" not in " ".join(before.values())


def test_housing_above_capacity_under_the_recast_directive_asks_for_the_contingency_plan_s_activation() -> None:
    """Directive (EU) 2024/1346, Art 20(10)(b): where the housing capacities normally available are
    temporarily exhausted a state may provide different material reception conditions, and it then
    informs the Commission and the Asylum Agency of the activation of its contingency plan (Art 20(10),
    third subparagraph, Art 32(2)). Flagged whatever the analyst's threshold; not once the plan is
    activated, not for detention (not housing under Art 20), not under Directive 2013/33/EU."""
    over = figures(open_places=1000, open_accommodated=1010, initial_places=9000, initial_accommodated=100)
    (flag,) = [x for x in rules.flags(over, "in_place", date(2026, 11, 23)) if x.code == "capacity_exhausted"]
    assert flag.legal_basis == "Directive (EU) 2024/1346, Article 20(10)(b) and Article 32(2)"
    assert "Open accommodation" in flag.message and "not activated" in flag.message
    assert "pressure" not in {x.code for x in rules.flags(over, "in_place", date(2026, 11, 23))}
    none = {x.code for x in rules.flags(over, "none", date(2026, 11, 23))}
    assert {"capacity_exhausted", "no_contingency_plan"} <= none
    assert "capacity_exhausted" not in {x.code for x in rules.flags(over, "activated", date(2026, 11, 23))}
    assert "capacity_exhausted" not in {x.code for x in rules.flags(over, "in_place", date(2026, 6, 11))}
    detained = figures(open_places=1000, open_accommodated=10, detention_places=10, detention_accommodated=12)
    assert "capacity_exhausted" not in {x.code for x in rules.flags(detained, "in_place", date(2026, 11, 23))}
