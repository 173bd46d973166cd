"""Names by context: the company's own name, product and tariff names are nobody's name.

The company's name comes from how a call opens — after an intro ("willkommen bei", "thank you for calling"),
before a greeting ("Nordwind Energie, guten Tag"), or in the German call centre's "<Company>, <Name>,
<greeting>", which names the agent too — and, anywhere in the call, from a legal or trade form word and its
capitalized neighbours ("Ashford Mutual", "Volkskasse Hohenlinden"). A product or tariff name stands next to
a model word or a number ("Fiber Max 500"). The engine drops name findings made of such words.
"""

from __future__ import annotations

import re
from functools import cache

from anonymizer.detect.lexicon import lexicon, rules_language, stop_words
from anonymizer.detect.meaning import has_cue, meaning_lexicon
from anonymizer.detect.tokens import Token

NAME_RECOGNIZERS = {"GazetteerNameRecognizer", "SpacyRecognizer", "CueNameRecognizer"}
_CAPITAL = re.compile(r"^[A-ZÄÖÜ]")
MAX_COMPANY_WORDS = 3
_AGENT_AT = frozenset({"at", "from", "bei", "von"})  # "… Marcus Bell at Northern Water": the company follows
INTRO_SENTENCES = 3  # the company introduces itself in the call's first sentences


def company_and_agent(tokens: tuple[Token, ...] | list[Token], language: str) -> tuple[range, range] | None:
    """The company's words and the agent's name in a call that opens "<Company>, <Name>, <greeting>" (the
    German call centre's "Uferbank, Rosemann, guten Tag"; "Ashford Mutual, Tom Reed, good morning"): the
    token ranges of both, or None. The company is one to ``MAX_COMPANY_WORDS`` capitalized words, the name
    one to three capitalized words (a title before it is neither), each phrase ended by a comma; the greeting
    right after. A "name" with a company form word in it is the company's rest (the agent's range empty).

    >>> from anonymizer.detect.tokens import tokenize
    >>> t = tokenize("Uferbank, Frau Rosemann, guten Tag. Was kann ich tun?")
    >>> [[t[k].text for k in r] for r in company_and_agent(t, "de")]
    [['Uferbank'], ['Rosemann']]
    >>> company_and_agent(tokenize("Nordwind Energie, guten Tag, Rosemann."), "de") is None
    True
    >>> t = tokenize("Nordwind, Energie, guten Tag, was kann ich für Sie tun?")
    >>> [[t[k].text for k in r] for r in company_and_agent(t, "de")]
    [['Nordwind', 'Energie'], []]
    """
    lex = lexicon(rules_language(language))
    lowered = [t.text.lower() for t in tokens]

    def phrase_end(start: int, most: int) -> int | None:
        for k in range(start, min(len(tokens), start + most)):
            if tokens[k].raw.endswith(","):
                return k
            if tokens[k].raw.endswith((".", "!", "?", ";", ":")):
                return None
        return None

    company_end = phrase_end(0, MAX_COMPANY_WORDS)
    if company_end is None or not all(_CAPITAL.match(tokens[k].text) for k in range(company_end + 1)):
        return None
    first = company_end + 1
    while first < len(tokens) and lowered[first].rstrip(".") in _AGENT_TITLES:
        first += 1
    name_end = phrase_end(first, 3)
    if name_end is None or not all(tokens[k].text.replace("-", "").isalpha() and _CAPITAL.match(tokens[k].text)
                                   for k in range(first, name_end + 1)):
        return None  # "Ashford, neutral, hello." (ASR for "Ashford Mutual"): no name
    greeting = name_end + 1
    if not any(lowered[greeting : greeting + len(g.split())] == g.split() for g in lex.greetings):
        return None
    stops = stop_words(lex.language)
    if any(tokens[k].text.capitalize() in lex.not_names or lowered[k].strip(",") in stops
           for k in range(first, name_end + 1)):
        return None
    if first == company_end + 1 and any(is_company_form(tokens[k].text, language) for k in range(first, name_end + 1)):
        return range(0, name_end + 1), range(0)  # "Nordwind, Energie, guten Tag": ASR's comma inside the company
    return range(0, company_end + 1), range(first, name_end + 1)


_AGENT_TITLES = frozenset({"herr", "frau", "mr", "mrs", "ms", "miss", "dr"})


def company_words(tokens: tuple[Token, ...], language: str) -> frozenset[str]:
    """The words of the company's own name, from how a call opens: after an intro ("willkommen bei",
    "thank you for calling") or before a greeting ("Nordwind Energie, guten Tag") in the first sentences."""
    from anonymizer.detect.gazetteer import gazetteer

    lex = lexicon(rules_language(language))
    lowered = [t.text.lower() for t in tokens]
    found: set[str] = set()
    sentences = 0
    for i, token in enumerate(tokens):
        if sentences >= INTRO_SENTENCES:
            break
        for intro in lex.company_intros:
            words = intro.split()
            if lowered[i : i + len(words)] == words:
                k = i + len(words)
                while True:
                    run: list[str] = []
                    while k < len(tokens) and len(run) < MAX_COMPANY_WORDS and _CAPITAL.match(tokens[k].text):
                        run.append(lowered[k])
                        if tokens[k].raw.endswith((",", ".", "!", "?")):
                            break
                        k += 1
                    # "You're through to Marcus Bell at Northern Water": the agent, then the company
                    if run and k + 1 < len(tokens) and lowered[k] in _AGENT_AT and tokens[k].raw == tokens[k].text \
                            and _CAPITAL.match(tokens[k + 1].text):
                        k += 1
                        continue
                    if run and k < len(tokens) and lowered[k] in _AGENT_AT and all(
                            gazetteer(lex.language).is_name(tokens[j].text.strip(",.!?"))
                            for j in range(k - len(run), k)):
                        break  # "You're through to Kirsty at the breakdown team": the agent; no company named
                    found.update(run)
                    break
        for greeting in lex.greetings:  # the call opens with the company's name: "Nordwind Energie, guten Tag"
            words = greeting.split()
            if lowered[i : i + len(words)] == words and 0 < i <= MAX_COMPANY_WORDS \
                    and tokens[i - 1].raw.endswith(",") and all(_CAPITAL.match(t.text) for t in tokens[:i]) \
                    and not any(t.raw.endswith((",", ".", "!", "?")) for t in tokens[: i - 1]):
                found.update(lowered[:i])
        if token.ends_sentence:
            sentences += 1
    opening = company_and_agent(tokens, language)  # "Uferbank, Rosemann, guten Tag"
    if opening is not None:
        found.update(lowered[k] for k in opening[0])
    return frozenset(found)


# in German a form this long also ends a compound ("Volksbank", "Sparkasse"); shorter ones ("AG") count whole, and
# English ones always ("Fairbank" is a surname)
MIN_SUFFIX_FORM = 4
COMPOUNDING = frozenset({"de"})
_PUNCTUATION = ",.;:!?"
_ENDS = tuple(_PUNCTUATION)
_NOT_COMPANY = frozenset({"i", "ich", "sie", "mr", "mrs", "ms", "miss", "dr", "herr", "herrn", "frau"})


@cache
def _company_forms(language: str) -> tuple[frozenset[str], tuple[str, ...]]:
    rules = rules_language(language)
    forms = frozenset(lexicon(rules).company_forms)
    return forms, tuple(f for f in forms if len(f) >= MIN_SUFFIX_FORM) if rules in COMPOUNDING else ()


def is_company_form(word: str, language: str) -> bool:
    """Whether ``word`` is a legal or trade form (the lexicon's ``company_forms``; in German also as the end of
    a compound: "Volksbank").

    >>> is_company_form("Uferbank,", "de"), is_company_form("Rosemann", "de"), is_company_form("Fairbank", "en")
    (True, False, False)
    """
    forms, suffixes = _company_forms(language)
    word = word.lower().strip(_PUNCTUATION)
    return word in forms or word.endswith(suffixes)


def company_form_words(tokens: tuple[Token, ...], language: str) -> frozenset[str]:
    """The words of company names anywhere in the call, by their legal or trade form (the lexicon's
    ``company_forms``): a capitalized form word and the capitalized words right before and after it in its
    phrase ("Ashford Mutual", "Stadtwerke Ellerbrück", "Volkskasse Hohenlinden").

    >>> from anonymizer.detect.tokens import tokenize
    >>> sorted(company_form_words(tuple(tokenize("Thanks for choosing Ashford Mutual. Bye, Anna.")), "en"))
    ['ashford', 'mutual']
    >>> sorted(company_form_words(tuple(tokenize("Bei der Volkskasse Hohenlinden, sagt Frau Rose.")), "de"))
    ['hohenlinden', 'volkskasse']
    """
    def is_form(word: str) -> bool:
        return is_company_form(word, language)

    def joins(k: int, neighbour: int) -> bool:  # a capitalized word in the same phrase, not a person's title
        first = min(k, neighbour)
        return 0 <= neighbour < len(tokens) and bool(_CAPITAL.match(tokens[neighbour].text)) \
            and not tokens[first].raw.endswith(_ENDS) and tokens[neighbour].text.lower() not in _NOT_COMPANY

    found: set[str] = set()
    for i, token in enumerate(tokens):
        if not _CAPITAL.match(token.text) or not is_form(token.text):
            continue
        found.add(token.text.lower().strip(_PUNCTUATION))
        for step in (-1, 1):
            k = i
            while abs(k - i) < MAX_COMPANY_WORDS - 1 and joins(k, k + step):
                k += step
                found.add(tokens[k].text.lower().strip(_PUNCTUATION))
    return frozenset(found)


def full_name(tokens: tuple[Token, ...], inside: list[int], language: str) -> bool:
    """Whether the words ``inside`` hold a first name of the gazetteer and a last name right after it ("Peter
    Schmidt"): a person's, whatever number follows (not "Fiber Max", "Emma Pro").

    >>> from anonymizer.detect.tokens import tokenize
    >>> [full_name(tuple(tokenize(t)), [0, 1], "de") for t in ("Peter Schmidt 0171", "Emma Pro 5")]
    [True, False]
    """
    from anonymizer.detect.gazetteer import gazetteer

    names = gazetteer(rules_language(language))
    words = [tokens[i].text.strip(_PUNCTUATION) for i in inside]
    return any(names.is_first(a) and names.has_last(b) and b not in names.ordinary
               for a, b in zip(words, words[1:], strict=False))


def product_name(tokens: tuple[Token, ...], first: int, last: int, language: str) -> bool:
    """Whether the words ``first..last`` are part of a product or tariff name: a model or tariff word, a
    number or a letters-and-digits token right before or after them ("Fiber Max 500", "Tarif Klara")."""
    model = meaning_lexicon(language).readings.get("model", ())
    for k in (first - 1, last + 1):  # no punctuation before a number: "Sarah Miller, 42 Oak Road" is a name, an address
        if not 0 <= k < len(tokens) or (k == first - 1 and tokens[k].ends_sentence) \
                or (k == last + 1 and tokens[last].raw.endswith(_ENDS)):
            continue
        word = tokens[k].text
        if any(ch.isdigit() for ch in word) or has_cue([word.lower()], model):
            return True
    return False
