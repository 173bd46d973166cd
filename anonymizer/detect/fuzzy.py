"""Words ASR wrote slightly wrong: "Windestrich" for "Bindestrich", "hach" for "acht", "Nordkohl" for
"Nordpol". A close match in a small vocabulary, asked only where a rule already expects such a word
(between the digits of a dictated number, inside a spelling), never to find data on its own.

Closeness is difflib's ratio (twice the matched characters over both lengths). The language's stop
words never match ("eben" is not "sieben", "or" not "four"): a word people say anyway is not a
mishearing.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from anonymizer.detect.lexicon import rules_language, stop_words

MIN_RATIO = 0.75  # "hach" ~ "acht", "eind" ~ "eins"; short words need most letters right
MIN_RATIO_LONG = 0.7  # words of 8+ letters: "Schrecktricht" ~ "Schrägstrich"
MIN_CHARS = 3


@lru_cache(maxsize=8192)
def closest(word: str, vocabulary: frozenset[str], language: str, min_chars: int = MIN_CHARS) -> str | None:
    """The word of ``vocabulary`` (lower-case) that ``word`` is a near miss of, or None.

    >>> closest("Windestrich", frozenset({"bindestrich", "schrägstrich"}), "de")
    'bindestrich'
    >>> closest("Schrecktricht", frozenset({"bindestrich", "schrägstrich"}), "de")
    'schrägstrich'
    >>> closest("hach", frozenset({"acht", "sieben"}), "de"), closest("eben", frozenset({"sieben"}), "de")
    ('acht', None)
    >>> closest("Hamburg", frozenset({"acht", "sieben"}), "de") is None
    True
    """
    lowered = word.lower().strip(".,-–")
    if len(lowered) < min_chars or not lowered.isalpha():
        return None
    if lowered in vocabulary:
        return lowered
    if lowered in stop_words(rules_language(language)):
        return None
    best, best_ratio = None, 0.0
    for candidate in vocabulary:
        ratio = SequenceMatcher(None, lowered, candidate).ratio()
        needed = MIN_RATIO_LONG if min(len(lowered), len(candidate)) >= 8 else MIN_RATIO
        if ratio >= needed and ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return best
