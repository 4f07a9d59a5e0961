"""`pactum identity train`: the model re-fitted to the store's own records, with officers'
verified links as labels; `--em` estimates m by expectation maximisation instead.

A national store is not the generated data the shipped model was trained on: its names and
dates have their own frequencies (u), while how the records of one person differ from each other
(m) carries over. Re-fitting keeps m and re-estimates u; EM on unlabelled records re-estimates m
too, which on 100,000 generated records scored far below the labelled model (docs/performance.md).
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.identity.generator import Generator
from pactum.identity.metrics import share_of_pairs_one_person
from pactum.services import identity
from pactum.services.identity import linkage
from pactum.store.tables.identity import identity_links, identity_models
from pactum.store.tables.registry import identity_records, persons

NOW = datetime(2026, 11, 28, tzinfo=UTC)
runner = CliRunner()


def _load(services, n: int = 400, seed: int = 7) -> list[Any]:
    """``n`` generated identity records of Germany (one person row per generated person)."""
    recs = Generator(seed=seed).records(n)
    with services.uow() as uow:
        for pid in dict.fromkeys(r.person_id for r in recs):
            uow.conn.execute(insert(persons).values(id=pid, member_state="DE", created_at=NOW, version=1))
        for r in recs:
            uow.conn.execute(insert(identity_records).values(
                id=r.record_id, person_id=r.person_id, member_state="DE", recorded_on=date(2026, 11, 1),
                category="applicant", given_names=r.given_names, surname=r.surname, father_name=r.father_name or None,
                sex=r.sex or None, date_of_birth=r.date_of_birth or None, place_of_birth=r.place_of_birth or None,
                nationality=r.nationality or None, document_number=r.document_number or None,
                created_at=NOW, version=1))
        uow.commit()
    return recs


def _m_and_u(model: dict[str, Any]) -> dict[tuple[str, str], tuple[float | None, float | None]]:
    return {(c["output_column_name"], lev.get("label_for_charts") or ""): (lev.get("m_probability"),
                                                                             lev.get("u_probability"))
            for c in model["comparisons"] for lev in c["comparison_levels"] if not lev.get("is_null_level")}


def _verify_links(services, recs: list[Any], n: int) -> list[list[str]]:
    """``n`` pairs of records of one person each, verified white by Germany's officers (the labels
    training takes); the pairs."""
    by_person: dict[str, list[str]] = {}
    for r in recs:
        by_person.setdefault(r.person_id, []).append(r.record_id)
    same = [ids[:2] for ids in by_person.values() if len(ids) >= 2][:n]
    with services.uow() as uow:
        for i, (a, b) in enumerate(same):
            uow.conn.execute(insert(identity_links).values(
                id=f"IDL-{i}", record_id=a, linked_record_id=b, colour="white", status="verified",
                verifying_authority="DE", match_probability=0.9, basis={}, created_at=NOW, decided_at=NOW,
                decided_by="de-caseworker", version=1))
        uow.commit()
    return same


def _active(services) -> tuple[int, dict[str, Any], str, int]:
    with services.engine.connect() as conn:
        row = conn.execute(select(identity_models).where(identity_models.c.active.is_(True))).one()
    return row.version, dict(row.model), row.trained_on, row.labelled_pairs


def _env(services) -> dict[str, str]:
    return {"PACTUM_DATABASE_URL": services.settings.database_url, "PACTUM_CLI_USER": "eu-admin"}


def test_train_keeps_how_one_persons_records_differ_and_learns_the_stores_frequencies(services):
    recs = _load(services)
    shipped = _m_and_u(identity.default_model())
    r = runner.invoke(app, ["identity", "train"], env=_env(services))
    assert r.exit_code == 0, r.output
    version, model, trained_on, labelled = _active(services)
    assert version == 1 and labelled == 0
    assert "u re-estimated on the store, m kept" in trained_on
    refitted = _m_and_u(model)
    assert refitted.keys() == shipped.keys()
    # m of every level is the shipped model's; u comes from the store's 400 records
    assert all(refitted[k][0] == shipped[k][0] for k in shipped)
    assert any(refitted[k][1] != shipped[k][1] for k in shipped)
    # the prior is estimated on the store: its own share of pairs of one person (0.0045 here)
    assert model["pactum"]["trained_records"] == 400
    truth = share_of_pairs_one_person(r.person_id for r in recs)
    assert abs(model["probability_two_random_records_match"] - truth) < 0.15 * truth
    # the model list says where every score of the store starts: the store's own prior, unscaled
    listed = runner.invoke(app, ["identity", "models"], env=_env(services))
    assert listed.exit_code == 0, listed.output
    prior = json.loads(listed.output)[0]["prior"]
    assert prior["store_records"] == prior["trained_records"] == 400
    assert prior["store_probability"] == prior["probability"] == model["probability_two_random_records_match"]
    assert prior["store_weight"] == round(math.log2(prior["probability"] / (1 - prior["probability"])), 3)


def test_train_with_em_estimates_m_from_the_records(services):
    _load(services, seed=41)
    shipped = _m_and_u(identity.default_model())
    r = runner.invoke(app, ["identity", "train", "--em"], env=_env(services))
    assert r.exit_code == 0, r.output
    assert json.loads(r.output[r.output.index("{"):])["version"] == 1
    _version, model, trained_on, _labelled = _active(services)
    # on these 400 records the pass blocked on the full date drives an m to 0 and is skipped
    assert trained_on == "store: 400 records, EM; skipped for too few pairs: EM pass 1 (blocked on date of birth)"
    assert any(_m_and_u(model)[k][0] != shipped[k][0] for k in shipped)


def test_verified_links_become_labels_for_m(services):
    recs = _load(services)
    same = _verify_links(services, recs, 40)
    shipped = _m_and_u(identity.default_model())
    r = runner.invoke(app, ["identity", "train"], env=_env(services))
    assert r.exit_code == 0, r.output
    _version, model, trained_on, labelled = _active(services)
    assert labelled == len(same) and "m from verified links" in trained_on
    refitted = _m_and_u(model)
    assert any(refitted[k][0] != shipped[k][0] for k in shipped)
    # forty links refine m, shrunk towards the shipped model's (linkage.shrink_m): they weigh
    # 40 / (40 + M_PRIOR_PAIRS) = 1/6, so no level moves by as much as a sixth (unshrunk, the m of
    # a level forty links never fall into would drop to 0)
    weight = len(same) / (len(same) + linkage.M_PRIOR_PAIRS)
    assert all(abs(refitted[k][0] - shipped[k][0]) < weight for k in shipped if shipped[k][0] is not None)


def test_too_few_records_is_one_readable_line(services):
    _load(services, n=20)
    r = runner.invoke(app, ["identity", "train"], env=_env(services))
    assert r.exit_code == 2
    assert "training needs at least 50 identity records, the store has 20" in r.output
    with services.engine.connect() as conn:
        assert conn.execute(select(identity_models)).first() is None


def test_em_training_with_verified_links_takes_m_from_them(services):
    """`train --em` on a store whose officers have verified links: EM, then m from those links
    (the registered label table used to be asked its len(), a crash)."""
    recs = _load(services, seed=41)
    same = _verify_links(services, recs, 30)
    r = runner.invoke(app, ["identity", "train", "--em"], env=_env(services))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["version"] == 1
    _version, _model, trained_on, labelled = _active(services)
    assert labelled == len(same)
    assert trained_on.startswith("store: 400 records, EM, m from verified links")
