"""A take-back notification (AMMR Art 41) is confirmed or contested, never refused: the state
notified confirms receipt within two weeks «a meno che ... non dimostri entro tale termine che non è
competente a norma dell'articolo 37» (Art 41(3), read in the Official Journal's Italian text); and
the take back of an applicant during the determination (Art 38(4)) ends only on a residence document
another Member State issued (its second subparagraph)."""

from __future__ import annotations

import pytest

from pactum.responsibility import procedure as proc
from pactum.services.responsibility import refusal_grounds


def test_the_state_notified_contests_a_notification_awaiting_confirmation_and_it_closes() -> None:
    assert proc.next_status("take_back_notification", "pending", "contest") == "refused_final"
    assert proc.status_label("take_back_notification", "refused_final") == "contested"
    assert proc.actions_for("take_back_notification", "pending", "requested") == ["confirm", "contest"]
    assert proc.legal_basis("contest") == ("Regulation (EU) 2024/1351, Article 41(3)",)
    with pytest.raises(proc.IllegalTransition):
        proc.next_status("take_back_notification", "confirmed_tacitly", "contest")  # after the two weeks
    with pytest.raises(proc.IllegalTransition):
        proc.next_status("take_charge", "pending", "contest")  # a request is refused, not contested


def test_article_38_4_is_an_ammr_take_back_ground_and_only_a_residence_document_ends_it() -> None:
    assert (
        proc.TAKE_BACK_GROUNDS["ammr"]["during_determination"][1]
        == "Regulation (EU) 2024/1351, Article 38(4)"
    )
    assert (
        proc.take_back_ground_problem("take_back_notification", "ammr", "during_determination", "DE") is None
    )
    assert proc.take_back_ground_problem("take_back", "dublin_iii", "during_determination", "DE") is not None
    grounds = refusal_grounds("ammr", "take_back_notification", "during_determination")
    assert [(g["ground"], g["legal_basis"]) for g in grounds] == [
        ("residence_document", "Regulation (EU) 2024/1351, Article 38(4), second subparagraph")
    ]
    eurodac = [
        g["ground"]
        for g in refusal_grounds("ammr", "take_back_notification", "indicated_responsible_in_eurodac")
    ]
    # and, the notification resting on an indication in Eurodac, a wrong indication (Art 41(3))
    assert eurodac == ["left_territory", "returned", "wrong_indication"]
    assert "wrong_indication" not in [
        g["ground"] for g in refusal_grounds("ammr", "take_back_notification", "admitted_person")
    ]
    assert "wrong_indication" not in [g["ground"] for g in refusal_grounds("ammr", "take_charge", None)]
