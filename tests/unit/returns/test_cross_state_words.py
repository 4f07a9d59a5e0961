"""The words the returns rules give the states: a removal left to the state that recognised the
decision, an entry ban imposed after issue told to a state with a hit, and why no ban is imposed
while the decision is suspended (Directive 2008/115/EC Art 11(1)(b), 13(2), 9(1)(b))."""

from __future__ import annotations

from datetime import date

from pactum.returns import operations, rules


def test_a_removal_is_the_recognising_states_and_the_persons_own_departure_stays_open() -> None:
    words = operations.removal_by_recognising_state("DE", date(2026, 9, 1), "enforced")
    assert words.startswith("DE recognised this return decision on 2026-09-01 and enforces it: the person is in DE")
    assert "Commission Recommendation (EU) 2023/682" in words
    assert "a removal by the issuing state is not recorded" in words
    assert "Regulation (EU) 2018/1860, Article 6(1), second subparagraph" in words and "Article 14(1)" in words
    assert "a removal on a return operation by the issuing state" in operations.removal_by_recognising_state(
        "FR", None, "operation")
    assert operations.REMOVAL_MODES == ("enforced", "operation")


def test_the_ban_told_to_a_state_with_a_hit_names_its_length_day_and_articles() -> None:
    told = rules.entry_ban_imposed_words(issuing_member_state="IT", reference="IT-RD-1", months=18,
                                         imposed_on=date(2026, 9, 1), enforcing=False)
    assert told.startswith("IT imposed an entry ban of 18 months on return decision IT-RD-1 on 2026-09-01")
    for cited in ("Directive 2008/115/EC, Article 11(1)(b)", "Regulation (EU) 2018/1860, Article 4(1)(z)",
                  "Regulation (EU) 2018/1860, Article 6(2)"):
        assert cited in told
    assert "Your state enforces" not in told
    enforcing = rules.entry_ban_imposed_words(issuing_member_state="IT", reference="IT-RD-1", months=24,
                                              imposed_on=date(2026, 9, 1), enforcing=True)
    assert "of 2 years" in enforcing and enforcing.endswith("the departure it confirms starts the ban.")


def test_no_ban_while_suspended_by_article_13_2_or_by_the_asylum_appeal() -> None:
    own = rules.entry_ban_withheld_reason()
    assert own.startswith("its enforcement is suspended (Directive 2008/115/EC, Article 13(2)) and its removal "
                          "postponed while the suspension lasts (Directive 2008/115/EC, Article 9(1)(b))")
    assert "'not complied with' (Directive 2008/115/EC, Article 11(1)(b))" in own
    assert own.endswith("once the suspension is lifted, if no departure is recorded by then")
    asylum = rules.entry_ban_withheld_reason("Regulation (EU) 2024/1348, Article 68(1), (2)")
    assert "Article 13(2)" not in asylum
    assert "pending the appeal against the negative asylum decision" in asylum
    assert "(Regulation (EU) 2024/1348, Article 68(1), (2))" in asylum
