"""The demo world shows a contested take-back notification (Regulation (EU) 2024/1351, Art 41(3)),
as a Dublin unit reads it on the API and on the case and request pages.

Before, no demo notification was contested: each was confirmed, expressly or by silence. The S
world of seed 1 now holds one, contested on the world's last day (deterministic for the seed: no
draw chooses it). The QA pass of 2026-12-02 found none in the world built that day (``make demo``
builds to today): the step contested only a notification to a state without demo Dublin users, and
the only ones awaiting confirmation were to BG and IT; the test built to 2026-11-28 only. It now
reads the worlds built to both days."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pactum.scenario.steps.responsibility import DEMO_DUBLIN_STATES
from pactum.store.tables.responsibility import dublin_cases, dublin_requests

#: The worlds' last days: the suite's usual one, and the QA pass's (``make demo`` builds to today).
ENDS = (date(2026, 11, 28), date(2026, 12, 2))
STEPS = ["registry", "identity", "procedures", "responsibility", "reception"]
API = "/api/v1/responsibility"


@pytest.fixture(params=ENDS, ids=str)
def world(demo_world, request):
    return demo_world(scale="S", seed=1, end=request.param, only=STEPS)


def _requests(services, **where):
    R = dublin_requests
    q = select(
        R.c.id,
        R.c.case_id,
        R.c.requesting_member_state,
        R.c.requested_member_state,
        R.c.criterion,
        R.c.status,
        R.c.refusal_ground,
    ).where(R.c.kind == "take_back_notification")
    for k, v in where.items():
        q = q.where(R.c[k] == v)
    with services.engine.connect() as conn:
        return conn.execute(q.order_by(R.c.id)).all()


def test_the_demo_world_holds_a_contested_notification(world, client, auth_headers, web_client):
    [contested] = _requests(world, status="refused_final")
    assert (contested.criterion, contested.refusal_ground) == (
        "indicated_responsible_in_eurodac",
        "wrong_indication",
    )
    us, them = contested.requesting_member_state, contested.requested_member_state
    # read by the requesting state's demo Dublin unit (by the state notified's where it has none)
    reader = f"{(us if us in DEMO_DUBLIN_STATES else them).lower()}-dublin"
    shown = client.get(f"{API}/requests/{contested.id}", headers=auth_headers(reader)).json()
    assert shown["status_label"] == "contested"
    assert shown["answered"]["words"] == "contested"
    assert shown["contest_ground"]["legal_basis"] == "Regulation (EU) 2024/1351, Article 41(3)"
    case = client.get(f"{API}/cases/{contested.case_id}", headers=auth_headers(reader)).json()
    now = case["responsible_now"]
    assert now["member_state"] == us and now["reason"].startswith(
        f"{them} contested the take-back notification"
    )
    page = web_client(reader).get(f"/responsibility/cases/{contested.case_id}").text
    assert f"{them} contested the take-back notification" in page
    request_page = web_client(reader).get(f"/responsibility/requests/{contested.id}").text
    assert "wrong indication in Eurodac" in request_page.split('id="contest-ground"')[1].split("</dd>")[0]
    said = request_page.split('id="replied-on">')[1].split("</span>")[0]
    assert said == f"contested {shown['answered']['on']}", said
    # and the statistics count it as contested
    with world.engine.connect() as conn:
        assert conn.execute(select(dublin_cases.c.id).where(dublin_cases.c.id == contested.case_id)).first()
    stats = client.get(f"{API}/statistics", headers=auth_headers("com-analyst")).json()
    [pair] = [r for r in stats if (r["requesting_member_state"], r["requested_member_state"]) == (us, them)]
    assert pair["contested"] >= 1
