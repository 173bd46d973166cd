"""A name found once is a name wherever the call says it again.

The agent reads it back ("Vollbrecht, richtig?"), says goodbye with it, the customer repeats it: without
a cue of its own, such a mention is found only when NER knows the name, and German has no NER model
here. So every word of a ``PERSON`` finding that can be a name (``names.can_be_name``: letters, no stop,
function, greeting or title word, none of the lexicon's not-names) is a ``PERSON`` at every other place
of the transcript it occurs: capitalized, or in any case when it was found in lower case (ASR wrote
"edeltraut, ackermann"); a capitalized name is no lower-case word ("Frau Lange" names nobody in "wie
lange", "Weiß" nobody in "das weiß ich"). Only from findings that are not themselves a repeat.

A number read back is the same data as where it was found: a digit run of at least three digits outside
the findings (``said_again``) whose digits are a whole digit run inside a finding of personal data
("198 quintitially" for an address, then the agent's "So 198 …, yeah?"), or, from four digits on, part
of one ("2345 6789" of "0151 2345 6789") — unless its neighbours give it a harmless reading (a price, a
time: ``meaning.reading``).
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate

from anonymizer.detect.digits import digit_runs
from anonymizer.detect.lexicon import lexicon, stop_words
from anonymizer.detect.meaning import reading
from anonymizer.detect.names import can_be_name
from anonymizer.detect.tokens import Token, tokenize
from anonymizer.types import PiiSpan

RECOGNIZER = "NamedAgain"
SAID_AGAIN = "SaidAgain"
SCORE = 0.5
# a name of fewer letters is too often a word ("Li", "Bo", "Al")
MIN_LETTERS = 3
# a number read back has at least this many digits (a house number "12" is also twelve of anything); a part of
# a finding's number at least MIN_PART_DIGITS
MIN_DIGITS, MIN_PART_DIGITS = 3, 4


def named_again(text: str, language: str, found: list[PiiSpan]) -> list[PiiSpan]:
    """The other mentions of the names in ``found``'s ``PERSON`` findings.

    >>> found = [PiiSpan(14, 24, "PERSON", 0.8, "CueNameRecognizer")]
    >>> text = "Mein Name ist Vollbrecht. Gut, Vollbrecht mit zwei L? Ja. Das dauert vollbrecht, tschüss."
    >>> [(s.char_start, text[s.char_start : s.char_end]) for s in named_again(text, "de", found)]
    [(31, 'Vollbrecht')]
    """
    lex, stop = lexicon(language), stop_words(language)
    persons = sorted((s.char_start, s.char_end) for s in found
                     if s.entity_type == "PERSON" and s.recognizer != RECOGNIZER)
    if not persons:
        return []
    starts, reach = [a for a, _ in persons], list(accumulate((b for _, b in persons), max))
    words = [(t, _word(t.text)) for t in tokenize(text)]

    def in_finding(t: Token) -> bool:  # one lookup per word (findings sorted, their furthest end so far)
        k = bisect_left(starts, t.end)
        return k > 0 and reach[k - 1] > t.start

    inside = [in_finding(t) for t, _ in words]
    names: dict[str, bool] = {}  # name -> found in lower case
    for (_, word), found_here in zip(words, inside, strict=True):
        if found_here and len(word) >= MIN_LETTERS and can_be_name(word, lex.not_names, stop):
            names[word.lower()] = names.get(word.lower(), False) or word.islower()
    return [PiiSpan(t.start, t.end, "PERSON", SCORE, RECOGNIZER)
            for (t, word), found_here in zip(words, inside, strict=True)
            if not found_here and word.lower() in names and (word[:1].isupper() or names[word.lower()])]


# the words of an e-mail's local part and the words that join them, as ASR writes them
_EMAIL_AT = frozenset({"@", "at", "ät", "et", "at-zeichen", "klammeraffe"})
_EMAIL_JOINERS = frozenset({"punkt", "dot", "unterstrich", "underscore", "bindestrich", "minus", "dash", "hyphen"})
# mailboxes that are nobody's name
_MAILBOXES = frozenset({"info", "kontakt", "contact", "service", "support", "mail", "post", "office", "hello",
                        "hallo", "admin", "team", "sales", "billing", "noreply", "kundenservice", "buchhaltung"})
NAMED_IN_EMAIL = "NamedInEmail"


def named_in_email(text: str, language: str, found: list[PiiSpan]) -> list[PiiSpan]:
    """The mentions of a name said as part of an e-mail address: "mueller punkt hans Klammeraffe web punkt de.
    Müller mit ue?" — the words of the address before its at-word, lower case as ASR writes them, next to a
    joining word ("punkt", "dot") or the at-word, are names wherever the call says them capitalized (umlauts
    as the address writes them: "ue" is "ü"); a mailbox ("info", "service") is nobody's.

    >>> text = "Das ist mueller punkt hans Klammeraffe web punkt de. Müller mit ue? Ja. Und Info steht auch da."
    >>> found = [PiiSpan(8, 50, "EMAIL_ADDRESS", 0.7, "SpokenEmailRecognizer")]
    >>> [text[s.char_start : s.char_end] for s in named_in_email(text, "de", found)]
    ['Müller']
    """
    lex, stop = lexicon(language), stop_words(language)
    tokens = tokenize(text)
    names: set[str] = set()
    for email in (s for s in found if s.entity_type == "EMAIL_ADDRESS"):
        inside = [t for t in tokens if email.char_start <= t.start and t.end <= email.char_end]
        lowered = [t.text.lower() for t in inside]
        at = next((k for k, w in enumerate(lowered) if w in _EMAIL_AT), None)
        if at is None:
            continue
        for k in range(at):
            word = inside[k].text
            joined = lowered[k + 1] in _EMAIL_AT | _EMAIL_JOINERS or (k > 0 and lowered[k - 1] in _EMAIL_JOINERS)
            if joined and word.islower() and word.isalpha() and len(word) >= MIN_LETTERS \
                    and word not in _MAILBOXES and can_be_name(word, lex.not_names, stop):
                names.add(_spelled(word))
    if not names:
        return []
    return [PiiSpan(t.start, t.end, "PERSON", SCORE, NAMED_IN_EMAIL) for t in tokens
            if t.text[:1].isupper() and _spelled(t.text.lower()) in names
            and not any(s.char_start < t.end and t.start < s.char_end for s in found)]


CORRECTED = "CorrectedName"
CORRECTION_WORDS = 12  # a correction follows its name this closely
SIMILAR = 0.8  # difflib's ratio of a corrected spelling to the name ("Hanssen" / "Hansen": 0.92)


def corrected_names(text: str, language: str, found: list[PiiSpan]) -> list[PiiSpan]:
    """A name said again in another spelling right after it — corrected ("Kevin O'Really, O'Reilly, sorry",
    "Frau Hansen, Hanssen mit zwei s", "Sheila Rain Bow, no sorry, Rainbow"): a capitalized word within
    ``CORRECTION_WORDS`` words after a ``PERSON`` finding that is spelled like one of its words, or like two of
    them written as one.

    >>> text = "Hi this is Kevin O'Really, O'Reilly, sorry. My Rainbow is nice."
    >>> found = [PiiSpan(11, 25, "PERSON", 0.8, "SpacyRecognizer")]
    >>> [text[s.char_start : s.char_end] for s in corrected_names(text, "en", found)]
    ["O'Reilly"]
    """
    from difflib import SequenceMatcher

    lex, stop = lexicon(language), stop_words(language)
    tokens = tokenize(text)
    out = []
    for span in (s for s in found if s.entity_type == "PERSON" and s.recognizer not in (RECOGNIZER, CORRECTED)):
        inside = [t for t in tokens if span.char_start <= t.start and t.end <= span.char_end]
        words = [_key(t.text) for t in inside]
        keys = {w for w in words if len(w) >= MIN_LETTERS + 1} | {a + b for a, b in zip(words, words[1:], strict=False)}
        after = [t for t in tokens if t.start >= span.char_end][:CORRECTION_WORDS]
        for t in after:
            key = _key(t.text)
            if not t.text[:1].isupper() or len(key) < MIN_LETTERS + 1 or key in words \
                    or not can_be_name(t.text.strip(".,?!").replace("'", ""), lex.not_names, stop) \
                    or any(s.char_start < t.end and t.start < s.char_end for s in found):
                continue
            if any(SequenceMatcher(None, key, k).ratio() >= SIMILAR for k in keys):
                out.append(PiiSpan(t.start, t.end, "PERSON", SCORE, CORRECTED))
    return out


def _key(word: str) -> str:
    """A word's letters, lower case: "O'Reilly," -> "oreilly"."""
    return "".join(ch for ch in word.lower() if ch.isalpha())


def _spelled(word: str) -> str:
    """A word as an e-mail address writes it: umlauts and ß in two letters."""
    return word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


def _word(text: str) -> str:
    """A token without the hyphens ASR puts before a syllable ("Ehemann -Hamen -Hamen")."""
    return text.lstrip("-–")


def said_again(text: str, language: str, found: list[PiiSpan]) -> list[PiiSpan]:
    """The other mentions of the numbers in ``found``'s findings (any kind but ``PERSON``).

    >>> text = "Die Hausnummer? 198 Quintilian. So, 198 quintitially, ja? Das kostet 198 Euro."
    >>> found = [PiiSpan(16, 30, "ADDRESS", 0.5, "AnswerToQuestion")]
    >>> [(s.entity_type, text[s.char_start : s.char_end]) for s in said_again(text, "de", found)]
    [('ADDRESS', '198')]
    """
    data = [s for s in found if s.entity_type != "PERSON" and s.recognizer != SAID_AGAIN]
    if not data:
        return []
    tokens, runs = digit_runs(text, language)
    inside: dict[int, list[str]] = {}  # index of a finding -> the digits of the runs inside it
    outside = []
    for run in runs:
        holders = [k for k, s in enumerate(data) if s.char_start <= run.start and run.end <= s.char_end]
        if not holders:
            outside.append(run)
        for k in holders:
            inside.setdefault(k, []).append(run.digits)
    whole: dict[str, str] = {}  # digits of a run inside a finding -> the (first) finding's kind
    for k in sorted(inside):
        for digits in inside[k]:
            if len(digits) >= MIN_DIGITS:
                whole.setdefault(digits, data[k].entity_type)
    parts = [("".join(inside[k]), data[k].entity_type) for k in sorted(inside)
             if len("".join(inside[k])) >= MIN_PART_DIGITS]  # all the digits of a finding, and its kind
    out = []
    for run in outside:
        if len(run.digits) < MIN_DIGITS or any(s.char_start < run.end and run.start < s.char_end for s in found):
            continue
        kind = whole.get(run.digits) or next((k for d, k in parts if len(run.digits) >= MIN_PART_DIGITS
                                              and run.digits in d), None)
        if kind and reading(tokens, run, language) is None:
            out.append(PiiSpan(run.start, run.end, kind, SCORE, SAID_AGAIN))
    return out
