"""The benchmark's given names: the common names of each culture and the long tail its naming
rules form, calibrated to the documented share of the most common name (Muhammad, about one man
in six to one in eight)."""

from __future__ import annotations

import collections

import pytest
from typer.testing import CliRunner

from pactum.cli.main import app
from pactum.identity import naming
from pactum.identity.generator import CULTURES, Generator

MUSLIM_MAJORITY = ("levant", "afghan", "maghreb", "south_asia")


def _culture(name: str):
    return next(c for c, _ in CULTURES if c.name == name)


@pytest.mark.parametrize("culture", MUSLIM_MAJORITY)
def test_the_most_common_mans_name_is_borne_by_one_in_six_to_one_in_eight_or_so(culture):
    wide = Generator(seed=1).given_names(_culture(culture), "M")
    narrow = Generator(seed=1, names="narrow").given_names(_culture(culture), "M")
    assert 0.15 <= naming.top_share(len(wide)) <= 0.19
    assert naming.top_share(len(narrow)) >= 0.24  # the first releases' lists: one man in four
    assert wide[0][0] in ("Mohammed", "Mohammad", "Mohamed")


def test_tail_names_are_formed_by_each_cultures_rules():
    names = {c.name: {n for n, _ in Generator(seed=1).given_names(c, "M")} for c, _ in CULTURES}
    assert {"Abdul Karim", "Salah al-Din", "Mohammed Khaled"} <= names["levant"]
    assert {"Ehsanullah", "Abdul Ghani", "Gul Agha", "Mohammad Ajmal"} <= names["afghan"]
    assert {"Gebremariam", "Tesfamichael", "Woldeselassie"} <= names["eritrean"]
    assert {"Abdelkader", "Abderrahmane", "Abdennour", "Abdessamad", "Noureddine", "Mohamed Amine"} <= names["maghreb"]
    assert {"Nasir Uddin", "Zia Ul Haq"} <= names["south_asia"]
    assert {"Mamadou Saliou", "Thierno Amadou", "Elhadj Oumar"} <= names["west_africa"]


def test_the_common_names_come_first_without_duplicates_and_the_order_does_not_depend_on_the_seed():
    for culture, _ in CULTURES:
        for sex in ("M", "F"):
            head = culture.given_f if sex == "F" else culture.given_m
            wide = Generator(seed=1).given_names(culture, sex)
            assert list(wide[:len(head)]) == list(head)
            assert len({n.casefold() for n, _ in wide}) == len(wide)
            assert wide == Generator(seed=99).given_names(culture, sex)
            assert Generator(seed=1, names="narrow").given_names(culture, sex) == head


def test_fewer_persons_have_a_namesake_in_the_wide_population():
    def with_namesake(names: str) -> float:
        """Share of persons whose first record's name, sex and nationality another person's
        first record also has."""
        first: dict[str, tuple[str, str, str, str]] = {}
        for r in Generator(seed=5, names=names).records(20_000):
            first.setdefault(r.person_id, (r.given_names.casefold(), r.surname.casefold(), r.sex, r.nationality))
        count = collections.Counter(first.values())
        return sum(1 for v in first.values() if count[v] > 1) / len(first)

    wide, narrow = with_namesake("wide"), with_namesake("narrow")
    assert narrow > 0.25  # one person in three or four: the crowd the first releases were built on
    assert wide < 0.6 * narrow


def test_an_unknown_population_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown name population 'medium'; choose one of wide, narrow"):
        Generator(seed=1, names="medium")


def test_generate_and_evaluate_take_the_population(tmp_path):
    runner = CliRunner()
    out = tmp_path / "narrow.csv"
    r = runner.invoke(app, ["identity", "generate", str(out), "--records", "50", "--names", "narrow"])
    assert r.exit_code == 0, r.output
    assert '"names": "narrow"' in r.output
    bad = tmp_path / "bad.csv"
    r = runner.invoke(app, ["identity", "generate", str(bad), "--records", "50", "--names", "medium"])
    assert r.exit_code == 2
    assert "names: unknown name population 'medium'" in r.output
    assert not bad.exists()
    r = runner.invoke(app, ["identity", "evaluate", "--records", "50", "--names", "medium"])
    assert r.exit_code == 2 and "unknown name population" in r.output
