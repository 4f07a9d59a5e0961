"""Live indicators over one state's records or every state's, and the weekly report that shows them.

A small world with records in Italy and Germany (and Greece, France, an EU body where a record
involves a third party): each indicator, computed for a state, counts that state's records as its
docstring defines them; computed for ``None`` it counts every state's. A state analyst's weekly
report shows their state's values and says so; an EU analyst's report shows the totals; an
indicator that is not by state is shown as EU-wide.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime
from html import unescape
from typing import Any

import pytest
from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric, Table, insert

from pactum.reception.model import FIGURES as RECEPTION_FIGURES
from pactum.services import indicators
from pactum.services.auth import Principal, Role
from pactum.services.awareness import report as weekly
from pactum.store.tables.awareness import awareness_alerts, awareness_monthly
from pactum.store.tables.identity import identity_links
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.reception import reception_reports
from pactum.store.tables.registry import encounters, identity_records, persons
from pactum.store.tables.resettlement import resettlement_admissions, resettlement_plans, resettlement_pledges
from pactum.store.tables.responsibility import dublin_requests
from pactum.store.tables.returns import return_alerts, return_decisions
from pactum.store.tables.solidarity import relocation_transfers

WEEK = "2026-W47"
AS_OF = date(2026, 11, 22)  # the week's last day: the day the report's indicators are computed on
AT = datetime(2026, 11, 2, 9, tzinfo=UTC)
LATER = datetime(2026, 11, 25, 9, tzinfo=UTC)  # after the day: no indicator counts it
_SERIAL = itertools.count(1)


def _row(table: Table, **values: Any) -> dict[str, Any]:
    """``values`` and a placeholder for every other column a row must have."""
    row: dict[str, Any] = {}
    for col in table.columns:
        if col.name in values or col.nullable or col.default is not None or col.server_default is not None:
            continue
        if col.primary_key and isinstance(col.type, Integer):  # numbered by the store
            continue
        t = col.type
        if isinstance(t, DateTime):
            row[col.name] = AT
        elif isinstance(t, Date):
            row[col.name] = date(2026, 11, 1)
        elif isinstance(t, Boolean):
            row[col.name] = False
        elif isinstance(t, Integer | Float | Numeric):
            row[col.name] = 0
        elif isinstance(t, JSON):
            row[col.name] = {}
        else:
            row[col.name] = f"t{next(_SERIAL)}"
    return {**row, **values}


def _add(conn: Any, table: Table, *rows: dict[str, Any]) -> None:
    for values in rows:
        conn.execute(insert(table).values(**_row(table, **values)))


def build_world(services: Any) -> None:
    with services.engine.begin() as conn:
        for n, ms in enumerate(("IT", "IT", "DE", "EL"), 1):
            _add(conn, persons, dict(id=f"p{n}", member_state=ms))
            _add(conn, identity_records, dict(id=f"i{n}", person_id=f"p{n}", member_state=ms, nationality="SYR"))
        # registry: IT registered 3 arrivals by the day (a 4th after it), DE 1
        _add(conn, encounters, *[dict(id=f"e{n}", person_id="p1", identity_record_id="i1", member_state=ms,
                                      occurred_at=at, route="Central Mediterranean Route", kind="irregular_crossing")
                                 for n, (ms, at) in enumerate([("IT", AT)] * 3 + [("IT", LATER), ("DE", AT)])])
        # awareness: the month's aggregate by state and route
        _add(conn, awareness_monthly,
             dict(month="2026-11", route="Central Mediterranean Route", member_state="IT", encounters=5),
             dict(month="2026-11", route="Western Balkan Route", member_state="IT", encounters=1),
             dict(month="2026-11", route="Western Balkan Route", member_state="DE", encounters=2),
             dict(month="2026-10", route="Western Balkan Route", member_state="DE", encounters=9))
        _add(conn, awareness_alerts, *[dict(id=f"al{n}", source=src, route="Central Mediterranean Route",
                                            month=f"2026-{n:02d}", rule="rapid_rise", message="Rapid rise",
                                            drivers=[], acknowledged_at=ack, acknowledged_by=ack and "analyst")
                                       for n, (src, ack) in enumerate([
                                           ("platform:IT", None), ("platform:IT", None), ("platform:IT", AT),
                                           ("platform:DE", None), ("frontex", None), ("platform", None)], 1)])
        # procedures: IT 2 border cases pending and 1 decided and notified on 2026-11-10, 1 regular, 1
        # made in 2025; DE 1 border case pending, 1 regular
        _add(conn, asylum_applications, *[dict(id=f"a{n}", member_state=ms, person_id="p1", procedure=proc,
                                               made_on=made, decided_on=decided, notified_on=decided)
                                          for n, (ms, proc, made, decided) in enumerate([
                                              ("IT", "border", date(2026, 11, 1), None),
                                              ("IT", "border", date(2026, 11, 3), None),
                                              ("IT", "border", date(2026, 10, 1), date(2026, 11, 10)),
                                              ("IT", "regular", date(2026, 3, 1), None),
                                              ("IT", "regular", date(2025, 12, 1), None),
                                              ("DE", "border", date(2026, 11, 5), None),
                                              ("DE", "regular", date(2026, 6, 1), None)])])
        # responsibility: DE asks IT twice and IT asks DE once, all awaiting a reply; DE has
        # transferred two applicants to IT, IT one to DE
        _add(conn, dublin_requests, *[dict(id=f"dr{n}", requesting_member_state=frm, requested_member_state=to,
                                           status=status, sent_on=date(2026, 11, 1), reply_due=date(2026, 12, 1),
                                           transferred_on=date(2026, 11, 4) if status == "transferred" else None)
                                      for n, (frm, to, status) in enumerate([
                                          ("DE", "IT", "pending"), ("DE", "IT", "pending"), ("IT", "DE", "pending"),
                                          ("DE", "IT", "transferred"), ("DE", "IT", "transferred"),
                                          ("IT", "DE", "transferred")])])
        # returns: decisions issued by IT and DE; departures confirmed by IT twice (one of DE's
        # decisions, at its external border) and by DE once; alerts issued by IT twice, DE twice
        _add(conn, return_decisions, *[dict(id=f"rd{n}", person_id="p1", member_state=issuer,
                                            departed_on=date(2026, 11, 5) if by else None, departure_member_state=by)
                                       for n, (issuer, by) in enumerate([
                                           ("IT", "IT"), ("DE", "IT"), ("DE", "DE"), ("IT", None)])])
        _add(conn, return_alerts, *[dict(id=f"ra{n}", person_id="p1", return_decision_id=f"rd{n}",
                                         issuing_member_state=ms, status="active", created_at=AT)
                                    for n, ms in enumerate(["IT", "DE", "DE", "IT"])])
        # solidarity: relocated from IT to DE 3 times and to FR twice, from EL to DE once; one
        # more from IT to DE not arrived yet
        _add(conn, relocation_transfers, *[dict(id=f"rt{n}", origin_member_state=frm, destination_member_state=to,
                                                stage=stage, arrived_on=date(2026, 11, 5) if stage == "arrived" else None)
                                           for n, (frm, to, stage) in enumerate(
                                               [("IT", "DE", "arrived")] * 3 + [("IT", "FR", "arrived")] * 2
                                               + [("EL", "DE", "arrived"), ("IT", "DE", "accepted")])])
        # reception: each state's latest report on or before the day counts (IT's of 2 November and
        # of 25 November do not); IT's initial facilities 95 of 100 places, DE's open ones 100 of 200
        figures = {name: 0 for name in RECEPTION_FIGURES}
        _add(conn, reception_reports, *[dict(id=f"rr{n}", member_state=ms, reported_on=on, period="week",
                                             contingency_plan="in_place", updated_at=AT,
                                             **{**figures, **these})
                                        for n, (ms, on, these) in enumerate([
                                            ("IT", date(2026, 11, 2), {"initial_places": 100, "initial_accommodated": 50,
                                                                       "waiting_list": 99}),
                                            ("IT", date(2026, 11, 16), {"initial_places": 100, "initial_accommodated": 95,
                                                                        "waiting_list": 10}),
                                            ("IT", date(2026, 11, 25), {"initial_places": 100, "initial_accommodated": 99,
                                                                        "waiting_list": 500}),
                                            ("DE", date(2026, 11, 20), {"open_places": 200, "open_accommodated": 100,
                                                                        "waiting_list": 5})])])
        # resettlement: the 2026-2027 Union Plan runs on the day, the 2024-2025 exercise does not;
        # IT pledged 10 places, DE 25 (and 100 under the old exercise); IT admitted one person who
        # arrived, DE two (one arriving after the day) and has a case referred in January without a
        # decision, past the ordinary procedure's 7 months from its registration (the same day); IT's
        # case referred in October is not
        _add(conn, resettlement_plans, dict(id="rp26", key="2026-2027", kind="union_plan", first_year=2026,
                                            last_year=2027, first_asylum_countries=[], regions=[]),
             dict(id="rp24", key="2024-2025", kind="pledging", first_year=2024, last_year=2025,
                  first_asylum_countries=[], regions=[]))
        _add(conn, resettlement_pledges, *[dict(id=f"rpl{n}", plan_id=plan, member_state=ms, lines=[],
                                                resettlement=r, humanitarian_admission=h, emergency_admission=0,
                                                updated_at=AT)
                                           for n, (plan, ms, r, h) in enumerate([
                                               ("rp26", "IT", 10, 0), ("rp26", "DE", 20, 5), ("rp24", "DE", 100, 0)])])
        _add(conn, resettlement_admissions, *[dict(id=f"rad{n}", plan_id="rp26", member_state=ms, procedure="ordinary",
                                                   referred_on=referred, registered_on=referred, decision=decision,
                                                   decided_on=decided, arrived_on=arrived, updated_at=AT)
                                              for n, (ms, referred, decision, decided, arrived) in enumerate([
                                                  ("IT", date(2026, 6, 1), "admitted", date(2026, 10, 1), date(2026, 10, 15)),
                                                  ("DE", date(2026, 5, 1), "admitted", date(2026, 9, 1), date(2026, 9, 20)),
                                                  ("DE", date(2026, 6, 1), "admitted", date(2026, 11, 1), date(2026, 11, 24)),
                                                  ("DE", date(2026, 1, 5), None, None, None),
                                                  ("IT", date(2026, 10, 1), None, None, None)])])
        # identity: links to verify by IT (2, and 1 verified), DE 1, an EU body 1
        _add(conn, identity_links, *[dict(id=f"l{n}", record_id="i1", linked_record_id="i2", colour="yellow",
                                          status=status, verifying_authority=auth)
                                     for n, (auth, status) in enumerate([
                                         ("IT", "pending"), ("IT", "pending"), ("IT", "verified"),
                                         ("DE", "pending"), ("EU-LISA", "pending")])])


#: indicator -> its value over every state's records, IT's and DE's, on AS_OF in the world above
EXPECTED: dict[str, tuple[Any, Any, Any]] = {
    "registrations": (4, 3, 1),
    "awareness_platform_encounters": ({"Central Mediterranean Route": 5, "Western Balkan Route": 3},
                                      {"Central Mediterranean Route": 5, "Western Balkan Route": 1},
                                      {"Western Balkan Route": 2}),
    # alerts on the state's own encounters; Frontex and every-state alerts are no state's
    "awareness_open_alerts": (5, 2, 1),
    "border_procedure_occupancy": ({"IT": 2, "DE": 1}, {"IT": 2}, {"DE": 1}),
    "asylum_applications": (6, 4, 2),
    # requests the state must answer (requested state), not those it sent
    "dublin_requests_open": (3, 2, 1),
    # transfers the state carried out (requesting state), not those it received
    "dublin_transfers": (3, 1, 2),
    "return_alerts_created": (4, 2, 2),  # the alerts the state issued
    # returns the state carried out (confirmed the departure), not the decisions it issued
    "returns_effected": (3, 2, 1),
    # as benefitting state (IT: its own key) or as contributing state (DE: the states it relieved)
    "relocation_transfers_by_origin": ({"IT": 5, "EL": 1}, {"IT": 5}, {"IT": 3, "EL": 1}),
    "relocation_transfers_total": (6, 5, 4),
    # links the state's authority must verify
    "identity_links_pending": ({"IT": 2, "DE": 1, "EU-LISA": 1}, {"IT": 2}, {"DE": 1}),
    # each state's latest reception report: 195 of 300 places, IT 95 of 100, DE 100 of 200
    "reception_occupancy_rate": (65.0, 95.0, 50.0),
    "reception_states_above_threshold": (["IT"], ["IT"], []),
    "reception_waiting_list": (15, 10, 5),
    # arrived this year by the day; places of running plans less persons admitted; overdue cases
    "resettlement_arrivals_year": (2, 1, 1),
    "resettlement_places_open": (32, 9, 23),
    "resettlement_procedures_overdue": (1, 0, 1),
}
NOT_BY_STATE = {"awareness_detections_by_route"}


@pytest.fixture
def world(services):
    build_world(services)
    return services


def test_every_indicator_says_whether_it_is_by_state_and_has_a_scope_test():
    registry = indicators.load_all()
    assert set(registry) == set(EXPECTED) | NOT_BY_STATE, "a new indicator needs its scope in EXPECTED"
    assert {n for n, ind in registry.items() if not ind.scoped} == NOT_BY_STATE
    # the reader of a state's report is told what the state's records are
    assert all(ind.whose and "{state}" in ind.whose for ind in registry.values() if ind.scoped)
    assert registry["dublin_requests_open"].records_of("IT") == "IT's (requests IT must answer)"
    assert registry["dublin_requests_open"].records_of(None) == "every state's"
    assert registry["awareness_detections_by_route"].records_of("IT") == "EU-wide (not by state)"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_indicator_for_a_state_counts_that_state_s_records(world, name):
    eu, it, de = EXPECTED[name]
    with world.engine.connect() as conn:
        assert indicators.compute(conn, name, AS_OF) == eu
        assert indicators.compute(conn, name, AS_OF, None) == eu
        assert indicators.compute(conn, name, AS_OF, "IT") == it
        assert indicators.compute(conn, name, AS_OF, "DE") == de
        assert indicators.compute(conn, name, AS_OF, "SE") in (0, {}, [], None)  # a state with no records
        assert indicators.load_all()[name].value(conn, AS_OF, "IT") == it


def test_an_indicator_not_by_state_is_eu_wide_whatever_the_state(world):
    ind = indicators.load_all()["awareness_detections_by_route"]
    with world.engine.connect() as conn:
        eu = indicators.compute(conn, ind.name, AS_OF)
        assert eu and ind.value(conn, AS_OF, "IT") == eu
        with pytest.raises(ValueError, match="EU-wide, not by state"):
            indicators.compute(conn, ind.name, AS_OF, "IT")


def test_compute_names_the_state_as_the_platform_does(world):
    with world.engine.connect() as conn:
        assert indicators.compute(conn, "registrations", AS_OF, "it") == 3
        with pytest.raises(ValueError):
            indicators.compute(conn, "registrations", AS_OF, "XX")
        with pytest.raises(KeyError):
            indicators.compute(conn, "no_such_indicator", AS_OF, "IT")


def test_an_indicator_without_the_state_argument_is_refused_when_registered():
    with pytest.raises(TypeError, match="must take \\(conn, as_of, member_state\\)"):
        indicators.indicator("old_style", label="Old", area="registry")(lambda conn, as_of: 0)
    assert "old_style" not in indicators.load_all()


# ------------------------------------------------------------------ the weekly report


def _section7(html: str) -> str:
    return html.split("7. Procedure throughput", 1)[1].split("</table>", 1)[0]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _state_analyst(services: Any, principal: Any, ms: str) -> Principal:
    """The demo analyst of state ``ms``."""
    analyst: Principal = principal(f"{ms.lower()}-analyst")
    assert analyst.member_state == ms and analyst.roles == {Role.analyst}
    return analyst


def test_a_state_analyst_s_report_shows_the_state_s_indicators(world, principal, web_client):
    rep = weekly.build(world, _state_analyst(world, principal, "IT"), WEEK)
    live = {i["name"]: i for i in rep["indicators"]}
    assert set(live) >= {"registrations", "dublin_requests_open", "returns_effected", "relocation_transfers_by_origin"}
    with world.engine.connect() as conn:
        for name, item in live.items():
            assert item["value"] == indicators.compute(conn, name, AS_OF, "IT"), name
            assert item["value"] == EXPECTED[name][1], name
            assert (item["scope"], item["scoped"]) == ("IT", True)
    page = web_client("it-analyst").get(f"/awareness/reports/{WEEK}")
    assert page.status_code == 200
    for html in (page.text, weekly.render_html(rep)):
        heading = _text(html.split("7. Procedure throughput", 1)[1].split("</h2>", 1)[0])
        assert "IT's records" in heading
        section = _section7(html)
        assert "<th>Whose records</th>" in section
        text = _text(section)
        assert ("Arrivals registered Registration and screening IT's (encounters IT registered) "
                "all records up to 2026-11-22 3 encounters") in text
        assert ("Dublin requests awaiting a reply Responsibility (Dublin) IT's (requests IT must answer) "
                "on 2026-11-22 2 requests") in text
        assert "every state" not in html.split("7. Procedure throughput", 1)[1]  # no caveat: the figures are IT's
    rows = {r["label"]: r for r in weekly.indicator_rows(rep)}
    assert all(r["whose"].startswith("IT's (") for r in rows.values())
    assert rows["Relocation transfers carried out under the Voluntary Solidarity Mechanism (VSM), by benefitting state"]["breakdown"] == "IT 5"
    assert rows["Applicants in the border procedure not yet notified of the decision (the occupancy counted "
                "against the border capacity), by state"]["breakdown"] == "IT 2"


def test_an_eu_analyst_s_report_shows_every_state_s_totals(world, principal, web_client):
    rep = weekly.build(world, principal("euaa-analyst"), WEEK)
    live = {i["name"]: i for i in rep["indicators"]}
    for name, item in live.items():
        assert item["value"] == EXPECTED[name][0], name
        assert (item["scope"], item["scoped"]) == ("EU", True)
    html = web_client("euaa-analyst").get(f"/awareness/reports/{WEEK}").text
    assert "every state's records" in _text(html.split("7. Procedure throughput", 1)[1].split("</h2>", 1)[0])
    text = _text(_section7(html))
    assert "Relocation transfers carried out (VSM and Solidarity Pool) Solidarity every state's all records" in text
    assert "IT 5; EL 1" in text


def test_a_state_report_shows_an_indicator_not_by_state_as_eu_wide(world, principal, monkeypatch):
    seen: list[str | None] = []

    def by_route(conn: Any, as_of: date, member_state: str | None) -> dict[str, int]:
        seen.append(member_state)
        return {"Central Mediterranean Route": 1234}

    indicators.load_all()
    monkeypatch.setitem(indicators._INDICATORS, "reception_by_route", indicators.Indicator(
        "reception_by_route", "Arrivals at reception centres, by route", "reception", by_route, "persons", "on",
        scoped=False))
    rep = weekly.build(world, _state_analyst(world, principal, "DE"), WEEK)
    item = next(i for i in rep["indicators"] if i["name"] == "reception_by_route")
    assert seen == [None] and (item["scope"], item["scoped"]) == ("EU", False)
    rows = {r["label"]: r for r in weekly.indicator_rows(rep)}
    assert rows["Arrivals at reception centres, by route"]["whose"] == "EU-wide (not by state)"
    assert rows["Dublin transfers carried out"]["whose"] == "DE's (transfers DE carried out, not those to DE)"
    text = _text(_section7(weekly.render_html(rep)))
    assert "Arrivals at reception centres, by route Reception EU-wide (not by state)" in text
    assert ("Dublin transfers carried out Responsibility (Dublin) DE's (transfers DE carried out, not those to DE) "
            "all records up to 2026-11-22 2") in text


def test_the_follow_up_cites_every_state_s_figures(world):
    from pactum.services import followup

    class _Action:
        def __init__(self, name: str) -> None:
            self.indicator = name

    class _Annex:
        def actions(self) -> list[tuple[None, _Action]]:
            return [(None, _Action("dublin_transfers")), (None, _Action("relocation_transfers_by_origin"))]

    with world.engine.connect() as conn:
        live = followup.live_values(conn, _Annex(), AS_OF)  # type: ignore[arg-type]
    assert live["dublin_transfers"].value == 3
    assert live["relocation_transfers_by_origin"].value == {"IT": 5, "EL": 1}
