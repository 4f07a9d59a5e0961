"""The last day of a take-charge (Dublin III: take-back) request given the registration (lodging)
and a Eurodac hit: AMMR Art 39(1) and Dublin III Art 21(1), second subparagraphs ("by way of
derogation": the period from the hit replaces the period from the registration), the Mengesteab
cap, and Dublin III Art 23(2) (a period for each basis of a take back)."""

from __future__ import annotations

from datetime import date

from pactum.responsibility.request_limits import request_limit


def test_ammr_a_late_hit_gives_a_month_beyond_the_two_months_art_39_1() -> None:
    lim = request_limit("ammr", "take_charge", date(2026, 9, 20), "DE", date(2026, 11, 10))
    assert (lim.registration_day, lim.last_day, lim.from_hit) == (date(2026, 11, 20), date(2026, 12, 10), True)
    assert lim.lapse_basis == "Regulation (EU) 2024/1351, Article 39(1), third subparagraph"
    assert lim.words() == ("2026-12-10, 1 month from the Eurodac hit of 2026-11-10 "
                           "(Regulation (EU) 2024/1351, Article 39(1))")


def test_ammr_an_early_hit_ends_the_time_limit_before_the_two_months_art_39_1() -> None:
    lim = request_limit("ammr", "take_charge", date(2026, 10, 20), "DE", date(2026, 10, 22))
    assert lim.last_day == date(2026, 11, 23) < lim.registration_day == date(2026, 12, 21)


def test_ammr_without_a_hit_two_months_and_a_hit_may_still_extend_them() -> None:
    lim = request_limit("ammr", "take_charge", date(2026, 9, 20), "DE")
    assert (lim.last_day, lim.from_hit, lim.hit_may_extend) == (date(2026, 11, 20), False, True)


def test_dublin_iii_take_charge_a_hit_cannot_run_past_three_months_from_the_lodging_mengesteab() -> None:
    lim = request_limit("dublin_iii", "take_charge", date(2026, 5, 20), "DE", date(2026, 8, 1))
    assert lim.last_day == date(2026, 8, 20) and not lim.from_hit and not lim.hit_may_extend
    early = request_limit("dublin_iii", "take_charge", date(2026, 5, 20), "DE", date(2026, 5, 22))
    assert early.last_day == date(2026, 7, 22) and early.from_hit  # two months from the hit, in place of three


def test_dublin_iii_take_back_a_period_for_each_basis_art_23_2() -> None:
    on_hit = request_limit("dublin_iii", "take_back", date(2026, 6, 1), "DE", date(2026, 11, 2), on_hit=True)
    other = request_limit("dublin_iii", "take_back", date(2026, 6, 1), "DE", date(2026, 11, 2), on_hit=False)
    case = request_limit("dublin_iii", "take_back", date(2026, 6, 1), "DE", date(2026, 11, 2))
    assert on_hit.last_day == date(2027, 1, 4) and other.last_day == date(2026, 9, 1)
    assert case.last_day == date(2027, 1, 4)  # the later of the two: no request lies after it
    assert case.lapse_basis == "Regulation (EU) No 604/2013, Article 23(3)"
