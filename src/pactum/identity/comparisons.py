"""The comparison design of the Pactum linkage model (Fellegi–Sunter).

Each comparison has ordered levels; the first level whose condition holds is the pair's level,
and the model gives each level a match weight log2(m/u). The design is written for the noise of
migration registries:

* ``names`` compares given name and surname *together and in any order* (registries swap them),
  on folded spellings and on consonant keys (script-independent), and recognises the father's
  name written as surname; when only one of the two names agrees, which one it is and how common
  it is (term-frequency adjusted: a shared Mohammed says little, a shared Tesfamariam much)
  weigh more than a bare "shares a name";
* ``father_name`` is kept apart because it is often recorded as a surname (Eritrean and Afghan
  naming) and so carries evidence on its own; where it *is* both records' surname its agreement
  has a level of its own, so that the same name is not counted twice at full weight;
* ``date_of_birth`` distinguishes a true agreement on a full date from agreement on a year that is
  only a placeholder (1 January), and tolerates estimated years, day/month swaps, a wrong year
  on an otherwise equal date and a month typed one digit wrong, which a plain "exact date"
  comparison counts as disagreement;
* ``origin`` takes place of birth and nationality together, because a place implies a country
  and counting both would count the same evidence twice;
* ``sex`` and ``document`` are simple.

The conditions are written twice: here in Python (used by the online search, which scores one
query against a few hundred candidates) and as SQL in the Splink adapter
(``pactum.services.identity.linkage``), which runs them in DuckDB or Spark. The test
``tests/algorithms/identity/test_model_agreement.py`` checks that both give the same level on
every pair of a generated sample.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

from pactum.identity.normalise import parse_birth_date

Row = Mapping[str, Any]
Predicate = Callable[[Row, Row], bool]

#: Version of the comparison design. A saved model records the version it was trained with; a
#: model of another design has other levels (the weights are read by position), so it is refused
#: for linkage and not used for search (``pactum.services.identity.active_model``).
#: 2026.11.6: names gained "same given name, other surname" and "same surname, other given name"
#: (term-frequency adjusted), dates "same year and day, month one digit off".
#: 2026.11.7: names gained "same name as the recording authority writes it" (rule
#: ``authority_reading``: German Chaled and English Khaled), with the ``names_key_local`` column.
#: 2026.11.8: "same place of birth" also when both places name one town by different names
#: (rule ``place_names``, GeoNames: Halab and Aleppo), with the ``place_key`` column.
#: 2026.11.9: the u of father's name, sex and origin is their frequency among namesakes
#: (:data:`U_AMONG_NAMESAKES`), and the cluster thresholds are chosen again for it.
#: 2026.11.10: names "very similar spelling" also needs each part of the name alike
#: (:data:`NAME_PART_FUZZY`): Karim Haddad and Omar Haddadi no longer reach it.
#: 2026.11.11: so do "similar consonant keys" and "somewhat similar": two different given names
#: with one common surname (Omar and Karim Haddad, Samir and Yusuf Haddad, one date of birth)
#: reached them, for a yellow link between two persons; they now fall to "same surname, other
#: given name", weighed by how common the surname is.
DESIGN_VERSION = "2026.11.11"

#: Similarity thresholds of the comparison levels (model design, not law).
NAME_FUZZY_HIGH = 0.92
NAME_KEY_FUZZY = 0.88
NAME_FUZZY_LOW = 0.80
#: Each part of two names (given name, surname) for "very similar spelling" (_parts_alike).
NAME_PART_FUZZY = 0.85
FATHER_FUZZY = 0.88
PLACE_FUZZY = 0.88
DOB_NEAR_YEARS = 2

#: A Jaro-Winkler level holds from this much below its threshold. The similarity of two names is
#: a ratio of small integers, so an exact tie with a threshold (0.92 for "mohamad skarifi" /
#: "muhamad sharifi") is common, and DuckDB's ``jaro_winkler_similarity`` and rapidfuzz (the online
#: scorer, Spark) compute such ties one bit apart (0.92 / 0.9199999999999999, or the other way
#: round): without the tolerance the engines put 1 pair in 3,500 on different levels. No
#: similarity of names that differ from a tie lies within 1e-9 of it.
JW_TOLERANCE = 1e-9


def jw_at_least(threshold: float) -> float:
    """The value a Jaro-Winkler similarity is compared with (``>=``) for a level at ``threshold``."""
    return threshold - JW_TOLERANCE


def jw(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return float(JaroWinkler.similarity(a, b))


@dataclass(frozen=True)
class Level:
    label: str
    predicate: Predicate
    is_null: bool = False
    #: The level's weight is adjusted by how common the agreeing value of this column is.
    tf_column: str | None = None
    #: The level is an exact match on this one column: its u is where the term-frequency
    #: adjustment of every level on that column starts from (as Splink finds it).
    exact_on: str | None = None


@dataclass(frozen=True)
class Comparison:
    name: str
    description: str
    levels: tuple[Level, ...]  # null level first, "else" last
    #: What the officer's screens call it (the API and the model keep ``name``).
    label: str = ""

    def level_of(self, left: Row, right: Row) -> int:
        """Splink's gamma: -1 for the null level, then n-1 .. 0 from the best level down."""
        n = len(self.levels)
        for i, level in enumerate(self.levels):
            if level.predicate(left, right):
                return -1 if level.is_null else n - 1 - i
        return 0


def _null(*cols: str) -> Predicate:
    return lambda a, b: any(a.get(c) is None or b.get(c) is None for c in cols)


def _eq(col: str) -> Predicate:
    return lambda a, b: a.get(col) is not None and a.get(col) == b.get(col)


def _jw(col: str, t: float) -> Predicate:
    at_least = jw_at_least(t)
    return lambda a, b: jw(a.get(col), b.get(col)) >= at_least


def _j_as_i(s: str | None) -> str | None:
    return None if s is None else s.replace("j", "i")


def _jw_j_as_i(col: str, t: float) -> Predicate:
    """Jaro-Winkler with j read as i (the fold has already made y an i): German and Dutch write
    English y as j (Jusuf / Yusuf, Johannes / Yohannes, Julija / Yuliya), while English j
    (Jamal) is a different sound, so the fold itself cannot merge them."""
    at_least = jw_at_least(t)
    return lambda a, b: jw(_j_as_i(a.get(col)), _j_as_i(b.get(col))) >= at_least


def _imprecise(a: Row, b: Row) -> bool:
    return a.get("dob_full") is None or b.get("dob_full") is None


def _both_partial(a: Row, b: Row) -> bool:
    """Neither date is a full date: both are a year (or a placeholder 1 January) or year and month.
    Two such dates are what a person without a known date of birth gives at each registration;
    one full date against a partial one is a person whose date was known at one of them."""
    return a.get("dob_full") is None and b.get("dob_full") is None


def _year_diff(a: Row, b: Row) -> int:
    return abs(int(a["dob_year"]) - int(b["dob_year"]))


def _always(a: Row, b: Row) -> bool:
    return True


def _same(a: Any, b: Any) -> bool:
    return a is not None and a == b


def _one_digit_off(a: Row, b: Row) -> bool:
    """Two full dates one keystroke apart (1998-03-15 / 1998-04-15): a typing error, not two
    persons' dates. Reached only after "same year and month" and "same day and month, other
    year", so what it holds is a month typed wrong in the same year and day."""
    return not _imprecise(a, b) and Levenshtein.distance(str(a["dob_full"]), str(b["dob_full"])) <= 1


def _parts_alike(a: Row, b: Row) -> bool:
    """Given name alike given name and surname alike surname, or each alike the other's (swapped
    fields), each at Jaro-Winkler :data:`NAME_PART_FUZZY` with j read as i."""
    at_least = jw_at_least(NAME_PART_FUZZY)
    ga, sa = _j_as_i(a.get("given_folded")), _j_as_i(a.get("surname_folded"))
    gb, sb = _j_as_i(b.get("given_folded")), _j_as_i(b.get("surname_folded"))
    return (jw(ga, gb) >= at_least and jw(sa, sb) >= at_least) or (jw(ga, sb) >= at_least and jw(sa, gb) >= at_least)


_WHOLE_NAME_ALIKE = _jw_j_as_i("names_folded", NAME_FUZZY_HIGH)
_KEYS_ALIKE = _jw("names_key", NAME_KEY_FUZZY)
_SOMEWHAT_ALIKE = _jw_j_as_i("names_folded", NAME_FUZZY_LOW)


def _very_similar_spelling(a: Row, b: Row) -> bool:
    """The whole names alike (their sorted words as one string) and each part alike
    (:func:`_parts_alike`): the whole alone let a long shared surname carry two different given
    names over the threshold (Karim Haddad and Omar Haddadi, Reza and Rahim Mohammadi: one
    person in 43% of such candidate pairs, against 94% where the parts are alike too)."""
    return _WHOLE_NAME_ALIKE(a, b) and _parts_alike(a, b)


def _father_is_surname(a: Row, b: Row) -> bool:
    """Same father's name, and it is the surname of both records (patronymic naming): the
    agreement is already counted by ``names`` and must not be counted twice at full weight."""
    fa = a.get("father_key")
    return _same(fa, b.get("father_key")) and fa == a.get("surname_key") and fa == b.get("surname_key")


def _father_as_surname(a: Row, b: Row) -> bool:
    """Same given name, and one record's surname is the other's father's name: registries
    without family names (Afghanistan, Eritrea) write the father's name as surname."""
    return _same(a.get("given_key"), b.get("given_key")) and (
        _same(a.get("surname_key"), b.get("father_key")) or _same(a.get("father_key"), b.get("surname_key")))


def _same_read_by_authority(a: Row, b: Row) -> bool:
    """The names keys agree once a record's letters are read as its recording authority's
    language writes them (rule ``authority_reading``): German Chaled and English Khaled,
    Spanish Jaled, Polish Chruszczow and English Khrushchev."""
    la, lb = a.get("names_key_local"), b.get("names_key_local")
    ka, kb = a.get("names_key"), b.get("names_key")
    return _same(la, kb) or _same(ka, lb) or _same(la, lb)


_PLACE_SPELLING = _jw("place_folded", PLACE_FUZZY)


def _same_place(a: Row, b: Row) -> bool:
    """One town by any of its names (rule ``place_names``: Halab and Aleppo), or two spellings
    of one name (Jaro-Winkler)."""
    return _same(a.get("place_key"), b.get("place_key")) or _PLACE_SPELLING(a, b)


#: What a level means, in the words of the officer's screens, where its label says less: the label
#: is the level's code, kept by the API's explanations, the stored links and the trained models.
LEVEL_WORDS: dict[tuple[str, str], str] = {
    # names_folded: lower case, accents and punctuation dropped, transliteration variants folded
    # (kh/h, gh/g, ou/u, w/u, y/i, doubled letters...), words in any order: Walid Garbi and Walid
    # Gharbi, Amadou Bari and Amadu Barri agree here, though their spellings differ
    ("names", "same spelling"): "same name after folding transliteration variants",
}


def level_words(comparison: str, level: str, *dates: str | None) -> str:
    """The level ``level`` of ``comparison`` as the officer's screens say it. ``dates``: the two
    records' dates of birth as recorded, where the screen shows them: a date-of-birth level that
    reads a date as partial says why when a recorded full date is a placeholder (rule
    ``placeholder_date_of_birth``: 2003-01-01 is read as the year 2003, day and month unknown), not
    "both dates partial" beside two dates written in full. The words only: the level, its weight
    and the score are the same."""
    if level == "null":
        return "not recorded on one or both records"
    if comparison == "date_of_birth" and "partial" in level and dates:
        placeholder = _placeholder_words(level, dates)
        if placeholder is not None:
            return placeholder
    return LEVEL_WORDS.get((comparison, level), level)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _placeholder_day(text: str | None) -> str | None:
    """``1 January`` for a date of birth recorded in full on a placeholder day, else None."""
    if not text or not parse_birth_date(str(text)).placeholder:
        return None
    _year, month, day = (int(p) for p in re.split(r"[-/.]", str(text).strip())[:3])
    return f"{day} {_MONTHS[month - 1]}"


def _placeholder_words(level: str, dates: tuple[str | None, ...]) -> str | None:
    """A partial level's words where a recorded date is a placeholder day (None when none is)."""
    days = [_placeholder_day(d) for d in dates]
    named = [d for d in days if d is not None]
    if not named:
        return None
    agreement = level.split(",", 1)[0]  # "same year", "year within 1", "year within 2"
    why = "placeholder date of birth" if len(named) == 1 else "placeholder dates of birth"
    if len(named) == len(days) and len(set(named)) == 1:
        both = " on both records" if len(named) > 1 else ""
        return f"{agreement}; {named[0]} read as an unknown day and month{both} (placeholder date of birth)"
    if len(named) == len(days):
        return f"{agreement}; {' and '.join(named)} read as unknown days and months ({why})"
    other = next(parse_birth_date(d) for d, day in zip(dates, days, strict=True) if day is None)
    gives = ("a full date" if other.full else "only the year and month" if other.year_month
             else "only the year" if other.year is not None else "no date")
    return f"{agreement}; {named[0]} read as an unknown day and month ({why}), the other record gives {gives}"


NAMES = Comparison(
    "names",
    "Given name and surname together, in any order",
    (
        Level("null", _null("names_key"), is_null=True),
        Level("same spelling", _eq("names_folded"), tf_column="names_key"),
        Level("same name, other transliteration", _eq("names_key"), tf_column="names_key", exact_on="names_key"),
        Level("same name as the recording authority writes it", _same_read_by_authority),
        Level("very similar spelling", _very_similar_spelling),
        Level("similar consonant keys", lambda a, b: _KEYS_ALIKE(a, b) and _parts_alike(a, b)),
        Level("somewhat similar", lambda a, b: _SOMEWHAT_ALIKE(a, b) and _parts_alike(a, b)),
        Level("same given name, surname is the other's father's name", _father_as_surname),
        Level("same given name, other surname", _eq("given_key"), tf_column="given_key", exact_on="given_key"),
        Level("same surname, other given name", _eq("surname_key"), tf_column="surname_key", exact_on="surname_key"),
        Level("shares a name", lambda a, b: bool(set(a.get("name_words") or ()) & set(b.get("name_words") or ()))),
        Level("different", _always),
    ),
    label="Names",
)

FATHER = Comparison(
    "father_name",
    "Father's name",
    (
        Level("null", _null("father_key"), is_null=True),
        Level("same name, which is also both records' surname", _father_is_surname),
        Level("same name", _eq("father_key")),
        Level("similar", _jw("father_folded", FATHER_FUZZY)),
        Level("different", _always),
    ),
    label="Father's name",
)

DOB = Comparison(
    "date_of_birth",
    "Date of birth: full dates, partial and placeholder dates, estimated years",
    (
        Level("null", _null("dob_year"), is_null=True),
        Level("same full date", _eq("dob_full")),
        Level("day and month swapped",
              lambda a, b: a.get("dob_md") is not None and a.get("dob_year") == b.get("dob_year")
              and a.get("dob_md") == b.get("dob_dm")),
        Level("same year and month", _eq("dob_ym")),
        Level("same year, both dates partial", lambda a, b: _both_partial(a, b) and a["dob_year"] == b["dob_year"]),
        Level("same year, one date partial", lambda a, b: _imprecise(a, b) and a["dob_year"] == b["dob_year"]),
        Level("year within 1, both dates partial", lambda a, b: _both_partial(a, b) and _year_diff(a, b) <= 1),
        Level("year within 2, both dates partial",
              lambda a, b: _both_partial(a, b) and _year_diff(a, b) <= DOB_NEAR_YEARS),
        Level("year within 2, one date partial",
              lambda a, b: _imprecise(a, b) and _year_diff(a, b) <= DOB_NEAR_YEARS),
        Level("same day and month, other year",
              lambda a, b: a.get("dob_md") is not None and a.get("dob_md") == b.get("dob_md")),
        Level("same year and day, month one digit off", _one_digit_off),
        Level("same year, different full dates", lambda a, b: a["dob_year"] == b["dob_year"]),
        Level("different", _always),
    ),
    label="Date of birth",
)

SEX = Comparison("sex", "Sex", (
    Level("null", _null("sex"), is_null=True),
    Level("same", _eq("sex")),
    Level("different", _always),
), label="Sex")

ORIGIN = Comparison("origin", "Place of birth and nationality (one comparison: a place implies a country)", (
    Level("null", lambda a, b: (a.get("nationality") is None or b.get("nationality") is None)
          and (a.get("place_folded") is None or b.get("place_folded") is None), is_null=True),
    Level("same place of birth", _same_place),
    Level("different places of birth", lambda a, b: a.get("place_folded") is not None and b.get("place_folded") is not None),
    Level("same nationality", _eq("nationality")),
    Level("different", _always),
), label="Place of birth and nationality")

DOCUMENT = Comparison("document", "Identity or travel document number", (
    Level("null", _null("document"), is_null=True),
    Level("same number", _eq("document")),
    Level("one character different",
          lambda a, b: Levenshtein.distance(str(a["document"]), str(b["document"])) <= 1),
    Level("different", _always),
), label="Document number")

PACTUM_COMPARISONS: tuple[Comparison, ...] = (NAMES, FATHER, DOB, SEX, ORIGIN, DOCUMENT)

#: What each comparison is called on the officer's screens, by its name in the API and the model.
COMPARISON_LABELS: dict[str, str] = {c.name: c.label or c.name for c in PACTUM_COMPARISONS}

#: Comparisons whose u is their frequency among namesakes, not among random pairs of records.
#:
#: Fellegi–Sunter adds up the evidence of each comparison as if, for two different persons, the
#: fields agreed independently of one another. Once the names agree they do not: a given name
#: says the sex, a name says its culture and so a nationality and a place of birth, and where
#: surnames are the father's name (Afghanistan, Eritrea, Somalia) two namesakes have the same
#: father's name as a matter of course. Among random pairs of generated records 0.4% agree on a
#: father's name that is also both surnames, 58% on sex and 7% on nationality; among namesakes
#: 38%, 93% and 24%. With random-pair u each such agreement counted as evidence of one person,
#: so two namesakes from one country scored as one person, and the evidence that tells them
#: apart (their dates of birth) was outweighed. The pairs whose weights decide anything are the
#: candidate pairs, and they agree on names; so these comparisons take u among namesakes.
#:
#: Namesakes, without labels: two records with one names key whose full dates of birth are more
#: than two years apart (a true pair differs so much only by a ten-year typing error of the
#: year). Dates of birth and document numbers do not depend on the name: their u stays the
#: random pairs'. On generated data (development seed 2, 100,000 records) pairwise F1 0.949 →
#: 0.957; docs/performance.md.
U_AMONG_NAMESAKES: tuple[str, ...] = ("father_name", "sex", "origin")

#: The columns whose values' frequencies adjust a level's weight (term-frequency adjustment).
TF_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(
    lv.tf_column for c in PACTUM_COMPARISONS for lv in c.levels if lv.tf_column))


# Match probability from which a pair of records may join their clusters in batch linkage, and
# the average match probability over all pairs between two clusters needed to merge them (a pair
# never scored counts as 0; see pactum.identity.clustering). Chosen on generator seed 2
# (realistic profile, model trained on seed 1, design 2026.11.9), on a grid of thresholds
# 0.3-0.8 by merge averages 0.2-0.6: 0.3/0.3 was the best on the calibrated, wide and narrow
# names at 100,000 records (pairwise F1 0.957, 0.942, 0.903) and near it on the calibrated names
# at 10,000 and 30,000 (0.976 and 0.970; best 0.978 at 0.3/0.2 and 0.970 at 0.4/0.3); 0.8/0.6,
# the setting of the designs before it, scored 0.930, 0.914, 0.875, 0.961, 0.950. With u among namesakes
# (U_AMONG_NAMESAKES) the match probabilities are calibrated: of the candidate pairs scored
# 0.3-0.4, 40% are one person, of those scored 0.8-0.9, 85% (with random-pair u: 8% and 49%).
# Designs up to 2026.11.8 clustered at 0.8/0.6. With design 2026.11.10 (the parts of a name in
# "very similar spelling") 0.3/0.3 is still the best on the calibrated names (0.9587).
DEFAULT_CLUSTER_THRESHOLD = 0.3
CLUSTER_MERGE_AVERAGE = 0.3
