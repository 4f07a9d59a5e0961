"""The solidarity migration ``solidarity_0006_relocation_deadline_from_confirmation``: a store written
when a relocation's transfer deadline was counted from the transfer decision gets it counted from the
relocation state's confirmation (AMMR Art 67(11)), with the transfer decision's time limit (Art
67(10)); transfers of the Voluntary Solidarity Mechanism and transfers not yet confirmed keep none."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from pactum.store.engine import make_engine
from pactum.store.migrate import upgrade

_T = sa.table("relocation_transfers", sa.column("id"), sa.column("era"), sa.column("applicant_ref"),
              sa.column("origin_member_state"), sa.column("destination_member_state"),
              sa.column("person_status"), sa.column("stage"), sa.column("matched_on"),
              sa.column("security_cleared_on"), sa.column("accepted_on"), sa.column("transfer_decided_on"),
              sa.column("transfer_deadline"), sa.column("trace", sa.JSON()), sa.column("created_at"),
              sa.column("version"))

_OLD_STEP = {"rule": "relocation_transfer_period", "legal_basis": ["Regulation (EU) 2024/1351, Article 67(11)"],
             "facts": {"transfer_decided_on": "2026-08-17", "benefitting_state": "IT"}, "parameters": {},
             "outcome": "transfer by 2026-09-14"}
_OTHER_STEP = {"rule": "security_check", "legal_basis": [], "facts": {}, "parameters": {}, "outcome": "kept"}


def _row(tid: str, era: str, stage: str, accepted: date | None, decided: date | None,
         deadline: date | None, trace: list) -> dict:
    return {"id": tid, "era": era, "applicant_ref": tid, "origin_member_state": "IT", "destination_member_state": "DE",
            "person_status": "applicant", "stage": stage, "matched_on": date(2026, 8, 1),
            "security_cleared_on": date(2026, 8, 5), "accepted_on": accepted, "transfer_decided_on": decided,
            "transfer_deadline": deadline, "trace": trace, "created_at": datetime(2026, 8, 1, tzinfo=UTC),
            "version": 1}


def test_the_upgrade_counts_a_relocations_limits_from_the_confirmation(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "solidarity_0005_proposal_pool")
    with engine.begin() as conn:
        conn.execute(sa.insert(_T), [
            # confirmed 12 August, decided 17 August: the old deadline was 4 weeks from the decision
            _row("decided", "ammr", "transfer_decided", date(2026, 8, 12), date(2026, 8, 17), date(2026, 9, 14),
                 [_OTHER_STEP, _OLD_STEP]),
            # confirmed, no decision yet: no deadline before, both limits now
            _row("confirmed", "ammr", "accepted", date(2026, 8, 12), None, None, []),
            _row("cleared", "ammr", "security_cleared", None, None, None, []),
            _row("vsm", "vsm", "transfer_decided", date(2023, 3, 1), date(2023, 3, 6), None, []),
        ])
    upgrade(engine)
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(sa.text(
            "SELECT id, transfer_deadline, transfer_decision_due, suspensive_appeal_decided_on, trace "
            "FROM relocation_transfers"))}
    day = lambda v: v if v is None or isinstance(v, date) else date.fromisoformat(str(v))  # noqa: E731
    assert (day(rows["decided"].transfer_deadline), day(rows["decided"].transfer_decision_due)) == (
        date(2026, 9, 9), date(2026, 8, 19))
    assert (day(rows["confirmed"].transfer_deadline), day(rows["confirmed"].transfer_decision_due)) == (
        date(2026, 9, 9), date(2026, 8, 19))
    for tid in ("cleared", "vsm"):
        assert (rows[tid].transfer_deadline, rows[tid].transfer_decision_due) == (None, None)
    trace = rows["decided"].trace
    trace = trace if isinstance(trace, list) else __import__("json").loads(trace)
    assert trace[0] == _OTHER_STEP and _OLD_STEP not in trace
    period = next(s for s in trace if s["rule"] == "relocation_transfer_period")
    assert period["facts"]["confirmed_on"] == "2026-08-12" and "2026-09-09" in period["outcome"]
    checked = [s for s in trace if s["rule"] == "relocation_transfer_decision_period"]
    assert [s["outcome"] for s in checked] == ["transfer decision by 2026-08-19",
                                               "transfer decision within its time limit (2026-08-19)"]
    engine.dispose()
