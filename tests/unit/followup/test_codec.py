"""YAML and CSV carry the annex without loss; a malformed file is refused naming line and field."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from pactum.common.errors import ValidationProblem
from pactum.followup import annex_data, codec
from pactum.followup.model import Annex


@pytest.fixture(scope="module")
def annex() -> Annex:
    return annex_data.shipped()


def test_yaml_round_trip_is_lossless(annex: Annex) -> None:
    assert codec.load_yaml(codec.dump_yaml(annex)) == annex


def test_csv_round_trip_is_lossless(annex: Annex) -> None:
    text = codec.dump_csv(annex)
    assert codec.load_csv(text) == annex
    # and through CSV back to the same YAML
    assert codec.dump_yaml(codec.load_csv(text)) == codec.dump_yaml(annex)


def test_csv_is_one_row_per_item(annex: Annex) -> None:
    rows = list(csv.DictReader(io.StringIO(codec.dump_csv(annex))))
    kinds = [r["kind"] for r in rows]
    assert kinds.count("commitment") == 15
    assert kinds.count("funding") == len(annex.funding_lines())
    morocco = next(r for r in rows if r["kind"] == "funding" and r["key"] == "11.F8")
    assert morocco["amount_eur"] == "152000000" and morocco["partners"] == "MAR"
    relocation = next(r for r in rows if r["kind"] == "figure" and r["key"] == "vsm_relocation_transfers")
    assert relocation["breakdown"] == "IT=911 | CY=676 | ES=48 | MT=76 | EL=179"


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_yaml_error_names_line_and_field(annex: Annex) -> None:
    text = annex_data.shipped_text()
    bad = text.replace('amount_eur: "55800000"', 'amount_eur: "55.8m"')
    with pytest.raises(ValidationProblem) as err:
        codec.load_yaml(bad)
    (field, message), = err.value.problems
    assert field == "commitments.0.funding.2.amount_eur"
    line = _line_of(bad, 'amount_eur: "55.8m"')
    assert message.startswith(f"line {line}:")
    assert "not an amount" in message


def test_yaml_unknown_partner_reference_names_its_line(annex: Annex) -> None:
    text = annex_data.shipped_text()
    bad = text.replace("partners: [NGA]\n        status: ongoing", "partners: [NGA, GHA]\n        status: ongoing")
    with pytest.raises(ValidationProblem) as err:
        codec.load_yaml(bad)
    (field, message), = err.value.problems
    assert field.endswith(".partners")
    assert "GHA is not in the partners list" in message
    assert message.startswith(f"line {_line_of(bad, 'partners: [NGA, GHA]')}:")


def test_yaml_float_amount_is_refused(annex: Annex) -> None:
    bad = annex_data.shipped_text().replace('amount_eur: "28400000"', "amount_eur: 28400000.5")
    with pytest.raises(ValidationProblem, match="not floats"):
        codec.load_yaml(bad)


def test_yaml_syntax_error_names_line() -> None:
    with pytest.raises(ValidationProblem) as err:
        codec.load_yaml("format: pactum.followup/1\nedition: [\n")
    assert err.value.problems[0][1].startswith("line 3:")


def test_csv_error_names_line_and_column(annex: Annex) -> None:
    rows = codec.dump_csv(annex).splitlines()
    index = next(i for i, r in enumerate(rows) if r.startswith("funding,12.F2,"))
    rows[index] = rows[index].replace(",committed,", ",pledged,")
    with pytest.raises(ValidationProblem) as err:
        codec.load_csv("\n".join(rows) + "\n")
    (field, message), = err.value.problems
    assert field == "commitments.11.funding.1.stage"
    assert message.startswith(f"line {index + 1}:")


def test_csv_child_without_parent_is_refused(annex: Annex) -> None:
    rows = codec.dump_csv(annex).splitlines()
    index = next(i for i, r in enumerate(rows) if r.startswith("tranche,"))
    rows[index] = rows[index].replace(",11.F8,", ",11.F99,", 1)
    with pytest.raises(ValidationProblem) as err:
        codec.load_csv("\n".join(rows) + "\n")
    assert err.value.problems == [("parent", f"line {index + 1}: no funding line '11.F99' above this row")]


def test_components_must_add_up(annex: Annex) -> None:
    bad = annex_data.shipped_text().replace('amount_eur: "6000000"', 'amount_eur: "7000000"')
    with pytest.raises(ValidationProblem) as err:
        codec.load_yaml(bad)
    assert "components add up to 61000000 EUR but the line is 60000000 EUR" in str(err.value)


def test_amounts_stay_exact(annex: Annex) -> None:
    line = next(f for _, f in annex.funding_lines() if f.key == "1.F3")
    assert line.amount_eur == Decimal("55800000")
    again = codec.load_csv(codec.dump_csv(annex))
    assert next(f for _, f in again.funding_lines() if f.key == "1.F3").amount_eur == Decimal("55800000")
