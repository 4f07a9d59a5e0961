from datetime import date

import pytest

from pactum.common.countries import country, nationality_name
from pactum.common.dates import PartialDate
from pactum.common.states import MEMBER_STATES, member_state


def test_greece_is_el_and_gr_is_accepted_as_an_alias():
    assert member_state("GR") == "EL"
    assert member_state("el") == "EL"
    assert MEMBER_STATES["EL"].iso2 == "GR"


def test_states_bound_by_the_pact_include_the_associated_states_and_note_denmark():
    assert {"IS", "LI", "NO", "CH"} <= set(MEMBER_STATES)
    assert len([s for s in MEMBER_STATES.values() if s.kind == "eu"]) == 27
    assert "Protocol No 22" in MEMBER_STATES["DK"].note


def test_unknown_state_is_named_in_the_error():
    with pytest.raises(ValueError, match="'XX' is not a state"):
        member_state("XX")


def test_third_countries_by_alpha3_with_stateless_and_kosovo():
    assert country("syr").name == "Syria"
    assert country("XXA").name == "Stateless"
    assert country("XKX").name == "Kosovo"
    with pytest.raises(ValueError, match="not an ISO 3166 alpha-3"):
        country("ZZZ")


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [("1990", date(1990, 1, 1), date(1990, 12, 31)),
     ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),
     ("1999-07-14", date(1999, 7, 14), date(1999, 7, 14))],
)
def test_partial_dates_span_every_possible_day(text, earliest, latest):
    p = PartialDate.parse(text)
    assert (p.earliest(), p.latest()) == (earliest, latest)
    assert str(p) == text


@pytest.mark.parametrize("bad", ["1990-13", "2001-02-29", "90", "1990/01/01", "1850"])
def test_impossible_partial_dates_are_refused(bad):
    with pytest.raises(ValueError):
        PartialDate.parse(bad)


def test_age_range_of_a_year_only_date_of_birth():
    # born some day in 2020: on 1 March 2026 the child is 5 or 6
    assert PartialDate.parse("2020").age_range_on(date(2026, 3, 1)) == (5, 6)


def test_a_nationality_is_named_from_iso_pactums_and_frontexs_codes():
    assert nationality_name("SOM") == "Somalia"
    assert nationality_name("XXA") == "Stateless"
    # Frontex's own codes in its detections by nationality
    assert nationality_name("OOO") == "Unknown"
    assert nationality_name("STL") == "Stateless"
    assert nationality_name("OOS") == "Unidentified Sub-Saharan Africa"
    assert nationality_name("ZZZ") is None and nationality_name("") is None and nationality_name(None) is None


def test_a_csv_rows_line_counts_blank_lines_and_cells_over_several_lines():
    """The imports name a refused row by the line it starts on: a blank line the reader skips and a
    quoted cell that spans lines both move the rows after them."""
    import csv
    import io

    from pactum.common.csvrows import rows_with_lines

    text = 'id,note\nA1,one\n\nA2,"two\nlines"\nA3,three\n'
    lines = [(line, row["id"]) for line, row in rows_with_lines(csv.DictReader(io.StringIO(text, newline="")))]
    assert lines == [(2, "A1"), (4, "A2"), (6, "A3")]
