"""The demo world's unaccompanied minors look like those who apply in the EU: mostly boys aged 16
or 17 (Eurostat, asylum applicants considered to be unaccompanied minors, EU 2020: 67% aged 16-17,
22% aged 14-15, 11% under 14; 88% male), each still a minor when applying. Before, a child of any
age was as likely to travel alone: two-year-olds arrived unaccompanied."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from sqlalchemy import select

from pactum.common.dates import PartialDate
from pactum.scenario.steps import procedures as procedures_step
from pactum.scenario.steps import registry as registry_step
from pactum.scenario.world import build
from pactum.store.tables.procedures import asylum_applications as A
from pactum.store.tables.registry import identity_records as R

try:
    from .test_responsibility_support import make_world
except ImportError:  # tests/e2e is not a package
    from test_responsibility_support import make_world  # type: ignore[no-redef]


def test_unaccompanied_minors_ages_follow_eurostat_and_other_children_are_of_any_age() -> None:
    rng = random.Random(7)
    alone = [registry_step._age(rng, child=True, unaccompanied=True) for _ in range(4000)]
    assert all(0 <= a <= 17 for a in alone)
    share = {band: sum(band[0] <= a <= band[1] for a in alone) / len(alone) for band in ((16, 17), (14, 15), (0, 13))}
    assert abs(share[(16, 17)] - 0.67) < 0.03 and abs(share[(14, 15)] - 0.22) < 0.03 and abs(share[(0, 13)] - 0.11) < 0.03
    with_family = [registry_step._age(rng, child=True, unaccompanied=False) for _ in range(4000)]
    assert sum(a < 6 for a in with_family) / len(with_family) > 0.25  # evenly spread from 0 to 17


def test_a_minor_who_turned_18_before_applying_applies_as_an_adult() -> None:
    person = {"unaccompanied": True, "born": date(2008, 11, 20)}
    assert procedures_step._unaccompanied_minor(person, date(2026, 11, 19))
    assert not procedures_step._unaccompanied_minor(person, date(2026, 11, 20))
    assert not procedures_step._unaccompanied_minor({**person, "unaccompanied": False}, date(2026, 1, 1))


def test_demo_unaccompanied_minors_are_mostly_boys_of_14_to_17(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    build(world.services, scale="XS", seed=1, end=date(2026, 11, 28), show_progress=False,
          only=["registry", "procedures"])
    with world.services.engine.connect() as conn:
        first = {r.person_id: r for r in conn.execute(select(R).order_by(R.c.created_at.desc()))}
        uams = [(a.made_on, first[a.person_id]) for a in conn.execute(
            select(A.c.person_id, A.c.made_on).where(A.c.unaccompanied_minor.is_(True)))]
    assert len(uams) >= 10, len(uams)
    ages = [PartialDate.parse(r.date_of_birth).age_range_on(made) for made, r in uams]
    # under 18 by the year of birth recorded (a 1 January placeholder may make a minor look 18)
    assert all(made.year - PartialDate.parse(r.date_of_birth).year <= 18 for made, r in uams)
    assert sum(oldest >= 14 for _, oldest in ages) >= 0.75 * len(ages), ages
    assert sum(r.sex == "M" for _, r in uams) >= 0.75 * len(uams)
