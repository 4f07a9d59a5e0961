"""UNK is UNHCR's unknown country of origin (and, in ICAO Doc 9303, an UNMIK travel document of a
Kosovo resident): statistics name it "Unknown", and as a nationality it is refused rather than taken
for Kosovo, a safe country of origin."""

from __future__ import annotations

import pytest

from pactum.common.countries import country, is_country, nationality_name
from pactum.web.render import nationality


def test_unk_is_named_unknown_in_statistics_never_kosovo() -> None:
    assert nationality_name("UNK") == "Unknown"
    assert nationality_name("unk") == "Unknown"
    # the dashboard's and the statistics page's filter ("Unknown (UNK)", as UNHCR's file says)
    assert nationality("UNK", named=True) == "Unknown (UNK)"
    assert nationality_name("XKX") == "Kosovo"
    assert nationality_name("XXX") == "Unknown"


def test_unk_is_refused_as_a_nationality_saying_what_to_write() -> None:
    with pytest.raises(ValueError, match="XXX for an unknown nationality or XKX for Kosovo"):
        country("UNK")
    assert not is_country("UNK")
    assert country("XKX").alpha3 == "XKX"
