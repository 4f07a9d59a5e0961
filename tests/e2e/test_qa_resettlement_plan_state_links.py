"""The Union Plan's page named the states with persons near or past the time limits ("Entry within
12 months …", Regulation (EU) 2024/1350 Art 9(20); "Transmission to Eurodac …", Regulation (EU)
2024/1358 Art 18(2)) as links to each state's resettlement page, which answers 403 to a user of
another state ("a EL user sees EL's resettlement page only"). The page now links only the pages its
user may open: the own state's, every state's for an EU body; the others are named in plain text.
The demo world (XS, seed 1) has such persons in several states."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from pactum.services import resettlement
from pactum.services.auth import SYSTEM
from pactum.services.bootstrap import Services

Login = Callable[[str], TestClient]
PLAN = "2026-2027"


def _line(html: str, element_id: str) -> str:
    m = re.search(rf'<p id="{element_id}">(.*?)</p>', html, re.S)
    assert m, f"no #{element_id} on the plan page"
    return m.group(1)


def test_the_time_limit_lines_link_only_the_state_pages_the_user_may_open(
        demo_world: Callable[..., Services], web_client: Login) -> None:
    services = demo_world(scale="XS", seed=1, only=["resettlement"])
    plan = resettlement.get_plan(services, SYSTEM, PLAN)
    named = {"plan-transfers": set(plan["transfers"]["by_state"]), "plan-eurodac": set(plan["eurodac"]["by_state"])}
    assert len(named["plan-transfers"] | named["plan-eurodac"]) >= 2, named
    for user, own in (("el-caseworker", "EL"), ("es-caseworker", "ES"), ("it-admin", "IT"),
                      ("com-analyst", None), ("euaa-analyst", None)):
        c = web_client(user)
        html = c.get(f"/resettlement/plans/{PLAN}").text
        for element_id, states in named.items():
            line = _line(html, element_id)
            linked = set(re.findall(rf'href="/resettlement/plans/{PLAN}/states/([A-Z]{{2}})#', line))
            # the states a user of a state may open: its own; an EU body reads every state's
            assert linked == (states if own is None else states & {own}), (user, element_id, line)
            for ms in states:  # the others are still named, as text
                assert re.search(rf"\b{ms}\b: \d+ overdue", re.sub(r"<[^>]+>", "", line)), (user, ms, line)
            for ms in linked:  # and every link opens
                assert c.get(f"/resettlement/plans/{PLAN}/states/{ms}").status_code == 200, (user, ms)
        if own is not None:
            other = next(iter((named["plan-transfers"] | named["plan-eurodac"]) - {own}))
            refused = c.get(f"/resettlement/plans/{PLAN}/states/{other}")
            assert refused.status_code == 403
            # said without an article that cannot fit every code ("a IT user", "a EL user")
            assert f"users of {own} see {own}&#39;s resettlement page only" in refused.text, refused.text[:2000]
    # a state with persons near the limit sees its own page linked (IT has one in the demo world)
    assert "IT" in named["plan-transfers"]
    html = web_client("it-admin").get(f"/resettlement/plans/{PLAN}").text
    assert f'href="/resettlement/plans/{PLAN}/states/IT#transfers"' in _line(html, "plan-transfers")
