"""Action 5.a of the annex reports on "both pilot schemes" of an accelerated border procedure,
Bulgaria's and Romania's ("…in both Romania and Bulgaria"). Its live figure, the border procedure's
occupancy, counted every state's border cases (Italy's, Spain's…): it now counts the two states the
action names, by state, and says so."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from pactum.services import followup
from pactum.services.auth import SYSTEM
from pactum.store.tables.procedures import asylum_applications
from pactum.store.tables.registry import identity_records, persons
from tests.e2e.test_indicators_by_state import _add

ON = date(2026, 11, 28)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def loaded(services):
    followup.load(services, SYSTEM)
    with services.engine.begin() as conn:
        _add(conn, persons, dict(id="p1", member_state="BG"))
        _add(conn, identity_records, dict(id="i1", person_id="p1", member_state="BG", nationality="SYR"))
        # border cases not yet notified: BG 2, RO 1, and IT 3, EL 1 (no pilot scheme of the action)
        _add(conn, asylum_applications, *[
            dict(id=f"a{n}", member_state=ms, person_id="p1", procedure="border", made_on=date(2026, 11, 2),
                 decided_on=None, notified_on=None)
            for n, ms in enumerate(("BG", "BG", "RO", "IT", "IT", "IT", "EL"))])
    return services


def _action(sop, key: str):
    return next(a for c in sop.commitments for _, actions in c.groups for a in actions if a.key == key)


def test_the_pilot_schemes_figure_counts_bulgaria_and_romania(loaded, web_client):
    annex = followup.current(loaded)
    assert next(a for _, a in annex.actions() if a.key == "5.a").indicator_states == ["BG", "RO"]
    live = _action(followup.state_of_play(loaded, ON), "5.a").live
    assert live.available and live.states == ["BG", "RO"]
    assert live.value == {"BG": 2, "RO": 1}  # was {"BG": 2, "RO": 1, "IT": 3, "EL": 1}: 7 in all
    page = _text(web_client("euaa-analyst").get(f"/followup/report?as_of={ON}").text)
    assert re.search(r"Live on 2026-11-28: 3 \(BG 2, RO 1\) \(Applicants in the border procedure[^)]*\)[^)]*\)"
                     r" counted for BG and RO only, the Member States the action names", page), page[:200]
    # the other actions' figures stay the Union's: every state's
    assert _action(followup.state_of_play(loaded, ON), "3.a").live.states == []


def test_a_state_with_no_border_case_is_counted_as_none(loaded):
    with loaded.engine.begin() as conn:
        conn.execute(asylum_applications.delete().where(asylum_applications.c.member_state == "RO"))
    assert _action(followup.state_of_play(loaded, ON), "5.a").live.value == {"BG": 2, "RO": 0}


def test_states_that_are_not_member_states_are_refused_naming_the_field(loaded, client, auth_headers, web_client):
    h = auth_headers("com-analyst")
    r = client.patch("/api/v1/followup/items/action/5.a", headers=h,
                     json={"version": 1, "changes": {"indicator_states": ["BG", "RS"]}})
    assert r.status_code == 422, r.text
    assert "indicator_states" in r.text and "'RS' is not a Member State code" in r.text
    r = client.patch("/api/v1/followup/items/action/5.b", headers=h,
                     json={"version": 1, "changes": {"indicator_states": ["BG"]}})
    assert r.status_code == 422, r.text
    assert "the states scope a live indicator; name the indicator too" in r.text
    c = web_client("com-analyst")
    r = c.post("/followup/items/action/5.a/edit", data={
        "version": "1", "indicator_states": "BG\nXX", "valid_from": "2026-11-28"})
    assert r.status_code == 422
    assert "indicator_states" in r.text and "&#39;XX&#39; is not a Member State code" in r.text
    # nothing was written
    assert next(a for _, a in followup.current(loaded).actions() if a.key == "5.a").indicator_states == ["BG", "RO"]


def test_the_csv_export_carries_the_states_and_an_older_file_without_the_column_is_read(loaded):
    from pactum.followup import codec

    annex = followup.current(loaded)
    text = codec.dump_csv(annex)
    header = text.splitlines()[0].split(",")
    assert "indicator_states" in header
    back = codec.load_csv(text)
    assert next(a for _, a in back.actions() if a.key == "5.a").indicator_states == ["BG", "RO"]
    # a file written before the column: read as before, no action scoped to states
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text)))
    out = io.StringIO()
    columns = [c for c in header if c != "indicator_states"]
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    older = codec.load_csv(out.getvalue())
    assert next(a for _, a in older.actions() if a.key == "5.a").indicator_states == []
