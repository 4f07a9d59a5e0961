"""The shipped annex with the three overlaps its own text states or suggests between funding lines
(12.F3 part of 12.F2 by EUR 6m; 11.F10 overlapping 11.F9 by an unstated amount; 2.F3 possibly part
of 11.F9), as ``src/pactum/data/followup/annex-2023-06-23.yaml`` records them. A shipped file that
already records them is returned as it is."""

from __future__ import annotations

from pactum.followup import annex_data, codec
from pactum.followup.model import Annex

_INSERTS = (
    ('''        instrument: Egypt border management project (Phase II), action for the Southern Neighbourhood
        stage: indicative
        beneficiary: Egypt
        partners: [EGY]
''', '''        overlaps:
          - with_line: "11.F9"
            relation: part_of
            certainty: possible
            quote: >-
              an indicative budget of €87 million to be adopted in June/July as part of an action
              for the Southern Neighbourhood … Indicatively €120 million for Egypt as part of an
              action for the Southern Neighbourhood to be adopted in June/July
'''),
    ('''        note: Announced by HRVP Borrell; part of the €120 million action for Egypt contributes to it.
''', '''        overlaps:
          - with_line: "11.F9"
            relation: overlaps
            certainty: stated
            quote: >-
              Part of this action will contribute to the overall €20 million for hosting of
              refugees from Sudan in Egypt and the Sudanese border region with Egypt
'''),
    ('''          - amount_eur: "6000000"
            text: top up from the regional anti-smuggling programme
''', '''        overlaps:
          - with_line: "12.F2"
            relation: part_of
            amount_eur: "6000000"
            certainty: stated
            quote: >-
              The package is composed of a €54 million Individual Measure to strengthen border and
              migration management capacities and law enforcement, and a €6 million top up from
              the regional anti-smuggling programme.
'''),
)


def annex_text_with_overlaps() -> str:
    text = annex_data.shipped_text()
    if "overlaps:" in text:
        return text
    for anchor, added in _INSERTS:
        assert text.count(anchor) == 1, anchor
        text = text.replace(anchor, anchor + added)
    return text


def annex_with_overlaps() -> Annex:
    return codec.load_yaml(annex_text_with_overlaps())
