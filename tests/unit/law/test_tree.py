"""The parameter tree: every value dated and referenced, looked up by the legally relevant date."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from pactum.law import NotInForce, UnknownParameter, param, parameters_in_force
from pactum.law.refs import INSTRUMENTS, LegalRef, instrument_by_celex
from pactum.law.tree import PARAMETERS_DIR, ParameterTreeError, load_tree, tree

REQUIRED_FILES = {"dublin3", "ammr", "apr", "screening", "eurodac", "returns", "return_border",
                  "resettlement", "regimes", "solidarity", "reception"}


def test_every_instrument_has_its_file() -> None:
    files = {p.stem for p in PARAMETERS_DIR.glob("*.yaml")}
    assert files >= REQUIRED_FILES


def test_every_value_has_a_date_and_a_reference_to_a_known_instrument() -> None:
    histories = tree()
    assert len(histories) > 100
    for path, hist in histories.items():
        assert hist.values, path
        for valid_from, value, _unit in hist.values:
            assert isinstance(valid_from, date), path
            assert value is not None, path
        ref = hist.reference
        inst = instrument_by_celex(ref.celex)
        assert ref.instrument == inst.title, f"{path}: {ref.instrument} is not the title of CELEX {ref.celex}"
        assert ref.article, path
        if hist.unverified:
            assert hist.note, f"{path} is unverified without a note"


def test_celex_numbers_of_the_instruments() -> None:
    assert INSTRUMENTS["dublin3"].celex == "32013R0604"
    assert INSTRUMENTS["ammr"].celex == "32024R1351"
    assert INSTRUMENTS["apr"].celex == "32024R1348"
    assert INSTRUMENTS["screening"].celex == "32024R1356"
    assert INSTRUMENTS["eurodac"].celex == "32024R1358"
    assert INSTRUMENTS["return_directive"].celex == "32008L0115"
    assert INSTRUMENTS["sis_return"].celex == "32018R1860"
    assert INSTRUMENTS["return_border"].celex == "32024R1349"
    assert INSTRUMENTS["resettlement"].celex == "32024R1350"
    assert INSTRUMENTS["periods"].celex == "31971R1182"
    assert INSTRUMENTS["dublin_implementing"].celex == "32003R1560"


def test_citation_format() -> None:
    assert LegalRef.of("ammr", "39", "1").cite() == "Regulation (EU) 2024/1351, Article 39(1)"
    assert LegalRef.of("apr", "42", "1", "j").cite() == "Regulation (EU) 2024/1348, Article 42(1)(j)"
    assert LegalRef.of("periods", "3", "4").cite() == "Regulation (EEC, Euratom) No 1182/71, Article 3(4)"
    assert LegalRef.of("ammr", "Annex I").cite() == "Regulation (EU) 2024/1351, Annex I"


def test_param_returns_the_documented_values() -> None:
    p = param("ammr.transfer.period", on=date(2026, 9, 1))
    assert (p.value, p.unit) == (6, "months")
    assert p.reference.cite() == "Regulation (EU) 2024/1351, Article 46(1)"
    assert p.path == "ammr.transfer.period" and p.valid_from == date(2026, 7, 1) and not p.unverified
    assert param("eurodac.biometrics.minimum_age", on=date(2026, 7, 1)).value == 6
    assert param("solidarity.pool.relocations_min", on=date(2026, 7, 1)).value == 30000
    assert param("solidarity.pool.reference_relocations", on=date(2026, 7, 1)).value == 21000
    assert param("solidarity.relocation_equivalent_eur", on=date(2026, 7, 1)).value == 20000


def test_a_value_applies_from_its_date_until_the_next() -> None:
    path = "apr.border_procedure.annual_maximum_multiplier"
    assert param(path, on=date(2026, 6, 12)).value == 2
    assert param(path, on=date(2027, 6, 12)).value == 2
    assert param(path, on=date(2027, 6, 13)).value == 3
    # APR Art 47(1), second subparagraph (OJ L, 2024/1348): four times from 13 June 2028
    assert param(path, on=date(2027, 10, 15)).value == 3
    assert param(path, on=date(2028, 6, 12)).value == 3
    assert param(path, on=date(2028, 6, 13)).value == 4


def test_before_the_first_date_a_parameter_is_not_in_force() -> None:
    with pytest.raises(NotInForce, match="not in force on 2026-06-30"):
        param("ammr.transfer.period", on=date(2026, 6, 30))
    with pytest.raises(UnknownParameter, match=r"ammr\.transfer\.perod"):
        param("ammr.transfer.perod", on=date(2026, 9, 1))


def test_parameters_in_force_on_a_date() -> None:
    before = {p.path for p in parameters_in_force(date(2026, 6, 1))}
    after = {p.path for p in parameters_in_force(date(2026, 9, 1))}
    assert "dublin3.transfer.period" in before and "ammr.transfer.period" not in before
    assert "ammr.transfer.period" in after
    assert all(p.path.startswith("eurodac.") for p in parameters_in_force(date(2026, 9, 1), prefix="eurodac"))


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    return tmp_path


REF = '{instrument: "Regulation (EU) 2024/1351", celex: "32024R1351", article: "1"}'


@pytest.mark.parametrize(("text", "message"), [
    ("a:\n  values: {2026-01-01: {value: 1, unit: days}}\n", "no reference"),
    (f"a:\n  values: {{soon: {{value: 1, unit: days}}}}\n  reference: {REF}\n", "is not a date"),
    (f"a:\n  values: {{}}\n  reference: {REF}\n", "'values' must map dates"),
    (f"a:\n  values: {{2026-01-01: 3}}\n  reference: {REF}\n", "must be {value"),
    (f"a:\n  values: {{2026-01-01: {{value: 1}}}}\n  reference: {REF}\n  unverified: true\n", "needs a note"),
    ("a:\n  values: {2026-01-01: {value: 1}}\n  reference: {instrument: X, celex: Y}\n", "no article"),
    (f"a:\n  values: {{2026-01-01: {{value: 1}}}}\n  reference: {REF}\n"
     f"a:\n  values: {{2026-01-01: {{value: 2}}}}\n  reference: {REF}\n", "duplicate key 'a'"),
])
def test_a_malformed_tree_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ParameterTreeError, match=re.escape(message)):
        load_tree(_write(tmp_path, text))
