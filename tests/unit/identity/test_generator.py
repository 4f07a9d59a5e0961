"""The labelled-data generator: named noise profiles and the documented real-world patterns."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

import pytest

from pactum.identity.generator import HARSH, REALISTIC, Generator, noise_profile


def _placeholder_share(rows, nationality=None):
    rows = [r for r in rows if nationality is None or r.nationality == nationality]
    return sum(r.date_of_birth.endswith("-01-01") for r in rows) / len(rows)


def test_realistic_is_the_default_and_harsh_is_named():
    assert Generator(seed=1).noise == REALISTIC
    assert noise_profile("harsh") is HARSH
    assert noise_profile("realistic", 2.0).typo == pytest.approx(2 * REALISTIC.typo)
    with pytest.raises(ValueError, match="unknown noise profile 'gentle'"):
        noise_profile("gentle")


def test_placeholder_dates_are_common_for_afghans_not_for_everyone():
    rows = Generator(seed=7).records(20_000)
    assert _placeholder_share(rows, "AFG") > 3 * _placeholder_share(rows, "SYR")
    assert _placeholder_share(rows) < 0.2  # not a fifth of all records
    harsh = Generator(seed=7, noise=HARSH).records(20_000)
    assert _placeholder_share(harsh) > 0.25


def _same_spelling_share(rows):
    by_person = defaultdict(list)
    for r in rows:
        by_person[r.person_id].append(r.given_names)
    pairs = same = 0
    for names in by_person.values():
        first = names[0]
        for other in names[1:]:
            pairs += 1
            same += other == first
    return same / pairs


def test_re_registrations_mostly_reuse_the_established_spelling():
    realistic = _same_spelling_share(Generator(seed=8).records(10_000))
    harsh = _same_spelling_share(Generator(seed=8, noise=HARSH).records(10_000))
    assert realistic > 0.6
    assert harsh < realistic - 0.1


def test_seeded_and_every_record_has_a_person():
    a = [r.as_row() for r in Generator(seed=9).records(500)]
    b = [r.as_row() for r in Generator(seed=9).records(500)]
    assert a == b
    assert len({r["record_id"] for r in a}) == 500
    sizes = Counter(r["person_id"] for r in a)
    assert max(sizes.values()) > 1  # persons with several records exist


def _by_person(seed: int, noise, field: str) -> dict[str, set[str]]:
    """The non-empty values of ``field`` in each generated person's records (20,000 records)."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in Generator(seed=seed, noise=noise).records(20_000):
        if getattr(r, field):
            out[r.person_id].add(getattr(r, field))
    return out


def test_a_place_of_birth_is_sometimes_named_by_its_region_or_other_name():
    from pactum.identity.generator import CULTURES, PLACE_VARIANTS

    towns = {place for culture, _ in CULTURES for place in culture.places}
    variants = {v for place in towns for v in PLACE_VARIANTS[place]}
    assert "Halab" in PLACE_VARIANTS["Aleppo"] and "Nangarhar" in PLACE_VARIANTS["Jalalabad"]

    realistic = _by_person(12, REALISTIC, "place_of_birth")
    stated = Counter(p in variants for places in realistic.values() for p in places)
    assert 0.05 < stated[True] / (stated[True] + stated[False]) < 0.3
    # some persons' records name the same place two ways (Aleppo at one registration, Halab at another)
    assert sum(1 for places in realistic.values() if len(places & variants) and len(places & towns)) > 100
    # the first release's noise has no place variants (without its typos, one of which can write
    # Baghdad as Bagdad, the French name)
    harsh = _by_person(12, replace(HARSH, typo=0.0), "place_of_birth")
    assert not {p for places in harsh.values() for p in places} & (variants - towns)


def test_some_persons_present_a_second_document_so_one_persons_records_can_carry_two_numbers():
    realistic = _by_person(13, REALISTIC, "document_number")
    two = sum(1 for numbers in realistic.values() if len(numbers) > 1)
    # a typo also makes a second number, but differs in one character only
    assert two > 100
    without = _by_person(13, replace(REALISTIC, second_document=0.0, document_typo=0.0), "document_number")
    assert all(len(numbers) == 1 for numbers in without.values())
    # everything else is the same data: the second documents have a random stream of their own
    a = [r.as_row(True) for r in Generator(seed=13, noise=REALISTIC).records(2000)]
    b = [r.as_row(True) for r in Generator(seed=13, noise=replace(REALISTIC, second_document=0.0)).records(2000)]
    assert [{k: v for k, v in x.items() if k != "document_number"} for x in a] == \
        [{k: v for k, v in x.items() if k != "document_number"} for x in b]
    assert HARSH.second_document == 0.0


def test_each_convention_writes_names_as_its_authorities_do():
    from pactum.identity.generator import _scheme

    # Italian writes sh as sci before a, o, u and sc before e, i, and j as gi
    assert _scheme("Shamim", "it") == "Sciamim" and _scheme("Sheikh", "it") == "Sceik"
    assert _scheme("Hisham", "it") == "Hisciam" and _scheme("Jamal", "it") == "Giamal"
    # a j already written dj is one sound: not doubled by the French, German or Italian convention
    assert _scheme("Djamel", "fr") == "Djamel" and _scheme("Jamal", "fr") == "Djamal"
    assert _scheme("Djamel", "de") == "Dschamel" and _scheme("Djamel", "it") == "Giamel"
    # German writes kh as ch and y as j (which rule authority_reading reads back)
    assert _scheme("Khaled", "de") == "Chaled" and _scheme("Yusuf", "de") == "Jusuf"


def test_names_written_in_latin_letters_at_home_are_copied_not_romanised_again():
    from pactum.identity.generator import CULTURES

    turkish = next(c for c, _ in CULTURES if c.name == "turkish")
    assert turkish.latin_script and not next(c for c, _ in CULTURES if c.name == "levant").latin_script
    # German and Austrian authorities write sh as sch in the names they romanise (Aischa, Hischam),
    # never in Turkish or Guinean names, which they copy
    rows = Generator(seed=5).records(40_000)
    by_de = [r for r in rows if r.member_state in ("DE", "AT")]

    def sch(nat: str) -> int:
        return sum("sch" in (r.given_names + r.surname).lower() for r in by_de if r.nationality == nat)

    assert sch("TUR") == 0 and sch("GIN") == 0
    assert sch("SYR") > 100
