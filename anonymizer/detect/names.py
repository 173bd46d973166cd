"""Names introduced by cue phrases: "mein Name ist …", "Frau …", "spreche ich mit …", "my name is …", "Mr …",
and names said before one: "Benthin, mein Name", "Müller ist mein Name" (German's usual telephone introduction).

German has no NER model here, so the words people use to introduce a name carry the evidence.
The cue phrases are in the language's lexicon (``lexicon/<language>.yaml``, section ``names``).
After a cue, up to three capitalized words are taken (one word even if lower-case after a strong cue
such as "mein Name ist": ASR does not always capitalize names, or after a title written as one and not
after an article: "schönen Tag, Frau kochwebe"), up to the next comma or sentence end.
Before a postposed cue that ends its clause, up to three words of the same clause are taken, whatever
their case; never a function or greeting word ("das ist mein Name"). Before "am Apparat" only the surname
and a known first name before it: the agent's company often stands right before, without ASR's comma.
The agent's name in the German call centre's opening, "<Company>, <Name>, <greeting>" ("Uferbank, Rosemann,
guten Tag"; ``companies.company_and_agent``). After a weak cue ("hier ist", "this is") the words up to a company
form word are the company's, not a name: "hier ist Nordwind Energie, …", "hier ist Uferbank Rosemann" (only
"Rosemann").
A relative named in apposition — "läuft auf meine Frau, Edeltraud Ackermann.", "Friedemann, der Ehemann.",
"my husband, Derek." — is a name in any case, but only set off by commas (or the sentence's end) and made of
words that are no stop words: "meine Frau, die hat das gemacht" and "weil meine Frau Urlaub hat" name nobody.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.companies import company_and_agent, is_company_form
from anonymizer.detect.gazetteer import TITLES, _capitalized, gazetteer
from anonymizer.detect.lexicon import lexicon, stop_words
from anonymizer.detect.rules import RuleRecognizer
from anonymizer.detect.tokens import Token, tokenize

MAX_NAME_WORDS = 3
FUNCTION_WORDS = {"and", "und", "i", "ich", "from", "aus", "calling", "here", "hier", "speaking", "am", "bin", "habe",
                  "have", "but", "aber", "the", "der", "die", "das", "is", "ist", "a", "ein", "eine", "so",
                  "also", "please", "bitte", "to", "zu", "with", "mit", "oder", "or", "noch", "nichts", "nur", "auch",
                  "kein", "keine", "still", "only", "nothing"}
# words that are no name before a postposed cue ("wie mein Name, …", "that is my name.")
NOT_BEFORE_CUE = {"wie", "was", "wo", "dass", "ob", "weil", "wenn", "da", "mal", "schon", "eben", "halt", "doch",
                  "ja", "nein", "genau", "hallo", "tag", "morgen", "abend", "that", "this", "it", "what", "which",
                  "yes", "no", "yeah", "hello", "hi", "okay", "ok", "well"}
CLAUSE_ENDS = (",", ".", "?", "!", ";", ":")
# after these, "Frau"/"Mann" is a relative, not a title: "weil meine Frau Urlaub hat"
POSSESSIVES = {"meine", "meiner", "mein", "meinem", "meinen", "deine", "deiner", "ihre", "ihrer", "seine", "seiner"}
# a title written as one, before a surname ASR wrote in lower case ("schönen Tag, Frau kochwebe"); not "Miss"
# ("I miss you") and not after an article ("die Frau hat …")
SURNAME_TITLES = {"frau", "herr", "herrn", "mr", "mrs", "ms", "dr", "mister", "missus"}
ARTICLES = {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "einem", "einen", "the", "a", "an",
            "this", "that", "diese", "dieser", "diesem", "diesen"}


def can_be_name(text: str, not_names: frozenset[str], stop_words: frozenset[str] = frozenset()) -> bool:
    """A word of any case that can be a name: letters (and hyphens), no function, greeting or title word,
    none of the lexicon's ``not_names``, none of ``stop_words``."""
    word = text.lstrip("-–")
    lower = word.lower()
    return (word.replace("-", "").isalpha() and lower not in FUNCTION_WORDS and lower not in NOT_BEFORE_CUE
            and lower not in TITLES and word.capitalize() not in not_names and word not in not_names
            and lower not in stop_words)


def _code_like(word: str) -> bool:
    """A digit in it ("BS8", "SW9"): a code's piece, no name.

    >>> [_code_like(w) for w in ("BS8", "AJ", "Müller", "Al-Sayed", "O'Neil")]
    [True, False, False, False, False]
    """
    return any(ch.isdigit() for ch in word)


def _before_number(tokens: list[Token], k: int, units: tuple[str, ...]) -> bool:
    """Whether ``tokens[k]`` is a unit's word ("Flat", "Wohnung") or two or three capitals ("GH") right before a
    number, no punctuation between: the number's, no name ("it's Flat 5", "it's GH 4 4 1 0"; not "Peter Schmidt
    0171 …")."""
    token = tokens[k]
    code = token.text.isupper() and token.text.isalpha() and len(token.text) <= 3
    return k + 1 < len(tokens) and token.raw == token.text and tokens[k + 1].text[:1].isdigit() \
        and (code or token.text.lower() in units)


class CueNameRecognizer(RuleRecognizer):
    """Person names right after cue phrases."""

    def __init__(self, supported_language: str) -> None:
        lex = lexicon(supported_language)
        self.strong = lex.strong_name_cues
        self.weak = lex.weak_name_cues
        self.postposed = lex.postposed_name_cues
        self.surname_postposed = lex.surname_postposed_cues
        self.relations = lex.relation_cues
        self.units = lex.address_units
        self.not_names = lex.not_names
        self.stop_words = stop_words(lex.language)
        super().__init__("PERSON", supported_language)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        tokens = tokenize(text)
        index = {t.start: k for k, t in enumerate(tokens)}
        lowered = [t.text.lower().rstrip(".") for t in tokens]
        found: dict[tuple[int, int], float] = {}
        for cues, strong in ((self.strong, True), (self.weak, False)):
            for cue in cues:
                cue_words = cue.split()
                n = len(cue_words)
                for i in range(len(tokens) - n):
                    if lowered[i : i + n] != cue_words or tokens[i + n - 1].raw.endswith((",", "?", "!")):
                        continue
                    if n == 1 and cue_words[0] in TITLES and i > 0 and lowered[i - 1] in POSSESSIVES:
                        continue  # "meine Frau Urlaub": a relative (named in apposition, if at all: below)
                    if tokens[i + n - 1].ends_sentence and not re.fullmatch(r"(?i)mr?s?|dr|ms", cue_words[-1]):
                        continue
                    title = (n == 1 and cue_words[0] in SURNAME_TITLES and tokens[i].text[:1].isupper()
                             and (i == 0 or lowered[i - 1] not in ARTICLES))  # after a possessive: skipped above
                    taken: list[Token] = []
                    reach = i + n + MAX_NAME_WORDS
                    for k in range(i + n, len(tokens)):
                        if k >= reach:
                            break
                        token = tokens[k]
                        if token.text.lower().rstrip(".") in TITLES:
                            reach += 1
                            continue  # "Herrn Dr. Müller": the title is not the name; look past it, one word further
                        # "Wolf -Dieter Kanz": ASR splits a double name at its hyphen
                        core = token.text.lstrip("-–") if taken else token.text
                        capital = core[:1].isupper() and core not in self.not_names and not _code_like(core)
                        lower = token.text.lower()
                        lower_ok = (strong or (title and not taken and len(lower) > 2 and lower not in self.stop_words)
                                    ) and token.text.isalpha() and lower not in FUNCTION_WORDS
                        if not (capital or lower_ok):
                            break
                        taken.append(token)
                        if token.raw.endswith(CLAUSE_ENDS):
                            break
                    while taken and _before_number(tokens, index[taken[-1].start], self.units):
                        taken.pop()  # "it's Flat 5", "das ist Wohnung 3": a unit's word, no name
                    if not strong:  # "hier ist Nordwind Energie, …", "hier ist die Uferbank Rosemann": the company
                        forms = [j for j, t in enumerate(taken) if is_company_form(t.text, self.supported_language)]
                        taken = taken[forms[-1] + 1:] if forms else taken
                    if taken:
                        key = (taken[0].start, taken[-1].end)
                        found[key] = max(found.get(key, 0.0), 0.75 if strong else 0.5)
        for cue in (*self.postposed, *self.surname_postposed):
            cue_words = cue.split()
            n = len(cue_words)
            for i in range(1, len(tokens) - n + 1):
                last = tokens[i + n - 1]
                ends_clause = i + n == len(tokens) or last.raw.endswith((",", ".", "!", ";"))
                if lowered[i : i + n] != cue_words or not ends_clause:
                    continue  # "wie mein Name geschrieben wird", "Wie ist mein Name?": no introduction
                taken = self._said_before(tokens, i)
                if cue in self.surname_postposed:  # the surname, and a first name before it; not the company
                    taken = taken[-2:] if len(taken) > 1 and gazetteer(self.supported_language).is_first(
                        taken[-2].text) else taken[-1:]
                if taken:
                    key = (taken[0].start, taken[-1].end)
                    found[key] = max(found.get(key, 0.0), 0.75)
        opening = company_and_agent(tokens, self.supported_language)  # "Uferbank, Rosemann, guten Tag"
        if opening is not None and opening[1]:
            key = (tokens[opening[1].start].start, tokens[opening[1].stop - 1].end)
            found[key] = max(found.get(key, 0.0), 0.75)
        for cue in self.relations:
            for taken in self._beside_relation(tokens, lowered, cue.split()):
                key = (taken[0].start, taken[-1].end)
                found[key] = max(found.get(key, 0.0), 0.75)
        return [
            self.result(start, end, score)
            for (start, end), score in sorted(found.items())
        ]

    def _beside_relation(self, tokens: list[Token], lowered: list[str], cue: list[str]) -> list[list[Token]]:
        """The names in apposition to each ``cue`` ("meine Frau, Edeltraud Ackermann." / "Gerhard, mein Mann,")."""
        n, out = len(cue), []
        taken: list[Token]
        for i in range(len(tokens) - n + 1):
            if lowered[i : i + n] != cue:
                continue
            last = tokens[i + n - 1]
            after = tokens[i + n] if i + n < len(tokens) else None
            if not last.raw.endswith(CLAUSE_ENDS) and after is not None and _capitalized(after.text.strip(",.;:!?")) \
                    and gazetteer(self.supported_language).is_name(after.text.strip(",.;:!?")):
                # "my son Mason, he …", "sein Sohn Emre": a name of the lists right after it, and its surname
                taken = [after]
                for token in tokens[i + n + 1 : i + n + MAX_NAME_WORDS]:
                    if taken[-1].raw.endswith(CLAUSE_ENDS) or not _capitalized(token.text.strip(",.;:!?")) \
                            or not self._can_be_name(token, no_stop_words=True):
                        break
                    taken.append(token)
                out.append(taken)
            if last.raw.endswith(","):  # "meine Frau, Edeltraud Ackermann." — over commas, to the clause's end
                taken = []
                for token in tokens[i + n : i + n + MAX_NAME_WORDS]:
                    if not self._can_be_name(token, no_stop_words=True):
                        break
                    taken.append(token)
                    if token.raw.endswith((".", "?", "!", ";", ":")):
                        break
                ends = taken and (taken[-1].raw.endswith(CLAUSE_ENDS) or taken[-1] is tokens[-1])
                if ends:
                    out.append(taken)
            ends_clause = i + n == len(tokens) or last.raw.endswith(CLAUSE_ENDS)
            if i > 0 and tokens[i - 1].raw.endswith(",") and ends_clause:  # "Friedemann, der Ehemann."
                # empty unless the word right before the cue can be a name
                before = self._said_before(tokens, i, no_stop_words=True)
                if before:
                    out.append(before)
        return out

    def _can_be_name(self, token: Token, no_stop_words: bool = False) -> bool:
        return can_be_name(token.text, self.not_names, self.stop_words if no_stop_words else frozenset())

    def _said_before(self, tokens: list[Token], cue: int, no_stop_words: bool = False) -> list[Token]:
        """Up to ``MAX_NAME_WORDS`` words of the clause right before ``tokens[cue]``, nearest first, that can be a
        name (any case: ASR wrote "benzin, mein Name" for "Benthin")."""
        taken: list[Token] = []
        for k in range(cue - 1, max(-1, cue - 1 - MAX_NAME_WORDS), -1):
            token = tokens[k]
            # the name itself may end with a comma ("Benthin, mein Name"); a word before it that ends a clause does not
            if token.raw.endswith(CLAUSE_ENDS if k < cue - 1 else (".", "?", "!")):
                break
            if not self._can_be_name(token, no_stop_words):
                break
            taken.insert(0, token)
        return taken
