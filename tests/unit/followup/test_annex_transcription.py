"""The shipped annex must say what the letter's annex says: every text verbatim, every amount,
every partner, and the totals a reader can add up from the text."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from pactum.followup import annex_data
from pactum.followup.funding import by_commitment, by_partner, by_stage
from pactum.followup.model import Annex, Stage, Status

M = Decimal(1_000_000)


def _norm(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.replace("•", " ").split())


@pytest.fixture(scope="module")
def annex() -> Annex:
    return annex_data.shipped()


@pytest.fixture(scope="module")
def source() -> str:
    return _norm(
        resources.files("pactum.data").joinpath("followup/source-annex-2023-06-23.txt").read_text()
    )


def test_fifteen_numbered_commitments_of_the_annex(annex: Annex, source: str) -> None:
    assert [c.number for c in annex.commitments] == list(range(1, 16))
    for c in annex.commitments:
        assert f"{c.number}. " in source
    assert annex.edition.as_of == date(2023, 6, 23)


def test_every_text_is_the_annex_wording(annex: Annex, source: str) -> None:
    for c in annex.commitments:
        # Commitment 2 is two bullets in the annex; 9 runs over a page break.
        for part in re.split(r"\n", c.text):
            part = _norm(part)
            if part:
                chunks = [part] if c.number != 9 else part.split(" The Commission will use")
                for chunk in chunks:
                    assert _norm(chunk) in source, f"commitment {c.number}: {chunk[:60]}"
        for a in c.actions:
            text = _norm(a.text)
            if a.key == "9.b":
                head, tail = text.split(" EUAA and IOM ", 1)
                assert head + " EUAA and IOM" in source and tail in source
                continue
            if a.key == "2.d":
                head, tail = text.split(" assisted voluntary ", 1)
                assert head in source and tail in source
                continue
            assert text in source, f"action {a.key}: {text[:60]}"
    for plan in annex.action_plans:
        assert _norm(plan.text) in source
        assert _norm(plan.progress) in source


def _amounts_in(text: str) -> Counter[Decimal]:
    found: Counter[Decimal] = Counter()
    for number, _unit in re.findall(r"€\s?([0-9]+(?:\.[0-9]+)?)\s?(m\b|million)", text):
        found[Decimal(number) * M] += 1
    return found


def test_every_euro_amount_of_the_annex_is_data(annex: Annex, source: str) -> None:
    in_text = _amounts_in(source)
    in_data: Counter[Decimal] = Counter()
    for _, f in annex.funding_lines():
        in_data[f.amount_eur] += 1
        for t in f.tranches:
            in_data[t.amount_eur] += 1
        for comp in f.components:
            in_data[comp.amount_eur] += 1
    # Tunisia's EUR 105m is cited twice in the text (items 2 and 11) and is one funding line.
    in_text[Decimal(105) * M] -= 1
    assert in_data == in_text


def test_funding_totals_per_commitment_as_added_from_the_text(annex: Annex) -> None:
    totals = {cf.number: cf.totals.total_eur for cf in by_commitment(annex)}
    assert totals[1] == (200 + 140 + Decimal("55.8")) * M
    assert totals[2] == (105 + 23 + 87) * M
    assert totals[8] == (70 + 50 + 10) * M
    assert totals[11] == (20 + 3 + 30 + 9 + 40 + 7 + 3 + 152 + 120 + 20 + Decimal("28.4")) * M
    assert totals[12] == (40 + 30 + 60) * M
    assert totals[14] == 480 * M
    assert {n for n, t in totals.items() if t} == {1, 2, 8, 11, 12, 14}
    assert by_stage(annex).total_eur == sum(totals.values())


def test_morocco_budget_support_tranches(annex: Annex) -> None:
    line = next(f for _, f in annex.funding_lines() if f.key == "11.F8")
    assert line.amount_eur == 152 * M and line.stage is Stage.committed
    assert line.disbursed_eur == 35 * M
    assert [t.amount_eur for t in line.tranches] == [35 * M, 45 * M]


def test_western_balkans_package_is_its_two_components(annex: Annex) -> None:
    line = next(f for _, f in annex.funding_lines() if f.key == "12.F3")
    assert sum(c.amount_eur for c in line.components) == line.amount_eur == 60 * M


def test_relocation_transfers_footnote_adds_up_to_nearly_1900(annex: Annex) -> None:
    action = next(a for _, a in annex.actions() if a.key == "9.b")
    figure = action.figures[0]
    assert figure.breakdown == {
        "IT": Decimal(911), "CY": Decimal(676), "ES": Decimal(48), "MT": Decimal(76), "EL": Decimal(179),
    }
    assert sum(figure.breakdown.values()) == figure.value == 911 + 676 + 48 + 76 + 179 == 1890
    assert action.indicator == "relocation_transfers_by_origin"


def test_frontex_return_operations_add_up_to_twenty(annex: Annex) -> None:
    figure = next(a for _, a in annex.actions() if a.key == "11.b").figures[0]
    assert figure.breakdown is not None
    assert sum(figure.breakdown.values()) == figure.value == 20


def test_partners_named_in_the_annex(annex: Annex) -> None:
    codes = {p.code for p in annex.partners}
    assert {"TUN", "EGY", "LBY", "MAR", "BGD", "PAK", "NGA"} <= codes
    assert {"ALB", "BIH", "MKD", "MNE", "SRB", "XKX"} == {
        p.code for p in annex.partners if p.region == "Western Balkans"
    }
    tunisia = annex.partner("TUN")
    assert len(tunisia.pillars) == 5 and "migration" in tunisia.pillars


def test_tunisia_funding_is_its_package_plus_its_share_of_regional_lines(annex: Annex) -> None:
    tunisia = next(p for p in by_partner(annex) if p.code == "TUN")
    assert tunisia.totals.total_eur == (105 + 40) * M
    assert tunisia.shared_eur == 40 * M
    morocco = next(p for p in by_partner(annex) if p.code == "MAR")
    assert morocco.totals.total_eur == (152 + 40) * M
    assert morocco.totals.disbursed_eur == 35 * M


def test_action_plans_table(annex: Annex) -> None:
    plans = {p.key: p for p in annex.action_plans}
    assert plans["central_mediterranean"].actions_total == 20
    assert plans["western_balkans"].actions_total == 20
    assert plans["central_mediterranean"].adopted_on == date(2022, 11, 21)
    assert plans["eastern_mediterranean"].status.value == "under_preparation"
    assert [p.status.value for p in annex.action_plans].count("in_force") == 3


def test_commitment_status_is_read_from_its_actions(annex: Annex) -> None:
    assert annex.commitment(4).status is Status.completed
    assert annex.commitment(15).status is Status.planned
    assert annex.commitment(2).status is Status.ongoing
