"""Names introduced by cue phrases: "mein Name ist …", "Frau …", "spreche ich mit …", "my name is …", "Mr …".

German has no NER model here, so the words people use to introduce a name carry the evidence.
After a cue, up to three capitalized words are taken (one word even if lower-case after a strong cue
such as "mein Name ist": ASR does not always capitalize names), up to the next comma or sentence end.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.tokens import tokenize

STRONG_CUES = {
    "de": ["mein name ist", "mein name lautet", "ich heiße", "ich heisse", "nachname ist", "vorname ist",
           "mein nachname", "mein vorname", "name ist"],
    "en": ["my name is", "my name's", "name is", "last name is", "first name is", "surname is"],
}
WEAK_CUES = {
    "de": ["herr", "herrn", "frau", "hier ist", "hier spricht", "spreche ich mit", "sie sprechen mit", "ich bin",
           "am apparat ist", "bei", "kollege", "kollegin", "mit herrn", "mit frau", "auf den namen"],
    "en": ["this is", "i am", "i'm", "mr", "mrs", "ms", "miss", "dr", "speaking with", "talking to", "it's",
           "under the name"],
}
NOT_NAMES = {
    "de": {"Ich", "Sie", "Ihr", "Ihre", "Ihnen", "Wir", "Es", "Das", "Der", "Die", "Dem", "Den", "Ja", "Nein",
           "Guten", "Danke", "Bitte", "Hallo", "Kundenservice", "Kundennummer", "Service", "Team"},
    "en": {"I", "You", "We", "It", "The", "A", "An", "Yes", "No", "Hello", "Hi", "Thanks", "Thank", "Customer",
           "Service", "Support", "Team"},
}
MAX_NAME_WORDS = 3
TITLES = {"dr", "prof", "doktor", "professor", "herr", "herrn", "frau", "mr", "mrs", "ms", "miss"}
FUNCTION_WORDS = {"and", "und", "i", "ich", "from", "aus", "calling", "here", "hier", "speaking", "am", "bin", "habe",
                  "have", "but", "aber", "the", "der", "die", "das", "is", "ist", "a", "ein", "eine", "so",
                  "also", "please", "bitte", "to", "zu", "with", "mit", "oder", "or"}


class CueNameRecognizer(EntityRecognizer):
    """Person names right after cue phrases."""

    def __init__(self, supported_language: str) -> None:
        self.strong = STRONG_CUES[supported_language]
        self.weak = WEAK_CUES[supported_language]
        self.not_names = NOT_NAMES[supported_language]
        super().__init__(supported_entities=["PERSON"], supported_language=supported_language,
                         name="CueNameRecognizer")

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        tokens = tokenize(text)
        lowered = [t.text.lower().rstrip(".") for t in tokens]
        found: dict[tuple[int, int], float] = {}
        for cues, strong in ((self.strong, True), (self.weak, False)):
            for cue in cues:
                cue_words = cue.split()
                n = len(cue_words)
                for i in range(len(tokens) - n):
                    if lowered[i : i + n] != cue_words or tokens[i + n - 1].raw.endswith((",", "?", "!")):
                        continue
                    if tokens[i + n - 1].ends_sentence and not re.fullmatch(r"(?i)mr?s?|dr|ms", cue_words[-1]):
                        continue
                    taken = []
                    for k in range(i + n, min(len(tokens), i + n + MAX_NAME_WORDS)):
                        token = tokens[k]
                        if token.text.lower().rstrip(".") in TITLES:
                            continue  # "Herrn Dr. Müller": the title is not the name; look past it
                        capital = token.text[:1].isupper() and token.text not in self.not_names
                        lower_ok = strong and token.text.isalpha() and token.text.lower() not in FUNCTION_WORDS
                        if not (capital or lower_ok):
                            break
                        taken.append(token)
                        if token.raw.endswith((",", ".", "?", "!", ";", ":")):
                            break
                    if taken:
                        key = (taken[0].start, taken[-1].end)
                        found[key] = max(found.get(key, 0.0), 0.75 if strong else 0.5)
        metadata = {"recognizer_name": self.__class__.__name__}
        return [
            RecognizerResult("PERSON", start, end, score, recognition_metadata=metadata)
            for (start, end), score in sorted(found.items())
        ]
