"""Public places are nobody's name: a city, country or US state said in passing ("the depot in Memphis",
"our warehouse in Milton Keynes") is a harmless word of the conversation, not a person or their address.

The names come from GeoNames (``lexicon/places.txt``, built by ``scripts/build_places.py``, accents folded).
A name finding is a public place when its words are one such name and

- spaCy called it a location, or the name has two words or more ("Milton Keynes" read as a PERSON), or a
  place preposition (below) stands right before it ("I was in Málaga" read as a PERSON): a single word spaCy
  took for a person stays a name otherwise;
- for a place that is also a first or last name (``lexicon/places_named.txt``: "Dublin", "Spain", "Berlin",
  "Jackson"), a place preposition stands right before it ("in Berlin", "nach Paris", "calling from Dublin";
  the lexicon's ``place_prepositions``; not "from" alone: "a call from Jackson" stays a name);
- or, for a place the list does not know, spaCy read it as one and it is an acronym ("BT", "UK": a company
  or a country) or stands right after a place preposition ("I'm in Benidorm"; not "from": "a letter from
  Okonkwo" stays a name);
- no cue of where a person lives or was born stands before it in its sentence ("I live in Memphis", "born in
  Kassel", "my address …", "postcode"; "I'm calling from Memphis" is no such cue);
- no other finding ends within a few words before it or starts right after it ("… 21261 Lüneburg": the city
  of an address is the address's).

An address asked for is still redacted: with the place dropped, the answer to the question holds no finding
of the asked kind, and ``answers.unanswered`` redacts it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from anonymizer.detect.gazetteer import folded
from anonymizer.detect.lexicon import LEXICON_DIR, lexicon, rules_language
from anonymizer.detect.meaning import has_cue
from anonymizer.detect.tokens import Token, sentence_first

# a finding this close before a place (tokens) or right after it makes the place part of it
NEAR_FINDING_TOKENS = 3
_PUNCTUATION = ",.;:!?\"'’"


@cache
def known_places(named: bool = False) -> frozenset[str]:
    """The lower-case names of ``lexicon/places.txt`` (``named``: of ``places_named.txt``)."""
    lines = (LEXICON_DIR / ("places_named.txt" if named else "places.txt")).read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def place_name(words: list[str]) -> str:
    """The words as a place's name is written in the list: lower case, accents folded, without punctuation
    around them.

    >>> place_name(["Milton", "Keynes."]), place_name(["Memphis,"]), place_name(["Málaga"])
    ('milton keynes', 'memphis', 'malaga')
    """
    return folded(" ".join(w.strip(_PUNCTUATION) for w in words)).lower()


def public_place(tokens: tuple[Token, ...], inside: list[int], entity_type: str, language: str,
                 findings: Iterable[list[int]]) -> bool:
    """Whether the name finding over ``tokens[inside]`` (of ``entity_type``) is a public place (see the module).
    ``findings``: the token indexes of the text's other findings (read only when the words are a place).

    >>> from anonymizer.detect.tokens import tokenize
    >>> t = tuple(tokenize("It's stuck at the Memphis depot since Monday."))
    >>> public_place(t, [4], "LOCATION", "en", []), public_place(t, [4], "PERSON", "en", [])
    (True, False)
    >>> t = tuple(tokenize("I live in Memphis now."))
    >>> public_place(t, [3], "LOCATION", "en", [])
    False
    >>> t = tuple(tokenize("Wir haben ein Lager in Berlin und eins bei Berlin."))
    >>> public_place(t, [5], "PERSON", "de", []), public_place(t, [9], "PERSON", "de", [])
    (True, False)
    """
    if not inside:
        return False
    name = place_name([tokens[i].text for i in inside])
    first, last = inside[0], inside[-1]
    lex = lexicon(rules_language(language))

    def after(prepositions: tuple[tuple[str, ...], ...]) -> bool:
        return any(place_name([t.text for t in tokens[max(0, first - len(p)):first]]) == " ".join(p)
                   for p in prepositions)

    after_preposition = after(lex.place_prepositions)
    if name in known_places(named=True):
        if not after_preposition:
            return False
    elif name in known_places():
        if entity_type == "PERSON" and len(inside) < 2 and not after_preposition:
            return False
    elif entity_type != "LOCATION" or not (_acronym(tokens, inside) or after_preposition):
        return False
    if any(r and (first - NEAR_FINDING_TOKENS <= r[-1] < first or r[0] == last + 1) for r in findings):
        return False
    before = [tokens[k].text.lower().strip(_PUNCTUATION) for k in range(sentence_first(tokens, first), first)]
    return not has_cue(before, _residence_cues(lex.language))


@cache
def _residence_cues(language: str) -> tuple[str, ...]:
    """The cues of where a person lives or was born: an address's, a postcode's, a birth's."""
    lex = lexicon(language)
    return tuple(c.lower() for c in (*lex.address_cues, *lex.postcode_cues, *lex.birth_cues, *lex.birth_cues_bare,
                                      *lex.residence_cues))


def _acronym(tokens: tuple[Token, ...], inside: list[int]) -> bool:
    """One word of two to four capitals ("BT", "UK"): a company or a country, read as a place."""
    word = tokens[inside[0]].text.strip(_PUNCTUATION)
    return len(inside) == 1 and 2 <= len(word) <= 4 and word.isalpha() and word.isupper()

