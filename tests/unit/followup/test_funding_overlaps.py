"""Money the annex itself says is counted twice: the EUR 6m top-up of the Western Balkans package
comes out of the EUR 30m regional anti-smuggling programme, and "part of" the EUR 120m action for
Egypt "will contribute to the overall €20 million" for the refugees from Sudan. Totals are given
gross (every line once) and net (each stated overlap deducted once, cited); the EUR 87m Egypt
Phase II, "part of an action for the Southern Neighbourhood" as the EUR 120m is, is only a possible
overlap: listed, not deducted. The overlaps travel through YAML and CSV, and an older CSV file
without their columns is still read."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from pactum.common.errors import ValidationProblem
from pactum.followup import annex_data, codec
from pactum.followup.funding import by_commitment, by_partner, by_stage, line_net, overlaps
from pactum.followup.model import Annex, OverlapCertainty, Stage
from pactum.followup.report import build
from pactum.services.followup import render_html
from tests.unit.followup.annex_overlaps import annex_text_with_overlaps, annex_with_overlaps

M = Decimal(1_000_000)


@pytest.fixture(scope="module")
def annex() -> Annex:
    return annex_with_overlaps()


def _norm(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).replace("•", " ").split())


def test_the_total_counts_the_stated_overlaps_once(annex: Annex) -> None:
    t = by_stage(annex)
    assert t.total_eur == t.gross_eur == Decimal("1783.2") * M  # every line once
    assert t.overlap_eur == (6 + 20) * M
    assert t.net_eur == Decimal("1757.2") * M
    # the annex gives no amount for the Sudan overlap: the EUR 20m is deducted at most
    assert t.unstated_overlap_eur == 20 * M and t.net_ceiling_eur == Decimal("1777.2") * M
    assert t.possible_overlap_eur == 87 * M  # Egypt Phase II in the EUR 120m: not deducted
    # a deduction is taken at the stage of the line that records it
    assert t.net_by_stage[Stage.committed] == t.by_stage[Stage.committed] - 6 * M
    assert t.net_by_stage[Stage.indicative] == t.by_stage[Stage.indicative] - 20 * M
    assert sum(t.net_by_stage.values()) == t.net_eur
    assert sum(line_net(annex).values()) == t.net_eur
    assert line_net(annex)["12.F3"] == 54 * M and line_net(annex)["11.F10"] == 0


def test_egypt_and_the_western_balkans_are_net_of_the_stated_overlaps(annex: Annex) -> None:
    partners = {p.code: p for p in by_partner(annex)}
    egypt = partners["EGY"].totals
    assert egypt.total_eur == (23 + 87 + 120 + 20 + 40) * M == 290 * M
    assert egypt.net_eur == 270 * M and egypt.net_ceiling_eur == 290 * M
    assert egypt.possible_overlap_eur == 87 * M
    for code in ("ALB", "BIH", "MKD", "MNE", "SRB", "XKX"):
        assert partners[code].totals.total_eur == 90 * M
        assert partners[code].totals.net_eur == 84 * M  # 30 + 60 less the 6 top-up
    # Sudan has the EUR 20m line only: nothing of it is counted twice under Sudan
    assert partners["SDN"].totals.net_eur == 20 * M
    assert partners["TUN"].totals.net_eur == partners["TUN"].totals.total_eur == 145 * M


def test_commitments_are_net_of_overlaps_between_their_own_lines(annex: Annex) -> None:
    totals = {cf.number: cf.totals for cf in by_commitment(annex)}
    assert totals[12].total_eur == 130 * M and totals[12].net_eur == 124 * M
    assert totals[11].total_eur == Decimal("432.4") * M and totals[11].net_eur == Decimal("412.4") * M
    # 2.F3 (commitment 2) and 11.F9 (commitment 11): a possible overlap across commitments
    assert totals[2].net_eur == totals[2].total_eur == 215 * M
    assert totals[2].possible_overlap_eur == 0


def test_every_overlap_cites_the_annex_wording(annex: Annex) -> None:
    source = _norm(resources.files("pactum.data").joinpath(
        "followup/source-annex-2023-06-23.txt").read_text())
    rows = overlaps(annex)
    assert [(o.line, o.with_line, o.certainty) for o in rows] == [
        ("2.F3", "11.F9", OverlapCertainty.possible),
        ("11.F10", "11.F9", OverlapCertainty.stated),
        ("12.F3", "12.F2", OverlapCertainty.stated),
    ]
    for o in rows:
        for passage in o.quote.split(" … "):
            assert _norm(passage) in source, passage


def test_the_shipped_annex_records_the_overlaps() -> None:
    """The shipped data itself (not only this test's copy) says what the annex says."""
    shipped = annex_data.shipped()
    assert by_stage(shipped).net_eur == Decimal("1757.2") * M
    assert shipped == annex_with_overlaps()


def test_the_report_shows_gross_net_and_the_overlaps(annex: Annex) -> None:
    html = render_html(build(annex, date(2023, 6, 23)))
    text = _norm(html)
    assert "€1,757.2m net of the overlaps the annex states (up to €1,777.2m); gross €1,783.2m" in text
    assert 'id="funding-overlaps"' in html
    assert "a €6 million top up from the regional anti-smuggling programme" in text
    assert "possible overlap: not deducted" in text
    assert "the total above counts every line once" not in text
    egypt = re.search(r"Egypt <span class=\"muted\">EGY</span>.*?</tr>", html, re.S)
    assert egypt is not None and "€270m" in egypt.group(0) and "€290m" in egypt.group(0)


# -- through YAML and CSV ---------------------------------------------------------------------


def test_overlaps_survive_yaml_and_csv(annex: Annex) -> None:
    assert codec.load_yaml(codec.dump_yaml(annex)) == annex
    text = codec.dump_csv(annex)
    assert codec.load_csv(text) == annex
    assert codec.dump_csv(codec.load_csv(text)) == text
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["kind"] == "overlap"]
    assert [(r["parent"], r["with_line"], r["relation"], r["amount_eur"], r["certainty"]) for r in rows] == [
        ("2.F3", "11.F9", "part_of", "", "possible"),
        ("11.F10", "11.F9", "overlaps", "", "stated"),
        ("12.F3", "12.F2", "part_of", "6000000", "stated"),
    ]


def _drop_columns(text: str, names: tuple[str, ...]) -> str:
    rows = list(csv.DictReader(io.StringIO(text)))
    fields = [c for c in codec.COLUMNS if c not in names]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(r for r in rows if r["kind"] != "overlap")
    return out.getvalue()


def test_a_csv_file_written_before_the_overlaps_is_still_read() -> None:
    shipped = annex_data.shipped()
    without = shipped.model_copy(deep=True)
    for _, f in without.funding_lines():
        f.overlaps = []
    old = _drop_columns(codec.dump_csv(without), codec.LATER_COLUMNS)
    assert "with_line" not in old.splitlines()[0]
    assert codec.load_csv(old) == without


def test_a_csv_file_with_part_of_the_overlap_columns_is_refused(annex: Annex) -> None:
    text = _drop_columns(codec.dump_csv(annex), ("quote",))
    with pytest.raises(ValidationProblem) as err:
        codec.load_csv(text)
    assert err.value.problems == [("(header)", err.value.problems[0][1])]
    assert "lacks quote" in err.value.problems[0][1]


def test_an_overlap_with_a_line_that_does_not_exist_names_its_csv_line(annex: Annex) -> None:
    text = codec.dump_csv(annex).replace(",12.F2,part_of,", ",12.F9,part_of,")
    with pytest.raises(ValidationProblem) as err:
        codec.load_csv(text)
    (field, message), = err.value.problems
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if ",12.F9,part_of," in row)
    assert field.endswith(".overlaps.0.with_line")
    assert message == f"line {line}: funding line 12.F9 does not exist"


_TOP_UP = 'with_line: "12.F2"\n            relation: part_of\n            amount_eur: "6000000"'


def _refused_yaml(old: str, new: str) -> list[str]:
    text = annex_text_with_overlaps()
    assert text.count(old) == 1
    with pytest.raises(ValidationProblem) as err:
        codec.load_yaml(text.replace(old, new))
    return [message for _, message in err.value.problems]


def test_a_line_cannot_overlap_with_itself() -> None:
    messages = _refused_yaml(_TOP_UP, _TOP_UP.replace("12.F2", "12.F3"))
    assert any("funding line 12.F3 cannot overlap with itself" in m for m in messages), messages


def test_an_overlap_cannot_exceed_its_line() -> None:
    messages = _refused_yaml(_TOP_UP, _TOP_UP.replace('"6000000"', '"61000000"'))
    assert any("(61000000 EUR) exceeds the line (60000000 EUR)" in m for m in messages), messages


def test_a_part_cannot_exceed_the_line_it_is_part_of() -> None:
    messages = _refused_yaml(_TOP_UP, _TOP_UP.replace('"6000000"', '"31000000"'))
    assert any("31000000 EUR cannot be part of funding line 12.F2 (30000000 EUR)" in m for m in messages), messages


def test_an_overlap_given_under_both_lines_is_refused(annex: Annex) -> None:
    doc = annex.model_dump(mode="json")
    line = next(f for c in doc["commitments"] for f in c["funding"] if f["key"] == "12.F2")
    line["overlaps"] = [{"with_line": "12.F3", "relation": "overlaps", "amount_eur": "6000000",
                         "quote": "a €6 million top up from the regional anti-smuggling programme"}]
    with pytest.raises(ValidationProblem) as err:
        codec.load_yaml(codec.dump_yaml(Annex.model_validate(doc, context={"defer_references": True})))
    assert any("given twice" in m for _, m in err.value.problems)


def test_stated_overlaps_cannot_add_up_to_more_than_the_line(annex: Annex) -> None:
    doc = annex.model_dump(mode="json")
    line = next(f for c in doc["commitments"] for f in c["funding"] if f["key"] == "12.F1")
    # the EUR 40m regional line "overlapping" the EUR 30m and EUR 60m lines in full
    line["overlaps"] = [{"with_line": "12.F2", "relation": "overlaps", "quote": "x"},
                        {"with_line": "11.F9", "relation": "overlaps", "quote": "y"}]
    with pytest.raises(ValidationProblem) as err:
        codec.load_yaml(codec.dump_yaml(Annex.model_validate(doc, context={"defer_references": True})))
    assert any("add up to more than the line" in m for _, m in err.value.problems)
