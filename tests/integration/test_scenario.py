"""The demo world: deterministic for a seed, calibrated on the Frontex series, across both regimes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from pactum.scenario.world import build
from pactum.store.tables.registry import encounters, identity_records, persons, screenings


def _snapshot(services):
    with services.engine.connect() as conn:
        rows = conn.execute(select(identity_records.c.surname_latin, identity_records.c.date_of_birth,
                                   identity_records.c.nationality, identity_records.c.member_state)
                            .order_by(identity_records.c.recorded_on, identity_records.c.surname_latin,
                                      identity_records.c.date_of_birth)).all()
    return [tuple(r) for r in rows]


def test_world_is_deterministic_and_spans_both_regimes(services, tmp_path):
    from pactum.services.bootstrap import Services
    from pactum.settings import Settings

    build(services, scale="XS", seed=7, end=date(2026, 11, 28), show_progress=False, only=["registry"])
    with services.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(encounters)).scalar()
        routes = dict(conn.execute(select(encounters.c.route, func.count()).group_by(encounters.c.route)).all())
        pre = conn.execute(select(func.count()).select_from(encounters)
                           .where(encounters.c.occurred_at < "2026-06-12")).scalar()
        screened = conn.execute(select(func.count()).select_from(screenings)).scalar()
        second_state = conn.execute(select(func.count()).select_from(encounters)
                                    .where(encounters.c.route.is_(None))).scalar()
        assert conn.execute(select(func.count()).select_from(persons)).scalar() == n
    assert 150 < n < 400
    # the two busiest routes of the Frontex series lead the demo world too
    top = sorted((k for k in routes if k), key=lambda k: -routes[k])[:2]
    assert set(top) == {"Central Mediterranean Route", "Eastern Mediterranean Route"}
    assert 0 < pre < n and 0 < screened < n  # pre-Pact encounters get no screening
    assert second_state > 0  # secondary movements: encountered again in another state

    # same seed, same world
    other = Services(settings=Settings(database_url=f"sqlite:///{tmp_path}/other.db",
                                       var_dir=tmp_path, argon2_time_cost=1, argon2_memory_kib=1024),
                     clock=services.clock)
    from pactum.store.migrate import upgrade

    upgrade(other.engine)
    build(other, scale="XS", seed=7, end=date(2026, 11, 28), show_progress=False, only=["registry"])
    assert _snapshot(other) == _snapshot(services)


# --- the shipped forecast fits the demo world uses (pactum.services.awareness.forecasting) ------


def _shipped_fit(model: str, horizon: int | None = None) -> dict:
    from pactum.services.awareness import forecasting

    fits = [f for f in forecasting.shipped_fits().values() if f["inputs"]["model"] == model
            and (horizon is None or f["inputs"]["horizon"] == horizon)]
    assert fits, f"no shipped fit of {model}"
    return min(fits, key=lambda f: forecasting.fit_key(f["inputs"]))


def _call(fit: dict, series: dict | None = None, model: str | None = None):
    from pactum.services.awareness import forecasting

    i = fit["inputs"]
    return forecasting.forecast("Route", series or {m: v for m, v in i["series"]}, model or i["model"],
                                i["horizon"], calibration=i["calibration"])


def test_shipped_forecast_fits_equal_a_fresh_fit(monkeypatch):
    """A shipped fit and a fresh statsforecast fit of the same inputs give the same months and
    figures (to the 0.1 the API rounds to); the fits were made with the installed statsforecast."""
    from pactum.services.awareness import forecasting

    shipped = forecasting.shipped_fits()
    version = forecasting.fit_inputs({}, "ets", 1, None)["statsforecast"]
    assert len(shipped) > 9 and {f["inputs"]["statsforecast"] for f in shipped.values()} == {version}
    for model in ("ets", "theta", "arima"):
        fit = _shipped_fit(model, horizon=1)
        served = _call(fit)
        assert [p.model_dump() for p in served.points] == fit["points"]
        monkeypatch.setattr(forecasting, "shipped_fits", lambda: {})
        fresh = _call(fit)
        monkeypatch.undo()
        assert fresh.origin == served.origin == fit["origin"]
        for a, b in zip(fresh.points, served.points, strict=True):
            assert a.month == b.month
            for field in ("mean", "lo_80", "hi_80"):
                assert getattr(a, field) == pytest.approx(getattr(b, field), rel=1e-3, abs=0.11), (model, field)


def test_a_forecast_whose_inputs_differ_from_every_shipped_fit_is_fitted(monkeypatch):
    from pactum.services.awareness import forecasting

    fit = _shipped_fit("theta")
    recorded: list = []
    monkeypatch.setattr(forecasting, "_RECORDING", recorded)
    _call(fit)
    assert recorded == []  # served from the shipped fits
    series = {m: v for m, v in fit["inputs"]["series"]}
    last = max(series)
    series[last] += 1.0  # one more detection in the last month: a different series
    out = _call(fit, series=series)
    assert len(recorded) == 1 and recorded[0]["inputs"]["series"][-1] == [last, series[last]]
    assert out.origin == last
    _call(fit, model="seasonal_naive")  # another model on the same series
    assert len(recorded) == 2 and recorded[1]["inputs"]["model"] == "seasonal_naive"


def test_whole_world_at_scale_xs_is_complete_and_audited(services, monkeypatch):
    """Every step runs; every area has its records; each write the services made is in the audit
    chain, which verifies; the forecasts are those of the shipped fits (the shipped release)."""
    from pactum.services.audit import verify
    from pactum.services.awareness import forecasting
    from pactum.store.tables.awareness import awareness_forecasts
    from pactum.store.tables.platform import audit_log
    from pactum.store.tables.procedures import asylum_applications

    fitted: list = []
    monkeypatch.setattr(forecasting, "_RECORDING", fitted)
    ctx = build(services, scale="XS", seed=3, end=date(2026, 11, 28), show_progress=False)
    assert fitted == []  # every forecast of the shipped release came from the shipped fits
    assert {"registry", "identity", "responsibility", "procedures", "solidarity", "returns", "awareness",
            "followup"} <= set(ctx.timings)
    assert all(wall >= 0 and cpu >= 0 for wall, cpu in ctx.timings.values())
    with services.engine.connect() as conn:
        assert verify(conn).ok
        audited = {(a, e) for a, e in conn.execute(select(audit_log.c.action, audit_log.c.entity_id))}
        cases = [r.id for r in conn.execute(select(asylum_applications.c.id))]
        forecasts = conn.execute(select(awareness_forecasts)).all()
    assert cases and all(("procedures.application_made", c) in audited for c in cases)
    assert any(a == "awareness.forecast" for a, _ in audited)
    # the Dublin deadline job runs each morning in the world: each lapse is dated the morning after
    # its deadline (before, all at the world's end: "2026-11-28 06:00 system: transfer period ended"
    # for a period that ended a year before)
    from pactum.store.tables.responsibility import dublin_request_events, dublin_requests

    applied = {"lapse_reply": "reply_due", "lapse_confirmation": "reply_due", "lapse_reexamination":
               "reexamination_due", "lapse_reexamination_request": "closed_on", "lapse_transfer": "closed_on"}
    with services.engine.connect() as conn:
        requests = {r.id: r for r in conn.execute(select(dublin_requests))}
        lapses = conn.execute(select(dublin_request_events).where(
            dublin_request_events.c.action.in_(sorted(applied)))).all()
    assert lapses
    late = {(e.action, e.request_id): (e.at.date() - getattr(requests[e.request_id], applied[e.action])).days
            for e in lapses}
    assert all(1 <= days <= 2 for days in late.values()), {k: d for k, d in late.items() if not 1 <= d <= 2}
    # each route's forecast is a shipped fit; after a jump above its interval the upper bounds are
    # widened to the persistence forecast's (forecasting.with_persistence), the rest stays the fit's;
    # a nationality's is kept within its route's in each month (forecasting.within_route)
    def fit_part(points):  # type: ignore[no-untyped-def]
        return [(p["month"], p["mean"], p["lo_80"]) for p in points]

    shipped = {}
    for f in forecasting.shipped_fits().values():
        shipped.setdefault(str(fit_part(f["points"])), []).append(f["points"])
    assert forecasts
    routes = {(f.route, f.origin): {p["month"]: p for p in f.points} for f in forecasts if not f.nationality}
    for f in forecasts:
        if f.nationality:
            route = routes.get((f.route, f.origin), {})
            assert all(p["mean"] <= route[p["month"]]["mean"] and p["hi_80"] <= route[p["month"]]["hi_80"]
                       for p in f.points if p["month"] in route), f.id
            continue
        fits = shipped.get(str(fit_part(f.points)))
        assert fits, f.id
        assert any(all(p["hi_80"] >= q["hi_80"] for p, q in zip(f.points, fit, strict=True)) for fit in fits)


def test_build_writes_sqlite_without_fsync_and_gives_the_store_its_settings_back(services, monkeypatch):
    from pactum.scenario import world

    seen: list[int] = []

    def probe(ctx):
        with ctx.services.engine.connect() as conn:
            seen.append(conn.exec_driver_sql("PRAGMA synchronous").scalar())

    monkeypatch.setattr(world, "steps", lambda: [world.Step("probe", 1, probe)])
    ctx = build(services, scale="XS", seed=1, end=date(2026, 11, 28), show_progress=False)
    assert seen == [0]  # OFF while the world is written
    assert set(ctx.timings) == {"probe"}
    with services.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # the store's NORMAL again
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
