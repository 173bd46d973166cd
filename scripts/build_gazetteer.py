"""Build the compact name gazetteers (anonymizer/detect/lexicon/names_<lang>.txt) from names-dataset.

names-dataset (https://github.com/philipperemy/name-dataset, Apache-2.0) holds first and last names
by country from a large public corpus, but loading it costs ~1.9 GB of RAM and ~9 s, so the pipeline
never imports it: this script keeps the most frequent names of the countries each language is spoken
in and writes one name per line (``F Name`` first name, ``L Name`` last name). A name that is also
an ordinary word ("Koch", "Wolf", "Will", "Rose") gets a ``~`` (``L~ Koch``): the recognizer takes
it only next to another name. "Ordinary word" comes from the Hunspell dictionaries: in German an
entry with inflection flags beyond the genitive ``S`` of proper names, or a lower-case entry; in
English a lower-case entry.

Run: ``apt-get install hunspell-de-de hunspell-en-us && pip install names-dataset &&
python scripts/build_gazetteer.py`` (reproducible; the output is committed).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent.parent / "anonymizer" / "detect" / "lexicon"
COUNTRIES = {"de": ("DE", "AT", "CH"), "en": ("US", "GB", "CA", "IE")}
HUNSPELL = {"de": Path("/usr/share/hunspell/de_DE.dic"), "en": Path("/usr/share/hunspell/en_US.dic")}
_NAME = re.compile(r"^[A-ZÄÖÜ][a-zäöüßéèáàëïç]+(?:-[A-ZÄÖÜ][a-zäöüßéèáàëïç]+)?$")


def ordinary_words(language: str) -> set[str]:
    """Words of the language's Hunspell dictionary that are not only proper names."""
    words: set[str] = set()
    for line in HUNSPELL[language].read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
        word, _, flags = line.partition("/")
        if word[:1].islower() or language == "de" and flags.strip() not in ("", "S"):
            words.add(word.lower())
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=1000, help="first names per gender and country")
    parser.add_argument("--last", type=int, default=2000, help="last names per country")
    args = parser.parse_args()
    from names_dataset import NameDataset

    dataset = NameDataset()
    for language, countries in COUNTRIES.items():
        entries: set[tuple[str, str]] = set()
        for country in countries:
            firsts = dataset.get_top_names(n=args.first, country_alpha2=country)[country]
            for names in firsts.values():
                entries.update(("F", n) for n in names if _NAME.match(n) and len(n) >= 3)
            lasts = dataset.get_top_names(n=args.last, use_first_names=False, country_alpha2=country)[country]
            entries.update(("L", n) for n in lasts if _NAME.match(n) and len(n) >= 3)
        ordinary = ordinary_words(language)
        path = OUT_DIR / f"names_{language}.txt"
        header = f"# {len(entries)} names from names-dataset for {', '.join(countries)}; scripts/build_gazetteer.py\n"
        lines = [f"{kind}{'~' if name.lower() in ordinary else ''} {name}\n" for kind, name in sorted(entries)]
        path.write_text(header + "".join(lines), encoding="utf-8")
        print(f"{path}: {len(entries)} names")


if __name__ == "__main__":
    main()
