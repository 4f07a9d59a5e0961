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


# --- A hit recorded on the case before a request --------------------------------------------------

def test_which_hits_run_which_request_ammr_39_1_and_41_1_dublin_iii_21_1_and_23_2() -> None:
    from pactum.responsibility.request_limits import hit_runs

    # AMMR Art 39(1): data recorded under Arts 22 (irregular crossing) and 24 (search and rescue)
    # of Regulation (EU) 2024/1358, or a VIS hit; not data of a person found illegally staying (Art 23)
    assert hit_runs("ammr", "eurodac", "irregular_crossing")[0] == "take_charge"
    assert hit_runs("ammr", "eurodac", "sar")[0] == "take_charge"
    assert hit_runs("ammr", "vis", None)[0] == "take_charge"
    assert hit_runs("ammr", "vis", "irregular_crossing")[0] == "take_charge"  # a VIS hit has no category
    assert hit_runs("ammr", "eurodac", "illegal_stay") is None
    assert hit_runs("ammr", "eurodac", "applicant") == ("take_back_notification",
                                                        "Regulation (EU) 2024/1351, Article 41(1)")
    # Dublin III Art 21(1): Art 14 data of Regulation (EU) No 603/2013; Art 23(2): Art 9 data; no VIS
    assert hit_runs("dublin_iii", "eurodac", "irregular_crossing") == (
        "take_charge", "Regulation (EU) No 604/2013, Article 21(1), second subparagraph")
    assert hit_runs("dublin_iii", "eurodac", "applicant")[0] == "take_back"
    assert hit_runs("dublin_iii", "vis", None) is None


def test_the_case_knows_the_latest_hit_it_learnt_of_recorded_or_stated_on_a_request() -> None:
    from pactum.responsibility.request_limits import known_hit, latest_hit

    stated = [("take_charge", True, date(2026, 10, 25), date(2026, 11, 2))]
    recorded = [("take_charge", date(2026, 11, 3), date(2026, 11, 4), "vis")]
    # recorded after the request that stated another hit: the recorded one
    assert known_hit("take_charge", stated, recorded) == date(2026, 11, 3)
    assert latest_hit("take_charge", stated, recorded).source == "vis"
    # recorded before it: the request's
    early = [("take_charge", date(2026, 10, 20), date(2026, 10, 21), "eurodac")]
    found = latest_hit("take_charge", stated, early)
    assert found is not None and (found.hit_on, found.recorded_on) == (date(2026, 10, 25), None)
    # the same day: the hit recorded, then the request drafted on it
    same = [("take_charge", date(2026, 10, 30), date(2026, 11, 2), "eurodac")]
    assert known_hit("take_charge", stated, same) == date(2026, 10, 25)
    # a hit recorded for another request does not run this one's time limit
    assert known_hit("take_back", stated, recorded) is None
    assert known_hit("take_charge", [], recorded) == date(2026, 11, 3)


def test_a_vis_hit_is_said_as_one() -> None:
    lim = request_limit("ammr", "take_charge", date(2026, 10, 20), "DE", date(2026, 11, 2), hit_source="vis")
    assert lim.words() == "2026-12-02, 1 month from the VIS hit of 2026-11-02 (Regulation (EU) 2024/1351, Article 39(1))"
