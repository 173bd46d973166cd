"""Names from a gazetteer of first and last names (``lexicon/names_<language>.txt``).

Built from names-dataset by ``scripts/build_gazetteer.py`` (a few thousand names per language, ~90 KB,
instead of the dataset's ~1.9 GB in memory). A capitalized first name followed by a capitalized
name ("Martina Schneider") is PERSON at 0.75. A single capitalized name is PERSON at 0.5 unless it
is also an ordinary word (marked ``~``: "Koch", "Wolf", "Will", "Rose"), which counts only in a pair.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.lexicon import LEXICON_DIR, lexicon, stop_words
from anonymizer.detect.rules import RuleRecognizer
from anonymizer.detect.tokens import tokenize

_UMLAUTS = frozenset("äöüÄÖÜß")  # German letters a name keeps when its accents are folded
# titles before a name, never a name themselves
TITLES = frozenset({"dr", "prof", "doktor", "professor", "herr", "herrn", "frau", "mr", "mrs", "ms", "miss", "mister",
                    "missus"})


def _capitalized(word: str) -> bool:
    """A capital, then small letters (accents too: "Petrović", "Çelik", "Núñez"), and one such part after a hyphen.

    >>> [_capitalized(w) for w in ("Petrović", "Koch-Weber", "ABC", "koch", "Mc3")]
    [True, True, False, False, False]
    """
    parts = word.split("-")
    return len(parts) <= 2 and all(len(p) > 1 and p.isalpha() and p[0].isupper() and p[1:].islower() for p in parts)




@dataclass(frozen=True)
class Gazetteer:
    first: frozenset[str]
    last: frozenset[str]
    ordinary: frozenset[str]  # names that are also ordinary words
    excluded: frozenset[str]  # the lexicon's not_names: never a name here

    def is_name(self, word: str) -> bool:
        return (self.has_first(word) or self.has_last(word)) and word not in self.excluded

    def is_first(self, word: str) -> bool:
        return self.has_first(word) and word not in self.excluded

    def has_first(self, word: str) -> bool:
        """A first name of the lists, its accents as they may be or not ("Petrović" is "Petrovic")."""
        return word in self.first or folded(word) in self.first

    def has_last(self, word: str) -> bool:
        return word in self.last or folded(word) in self.last


def folded(word: str) -> str:
    """``word`` without its accents ("Petrović" -> "Petrovic", "Çelik" -> "Celik"); German umlauts stay ("Höhe"
    is no "Hohe").

    >>> folded("Petrović"), folded("Martínez"), folded("Höhe")
    ('Petrovic', 'Martinez', 'Höhe')
    """
    return "".join(ch if ch in _UMLAUTS else "".join(c for c in unicodedata.normalize("NFKD", ch)
                                                      if not unicodedata.combining(c)) for ch in word)


@cache
def gazetteer(language: str) -> Gazetteer:
    first: set[str] = set()
    last: set[str] = set()
    ordinary: set[str] = set()
    path = LEXICON_DIR / f"names_{language}.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        kind, name = line.split(" ", 1)
        (first if kind[0] == "F" else last).add(name)
        if kind.endswith("~"):
            ordinary.add(name)
    # a month that is a name ("April", "August") is an ordinary word too: a name alone only after a cue
    ordinary.update(m.capitalize() for m in lexicon(language).months)
    return Gazetteer(frozenset(first), frozenset(last), frozenset(ordinary), lexicon(language).not_names)


class GazetteerNameRecognizer(RuleRecognizer):
    """Known first and last names, alone (when not also an ordinary word) or in pairs. ``name_like``
    (the strict setting): names that are also ordinary words count alone too, and in English every
    capitalized word inside a sentence (not "I", not a function word) is name-like."""

    def __init__(self, supported_language: str, name_like: bool = False) -> None:
        self.name_like = name_like
        super().__init__("PERSON", supported_language)

    def load(self) -> None:
        gazetteer(self.supported_language)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        names = gazetteer(self.supported_language)
        stops = stop_words(self.supported_language)
        tokens = tokenize(text)
        candidate = [_capitalized(t.text) and names.is_name(t.text) for t in tokens]
        results = []
        i = 0
        while i < len(tokens):
            if not candidate[i]:
                # a first name that is also a month or a word ("April", "Bill") is one before a last name: "April Jones"
                if i + 1 < len(tokens) and candidate[i + 1] and names.has_first(tokens[i].text) \
                        and names.has_last(tokens[i + 1].text) and tokens[i + 1].text not in names.ordinary \
                        and tokens[i].raw == tokens[i].text \
                        and tokens[i].text.lower() not in TITLES | stops:
                    results.append(self.result(tokens[i].start, tokens[i + 1].end, 0.6))
                    i += 2
                    continue
                i += 1
                continue
            pair = (i + 1 < len(tokens) and candidate[i + 1] and names.has_first(tokens[i].text)
                    and not tokens[i].raw.endswith((",", ".", "?", "!", ";", ":")))
            if pair:
                both_ordinary = tokens[i].text in names.ordinary and tokens[i + 1].text in names.ordinary
                results.append(self.result(tokens[i].start, tokens[i + 1].end, 0.45 if both_ordinary else 0.75))
                i += 2
                continue
            if tokens[i].text not in names.ordinary or self.name_like:
                results.append(self.result(tokens[i].start, tokens[i].end, 0.5))
            i += 1
        if self.name_like and self.supported_language == "en":
            stops = stop_words("en")
            taken = {(r.start, r.end) for r in results}
            for k, token in enumerate(tokens):
                inside = k > 0 and not tokens[k - 1].ends_sentence
                if inside and _capitalized(token.text) and token.text.lower() not in stops \
                        and token.text not in names.excluded and (token.start, token.end) not in taken:
                    results.append(self.result(token.start, token.end, 0.4))
        return results
