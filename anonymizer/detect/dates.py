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
        self.bare_cues, self.verb_cues = lex.birth_cues_bare, lex.birth_cues
        self.months = frozenset(lex.months)
        self.ordinal = re.compile(rf"(?i){_ORDINAL_WORDS.get(lex.language, _ORDINAL_WORDS['en'])}$")
        super().__init__("DATE_OF_BIRTH", supported_language, lex.birth_cues + lex.birth_cues_bare, 10)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        """A cue said without a verb ("Geburtsdatum vierter Mai achtundsiebzig", the lexicon's
        ``birth_cues_bare``) takes its rest only when the rest starts with a date: an agent's "I need your date
        of birth and the 3 last digits" is a request."""
        return [r for r in super().analyze(text, entities, nlp_artifacts)
                if not self._after_bare_cue(text[: r.start]) or self._starts_with_date(text[r.start : r.end])]

    def _after_bare_cue(self, before: str) -> bool:
        before = " " + before.lower().rstrip(" ,:")
        return any(before.endswith(" " + c) for c in self.bare_cues) \
            and not any(before.endswith(" " + c) for c in self.verb_cues)

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
