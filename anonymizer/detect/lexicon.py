"""The per-language vocabulary of the rule recognizers, read from ``lexicon/<language>.yaml``.

One YAML file per language, one section per recognizer (digit words, context words, name cues,
spelling alphabets, months), so adding a language or a word is an edit to data, not to code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

LEXICON_DIR = Path(__file__).parent / "lexicon"


@dataclass(frozen=True)
class Lexicon:
    language: str
    digit_words: dict[str, int]
    repeat_words: dict[str, int]
    homophones: dict[str, int]
    plus_words: frozenset[str]
    not_numbers: frozenset[str]
    separator_words: frozenset[str]  # "Bindestrich", "slash": said between the parts of a dictated number
    digit_units: frozenset[str]  # "GB", "EUR": capitals between numbers that are a unit, no reference's letters
    compound_joiner: str  # "und" in ASR's "vier und zwanzig" (24); "" for none
    number_corrections: frozenset[str]  # "nein", "sorry": what follows corrects the number said before
    phone_context: tuple[str, ...]
    iban_context: tuple[str, ...]
    card_context: tuple[str, ...]
    expiry_cues: tuple[str, ...]  # "läuft ab", "expires": a card's expiry follows (when a card was named)
    last_digits_cues: tuple[str, ...]  # "card ending in": what follows are the last digits, however ASR wrote them
    last_digits_not_openers: frozenset[str]  # … unless it starts with one of these ("are on the back")
    id_context: tuple[str, ...]
    id_max_gap_words: int
    strong_name_cues: tuple[str, ...]
    weak_name_cues: tuple[str, ...]
    postposed_name_cues: tuple[str, ...]  # the name said before them: "Schmidt, mein Name"
    # … only the surname (and a first name before it): the company's name often comes right before them
    # ("hier ist Nordwind Rosemann am Apparat")
    surname_postposed_cues: tuple[str, ...]
    relation_cues: tuple[str, ...]  # a relative named beside them: "meine Frau, Edeltraud", "Gerhard, mein Mann"
    not_names: frozenset[str]
    spelling_joiners: tuple[str, ...]
    spelling_alphabet: dict[str, str]
    letter_words: dict[str, str]
    spelling_repeats: frozenset[str]  # "zweimal F", "double L"
    months: tuple[str, ...]
    date_context: tuple[str, ...]
    birth_cues: tuple[str, ...]  # "geboren am": the rest of the sentence is a date of birth
    cue_adverbs: frozenset[str]  # one of these may stand inside a cue phrase: "ich wohne jetzt in"
    # "in", "calling from": a place that is also a name is a place right after one
    place_prepositions: tuple[tuple[str, ...], ...]
    residence_cues: tuple[str, ...]  # "born", "grew up": like the address and birth cues, a place after them is theirs
    birth_cues_bare: tuple[str, ...]  # "Geburtsdatum": the rest too, when it starts with a date
    birth_year_cues: tuple[str, ...]  # "Jahrgang", "born in": the rest ends with its (first) year
    birth_cues_after: tuple[str, ...]  # "geboren" after the date: "ich bin am 14. März 1980 geboren"
    birth_after_lead_in: frozenset[str]  # … from the word that opens the date ("am")
    vintage: str  # a regular expression whose group 1 is a birth year said as a vintage ("ein 83er"); "" for none
    address_cues: tuple[str, ...]
    address_max_words: int
    postcode_cues: tuple[str, ...]  # "my postcode is": a postcode follows, up to postcode_max_words words
    postcode_max_words: int
    address_abbreviations: frozenset[str]  # "St.", "Str.": a dot that does not end the address's sentence
    address_units: tuple[str, ...]  # "Wohnung", "flat": the number after it is the flat's
    questions: dict[str, tuple[str, ...]]  # entity type -> cues of a question asking for it
    # entity type -> cues of a question that asks for the rest of it right after it was asked for or said
    # ("Und das Jahr?" after a date of birth), with no cue of its own
    follow_ups: dict[str, tuple[str, ...]]
    max_answer_words: int
    answer_lead_in: frozenset[str]  # words an answer may begin with that are not the data ("meine", "ist")
    answer_closing: frozenset[str]  # words it may end with ("danke")
    acknowledgements: frozenset[str]  # a sentence of only these ends a spelling or an e-mail ("Lovely.")
    answer_phrase_lead_in: tuple[tuple[str, ...], ...]  # phrases a spelling or e-mail answer may begin with
    inner_openers: frozenset[str]  # with the openers: a capitalized one inside a sentence starts a question
    question_openers: frozenset[str]  # a turn starting with one is a question even without "?" ("wie", "what")
    requests: tuple[str, ...]  # with a listener word and a cue: a request for data, whatever its punctuation
    listener: frozenset[str]  # "you", "Sie"
    time_questions: tuple[str, ...]  # "wann", "when": a question starting so asks for a time, not for data
    polite: frozenset[str]  # "bitte", "please": a short sentence with one and a cue asks for the data
    refusals: tuple[str, ...]  # "nein danke", "I'd rather not": an answer giving no data
    secret_words: tuple[str, ...]  # "Kennwort", "password": the answer is words as much as digits, redacted whole
    secret_verbs: frozenset[str]  # "ist", "is": in a statement, the secret follows ("my password is bicycle")
    secret_states: frozenset[str]  # "gesperrt", "not": what follows the verb says how the secret is, not what
    secret_conjunctions: frozenset[str]  # "und", "and": a secret said ends before one
    secret_owners: frozenset[str]  # "mein", "my": … when someone's own secret is named ("the password is sent" is none)
    company_intros: tuple[str, ...]  # "willkommen bei", "thank you for calling": the company's name follows
    brands: frozenset[str]  # "mastercard", "paypal": a company's name wherever it is said, nobody's
    mailboxes: frozenset[str]  # "info", "service": an e-mail address's word that is nobody's name
    spelled_with: frozenset[str]  # "mit", "with": "Müller mit ue" says how a name is spelled
    correction_words: frozenset[str]  # "sorry", "nein": the corrected word follows
    greetings: tuple[str, ...]  # "Nordwind Energie, guten Tag": the company's name comes before
    # "Bank", "Mutual", "Stadtwerke" (and the places: "Station", "Flughafen"): the capitalized words next to one
    # are a company or a public place, nobody's name
    company_forms: tuple[str, ...]
    meaning: dict[str, tuple[str, ...]]  # reading (price, time, …) -> the words that give a number that reading
    meaning_pii_cues: tuple[str, ...]  # words before a number that make it personal data ("pin", "geboren")


@cache
def common_brands() -> frozenset[str]:
    """The companies and products of ``lexicon/brands.txt`` (every language), lower case."""
    lines = (LEXICON_DIR / "brands.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def available_languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in LEXICON_DIR.glob("*.yaml")))


def rules_language(language: str) -> str:
    """``language`` when it has a lexicon, else English (a transcript in another language still gets
    the digit and question rules).

    >>> rules_language("de"), rules_language("fr")
    ('de', 'en')
    """
    return language if (LEXICON_DIR / f"{language}.yaml").is_file() else "en"


@cache
def lexicon(language: str) -> Lexicon:
    """The lexicon of ``language`` (``de``, ``en``); KeyError for a language without one.

    >>> lexicon("de").digit_words["null"], lexicon("en").spelling_alphabet["sierra"]
    (0, 's')
    """
    path = LEXICON_DIR / f"{language}.yaml"
    if not path.is_file():
        raise KeyError(f"no lexicon for language {language!r} (have {', '.join(available_languages())})")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    digits, names, spelling = data["digits"], data["names"], data["spelling"]
    return Lexicon(
        language=language,
        digit_words={str(k): int(v) for k, v in digits["words"].items()},
        repeat_words={str(k): int(v) for k, v in digits.get("repeat", {}).items()},
        homophones={str(k): int(v) for k, v in digits.get("homophones", {}).items()},
        plus_words=frozenset(digits.get("plus", [])),
        not_numbers=frozenset(digits.get("not_numbers", [])),
        separator_words=frozenset(digits.get("separators", [])),
        compound_joiner=digits.get("compound_joiner", ""),
        number_corrections=frozenset(str(w).lower() for w in digits.get("corrections", [])),
        digit_units=frozenset(str(w).lower() for w in digits.get("units", [])),
        phone_context=tuple(data["phone"]["context"]),
        iban_context=tuple(data["iban"]["context"]),
        card_context=tuple(data["card"]["context"]),
        expiry_cues=tuple(str(c).lower() for c in data["card"].get("expiry_cues", [])),
        last_digits_cues=tuple(str(c).lower() for c in data["card"].get("last_digits_cues", [])),
        last_digits_not_openers=frozenset(str(w).lower() for w in data["card"].get("last_digits_not_openers", [])),
        id_context=tuple(data["ids"]["context"]),
        id_max_gap_words=int(data["ids"].get("max_gap_words", 4)),
        strong_name_cues=tuple(names["strong_cues"]),
        weak_name_cues=tuple(names["weak_cues"]),
        postposed_name_cues=tuple(names.get("postposed_cues", [])),
        surname_postposed_cues=tuple(names.get("surname_postposed_cues", [])),
        relation_cues=tuple(names.get("relation_cues", [])),
        not_names=frozenset(names["not_names"]),
        spelling_joiners=tuple(spelling["joiners"]),
        spelling_alphabet={str(k): str(v) for k, v in spelling["alphabet"].items()},
        letter_words={str(k): str(v) for k, v in spelling["letter_words"].items()},
        spelling_repeats=frozenset(spelling.get("repeats", [])),
        months=tuple(data["dates"]["months"]),
        date_context=tuple(data["dates"]["context"]),
        birth_cues=tuple(data["dates"].get("birth_cues", [])),
        birth_cues_bare=tuple(data["dates"].get("birth_cues_bare", [])),
        birth_year_cues=tuple(data["dates"].get("birth_year_cues", [])),
        birth_cues_after=tuple(data["dates"].get("birth_cues_after", {}).get("cues", [])),
        birth_after_lead_in=frozenset(data["dates"].get("birth_cues_after", {}).get("lead_in", [])),
        vintage=data["dates"].get("vintage", ""),
        cue_adverbs=frozenset(data.get("cue_adverbs", [])),
        place_prepositions=tuple(tuple(p.lower().split()) for p in data.get("place_prepositions", [])),
        residence_cues=tuple(str(c).lower() for c in data.get("residence_cues", [])),
        address_cues=tuple(data["addresses"]["cues"]),
        address_max_words=int(data["addresses"].get("max_words", 14)),
        postcode_cues=tuple(data["addresses"].get("postcode_cues", [])),
        postcode_max_words=int(data["addresses"].get("postcode_max_words", 7)),
        address_abbreviations=frozenset(data["addresses"].get("abbreviations", [])),
        address_units=tuple(str(w).lower() for w in data["addresses"].get("units", [])),
        questions={str(k): tuple(v) for k, v in data["questions"]["asks_for"].items()},
        follow_ups={str(k): tuple(str(w).lower() for w in v)
                    for k, v in data["questions"].get("follow_ups", {}).items()},
        max_answer_words=int(data["questions"].get("max_answer_words", 25)),
        answer_lead_in=frozenset(data["questions"].get("lead_in", [])),
        answer_closing=frozenset(data["questions"].get("closing", [])),
        acknowledgements=frozenset(str(w).lower() for w in data["questions"].get("acknowledgements", [])),
        answer_phrase_lead_in=tuple(sorted((tuple(w.strip(",.;:") for w in p.lower().split())
                                            for p in data["questions"].get("phrase_lead_in", [])),
                                           key=len, reverse=True)),
        question_openers=frozenset(data["questions"].get("openers", [])),
        inner_openers=frozenset(data["questions"].get("inner_openers", [])),
        requests=tuple(str(w).lower() for w in data["questions"].get("requests", [])),
        listener=frozenset(str(w).lower() for w in data["questions"].get("listener", [])),
        polite=frozenset(str(w).lower() for w in data["questions"].get("polite", [])),
        time_questions=tuple(str(w).lower() for w in data["questions"].get("time_questions", [])),
        refusals=tuple(str(w).lower() for w in data["questions"].get("refusals", [])),
        secret_words=tuple(str(w).lower() for w in data["questions"].get("secret_words", [])),
        secret_verbs=frozenset(str(w).lower() for w in data["questions"].get("secret_verbs", [])),
        secret_states=frozenset(str(w).lower() for w in data["questions"].get("secret_states", [])),
        secret_conjunctions=frozenset(str(w).lower() for w in data["questions"].get("secret_conjunctions", [])),
        secret_owners=frozenset(str(w).lower() for w in data["questions"].get("secret_owners", [])),
        company_intros=tuple(str(w).lower() for w in names.get("company_intros", [])),
        brands=frozenset(str(w).lower() for w in names.get("brands", [])),
        mailboxes=frozenset(str(w).lower() for w in names.get("mailboxes", [])),
        spelled_with=frozenset(str(w).lower() for w in names.get("spelled_with", [])),
        correction_words=frozenset(str(w).lower() for w in names.get("correction_words", [])),
        greetings=tuple(str(w).lower() for w in names.get("greetings", [])),
        company_forms=tuple(str(w).lower() for w in (*names.get("company_forms", []), *names.get("place_forms", []))),
        meaning={str(k): tuple(str(w).lower() for w in v) for k, v in data.get("meaning", {}).items()
                 if k != "pii_cues"},
        meaning_pii_cues=tuple(str(w).lower() for w in data.get("meaning", {}).get("pii_cues", [])),
    )


# a sentence with this share of the language's stop words (and 4+ words) is ordinary talk, not a mangled
# value: "I have noted that down.", "Ich habe eine Frage zu meiner letzten Rechnung." (0.6-0.8); spoken
# e-mails, spellings and dates score 0-0.25
TALK_STOP_SHARE = 0.35
TALK_MIN_WORDS = 4
_LETTERS = re.compile(r"[^\W\d_]+")


def reads_as_talk(text: str, language: str) -> bool:
    """Whether ``text`` (a sentence) reads as ordinary talk, by its share of spaCy's stop words.

    >>> reads_as_talk("Die Zahlung ist bei uns eingegangen.", "de"), reads_as_talk("Mai 1960.", "de")
    (True, False)
    >>> reads_as_talk("I've banked with Meridian Credit Union since 2012.", "en")
    True
    """
    words = [w for w in _LETTERS.findall(text.lower()) if len(w) > 1]
    if len(words) < TALK_MIN_WORDS:
        return False
    stops = stop_words(rules_language(language))
    # a contraction's ending is a stop word too: "I've" is "i" (one letter, not counted) and "'ve"
    return sum(w in stops or f"'{w}" in stops for w in words) / len(words) >= TALK_STOP_SHARE


@cache
def stop_words(language: str) -> frozenset[str]:
    """spaCy's stop-word list of the language (no model needed)."""
    from importlib import import_module

    return frozenset(import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS)
