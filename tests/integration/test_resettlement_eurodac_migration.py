"""The resettlement migration ``resettlement_0007_eurodac_transmission``: the day the data were
transmitted to Eurodac after a decision (Regulation (EU) 2024/1350, Art 9(24); Regulation (EU)
2024/1358, Art 18(2)) and whether the person is under six. Rows recorded before keep every value and
none is invented: a refusal under Art 6(1)(f) decided after 12 June 2026 reads "overdue" until an
officer records the transmission; one decided before reads "not applicable"."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic import command
from sqlalchemy import insert, select

from pactum.resettlement import rules
from pactum.store.engine import make_engine
from pactum.store.migrate import alembic_config, upgrade
from pactum.store.tables.resettlement import resettlement_admissions
from tests.integration.test_resettlement_registration_migration import (
    _columns,
    plan_and_admissions_as_they_were,
)

NEW = {"eurodac_transmitted_on", "eurodac_under_six"}


def test_cases_recorded_before_keep_their_values_and_read_due_from_the_decision(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "resettlement_0006_after_conclusion")
    assert not NEW & _columns(engine)
    at = datetime(2026, 11, 1, 9, tzinfo=UTC)
    old = plan_and_admissions_as_they_were(engine, at)
    row = {"plan_id": "rsp_1", "member_state": "DE", "nationality": "SYR", "first_asylum": "TUR",
           "category": "resettlement", "procedure": "ordinary", "referred_on": date(2026, 1, 10),
           "created_at": at, "updated_at": at, "version": 2, "decision": "refused",
           "refusal_ground": "refused_by_a_member_state"}
    with engine.begin() as conn:
        conn.execute(insert(old), [{**row, "id": "rad_late", "case_reference": "DE-1", "decided_on": date(2026, 11, 2)},
                                   {**row, "id": "rad_early", "case_reference": "DE-2",
                                    "decided_on": date(2026, 3, 2)}])
    upgrade(engine)
    assert _columns(engine) >= NEW
    with engine.begin() as conn:
        got = {r.id: r for r in conn.execute(select(resettlement_admissions))}
    assert {k: (r.decision, r.decided_on, r.eurodac_transmitted_on, r.eurodac_under_six, r.version)
            for k, r in got.items()} == {"rad_late": ("refused", date(2026, 11, 2), None, None, 2),
                                          "rad_early": ("refused", date(2026, 3, 2), None, None, 2)}

    def status(r: object) -> str:
        trigger = rules.eurodac_trigger(r.decision, r.decided_on, r.refusal_ground, r.discontinuation_ground,
                                        r.status_granted, r.status_decided_on)
        return rules.eurodac_clock("union_plan", trigger, r.eurodac_transmitted_on, r.eurodac_under_six,
                                   date(2026, 11, 28)).status

    assert (status(got["rad_late"]), status(got["rad_early"])) == ("overdue", "not_applicable")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "resettlement_0006_after_conclusion")
    assert not NEW & _columns(engine)
    engine.dispose()
