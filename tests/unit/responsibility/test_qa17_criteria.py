"""QA walk 17 (legal review of the responsibility criteria), findings F1, F2, F5, F6 and F8.

Each test is a case a Dublin unit lawyer would recognise, through the JSON contract of the API and
the CLI (:func:`pactum.responsibility.determination.determine_json`).
"""

from __future__ import annotations

from typing import Any

import pytest

from pactum.common.errors import ValidationProblem
from pactum.responsibility.determination import determine_json

D3 = "Regulation (EU) No 604/2013"
AMMR = "Regulation (EU) 2024/1351"


def det(**facts: Any) -> dict[str, Any]:
    return determine_json(facts)


def step(out: dict[str, Any], rule: str) -> dict[str, Any]:
    found = [s for s in out["trace"] if s["rule"] == rule]
    assert found, f"no {rule} step in {[s['rule'] for s in out['trace']]}"
    return found[-1]


# --- F1: the situation when the applicant first applied (Dublin III Art 7(2); AMMR Art 24(2)) ---


def test_a_visa_valid_when_the_applicant_first_applied_in_italy_makes_france_responsible() -> None:
    out = det(application={"registered_in": "DE", "registered_on": "2025-10-01"},
              applicant={"date_of_birth": "1995-01-01"},
              documents=[{"kind": "visa", "issued_by": "FR", "valid_from": "2025-01-01",
                          "valid_until": "2025-02-01"}],
              earlier_applications=[{"member_state": "IT", "registered_on": "2025-01-15"}])
    assert (out["responsible_member_state"], out["regime"], out["criterion"]) == ("FR", "dublin_iii", "visa")
    regime = out["trace"][0]
    assert regime["rule"] == "regime"
    assert regime["facts"]["situation_on"] == "2025-01-15"
    assert "situation on 2025-01-15, when the applicant first lodged an application" in regime["outcome"]
    assert "Article 7(2)" in regime["outcome"]
    assert f"{D3}, Article 7(2)" in regime["legal_basis"]
    assert "valid on 2025-01-15" in step(out, "visa")["outcome"]


def test_without_an_earlier_application_the_visa_is_measured_to_this_registration() -> None:
    out = det(application={"registered_in": "DE", "registered_on": "2025-10-01"},
              documents=[{"kind": "visa", "issued_by": "FR", "valid_from": "2025-01-01",
                          "valid_until": "2025-02-01"}])
    assert out["responsible_member_state"] == "DE"  # expired 8 months before: more than 6
    assert "this application's registration" in out["trace"][0]["outcome"]


def test_an_irregular_entry_is_measured_to_the_first_application_not_the_later_one() -> None:
    # Entered EL 2024-11-01, applied in IT 2025-06-01 (7 months later, within the 12 months of
    # Art 13(1)), applied again in DE 2026-03-01: EL, not the fallback.
    out = det(application={"registered_in": "DE", "registered_on": "2026-03-01"},
              entries=[{"kind": "irregular_crossing", "member_state": "EL", "on": "2024-11-01"}],
              earlier_applications=[{"member_state": "IT", "registered_on": "2025-06-01"}])
    assert (out["responsible_member_state"], out["criterion"]) == ("EL", "irregular_entry")


def test_an_entry_after_the_first_application_is_not_part_of_that_situation() -> None:
    out = det(application={"registered_in": "DE", "registered_on": "2026-03-01"},
              entries=[{"kind": "irregular_crossing", "member_state": "EL", "on": "2025-09-01"}],
              earlier_applications=[{"member_state": "IT", "registered_on": "2025-06-01"}])
    assert (out["responsible_member_state"], out["criterion"]) == ("IT", "first_application")
    left_out = [s for s in out["trace"] if s["outcome"].startswith("not taken into account")]
    assert left_out and "irregular_crossing EL 2025-09-01" in left_out[0]["outcome"]


def test_a_diploma_is_measured_to_the_first_registration() -> None:
    # AMMR Art 30: registered less than 6 years after the diploma; the first registration
    # (2026-07-10) was, this one (2027-02-01) is not.
    out = det(application={"registered_in": "DE", "registered_on": "2027-02-01"},
              diplomas=[{"issued_by": "IE", "issued_on": "2020-12-01"}],
              earlier_applications=[{"member_state": "DE", "registered_on": "2026-07-10"}])
    assert (out["responsible_member_state"], out["criterion"]) == ("IE", "diploma")


def test_minority_is_taken_on_the_date_of_the_first_application() -> None:
    # 18 on 2026-03-01, a minor when first applying in IT on 2025-10-01: not refused as an adult,
    # and the minors' criteria apply (Dublin III, MA: the state where the minor is present).
    facts = {"application": {"registered_in": "DE", "registered_on": "2026-05-04"},
             "applicant": {"date_of_birth": "2008-03-01", "unaccompanied_minor": True},
             "family_members": [{"relation": "sibling", "member_state": "SE",
                                 "status": "legally_residing"}],
             "earlier_applications": [{"member_state": "IT", "registered_on": "2025-10-01"}]}
    out = determine_json(facts)
    assert (out["responsible_member_state"], out["criterion"]) == ("SE", "unaccompanied_minor_family")
    del facts["earlier_applications"]
    with pytest.raises(ValidationProblem) as e:
        determine_json(facts)
    assert "applicant.unaccompanied_minor" in str(e.value.problems)


def test_the_regime_stays_the_one_of_this_registration_with_the_first_situation() -> None:
    # AMMR Art 84(1): an application registered after 1 July 2026 is under the AMMR, events before
    # it included; the 18 months of Art 29(4) are measured to the first registration (2026-03-01):
    # the visa had expired 17 months before then (23 months before this registration).
    out = det(application={"registered_in": "DE", "registered_on": "2026-09-01"},
              documents=[{"kind": "visa", "issued_by": "FR", "valid_from": "2024-07-01",
                          "valid_until": "2024-10-01"}],
              earlier_applications=[{"member_state": "IT", "registered_on": "2026-03-01"}])
    assert (out["responsible_member_state"], out["regime"], out["criterion"]) == ("FR", "ammr", "visa")
    assert out["trace"][0]["facts"]["situation_on"] == "2026-03-01"
    # The situation at first registration is AMMR Art 24(2) ("Hierarchy of criteria", paragraph
    # unverified), not Art 16(3) (a transfer made impossible by systemic flaws).
    regime = out["trace"][0]
    # AMMR Art 24(2), read in the Official Journal text: the situation at first registration
    assert f"{AMMR}, Article 24(2)" in regime["legal_basis"]
    assert not any("Article 16(3)" in c for c in regime["legal_basis"])
    assert "Article 24(2)" in regime["outcome"] and "16(3)" not in regime["outcome"]


# --- F2: married unaccompanied minor (Art 8(1) / Art 25(2)) ------------------------------------


@pytest.mark.parametrize(("registered_on", "regime"), [("2026-05-04", "dublin_iii"), ("2026-09-01", "ammr")])
def test_a_married_minors_spouse_legally_present_comes_before_a_parent(registered_on: str, regime: str) -> None:
    out = det(application={"registered_in": "IT", "registered_on": registered_on},
              applicant={"date_of_birth": "2009-01-01", "unaccompanied_minor": True},
              family_members=[{"relation": "parent", "member_state": "FR", "status": "legally_residing"},
                              {"relation": "spouse", "member_state": "DE", "status": "legally_residing"}])
    assert (out["responsible_member_state"], out["regime"], out["criterion"]) == (
        "DE", regime, "unaccompanied_minor_family")
    s = step(out, "unaccompanied_minor_family")
    assert "spouse of a married minor" in s["outcome"]
    assert any(n.startswith("parent in FR") for n in s["facts"]["not_considered"])


def test_an_unmarried_minors_parent_comes_before_a_sibling() -> None:
    out = det(application={"registered_in": "IT", "registered_on": "2026-09-01"},
              applicant={"date_of_birth": "2011-01-01", "unaccompanied_minor": True},
              family_members=[{"relation": "sibling", "member_state": "SE", "status": "legally_residing"},
                              {"relation": "parent", "member_state": "NL", "status": "applicant"}])
    assert out["responsible_member_state"] == "NL"


# --- F5: unaccompanied minor without family (AMMR Art 25(5); Dublin III Art 8(4), MA) -----------


def test_ammr_minor_without_family_the_state_of_first_registration_with_the_best_interests_note() -> None:
    out = det(application={"registered_in": "DE", "registered_on": "2026-09-01"},
              applicant={"date_of_birth": "2010-01-01", "unaccompanied_minor": True},
              earlier_applications=[{"member_state": "IT", "registered_on": "2026-04-01"}])
    assert (out["responsible_member_state"], out["regime"], out["criterion"]) == (
        "IT", "ammr", "unaccompanied_minor_presence")
    assert out["legal_basis"] == [f"{AMMR}, Article 25(5)"]
    s = step(out, "unaccompanied_minor_presence")
    assert "first registered there, on 2026-04-01" in s["outcome"]
    assert "not in the best interests of the child" in s["outcome"]


def test_ammr_minor_without_family_and_no_earlier_application_the_state_of_registration() -> None:
    out = det(application={"registered_in": "DE", "registered_on": "2026-09-01"},
              applicant={"date_of_birth": "2010-01-01", "unaccompanied_minor": True})
    assert out["responsible_member_state"] == "DE"
    assert "best interests" in step(out, "unaccompanied_minor_presence")["outcome"]


def test_dublin_iii_minor_without_family_the_state_where_the_minor_is_present_ma() -> None:
    out = det(application={"registered_in": "DE", "registered_on": "2026-05-04"},
              applicant={"date_of_birth": "2010-01-01", "unaccompanied_minor": True},
              earlier_applications=[{"member_state": "IT", "registered_on": "2026-04-01"}])
    assert (out["responsible_member_state"], out["criterion"]) == ("DE", "unaccompanied_minor_presence")
    s = step(out, "unaccompanied_minor_presence")
    assert "CJEU, Case C-648/11 MA and Others" in s["legal_basis"]
    assert "IT" in s["outcome"]


# --- F6: a family member no criterion considers is said so -------------------------------------


def test_a_spouse_legally_residing_is_named_as_not_considered_with_why() -> None:
    out = det(application={"registered_in": "IT", "registered_on": "2026-09-01"},
              applicant={"date_of_birth": "1995-01-01"},
              family_members=[{"relation": "spouse", "member_state": "SE", "status": "legally_residing",
                               "wishes_in_writing": True}],
              entries=[{"kind": "irregular_crossing", "member_state": "IT", "on": "2026-08-20"}])
    assert (out["responsible_member_state"], out["criterion"]) == ("IT", "irregular_entry")
    s = step(out, "family_members_not_considered")
    assert "spouse in SE" in s["outcome"] and "legally residing" in s["outcome"]
    assert f"{AMMR}, Article 26" in s["legal_basis"]


def test_an_adults_parent_is_named_as_not_considered() -> None:
    out = det(application={"registered_in": "DE", "registered_on": "2026-05-04"},
              applicant={"date_of_birth": "1990-01-01"},
              family_members=[{"relation": "parent", "member_state": "FI",
                               "status": "beneficiary_of_protection", "wishes_in_writing": True}])
    assert out["responsible_member_state"] == "DE"
    assert "only of a minor applicant" in step(out, "family_members_not_considered")["outcome"]


# --- F8: a registration on the cut-over day ----------------------------------------------------


def test_a_registration_on_the_cutover_day_says_the_unverified_parameter_decides() -> None:
    out = det(application={"registered_in": "DE", "registered_on": "2026-07-01"},
              entries=[{"kind": "irregular_crossing", "member_state": "EL", "on": "2025-01-15"}])
    regime = out["trace"][0]
    assert "after the cut-over" not in regime["outcome"]
    assert "registered on the cut-over day 2026-07-01" in regime["outcome"]
    assert "regimes.responsibility.cutover_day_regime (unverified)" in regime["outcome"]
    assert "regimes.responsibility.cutover_day_regime" in regime["parameters"]
    assert f"{AMMR}, Article 84(1)" not in regime["legal_basis"]
    assert f"{AMMR}, Article 84" in regime["legal_basis"]


def test_registrations_either_side_of_the_cutover_cite_84_1_and_84_2() -> None:
    after = det(application={"registered_in": "DE", "registered_on": "2026-07-02"})["trace"][0]
    before = det(application={"registered_in": "DE", "registered_on": "2026-06-30"})["trace"][0]
    assert "after the cut-over on 2026-07-01" in after["outcome"]
    assert f"{AMMR}, Article 84(1)" in after["legal_basis"]
    assert "before the cut-over on 2026-07-01" in before["outcome"]
    assert f"{AMMR}, Article 84(2)" in before["legal_basis"]


def test_the_regime_step_names_the_regulation_in_words_not_by_its_code() -> None:
    """A Dublin officer reads which Regulation determines the case: "Dublin III (Regulation (EU)
    No 604/2013)", not the code ``dublin_iii`` the API's ``regime`` field carries."""
    from datetime import date

    from pactum.responsibility.params import regime_choice

    before, after = regime_choice(date(2025, 5, 9)).outcome, regime_choice(date(2026, 8, 1)).outcome
    assert before.startswith("applies: Dublin III (Regulation (EU) No 604/2013); the application was lodged on "
                             "2025-05-09, before the cut-over")
    assert after.startswith("applies: AMMR (Regulation (EU) 2024/1351); the application was registered on "
                            "2026-08-01, after the cut-over")
    assert "dublin_iii" not in before and "ammr" not in after
