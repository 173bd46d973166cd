"""Dates as people say them: "14. März 1985", "vierzehnter März", "March 14th, 1985", "14.03.1985".

Reported as DATE_TIME; with a birth context word nearby the score rises (Presidio's context
enhancement). Times of day and durations are not dates. Month names and birth context words are in the
language's lexicon (section ``dates``).
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.addresses import CueRestRecognizer
from anonymizer.detect.digits import digit_runs
from anonymizer.detect.lexicon import lexicon
from anonymizer.detect.rules import RuleRecognizer

_ORDINAL_WORDS = {
    "de": r"(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|erst|zweit|dritt|"
    r"viert|fünft|sechst|siebt|acht|neunt|zehnt|elft|zwölft|dreizehnt|vierzehnt|fünfzehnt|sechzehnt|siebzehnt|"
    r"achtzehnt|neunzehnt|zwanzigst|einundzwanzigst|dreißigst|und)+(?:e|er|en|ten)?",
    "en": r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    r"fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|twenty|thirty)"
    r"(?:[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))?",
}
# a year may come split in two ("19. 85." is how Whisper wrote "neunzehnhundertfünfundachtzig" once)
_YEAR = (r"(?:\s*,?\s*(?:(?:19|20)\.?\s\d{2}\b|\d{2,4}|"
         r"(?:neunzehn|zwei|nineteen|two|twenty)[\w\s-]{2,40}?(?=[.,?!]|$)))?")
_DAY = r"(?:\d{1,2}\s*(?:\.|st|nd|rd|th)?)"
_NOT_ORDINAL = frozenset({"und", "ein", "eine", "einen", "einer", "einem"})
_DATE_LEAD_IN = frozenset({"der", "den", "am", "vom", "ist", "the", "on", "is", "it's", "of"})

def date_patterns(language: str) -> list[Pattern]:
    months = "|".join(lexicon(language).months)
    ordinal = _ORDINAL_WORDS[language]
    patterns = [
        Pattern("numeric date", r"\b\d{1,2}[./-]\s?\d{1,2}[./-]\s?(?:\d{4}|\d{2})\b", 0.6),
        Pattern("day month year", rf"(?i)\b(?:{_DAY}|{ordinal})\s+(?:of\s+)?(?:{months})\b{_YEAR}", 0.6),
        Pattern("month day year", rf"(?i)\b(?:{months})\s+(?:the\s+)?(?:{_DAY}|{ordinal})\b{_YEAR}", 0.6),
    ]
    return patterns


class SpokenDateRecognizer(PatternRecognizer):
    """Calendar dates with a day and a month, in words or digits."""

    def __init__(self, supported_language: str) -> None:
        super().__init__(
            supported_entity="DATE_TIME",
            patterns=date_patterns(supported_language),
            context=list(lexicon(supported_language).date_context),
            supported_language=supported_language,
            name="SpokenDateRecognizer",
        )


class CueBirthDateRecognizer(CueRestRecognizer):
    """What follows "ich bin geboren am" / "I was born on" (up to two sentences, 10 words, with a number)
    is a date of birth, however ASR garbled the month ("am 14. Nur wenn wir 1 .968."). The rest ends at
    the first sentence end once it holds a year (four digits in all): what follows is the conversation."""

    max_sentences = 2

    def complete(self, rest: str) -> bool:
        """A year's four digits, or three parts of a date ("vierter Mai achtundsiebzig", "4th of May 78")."""
        tokens, runs = digit_runs(rest, self.supported_language)
        if sum(len(run.digits) for run in runs) >= 4:
            return True
        in_runs = {k for run in runs for k in range(run.first, run.last + 1)}
        words = [t.text.lower().strip(",.") for k, t in enumerate(tokens) if k not in in_runs]
        return len(runs) + sum(w in self.months or self._ordinal(w) for w in words) >= 3

    def __init__(self, supported_language: str) -> None:
        lex = lexicon(supported_language)
        self.bare_cues, self.verb_cues, self.year_cues = lex.birth_cues_bare, lex.birth_cues, lex.birth_year_cues
        self.months = frozenset(lex.months)
        self.ordinal = re.compile(rf"(?i){_ORDINAL_WORDS.get(lex.language, _ORDINAL_WORDS['en'])}$")
        super().__init__("DATE_OF_BIRTH", supported_language, lex.birth_cues + lex.birth_cues_bare, 10)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        """A cue said without a verb ("Geburtsdatum vierter Mai achtundsiebzig", the lexicon's
        ``birth_cues_bare``) takes its rest only when the rest starts with a date: an agent's "I need your date
        of birth and the 3 last digits" is a request. After a year's cue ("Jahrgang", "born in": the lexicon's
        ``birth_year_cues``) the rest ends with its year, unless a day or a month follows it."""
        results = []
        for r in super().analyze(text, entities, nlp_artifacts):
            if self._after_bare_cue(text[: r.start]) and not self._starts_with_date(text[r.start : r.end]):
                continue
            first_word = text[r.start : r.end].split(" ", 1)[0]
            if self._after(text[: r.start], self.year_cues) or self._after(text[: r.start + len(first_word)],
                                                                           self.year_cues):  # "was born | in '38"
                r = self.result(r.start, r.start + self._through_year(text[r.start : r.end]), r.score)
            results.append(r)
        return results

    def _through_year(self, rest: str) -> int:
        """How much of ``rest`` its year ends: the first number of two digits or more with no day or month in
        the three words after it (all of ``rest`` without one)."""
        tokens, runs = digit_runs(rest, self.supported_language)
        starts = {run.first for run in runs}
        for run in runs:
            after = range(run.last + 1, min(run.last + 4, len(tokens)))
            if len(run.digits) >= 2 and not any(k in starts or self._day_or_month(tokens[k].text) for k in after):
                return run.end
        return len(rest)

    def _day_or_month(self, word: str) -> bool:
        word = word.lower().strip(",.")
        return word in self.months or self._ordinal(word)

    @staticmethod
    def _after(before: str, cues: tuple[str, ...]) -> bool:
        before = " " + before.lower().rstrip(" ,:'‘’")
        return any(before.endswith(" " + c) for c in cues)

    def _after_bare_cue(self, before: str) -> bool:
        return self._after(before, self.bare_cues) and not self._after(before, self.verb_cues)

    def _ordinal(self, word: str) -> bool:
        """A day said as a word ("vierter", "fourth"); not the joiner or article the pattern's parts also make."""
        return word not in _NOT_ORDINAL and bool(self.ordinal.match(word))

    def _starts_with_date(self, rest: str) -> bool:
        tokens, runs = digit_runs(rest, self.supported_language)
        k = 0
        while k < len(tokens) - 1 and k < 2 and tokens[k].text.lower() in _DATE_LEAD_IN:
            k += 1
        words = [t.text.lower().strip(",.") for t in tokens[k : k + 2]]
        if any(run.first == k for run in runs):
            return True  # "4th of May", "14. 3. 78"
        if len(words) < 2 or not (self._ordinal(words[0]) or words[0] in self.months):
            return False
        # a day and a month either way round ("vierter Mai", "May fourth"), or a day and a number ("vierter
        # fünfter"); not "first, then the 3 last digits", "may be 1 of 2"
        return words[1] in self.months or self._ordinal(words[1]) or any(run.first == k + 1 for run in runs)


MAX_DATE_WORDS = 6  # a date said before its cue ("am zweiten Weihnachtstag 1950 geboren") has at most this many words


class BirthDateBeforeCueRecognizer(RuleRecognizer):
    """A date of birth said before its cue: German puts the participle last ("ich bin am 14. März 1980
    geboren", "Sie sind am 14. März geboren": the words from the date's opening word — "am", the lexicon's
    ``birth_cues_after.lead_in`` — to the cue, at most six, with a number, a month or a day in them); and a
    birth year said as a person's vintage ("ich bin ein 83er", "I'm a 1979 baby": the lexicon's ``vintage``).
    """

    def __init__(self, supported_language: str) -> None:
        lex = lexicon(supported_language)
        self.cues, self.lead_in = frozenset(lex.birth_cues_after), lex.birth_after_lead_in
        self.months = frozenset(lex.months)
        self.ordinal = re.compile(rf"(?i){_ORDINAL_WORDS.get(lex.language, _ORDINAL_WORDS['en'])}$")
        self.vintage = re.compile(lex.vintage, re.IGNORECASE) if lex.vintage else None
        super().__init__("DATE_OF_BIRTH", supported_language)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        results = [self.result(m.start(1), m.end(1), 0.6) for m in self.vintage.finditer(text)] if self.vintage else []
        if not self.cues:
            return results
        tokens, runs = digit_runs(text, self.supported_language)
        in_runs = {k for run in runs for k in range(run.first, run.last + 1)}
        for k, token in enumerate(tokens):
            if token.text.lower().strip(",.;:!?") not in self.cues:
                continue
            # the date's opening word furthest back whose words hold a date ("am dritten Mai im Jahr 1980")
            for opening in range(max(0, k - MAX_DATE_WORDS - 1), k - 1):
                if tokens[opening].text.lower() in self.lead_in and any(
                        j in in_runs or self._date_word(tokens[j].text) for j in range(opening + 1, k)):
                    results.append(self.result(tokens[opening + 1].start, tokens[k - 1].end, 0.6))
                    break
        return results

    def _date_word(self, word: str) -> bool:
        word = word.lower().strip(",.")
        return word in self.months or (word not in _NOT_ORDINAL and bool(self.ordinal.match(word)))
