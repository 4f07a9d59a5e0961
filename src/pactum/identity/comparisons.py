"""The comparison design of the Pactum linkage model (Fellegi–Sunter).

Each comparison has ordered levels; the first level whose condition holds is the pair's level,
and the model gives each level a match weight log2(m/u). The design is written for the noise of
migration registries:

* ``names`` compares given name and surname *together and in any order* (registries swap them),
  on folded spellings and on consonant keys (script-independent);
* ``father_name`` is kept apart because it is often recorded as a surname (Eritrean and Afghan
  naming) and so carries evidence on its own;
* ``date_of_birth`` distinguishes a true agreement on a full date from agreement on a year that is
  only a placeholder (1 January), and tolerates estimated years and day/month swaps, which a
  plain "exact date" comparison counts as disagreement;
* ``sex``, ``nationality``, ``place_of_birth``, ``document`` are simple.

The conditions are written twice: here in Python (used by the online search, which scores one
query against a few hundred candidates) and as SQL in the Splink adapter
(``pactum.services.identity.linkage``), which runs them in DuckDB or Spark. The test
``tests/algorithms/identity/test_model_agreement.py`` checks that both give the same level on
every pair of a generated sample.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

Row = Mapping[str, Any]
Predicate = Callable[[Row, Row], bool]

#: Similarity thresholds of the comparison levels (model design, not law).
NAME_FUZZY_HIGH = 0.92
NAME_KEY_FUZZY = 0.88
NAME_FUZZY_LOW = 0.80
FATHER_FUZZY = 0.88
PLACE_FUZZY = 0.88
DOB_NEAR_YEARS = 2


def jw(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return float(JaroWinkler.similarity(a, b))


@dataclass(frozen=True)
class Level:
    label: str
    predicate: Predicate
    is_null: bool = False
    tf_column: str | None = None


@dataclass(frozen=True)
class Comparison:
    name: str
    description: str
    levels: tuple[Level, ...]  # null level first, "else" last

    def level_of(self, left: Row, right: Row) -> int:
        """Splink's gamma: -1 for the null level, then n-1 .. 0 from the best level down."""
        n = len(self.levels)
        for i, level in enumerate(self.levels):
            if level.predicate(left, right):
                return -1 if level.is_null else n - 1 - i
        return 0


def _null(*cols: str) -> Predicate:
    return lambda l, r: any(l.get(c) is None or r.get(c) is None for c in cols)


def _eq(col: str) -> Predicate:
    return lambda l, r: l.get(col) is not None and l.get(col) == r.get(col)


def _jw(col: str, t: float) -> Predicate:
    return lambda l, r: jw(l.get(col), r.get(col)) >= t


def _imprecise(l: Row, r: Row) -> bool:
    return l.get("dob_full") is None or r.get("dob_full") is None


def _year_diff(l: Row, r: Row) -> int:
    return abs(int(l["dob_year"]) - int(r["dob_year"]))


def _always(l: Row, r: Row) -> bool:
    return True


NAMES = Comparison(
    "names",
    "Given name and surname together, in any order",
    (
        Level("null", _null("names_key"), is_null=True),
        Level("same spelling", _eq("names_folded"), tf_column="names_key"),
        Level("same name, other transliteration", _eq("names_key"), tf_column="names_key"),
        Level("very similar spelling", _jw("names_folded", NAME_FUZZY_HIGH)),
        Level("similar consonant keys", _jw("names_key", NAME_KEY_FUZZY)),
        Level("somewhat similar", _jw("names_folded", NAME_FUZZY_LOW)),
        Level("different", _always),
    ),
)

FATHER = Comparison(
    "father_name",
    "Father's name",
    (
        Level("null", _null("father_key"), is_null=True),
        Level("same name", _eq("father_key")),
        Level("similar", _jw("father_folded", FATHER_FUZZY)),
        Level("different", _always),
    ),
)

DOB = Comparison(
    "date_of_birth",
    "Date of birth: full dates, partial and placeholder dates, estimated years",
    (
        Level("null", _null("dob_year"), is_null=True),
        Level("same full date", _eq("dob_full")),
        Level("day and month swapped",
              lambda l, r: l.get("dob_md") is not None and l.get("dob_year") == r.get("dob_year")
              and l.get("dob_md") == r.get("dob_dm")),
        Level("same year and month", _eq("dob_ym")),
        Level("same year, one date partial", lambda l, r: _imprecise(l, r) and l["dob_year"] == r["dob_year"]),
        Level("year within 2, one date partial",
              lambda l, r: _imprecise(l, r) and _year_diff(l, r) <= DOB_NEAR_YEARS),
        Level("same year, different full dates", lambda l, r: l["dob_year"] == r["dob_year"]),
        Level("different", _always),
    ),
)

SEX = Comparison("sex", "Sex", (
    Level("null", _null("sex"), is_null=True),
    Level("same", _eq("sex")),
    Level("different", _always),
))

NATIONALITY = Comparison("nationality", "Nationality (unknown counts as missing)", (
    Level("null", _null("nationality"), is_null=True),
    Level("same", _eq("nationality")),
    Level("different", _always),
))

PLACE = Comparison("place_of_birth", "Place of birth", (
    Level("null", _null("place_folded"), is_null=True),
    Level("similar", _jw("place_folded", PLACE_FUZZY)),
    Level("different", _always),
))

DOCUMENT = Comparison("document", "Identity or travel document number", (
    Level("null", _null("document"), is_null=True),
    Level("same number", _eq("document")),
    Level("one character different",
          lambda l, r: Levenshtein.distance(str(l["document"]), str(r["document"])) <= 1),
    Level("different", _always),
))

PACTUM_COMPARISONS: tuple[Comparison, ...] = (NAMES, FATHER, DOB, SEX, NATIONALITY, PLACE, DOCUMENT)
