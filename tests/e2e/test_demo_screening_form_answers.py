"""The demo world's completed screenings answer every point of the screening form an officer
fills in (Screening Reg. (EU) 2024/1356 Art 17(1)): before, points (b) — countries of residence
before arrival, languages spoken — and (g) — family members in a Member State — were left blank
on every completed screening, as if the interview had not asked them."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import select

from pactum.scenario.steps import registry as registry_step
from pactum.scenario.world import build
from pactum.store.tables.registry import encounters as E
from pactum.store.tables.registry import screenings as S

try:
    from .test_responsibility_support import make_world
except ImportError:  # tests/e2e is not a package
    from test_responsibility_support import make_world  # type: ignore[no-redef]


def test_answers_follow_the_person_s_nationality_and_route() -> None:
    rng = random.Random(3)
    syrians = [registry_step._form_answers(rng, "SYR", "Eastern Mediterranean Route") for _ in range(200)]
    assert all(a["languages"].startswith("Arabic") for a in syrians)
    assert all(a["residence_before_arrival"].startswith("Syria") for a in syrians)
    # some lived in Türkiye or Lebanon before they crossed
    assert any("Türkiye" in a["residence_before_arrival"] or "Lebanon" in a["residence_before_arrival"]
               for a in syrians)
    family = Counter(a["family_in_member_state"] == "none declared" for a in syrians)
    assert family[True] > family[False] > 0  # most declare none, some a relative somewhere
    unknown = registry_step._form_answers(rng, "XXX", "Central Mediterranean Route")
    assert "Unknown" not in unknown["residence_before_arrival"]


def test_demo_completed_screenings_answer_points_b_and_g(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    build(world.services, scale="XS", seed=1, end=date(2026, 11, 28), show_progress=False, only=["registry"])
    with world.services.engine.connect() as conn:
        done = conn.execute(select(S.c.residence_before_arrival, S.c.languages, S.c.family_in_member_state,
                                   S.c.applied_for_protection, S.c.database_hit, S.c.cooperated,
                                   S.c.nationalities, E.c.route)
                            .join(E, E.c.id == S.c.encounter_id)
                            .where(S.c.completed_at.is_not(None))).all()
    assert len(done) >= 10, len(done)
    for r in done:
        assert r.residence_before_arrival and r.languages and r.family_in_member_state, r
        assert None not in (r.applied_for_protection, r.database_hit, r.cooperated), r
    afghans = [r for r in done if r.nationalities == "AFG"]
    assert all("Dari" in r.languages or "Pashto" in r.languages for r in afghans)
    assert any(r.family_in_member_state != "none declared" for r in done)
