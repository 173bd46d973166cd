"""A name found once is a name wherever the call says it again.

The agent reads it back ("Vollbrecht, richtig?"), says goodbye with it, the customer repeats it: without
a cue of its own, such a mention is found only when NER knows the name, and German has no NER model
here. So every word of a ``PERSON`` finding that can be a name (``names.can_be_name``: letters, no stop,
function, greeting or title word, none of the lexicon's not-names) is a ``PERSON`` at every other place
of the transcript it occurs (a family's plural too: "die Schäfers"): capitalized, or in any case when it
was found in lower case (ASR wrote "edeltraut, ackermann"); a capitalized name is no lower-case word
("Frau Lange" names nobody in "wie lange", "Weiß" nobody in "das weiß ich"). Only from findings that are
not themselves a repeat.

A number read back is the same data as where it was found: a digit run of at least three digits outside
the findings (``said_again``) whose digits are a whole digit run inside a finding of personal data
("198 quintitially" for an address, then the agent's "So 198 …, yeah?"), or, from four digits on, part
of one ("2345 6789" of "0151 2345 6789") — unless its neighbours give it a harmless reading (a price, a
time: ``meaning.reading``); so is a number that corrects one (``corrected_numbers``: "Nein, am Ende
dreiundvierzig"); and a password said again (``secrets_again``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from itertools import accumulate

from anonymizer.detect.digits import digit_runs
from anonymizer.detect.lexicon import common_brands, lexicon, stop_words
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
    persons = [s for s in found if s.entity_type == "PERSON" and s.recognizer != RECOGNIZER]
    if not persons:
        return []
    words = [(t, _word(t.text)) for t in tokenize(text)]
    in_finding = _covered(persons)
    inside = [in_finding(t) for t, _ in words]
    names: dict[str, bool] = {}  # name -> found in lower case
    for (_, word), found_here in zip(words, inside, strict=True):
        if found_here and len(word) >= MIN_LETTERS and can_be_name(word, lex.not_names, stop):
            names[word.lower()] = names.get(word.lower(), False) or word.islower()
    return [PiiSpan(t.start, t.end, "PERSON", SCORE, RECOGNIZER)
            for (t, word), found_here in zip(words, inside, strict=True)
            if not found_here and (word.lower() in names and (word[:1].isupper() or names[word.lower()])
                                   or word[:1].isupper() and word.lower()[:-1] in names and word.endswith("s")
                                   and word.lower() not in common_brands())]  # "die Schäfers", not "Lloyds"


NAMED_IN_EMAIL = "NamedInEmail"
MAX_SPELLING_GAP = 4  # a name said and then spelled: the spelling starts this many words after it at most


def named_in_email(text: str, language: str, found: list[PiiSpan]) -> list[PiiSpan]:
    """The mentions of a name said as part of an e-mail address: "mueller punkt hans Klammeraffe web punkt de.
    Müller mit ue?" — the words of the address before its at-word, lower case as ASR writes them, next to a
    joining word ("punkt", "dot") or the at-word, are names where the call says them capitalized (umlauts as
    the address writes them: "ue" is "ü") and they are a name of the gazetteers, or their spelling follows
    ("Okafor is O-K-A-F-O-R", "Müller mit ue"); a mailbox ("info", "service") is nobody's, nor a noun the
    address holds ("werkstatt punkt meier": "Die Werkstatt ist zu").

    >>> text = "Das ist mueller punkt werkstatt Klammeraffe web punkt de. Müller mit ue? Die Werkstatt ist zu."
    >>> found = [PiiSpan(8, 56, "EMAIL_ADDRESS", 0.7, "SpokenEmailRecognizer")]
    >>> [text[s.char_start : s.char_end] for s in named_in_email(text, "de", found)]
    ['Müller']
    """
    from anonymizer.detect.gazetteer import gazetteer
    from anonymizer.detect.spoken_email import AT_WORDS, JOINING_WORDS

    emails = [s for s in found if s.entity_type == "EMAIL_ADDRESS"]
    if not emails:
        return []
    lex, stop, names_of = lexicon(language), stop_words(language), gazetteer(language)
    tokens = tokenize(text)
    starts = [t.start for t in tokens]
    names: set[str] = set()
    for email in emails:
        inside = tokens[bisect_left(starts, email.char_start) : bisect_left(starts, email.char_end)]
        lowered = [t.text.lower() for t in inside]
        at = next((k for k, w in enumerate(lowered) if w in AT_WORDS), None)
        for k in range(at or 0):
            word = inside[k].text
            joined = lowered[k + 1] in AT_WORDS | JOINING_WORDS or (k > 0 and lowered[k - 1] in JOINING_WORDS)
            if joined and word.islower() and word.isalpha() and len(word) >= MIN_LETTERS \
                    and word not in lex.mailboxes and can_be_name(word, lex.not_names, stop):
                names.add(_spelled(word))
    if not names:
        return []
    spellings = sorted(s.char_start for s in found if s.entity_type == "SPELLED_OUT")
    covered = _covered(found)
    out = []
    for k, t in enumerate(tokens):
        if not t.text[:1].isupper() or _spelled(t.text.lower()) not in names or covered(t):
            continue
        reach = tokens[min(k + MAX_SPELLING_GAP, len(tokens) - 1)].end
        spelled = bisect_left(spellings, t.end) < bisect_left(spellings, reach + 1) \
            or (k + 1 < len(tokens) and tokens[k + 1].text.lower() in lex.spelled_with)
        if spelled or names_of.is_name(t.text.strip(".,?!")):
            out.append(PiiSpan(t.start, t.end, "PERSON", SCORE, NAMED_IN_EMAIL))
    return out


CORRECTED = "CorrectedName"
SIMILAR = 0.8  # difflib's ratio of a corrected spelling to the name ("Hanssen" / "Hansen": 0.92)
CORRECTION_REACH = 3  # a correction word within this many words after the name, the corrected name after it


def corrected_names(text: str, language: str, found: list[PiiSpan]) -> list[PiiSpan]:
    """A name said again in another spelling right after it — corrected ("Kevin O'Really, O'Reilly, sorry",
    "Frau Hansen, Hanssen mit zwei s", "Sheila Rain Bow no sorry Rainbow"): the capitalized word right after a
    ``PERSON`` finding, or right after a correction word ("sorry", "nein": the lexicon's ``correction_words``)
    within ``CORRECTION_REACH`` words after it, spelled like one of its words (titles aside) or like two of them
    written as one. Not a noun further on ("Herr Bauer, wegen der Bauern").

    >>> text = "Hi this is Kevin O'Really, O'Reilly, sorry. My Rainbow is nice."
    >>> found = [PiiSpan(11, 25, "PERSON", 0.8, "SpacyRecognizer")]
    >>> [text[s.char_start : s.char_end] for s in corrected_names(text, "en", found)]
    ["O'Reilly"]
    >>> corrected_names("Herr Bauer, wegen der Bauern.", "de", [PiiSpan(0, 10, "PERSON", 0.8, "r")])
    []
    """
    from difflib import SequenceMatcher

    from anonymizer.detect.gazetteer import TITLES

    lex, stop = lexicon(language), stop_words(language)
    tokens = tokenize(text)
    starts = [t.start for t in tokens]
    covered = _covered(found)
    out = []
    for span in (s for s in found if s.entity_type == "PERSON" and s.recognizer not in (RECOGNIZER, CORRECTED)):
        first, end = bisect_left(starts, span.char_start), bisect_left(starts, span.char_end)
        words = [_key(t.text) for t in tokens[first:end] if t.text.lower().strip(".,") not in TITLES]
        keys = {w for w in words if len(w) > MIN_LETTERS} | {a + b for a, b in zip(words, words[1:], strict=False)}
        candidates = [end] + [k + 1 for k in range(end, min(end + CORRECTION_REACH, len(tokens) - 1))
                              if _key(tokens[k].text) in lex.correction_words]
        for k in candidates:
            if k >= len(tokens):
                continue
            t, key = tokens[k], _key(tokens[k].text)
            if not t.text[:1].isupper() or len(key) <= MIN_LETTERS or key in words or covered(t) \
                    or not can_be_name(t.text.strip(".,?!").replace("'", ""), lex.not_names, stop):
                continue
            if any(SequenceMatcher(None, key, other).ratio() >= SIMILAR for other in keys):
                out.append(PiiSpan(t.start, t.end, "PERSON", SCORE, CORRECTED))
    return out


CORRECTED_NUMBER = "CorrectedNumber"
CORRECTION_SENTENCE_WORDS = 12  # a correction is short: "Nein, am Ende dreiundvierzig, nicht nur drei."
CORRECTION_SENTENCES = 2  # … and said in one of the two sentences after the number it corrects
# the kinds of personal data whose numbers are corrected
NUMBER_KINDS = frozenset({"PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "ID_NUMBER", "DATE_OF_BIRTH", "ADDRESS"})


def corrected_numbers(text: str, language: str, found: list[PiiSpan]) -> list[PiiSpan]:
    """The numbers of a correction of personal data: those of a short sentence that starts with a correction
    word ("nein", "sorry": the lexicon's ``digits.corrections``) in one of the two sentences after a finding
    of a number's kind (``NUMBER_KINDS``), the number right after a correction word that follows such a finding
    ("Bergstraße 34, nee, 43") — and the number said by mistake, right before a correction word that a finding
    follows. Of the finding's kind, unless their neighbours give them a harmless reading.

    >>> text = "Ich wiederhole: 0221 98 76 54 3. Nein, am Ende dreiundvierzig, nicht nur drei. Gut."
    >>> found = [PiiSpan(16, 31, "PHONE_NUMBER", 0.5, "r")]
    >>> [text[s.char_start : s.char_end] for s in corrected_numbers(text, "de", found)]
    ['dreiundvierzig']
    >>> text = "it's fifteen, sorry, fifty Harbour View, Plymouth"
    >>> [text[s.char_start : s.char_end] for s in corrected_numbers(text, "en", [PiiSpan(21, 49, "ADDRESS", 0.6, "r")])]
    ['fifteen']
    >>> text = "Die Lieferadresse ist Bergstraße 34, nee, 43, in Heidelberg."
    >>> [text[s.char_start : s.char_end] for s in corrected_numbers(text, "de", [PiiSpan(22, 35, "ADDRESS", 0.6, "r")])]
    ['43']
    >>> text = "Die Nummer ist 0171 2345678. Nein, das kostet 20 Euro."
    >>> corrected_numbers(text, "de", [PiiSpan(15, 27, "PHONE_NUMBER", 0.5, "r")])
    []
    """
    from bisect import bisect_right

    from anonymizer.detect.lexicon import rules_language

    data = [s for s in found if s.entity_type in NUMBER_KINDS]
    if not data:
        return []
    corrections = lexicon(rules_language(language)).number_corrections
    tokens, runs = digit_runs(text, language)
    starts = [0] + [k + 1 for k, t in enumerate(tokens) if t.ends_sentence]
    out = []
    for run in runs:
        if any(s.char_start < run.end and run.start < s.char_end for s in found) \
                or reading(tokens, run, language) is not None:
            continue
        kind = None
        after = run.last + 1
        if after + 1 < len(tokens) and _key(tokens[after].text) in corrections:  # "fifteen, sorry, fifty …"
            kind = next((s.entity_type for s in data if s.char_start == tokens[after + 1].start), None)
        before = run.first_token(tokens) - 1
        if kind is None and before > 0 and _key(tokens[before].text) in corrections:  # "Bergstraße 34, nee, 43"
            kind = next((s.entity_type for s in data if tokens[before - 1].start < s.char_end <= tokens[before].start),
                        None)
        sentence = bisect_right(starts, run.first) - 1
        first = starts[sentence]
        end = starts[sentence + 1] if sentence + 1 < len(starts) else len(tokens)
        if kind is None and sentence > 0 and _key(tokens[first].text) in corrections \
                and end - first <= CORRECTION_SENTENCE_WORDS and len(run.digits) >= 2:  # not "Sorry, 2 things"
            since = tokens[starts[max(0, sentence - CORRECTION_SENTENCES)]].start
            kind = next((s.entity_type for s in data if since < s.char_end and s.char_start < tokens[first].start),
                        None)
        if kind:
            out.append(PiiSpan(run.start, run.end, kind, SCORE, CORRECTED_NUMBER))
    return out


SECRET_AGAIN = "SecretAgain"
SECRET_RECOGNIZERS = frozenset({"CueSecretRecognizer", "AnswerToQuestion"})
SECRET_CUE_CHARS = 160  # the secret word stands this close before the answer (the question, the cue)


def secrets_again(text: str, language: str, found: list[PiiSpan]) -> list[PiiSpan]:
    """A password or security answer said again: the first word (four letters or more, no stop word) of an
    ``ID_NUMBER`` finding that a secret word announced (``questions.secret_words`` in the text just before it:
    "Mein Kennwort … ist Blaubeere 12", "Das Kundenkennwort? … Fahrrad, dann Ausrufezeichen …") wherever
    the call says them again, glued to other signs or not, with the secret's number after them ("Blaubeere 12
    stimmt.", "Also Fahrrad!2015?").

    >>> text = "Mein Kennwort ist Blaubeere. Blaubeere stimmt. Also Fahrrad!2015?"
    >>> [text[s.char_start : s.char_end] for s in secrets_again(text, "de", [PiiSpan(18, 27, "ID_NUMBER", 0.6,
    ...  "CueSecretRecognizer")])]
    ['Blaubeere']
    """
    from anonymizer.detect.lexicon import rules_language

    lex = lexicon(rules_language(language))
    stop = stop_words(lex.language)
    secrets = [s for s in found if s.entity_type == "ID_NUMBER" and s.recognizer in SECRET_RECOGNIZERS
               and any(w in text[max(0, s.char_start - SECRET_CUE_CHARS) : s.char_start].lower()
                       for w in lex.secret_words)]
    if not secrets:
        return []
    tokens = tokenize(text)
    keys = set()
    for s in secrets:  # its first word only: the rest is often the talk around it ("Bello, und Bello ist krank")
        words = [_key(t.text) for t in tokens if s.char_start <= t.start and t.end <= s.char_end]
        keys.update([k for k in words if len(k) > MIN_LETTERS and k not in stop and k not in lex.answer_lead_in
                     and k not in lex.answer_closing and k not in lex.acknowledgements][:1])
    numbers = {t.text.strip(",.;:!?") for s in secrets for t in tokens
               if s.char_start <= t.start and t.end <= s.char_end and t.text.strip(",.;:!?").isdigit()}
    covered = _covered(found)
    out = []
    for k, t in enumerate(tokens):
        if covered(t):
            continue
        if _key(t.text) in keys:
            out.append(PiiSpan(t.start, t.end, "ID_NUMBER", SCORE, SECRET_AGAIN))
        elif k and _key(tokens[k - 1].text) in keys and t.text.strip(",.;:!?") in numbers:
            out.append(PiiSpan(t.start, t.end, "ID_NUMBER", SCORE, SECRET_AGAIN))  # "Blaubeere 12" again
    return out


def _covered(found: list[PiiSpan]) -> Callable[[Token], bool]:
    """A test whether a token lies (partly) inside one of ``found``: one lookup per token (findings sorted by
    start, with the furthest end so far)."""
    spans = sorted((s.char_start, s.char_end) for s in found)
    starts, reach = [a for a, _ in spans], list(accumulate((b for _, b in spans), max))

    def covered(t: Token) -> bool:
        k = bisect_left(starts, t.end)
        return k > 0 and reach[k - 1] > t.start

    return covered


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
