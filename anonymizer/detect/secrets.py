"""Passwords and security answers said as statements: "Mein Kennwort für die Hotline ist Blaubeere 12", "my
memorable word is sunflower". A password is words as much as digits, so no number recognizer finds it, and
there is no question for ``answers.py`` to take the answer of.

In a sentence that is no question, a secret word of the lexicon (``questions.secret_words``: "Kennwort",
"password", "maiden name") owned by someone (``questions.secret_owners`` one or two words before it: "mein",
"my", "Ihr" — "the password is sent by text" names none; at a compound's end: "Kundenkennwort") followed
within a few words by its verb (``questions.secret_verbs``: "ist", "is", or "'s" glued on): the words after the
verb, to the sentence's end or a conjunction and at most ``MAX_SECRET_WORDS``, are an ``ID_NUMBER`` — unless
they say how the secret is (``questions.secret_states``: "not working", "gesperrt").
"""

from __future__ import annotations

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.lexicon import lexicon
from anonymizer.detect.rules import RuleRecognizer
from anonymizer.detect.tokens import sentence_last, tokenize

MAX_SECRET_WORDS = 8
OWNER_WORDS = 2  # "mein altes Kennwort", "my online password"
MAX_VERB_GAP = 4  # words between the secret word and its verb ("Kennwort für die Hotline ist")
MIN_COMPOUND_CUE = 6  # a secret word this long counts at a compound's end too ("Kundenkennwort")


class CueSecretRecognizer(RuleRecognizer):
    """The words after "my password is" (see the module).

    >>> r = CueSecretRecognizer("de")
    >>> text = "Mein Kennwort für die Hotline ist Blaubeere 12. Gut."
    >>> [text[x.start : x.end] for x in r.analyze(text, [])]
    ['Blaubeere 12']
    >>> r.analyze("Wie ist Ihr Kennwort?", []), r.analyze("Das Kennwort ist per SMS gekommen.", [])
    ([], [])
    >>> r.analyze("Mein Passwort ist gesperrt, seit gestern.", [])
    []
    >>> text = "Mein Kundenkennwort ist Blaubeere und sonst nichts."
    >>> [text[x.start : x.end] for x in r.analyze(text, [])]
    ['Blaubeere']
    >>> text = "My password's sunflower, all lower case."
    >>> [text[x.start : x.end] for x in CueSecretRecognizer("en").analyze(text, [])]
    ['sunflower, all lower case']
    """

    def __init__(self, supported_language: str) -> None:
        lex = lexicon(supported_language)
        self.secrets = [w.split() for w in lex.secret_words]
        self.verbs, self.owners, self.states = lex.secret_verbs, lex.secret_owners, lex.secret_states
        self.conjunctions = lex.secret_conjunctions
        super().__init__("ID_NUMBER", supported_language)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        tokens = tokenize(text)
        words = [t.text.lower().strip(",.;:!?\"'’") for t in tokens]
        glued = [w[:-2] if w.endswith(("'s", "’s")) else "" for w in words]  # "password's": the verb glued on
        results: list[RecognizerResult] = []
        for i in range(len(tokens)):
            cue = self._cue_at(words, glued, i)
            if cue is None or not any(w in self.owners for w in words[max(0, i - OWNER_WORDS) : i]):
                continue
            last = sentence_last(tokens, i)
            if tokens[last].raw.endswith("?"):
                continue
            after_cue = i + len(cue)
            verb = after_cue - 1 if glued[after_cue - 1] else next(
                (k for k in range(after_cue, min(after_cue + MAX_VERB_GAP + 1, last)) if words[k] in self.verbs), None)
            if verb is None or verb + 1 > last or any(r.start <= tokens[verb].start < r.end for r in results):
                continue
            if words[verb + 1] in self.states:
                continue  # "my password is not working", "mein Passwort ist gesperrt": no secret said
            end = min(last, verb + MAX_SECRET_WORDS)
            # a secret ends at a conjunction ("Bello, und Bello ist krank")
            end = next((k - 1 for k in range(verb + 2, end + 1) if words[k] in self.conjunctions), end)
            results.append(self.result(tokens[verb + 1].start, tokens[end].end, 0.6))
        return results

    def _cue_at(self, words: list[str], glued: list[str], i: int) -> list[str] | None:
        """The secret word said from ``words[i]`` on: its last word with the verb glued on or not ("password's"),
        a long one at a compound's end ("Kundenkennwort")."""
        for cue in self.secrets:
            last = i + len(cue) - 1
            if last >= len(words) or words[i:last] != cue[:-1]:
                continue
            if cue[-1] in (words[last], glued[last]) \
                    or len(cue) == 1 and len(cue[0]) >= MIN_COMPOUND_CUE and words[i].endswith(cue[0]):
                return cue
        return None
