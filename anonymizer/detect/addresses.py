"""Postal addresses: street + house number (+ postcode + city), in German and English.

"Lindenstraße 12, 10115 Berlin", "linzen Straße 12 1015 Berlin" (ASR split the street and lost a
digit), "42 Maple Street, Springfield", "c/o …". Streets without a known suffix ("Dussen vanweg 98",
"37 Montgomery Views") are caught after a cue ("ich wohne in der", "I live at"): the rest of the
sentence, when it holds a number.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.lexicon import lexicon, reads_as_talk
from anonymizer.detect.rules import RuleRecognizer
from anonymizer.detect.tokens import sentence_first, sentence_last, tokenize

_DE_STREET_SUFFIX = r"(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt)"
# the postcode as ASR writes it: "10115", "-1015", "10 1 1 5" (a dash from ASR, a digit lost, split in groups)
# a flat, room or staircase inside the address ("Kölner Straße 140, Wohnung 7, 51103 Köln")
_DE_UNIT = r"(?:,?\s+(?:Wohnung|Whg\.?|Zimmer|Apartment|Appartement|Stiege|Top|Haus)\s+\w{1,4}\b)*"
# the town, "in" before it or not ("Kastanienallee 5 in Kassel"), the postcode before it
_DE_CITY = (rf"(?:{_DE_UNIT}(?:[,\s]+|\s+in\s+)(?:[-–]?\d{{1,5}}(?:[\s,-]+\d{{1,4}}){{0,4}}[,\s]+)?"
            r"(?!Ordnung\b)[A-ZÄÖÜ][\wäöüß-]+(?:\s(?:am|an der|im)\s[A-ZÄÖÜ][\wäöüß-]+)?)?")
_EN_STREET_SUFFIX = (r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|"
                     r"terrace|close|crescent|square|parkway|highway|view|rise|grove|gardens|mews|row|parade|vale|"
                     r"wharf|quay|circle|hill|walk|green)")
_NUMBER_WORDS_EN = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                    r"sixty|seventy|eighty|ninety|hundred)")
_DIGIT_WORD_EN = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_US_STATES = ("Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|"
              "Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|"
              "Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|"
              "New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|"
              "South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|"
              "Wisconsin|Wyoming")
_ZIP = r"\d{5}(?:-\d{4})?"
# ", Springfield", ", Austin, Texas, 78783", ", Austin TX 78701", ", Leeds": the city, then a state (its code, its
# name, or any capitalized word right before a ZIP code) and the ZIP code, commas or not
# "20 Minutes Walk", "3 Days Green": a measure is no street's name
_NOT_A_STREET_NAME_EN = (r"(?!(?:Minutes?|Mins?|Hours?|Hrs?|Secs?|Seconds?|Days?|Weeks?|Months?|Years?|Miles?|Times?|"
                         r"Percent|Pounds?|Dollars?)\b)")
_MONTHS_DAYS_EN = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
                   r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
# a flat or suite inside the address ("1187 Maple Avenue, apartment 4C, Evanston")
_EN_UNIT = r"(?:,?\s+(?i:flat|apartment|apt\.?|unit|suite|room)\s+\w{1,4}\b)*"
_EN_CITY = (rf"(?:{_EN_UNIT}(?:,\s*|\s+in\s+(?!{_MONTHS_DAYS_EN}))[A-Z][\w-]+(?:\s[A-Z][\w-]+)?"
            rf"(?:,?\s*(?:[A-Z]{{2}}\b|(?:{_US_STATES})\b|[A-Z][a-z]+(?=,?\s*{_ZIP})))?(?:,?\s*{_ZIP}\b)?)?")

# a house number ASR wrote as one number word ("Lindenallee vierzehn", "Haselplatz hundertsechsundneunzig"): after a
# named street only (not "Postweg drei Tage", nor a preposition's "In der Woche zwei Mal"), no noun after it
_DE_NUMBER_WORD = (r"(?!(?:und|ein)\b)(?:ein|eins|zwei|drei|vier|fünf|sechs|sech|sieben|sieb|acht|neun|zehn|elf|zwölf|"
                   r"zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig|hundert|und)+")

# a street named without its number: a stem and a street word ("Lindenstraße", "Am Mühlbach"); squares and
# markets ("Alexanderplatz", "Marktplatz") only with a number: alone they are public places
_DE_STREET_ALONE = r"(?:straße|strasse|weg|allee|gasse|ring|damm|bach|ufer|chaussee|steig|pfad)"
_DE_PREPOSITION = r"(?:Am|Im|An der|An den|Auf der|Auf dem|In der|In den|Zum|Zur|Unter den|Hinter der|Vor dem)"
LOWER_CASE_PREPOSITION = "lower-case preposition street number"
_DE_PREPOSITION_LOWER = r"(?:am|im|an der|an den|auf der|auf dem|in der|in den|zum|zur|unter den|hinter der|vor dem)"
_NOT_A_STREET = (r"(?!(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
                 r"Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Wochenende|Moment|Anfang|Ende|"
                 r"Jahr|Monat|Tag|Morgen|Abend|Vertrag|Tarif|Rechnung|Prinzip|Grunde|Übrigen|Allgemeinen)\b)")
# nouns on -weg, -ring, -damm that are no streets ("über den Postweg", "der Rückweg")
_NOT_A_WAY = (r"(?!(?:Post|Rück|Um|Aus|Zahlungs|Versand|Liefer|Lösungs|Rechts|Dienst|Heim|Hin|Weiter|Fuß|Rad|"
              r"Bezahl|Abhol|Schul|Arbeits|Lebens|Stau|Schmuck|Ehe|Finger|Ohr)(?:weg|ring|damm)\b)")
_EN_STREET_WORD = r"(?:Street|Road|Lane|Avenue|Drive|Close|Crescent|Way|Court|Place|Gardens|Terrace|Grove|Row|Mews)"

PATTERNS = {
    "de": [
        Pattern("street alone", rf"\b{_NOT_A_WAY}[A-ZÄÖÜ][a-zäöüß]{{2,}}(?:-[A-ZÄÖÜ]?[a-zäöüß]+)*{_DE_STREET_ALONE}\b",
                0.5),
        Pattern("preposition street number",
                rf"\b{_DE_PREPOSITION}\s+{_NOT_A_STREET}(?:[A-ZÄÖÜ][\wäöüß-]+\s){{0,2}}[A-ZÄÖÜ][\wäöüß-]+"
                rf"\s+\d{{1,3}}(?:\s?[a-z])?\b{_DE_CITY}", 0.55),
        # ASR writes the preposition lower case inside a sentence ("an welcher Anschrift geht das im Winkel 6"):
        # an address only after an address word in its sentence (``AddressRecognizer.analyze``)
        Pattern(LOWER_CASE_PREPOSITION,
                rf"\b{_DE_PREPOSITION_LOWER}\s+{_NOT_A_STREET}(?:[A-ZÄÖÜ][\wäöüß-]+\s){{0,2}}[A-ZÄÖÜ][\wäöüß-]+"
                rf"\s+\d{{1,3}}(?:\s?[a-z])?\b", 0.55),
        Pattern("street number",
                rf"\b[\wäöüß-]*(?i:{_DE_STREET_SUFFIX})\s+\d+(?:\s?[a-z])?\b{_DE_CITY}", 0.6),
        Pattern("street split", rf"\b[\wäöüß-]+[\s-](?i:{_DE_STREET_SUFFIX})\s+\d+(?:\s?[a-z])?\b{_DE_CITY}", 0.6),
        Pattern("street number word",
                rf"\b{_NOT_A_WAY}[A-ZÄÖÜ][a-zäöüß]{{2,}}(?:-[A-ZÄÖÜ]?[a-zäöüß]+)*{_DE_STREET_SUFFIX}\s+{_DE_NUMBER_WORD}"
                rf"(?:\s?[a-z])?\b(?!\s+[A-ZÄÖÜ])", 0.6),
        Pattern("postcode city", r"\b\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?\b", 0.4),
        Pattern("c/o", r"(?i)\bc\s?/\s?o\s+[A-ZÄÖÜ][\wäöüß-]+(?:\s[A-ZÄÖÜ][\wäöüß-]+)?", 0.6),
    ],
    "en": [
        Pattern("street alone", rf"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s{_EN_STREET_WORD}\b", 0.45),
        Pattern("number street",
                rf"\b(?:\d{{1,5}}|{_NUMBER_WORDS_EN}(?:[\s-]{_NUMBER_WORDS_EN})*)\s+(?:{_NOT_A_STREET_NAME_EN}[A-Z][\w-]*(?:['’]s)?\s+){{1,3}}"
                rf"(?i:{_EN_STREET_SUFFIX})\b\.?{_EN_CITY}", 0.6),
        # ASR writes the name lower case ("42 maple street"): only with a street word nothing else means
        Pattern("number street lower case",
                rf"\b(?:\d{{1,5}}|{_NUMBER_WORDS_EN}(?:[\s-]{_NUMBER_WORDS_EN})*)\s+"
                rf"(?:(?!(?:the|a|an|of|to|on|in|down|up|per|more|miles|minutes|other|only|easy|best|same|simple"
                rf"|long|short|right|wrong|whole|different|good|better|way|ways)\b)[a-z][\w-]*\s+){{1,2}}"
                rf"(?:street|road|avenue|lane|boulevard|terrace|crescent|way)\b\.?{_EN_CITY}", 0.55),
        Pattern("zip", r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b", 0.4),
        # "LS6 2AB", "SW1A 1AA"; not a size ("PS5 1TB", "MP3 2GB")
        Pattern("uk postcode", r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d(?![TGMK]B\b)[A-Z]{2}\b", 0.5),
        # … said letter by letter: "S W nine, eight L Q", "L S six, two A B"
        Pattern("uk postcode spoken", rf"\b[A-Z](?:\s[A-Z])?\s(?:{_DIGIT_WORD_EN}|\d)(?:\s(?:[A-Z]|\d))?,?\s"
                rf"(?:{_DIGIT_WORD_EN}|\d)\s[A-Z]\s?[A-Z]\b", 0.5),
        Pattern("c/o", r"(?i)\bc\s?/\s?o\s+[A-Z][\w-]+(?:\s[A-Z][\w-]+)?", 0.6),
        # a house said by its number: "the neighbour at number 8", "I'm at number 21"
        Pattern("at number",
                rf"(?i)\bat\s+number\s+(?:\d{{1,4}}[a-z]?|{_NUMBER_WORDS_EN}(?:[\s-]{_NUMBER_WORDS_EN})*)\b"
                r"(?!\s+in\s+(?:the\s+)?(?:queue|line))", 0.5),
    ],
}
CONTEXT = {"de": ["adresse", "anschrift", "wohne", "wohnhaft", "straße"],
           "en": ["address", "live", "street", "zip"]}


class AddressRecognizer(PatternRecognizer):
    """Street addresses with house numbers, postcodes with cities."""

    def __init__(self, supported_language: str) -> None:
        super().__init__(
            supported_entity="ADDRESS",
            patterns=PATTERNS[supported_language],
            context=CONTEXT[supported_language],
            supported_language=supported_language,
            name="AddressRecognizer",
            global_regex_flags=re.DOTALL | re.MULTILINE,  # capitals matter: case-insensitive parts say (?i:…)
        )

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in results if r.analysis_explanation is None
                or r.analysis_explanation.pattern_name != LOWER_CASE_PREPOSITION
                or _address_word_before(text, r.start, r.end, self.supported_language)]


class CueRestRecognizer(RuleRecognizer):
    """The rest of the sentence after a cue phrase, when it holds a number: the thing the cue announced.

    Subclasses give the entity, the cues, a word limit and how many sentence ends the rest may cross
    (ASR puts a period after a dictated day: "am 14. Nur wenn wir 1 .968."); a rest that is
    ``complete`` at a sentence end ends there ("January 7, 1955. I have noted that down." keeps the
    agent's reply), and so does one whose next sentence reads as ordinary talk ("am drei. Die Zahlung
    ist bei uns eingegangen": Whisper skipped "Mai 1960", and the unheard-speech rule covers it).
    """

    max_sentences = 1

    def complete(self, rest: str) -> bool:
        """Whether ``rest`` (the words after the cue, up to a sentence end) already holds the whole value."""
        return True

    def holds_value(self, rest: str, asks: bool) -> bool:
        """Whether ``rest`` (the words after the cue; ``asks``: ending in a question) is the announced
        value: a number in it."""
        return _has_number(rest, self.supported_language)

    def __init__(self, entity: str, supported_language: str, cues: tuple[str, ...], max_words: int,
                 abbreviations: frozenset[str] = frozenset()) -> None:
        self.cues = [c.split() for c in cues]
        self.adverbs = lexicon(supported_language).cue_adverbs
        self.max_words = max_words
        self.abbreviations = abbreviations
        super().__init__(entity, supported_language)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        tokens = tokenize(text)
        lowered = [t.text.lower() for t in tokens]
        results: list[RecognizerResult] = []
        for i in range(len(tokens)):
            first = next((e for e in (_cue_end(lowered, i, c, self.adverbs) for c in self.cues) if e), None)
            if first is None or tokens[first - 1].ends_sentence:
                continue
            if first >= len(tokens):
                continue
            last, sentences_left = first, self.max_sentences
            while last < len(tokens) - 1 and last - first < self.max_words:
                if tokens[last].ends_sentence and not _abbreviated(lowered[last], self.abbreviations):
                    sentences_left -= 1
                    if not sentences_left or tokens[last].raw.endswith("?") \
                            or self.complete(text[tokens[first].start : tokens[last].end]) \
                            or reads_as_talk(text[tokens[last + 1].start : tokens[sentence_last(tokens, last + 1)].end],
                                             self.supported_language):
                        break
                last += 1
            if tokens[last].raw.endswith("?"):  # a question after it is the asker's, not the data
                ends = [k for k in range(first, last) if tokens[k].ends_sentence]
                last = ends[-1] if ends else last
            span = text[tokens[first].start : tokens[last].end]
            if any(r.start == tokens[first].start for r in results):
                continue
            if self.holds_value(span, tokens[last].raw.endswith("?")):
                results.append(self.result(tokens[first].start, tokens[last].end, 0.6))
        # "bin geboren am 14." matches "bin geboren" and "geboren am": keep the rest after the longer cue
        return [r for r in results if not any(o.end == r.end and o.start > r.start for o in results)]


def _cue_end(lowered: list[str], i: int, cue: list[str], adverbs: frozenset[str]) -> int | None:
    """The index after ``cue`` when it is said from ``i`` on, one adverb inside it or not ("ich wohne jetzt in",
    "I now live at"); None when it is not.

    >>> _cue_end("ich wohne jetzt in potsdam".split(), 1, ["wohne", "in"], frozenset({"jetzt"}))
    4
    >>> _cue_end("ich wohne nicht in potsdam".split(), 1, ["wohne", "in"], frozenset({"jetzt"})) is None
    True
    """
    k, skipped = i, False
    for n, word in enumerate(cue):
        if n and not skipped and k < len(lowered) and lowered[k] != word and lowered[k] in adverbs:
            k, skipped = k + 1, True
        if k >= len(lowered) or lowered[k] != word:
            return None
        k += 1
    return k


TOWN_WORDS = 3  # a part of an address after its number of at most so many words is its town, however misheard
TOWN_OPENERS = frozenset({"in", "bei", "near"})  # "…, in Oberkirchberg", "…, in Clapham"


class CueAddressRecognizer(CueRestRecognizer):
    """The rest of the sentence after "ich wohne in der" / "I live at", when it holds a number — to the end of
    its last comma-separated part with a number or a town in it (capitalized words, "in Clapham"), a part of at
    most ``TOWN_WORDS`` words right after one counting as a town as ASR wrote it: "Wohnung 4b, Oranienstraße
    185, Berlin, und die Heizung ist seit Samstag kalt" — not the talk after it (ASR writes run-on sentences).

    >>> r = CueAddressRecognizer("de")
    >>> text = "Ich wohne in der Oranienstraße 185, Berlin, und die Heizung ist seit Samstag kalt."
    >>> [text[x.start : x.end] for x in r.analyze(text, [])]
    ['Oranienstraße 185, Berlin']
    """

    def __init__(self, supported_language: str) -> None:
        lex = lexicon(supported_language)
        super().__init__("ADDRESS", supported_language, lex.address_cues, lex.address_max_words,
                         lex.address_abbreviations)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for r in super().analyze(text, entities, nlp_artifacts):
            end, at, numbered, after_address = r.start, r.start, False, False
            for part in text[r.start : r.end].split(","):
                words = part.split()
                town = bool(words) and (all(w[:1].isupper() for w in words) or words[0].lower() in TOWN_OPENERS
                                        and all(w[:1].isupper() for w in words[1:]) and len(words) > 1)
                if _has_number(part, self.supported_language) or numbered and (
                        town or after_address and len(words) <= TOWN_WORDS):
                    # a number, a town ("in Clapham"), or a short part right after one: the town as ASR wrote
                    # it ("93 Garcia Circle, earning this month")
                    end, numbered, after_address = at + len(part.rstrip()), True, True
                else:
                    after_address = False
                at += len(part) + 1
            results.append(self.result(r.start, end if numbered else r.end, r.score))
        return results


class CuePostcodeRecognizer(CueRestRecognizer):
    """The words after "my postcode is" / "die Postleitzahl ist", when they hold a number: a postcode — a few
    words, not past a conjunction ("… is LS6 2AB and I pay twelve pounds")."""

    def __init__(self, supported_language: str) -> None:
        lex = lexicon(supported_language)
        super().__init__("ADDRESS", supported_language, lex.postcode_cues, lex.postcode_max_words)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        out = []
        for r in super().analyze(text, entities, nlp_artifacts):
            cut = _CONJUNCTION.search(text, r.start, r.end)
            end = len(text[r.start : cut.start()].rstrip(" ,")) + r.start if cut else r.end
            if end > r.start:
                out.append(self.result(r.start, end, r.score))
        return out


_CONJUNCTION = re.compile(r"\s(?:and|und|but|aber|then|dann|so|also)\b", re.IGNORECASE)


def _address_word_before(text: str, start: int, end: int, language: str) -> bool:
    """Whether an address word ("Anschrift", "wohnen", "Straße": the recognizer's context) stands in the sentence
    before the street at ``start:end`` — and no address cue ends in its preposition ("ich wohne in der …": the
    cue's recognizer has it).

    >>> _address_word_before("Gut. An welche Anschrift geht das im Winkel 6", 36, 47, "de")
    True
    >>> _address_word_before("Die Anschrift passt. Das liegt im Lager 3", 31, 42, "de")
    False
    >>> _address_word_before("Ich wohne in der Sofia Redelweg 116", 10, 35, "de")
    False
    """
    tokens = tokenize(text)
    first = next(i for i, t in enumerate(tokens) if t.end > start)
    words = [t.text.lower() for t in tokens[sentence_first(tokens, first) : first]]
    if not any(w.startswith(tuple(CONTEXT[language])) for w in words):
        return False
    street = [t.text.lower() for t in tokens[first:] if t.start < end]
    cues = [cue.split() for cue in lexicon(language).address_cues]
    return not any((words + street[:k])[-len(cue):] == cue for cue in cues for k in (1, 2))


def _has_number(text: str, language: str) -> bool:
    return any(ch.isdigit() for ch in text) or _has_number_word(text, language)


def _abbreviated(word: str, abbreviations: frozenset[str]) -> bool:
    """Whether ``word`` (before its dot) is an abbreviation; "-str" in the list is a suffix ("Hauptstr.").

    >>> [_abbreviated(w, frozenset({"-str", "st"})) for w in ("hauptstr", "st", "last")]
    [True, True, False]
    """
    return word in abbreviations or any(a.startswith("-") and word.endswith(a[1:]) for a in abbreviations)


def _has_number_word(text: str, language: str) -> bool:
    from anonymizer.detect.digits import digit_runs

    return bool(digit_runs(text, language)[1])
