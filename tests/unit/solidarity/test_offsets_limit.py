"""How many applications a contributing state may take over when offsets are mandatory and it may also
volunteer: Art 63(3)'s obligation comes on top of the take-overs instead of its pledged relocations.

Read in the Official Journal text (Italian version): a contributing state may offer to take over applications
"al posto delle ricollocazioni" (Art 63(2)); where the relocation pledges fall below the higher of the two numbers
the contributing states take over applications "fino al più elevato tra i due numeri" (Art 63(3)), a total
Pactum counts less the relocation pledges, so beside them; the state identifies the applications it is
responsible for "a norma dei paragrafi 2 e 3" (Art 63(6)) and is not bound beyond its fair share (Art 63(7)).
Before, the limit was the larger of the two: Germany, 2,500 of its 4,000 fair share pledged as relocations and
1,500 owed under Art 63(3), could take over 2,500 in all, so that its 1,500 mandatory take-overs used up the room
of the relocations it pledged, and it could replace only 1,000 of them by take-overs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pactum.solidarity import offsets as offs

ON = date(2026, 12, 1)


def _germany(taken_over: int = 0) -> offs.Contributor:
    return offs.Contributor(member_state="DE", fair_share_relocations=4_000, deduction_relocations=0,
                            relocations_pledged=2_500, relocated=0, taken_over=taken_over)


def test_the_mandatory_obligation_adds_to_the_take_overs_instead_of_pledged_relocations() -> None:
    reg = offs.regime(8_000, 30_000, on=ON, mandatory_reference=21_000, minimum_relocations=30_000)
    assert reg.mandatory
    ent = offs.entitlement(_germany(), reg, on=ON)
    assert (ent.may_volunteer, ent.voluntary_limit, ent.mandatory_obligation) == (True, 2_500, 1_500)
    assert ent.limit == 4_000  # before: 2,500
    assert ent.limit <= 4_000  # never beyond its fair share (Art 63(7))
    step = next(s for s in ent.trace if s["rule"] == "offset_limit")
    assert step["legal_basis"] == ["Regulation (EU) 2024/1351, Article 63(3)", "Regulation (EU) 2024/1351, Article 63(6)",
                                   "Regulation (EU) 2024/1351, Article 63(7)"]
    assert step["outcome"] == ("up to 4,000 applications in all: the 1,500 it must take over under Article 63(3) "
                               "besides the 2,500 it may take over instead of the relocations it pledged (Article 63(2))")
    # its 1,500 mandatory take-overs done, it may still take over the 2,500 instead of its relocations
    assert offs.entitlement(_germany(taken_over=1_500), reg, on=ON).remaining == 2_500


def test_a_state_that_may_not_volunteer_or_owes_nothing_keeps_its_limit() -> None:
    reg = offs.regime(8_000, 30_000, on=ON, mandatory_reference=21_000, minimum_relocations=30_000)
    low = replace(_germany(), relocations_pledged=1_000)  # 25% of its fair share: may not volunteer
    ent = offs.entitlement(low, reg, on=ON)
    assert (ent.voluntary_limit, ent.mandatory_obligation, ent.limit) == (0, 3_000, 3_000)
    assert not any(s["rule"] == "offset_limit" for s in ent.trace)
    voluntary = offs.regime(20_000, 30_000, on=ON, mandatory_reference=20_000, minimum_relocations=10_000)
    assert not voluntary.mandatory
    assert offs.entitlement(_germany(), voluntary, on=ON).limit == 2_500
