"""A whole number in a CSV cell as an officer writes it: digits, nothing Python alone reads."""

from __future__ import annotations

import pytest

from pactum.common.csvrows import whole_number_cell
from pactum.common.limits import STORE_INTEGER_MAX


@pytest.mark.parametrize(("raw", "value"), [("1000", 1000), (" 12 ", 12), ("007", 7), ("0", 0),
                                            (str(STORE_INTEGER_MAX), STORE_INTEGER_MAX)])
def test_plain_digits_are_read(raw, value):
    assert whole_number_cell(raw) == value


def test_a_minus_only_where_negatives_mean_something():
    assert whole_number_cell("-5", negative=True) == -5
    with pytest.raises(ValueError, match="'-5' is negative"):
        whole_number_cell("-5")


@pytest.mark.parametrize("raw", ["1_000", "+100", "1e3", "12.0", "0x10", "\u0663", "1 000", "--5", "-"])
def test_what_only_python_reads_is_refused_by_its_text(raw):
    with pytest.raises(ValueError, match="is not a whole number: write digits only"):
        whole_number_cell(raw, negative=True)


def test_an_empty_cell_and_a_number_beyond_the_bound_say_so():
    with pytest.raises(ValueError, match="empty"):
        whole_number_cell("  ")
    with pytest.raises(ValueError, match="more than 9,223,372,036,854,775,807"):
        whole_number_cell(str(2**63))
    with pytest.raises(ValueError, match="more than 2,147,483,647"):
        whole_number_cell("2147483648", maximum=2**31 - 1)
    with pytest.raises(ValueError, match="more than"):
        whole_number_cell("9" * 5000)
