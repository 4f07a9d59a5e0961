"""A humanitarian-clause request records the written consent of the persons concerned.

"The persons concerned must express their consent in writing" (Regulation (EU) No 604/2013,
Article 17(2), first subparagraph; Regulation (EU) 2024/1351, Article 35(2), first subparagraph).
A humanitarian-clause request recorded no consent at all. It now carries the day the persons
concerned consented in writing (``consented_in_writing_on``): required for the humanitarian kind
(422 naming the field and citing the article of the case's regime, nothing written), refused for any
other kind, not after today nor before the application the case counts from. The request keeps it:
its JSON, its page, the case page's form and the CLI's JSON body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.services.auth import Principal
from pactum.services.bootstrap import Services
from pactum.store.tables.platform import audit_log
from pactum.store.tables.responsibility import dublin_request_events, dublin_requests
from tests.e2e.test_qa19_responsibility import _case  # a German application, an irregular crossing into Italy

Headers = Callable[[str], dict[str, str]]
Login = Callable[[str], TestClient]
Who = Callable[[str], Principal]

API = "/api/v1/responsibility"
D3_17_2 = "Regulation (EU) No 604/2013, Article 17(2)"
AMMR_35_2 = "Regulation (EU) 2024/1351, Article 35(2)"
LABEL = "Written consent of the persons concerned given on (humanitarian clause only)"
#: the tests' clock: 2026-11-28; an AMMR case registered on 2026-11-02, a Dublin III one on 2026-05-04
AMMR_REGISTERED, D3_REGISTERED = "2026-11-02", "2026-05-04"


def _written(services: Services) -> tuple[int, int, int]:
    with services.engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(t)).scalar_one()  # type: ignore[return-value]
            for t in (dublin_requests, dublin_request_events, audit_log)
        )


def _post(client: TestClient, headers: dict[str, str], case: dict[str, Any], **body: Any) -> Any:
    return client.post(
        f"{API}/cases/{case['id']}/requests",
        headers=headers,
        json={"kind": "humanitarian", "requested_member_state": "SE", **body},
    )


def _one_problem(r: Any) -> tuple[list[Any], str]:
    assert r.status_code == 422, r.text
    [problem] = r.json()["detail"]
    return problem["loc"], problem["msg"]


# ------------------------------------------------------------------ the API


@pytest.mark.parametrize(
    ("registered_on", "cited", "not_cited"),
    [(D3_REGISTERED, D3_17_2, AMMR_35_2), (AMMR_REGISTERED, AMMR_35_2, D3_17_2)],
)
def test_without_the_written_consent_the_request_is_refused_citing_the_regimes_article(
    services: Services,
    principal: Who,
    client: TestClient,
    auth_headers: Headers,
    registered_on: str,
    cited: str,
    not_cited: str,
) -> None:
    case = _case(
        services, principal("de-dublin"), f"HUM-CONSENT-{registered_on}", registered_on=registered_on
    )
    h = auth_headers("de-dublin")  # opening a session is audited: before counting
    before = _written(services)
    loc, msg = _one_problem(_post(client, h, case))
    assert loc == ["body", "consented_in_writing_on"]
    assert msg == (
        f"a humanitarian-clause request needs the written consent of the persons concerned "
        f"({cited}): give the day they consented in writing"
    )
    assert not_cited not in msg
    assert _written(services) == before  # no request, no timeline event, no audit entry


def test_with_the_written_consent_the_request_is_sent_and_both_states_read_the_day(
    services: Services, principal: Who, client: TestClient, auth_headers: Headers, web_client: Login
) -> None:
    case = _case(services, principal("de-dublin"), "HUM-CONSENT-OK")
    r = _post(client, auth_headers("de-dublin"), case, consented_in_writing_on="2026-11-10")
    assert r.status_code == 201, r.text
    sent = r.json()
    assert (sent["kind"], sent["status"], sent["consented_in_writing_on"]) == (
        "humanitarian",
        "pending",
        "2026-11-10",
    )
    for who in ("de-dublin", "se-dublin"):  # the requesting state and the state asked
        got = client.get(f"{API}/requests/{sent['id']}", headers=auth_headers(who))
        assert got.status_code == 200 and got.json()["consented_in_writing_on"] == "2026-11-10", who
        page = web_client(who).get(f"/responsibility/requests/{sent['id']}").text
        shown = page.split('id="written-consent">', 1)[1].split("</dd>", 1)[0]
        assert shown.startswith("given on 2026-11-10") and AMMR_35_2 in shown, who
    with services.engine.connect() as conn:
        stored = conn.execute(
            select(dublin_requests.c.consented_in_writing_on).where(dublin_requests.c.id == sent["id"])
        ).scalar_one()
    assert stored.isoformat() == "2026-11-10"


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "take_charge", "requested_member_state": "IT"},
        {
            "kind": "take_back_notification",
            "requested_member_state": "IT",
            "eurodac_hit": True,
            "hit_on": "2026-11-20",
            "take_back_ground": "indicated_responsible_in_eurodac",
        },
    ],
)
def test_another_kind_carrying_a_written_consent_is_refused(
    services: Services, principal: Who, client: TestClient, auth_headers: Headers, body: dict[str, Any]
) -> None:
    earlier = {"entries": [], "earlier_applications": [{"member_state": "IT", "registered_on": "2026-08-01"}]}
    case = _case(
        services,
        principal("de-dublin"),
        f"HUM-CONSENT-{body['kind']}",
        **(earlier if body["kind"] == "take_back_notification" else {}),
    )
    h = auth_headers("de-dublin")
    before = _written(services)
    r = client.post(
        f"{API}/cases/{case['id']}/requests",
        headers=h,
        json={**body, "consented_in_writing_on": "2026-11-10"},
    )
    loc, msg = _one_problem(r)
    assert loc == ["body", "consented_in_writing_on"]
    assert msg.startswith(
        "only a humanitarian-clause request carries the written consent of the persons concerned"
    )
    assert _written(services) == before
    # without it the same request is sent, and records no consent
    sent = client.post(f"{API}/cases/{case['id']}/requests", headers=h, json=body)
    assert sent.status_code == 201, sent.text
    assert sent.json()["consented_in_writing_on"] is None


def test_a_consent_in_the_future_or_before_the_application_is_refused(
    services: Services, principal: Who, client: TestClient, auth_headers: Headers
) -> None:
    case = _case(services, principal("de-dublin"), "HUM-CONSENT-DAYS")  # AMMR, registered on 2026-11-02
    h = auth_headers("de-dublin")
    before = _written(services)
    loc, msg = _one_problem(_post(client, h, case, consented_in_writing_on="2026-11-29"))  # tomorrow
    assert (loc, msg) == (["body", "consented_in_writing_on"], "is in the future")
    loc, msg = _one_problem(_post(client, h, case, consented_in_writing_on="2026-10-30"))
    assert loc == ["body", "consented_in_writing_on"]
    assert (
        msg.startswith("2026-10-30 is before the application was registered (2026-11-02)")
        and AMMR_35_2 in msg
    )
    assert _written(services) == before
    # the day of the registration and today are both possible
    assert _post(client, h, case, consented_in_writing_on="2026-11-28").status_code == 201


# ------------------------------------------------------------------ the web form


def test_the_case_page_asks_for_the_consent_and_a_refused_form_marks_the_field(
    services: Services, principal: Who, web_client: Login
) -> None:
    case = _case(services, principal("de-dublin"), "HUM-CONSENT-WEB", registered_on=D3_REGISTERED)
    web = web_client("de-dublin")
    page = web.get(f"/responsibility/cases/{case['id']}").text
    # always on the form (no script needed), a date field
    field = page.split(f"<label>{LABEL}", 1)[1].split("</label>", 1)[0]
    assert '<input type="date" name="consented_in_writing_on" value=""' in field
    assert D3_17_2 in field and "aria-invalid" not in field
    form = {
        "kind": "humanitarian",
        "requested_member_state": "SE",
        "evidence[0].kind": "family_link",
        "evidence[0].description": "Her sister lives in Malmö",
    }
    before = _written(services)
    r = web.post(f"/responsibility/cases/{case['id']}/requests", data=form)
    assert r.status_code == 422
    field = r.text.split(f"<label>{LABEL}", 1)[1].split("</label>", 1)[0]
    assert 'aria-invalid="true" aria-describedby="problem-1"' in field
    summary_line = r.text.split('id="problem-1"', 1)[1].split("</li>", 1)[0]
    assert (
        "Written consent of the persons concerned given on: a humanitarian-clause request needs the "
        f"written consent of the persons concerned ({D3_17_2})"
    ) in summary_line
    assert 'value="Her sister lives in Malmö"' in r.text  # what was typed is kept
    assert _written(services) == before
    # a future day is refused beside the field too, and the typed day kept
    r = web.post(
        f"/responsibility/cases/{case['id']}/requests", data={**form, "consented_in_writing_on": "2026-12-01"}
    )
    assert r.status_code == 422
    field = r.text.split(f"<label>{LABEL}", 1)[1].split("</label>", 1)[0]
    assert 'value="2026-12-01"' in field and 'aria-invalid="true"' in field
    # with the day, the request is sent and its page shows it
    r = web.post(
        f"/responsibility/cases/{case['id']}/requests",
        data={**form, "consented_in_writing_on": "2026-05-20"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = web.get(r.headers["location"]).text
    assert page.split('id="written-consent">', 1)[1].startswith("given on 2026-05-20")


def test_a_humanitarian_request_made_before_the_platform_asked_says_so(
    services: Services, principal: Who, client: TestClient, auth_headers: Headers, web_client: Login
) -> None:
    case = _case(services, principal("de-dublin"), "HUM-CONSENT-OLD")
    sent = _post(client, auth_headers("de-dublin"), case, consented_in_writing_on="2026-11-10").json()
    with services.engine.begin() as conn:  # as the migration leaves a request sent before
        conn.execute(
            update(dublin_requests)
            .where(dublin_requests.c.id == sent["id"])
            .values(consented_in_writing_on=None)
        )
    assert (
        client.get(f"{API}/requests/{sent['id']}", headers=auth_headers("de-dublin")).json()[
            "consented_in_writing_on"
        ]
        is None
    )
    page = web_client("de-dublin").get(f"/responsibility/requests/{sent['id']}").text
    assert page.split('id="written-consent">', 1)[1].startswith(
        "not recorded (made before the platform asked for it)"
    )
    # a take charge's page says nothing of a consent
    other = _case(services, principal("de-dublin"), "HUM-CONSENT-TC")
    tc = client.post(
        f"{API}/cases/{other['id']}/requests",
        headers=auth_headers("de-dublin"),
        json={"kind": "take_charge", "requested_member_state": "IT"},
    ).json()
    assert (
        'id="written-consent"' not in web_client("de-dublin").get(f"/responsibility/requests/{tc['id']}").text
    )


# ------------------------------------------------------------------ the CLI


def test_the_cli_refuses_a_body_without_the_consent_and_sends_one_with_it(
    services: Services, principal: Who, tmp_path: Path
) -> None:
    case = _case(services, principal("de-dublin"), "HUM-CONSENT-CLI")
    env = {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "de-dublin"}
    body = tmp_path / "humanitarian.json"
    body.write_text(json.dumps({"kind": "humanitarian", "requested_member_state": "SE"}))
    before = _written(services)
    r = CliRunner().invoke(app, ["responsibility", "request", case["id"], str(body)], env=env)
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "consented_in_writing_on" in lines[0] and AMMR_35_2 in lines[0]
    assert _written(services) == before
    body.write_text(
        json.dumps(
            {"kind": "humanitarian", "requested_member_state": "SE", "consented_in_writing_on": "2026-11-10"}
        )
    )
    r = CliRunner().invoke(app, ["responsibility", "request", case["id"], str(body)], env=env)
    assert r.exit_code == 0, r.output + r.stderr
    sent = json.loads(r.stdout)
    assert (sent["kind"], sent["consented_in_writing_on"]) == ("humanitarian", "2026-11-10")
