"""Found on the Commission coordinator's daily walk, in December: the home page said "Current cycle:
2027, at the stage pledging" and "No step of the pool is overdue", while the 2026 cycle was being
implemented, with its own steps and deduction requests, and was what the pool page opened on. The
home page now shows every cycle not yet closed, each with its stage and pledges, and counts the
overdue steps of all of them."""

from __future__ import annotations

import re
from datetime import date

from pactum.services import solidarity
from pactum.services.auth import SYSTEM
from pactum.solidarity.schemas import CycleCreate
from tests.e2e.test_firstday_audit_home import _section


def test_the_cycle_implemented_and_the_cycle_pledged_are_both_on_the_home_page(services, web_client):
    solidarity.create_cycle(services, SYSTEM, CycleCreate(year=2026, proposal_on=date(2025, 11, 11),
                                                          pool_relocations=30000))
    solidarity.create_cycle(services, SYSTEM, CycleCreate(year=2027, proposal_on=date(2026, 10, 15),
                                                          pool_relocations=31000))
    pool = _section(web_client("com-solidarity").get("/").text, "pool-status")
    assert 'id="pool-cycle-2026"' in pool and 'id="pool-cycle-2027"' in pool
    assert 'href="/solidarity?year=2026"' in pool and 'href="/solidarity?year=2027"' in pool
    assert re.search(r"of the 30,000 the pool needs", pool) and re.search(r"of the 31,000 the pool needs", pool)
    # the 2026 cycle's overdue steps are counted, not only the latest cycle's
    overdue = pool.split('id="pool-overdue"', 1)[1]
    assert "2026 cycle: the High-Level EU Solidarity Forum" in overdue


def test_a_single_cycle_is_the_current_one(services, web_client):
    solidarity.create_cycle(services, SYSTEM, CycleCreate(year=2027, proposal_on=date(2026, 10, 15),
                                                          pool_relocations=31000))
    pool = _section(web_client("com-solidarity").get("/").text, "pool-status")
    assert "Current cycle:" in pool and 'id="pool-cycle-2027"' in pool and "pool-cycle-2026" not in pool
