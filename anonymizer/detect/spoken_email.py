"""E-mail addresses as ASR writes spoken ones.

"anna punkt schmidt ät beispiel punkt de", "Sarah .johnson .example .com", "Martinapunkt
schneideratbeispiele .de": anchored on a top-level domain after a dot word (or on "at <domain> <dot>
<short word>", when ASR cut the domain's end or misheard it: "at Beispiel Punkt D.", "et mailbox punkt ok"
— German "ät" is often written "et"), extended backwards over
the address-like words before it (up to a sentence end). Without "Mail" just before it, at least
two at/dot words are needed ("nordwind punkt de" alone is a web site). Written addresses
(``a@b.de``) are Presidio's ``EmailRecognizer``.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.rules import RuleRecognizer
from anonymizer.detect.tokens import tokenize

TLDS = ("de", "com", "net", "org", "eu", "at", "ch", "info", "io", "biz", "co", "uk", "fr", "nl", "it", "es")
_DOT = r"(?:\.|punkt|dot)"
_TLD_WORDS = "|".join(TLDS) + r"|d\s?e|c\s?o\s?m"
_ANCHOR = re.compile(rf"{_DOT}\s*(?:{_TLD_WORDS})\b", re.IGNORECASE)
# "at Beispiel Punkt D.": an at word, a domain word and a dot word before any short word — the TLD cut
# short or misheard. The dot is a spoken word or glued to what follows (".net"), never a sentence end.
_AT = r"@|\bat\b|\bät\b|\bet\b|at-zeichen"  # German "ät" is often written "et"
_AT_DOMAIN_ANCHOR = re.compile(
    rf"(?:{_AT})\s*[^\W\d_]+(?:\s+(?:punkt|dot)\s+|\s*\.(?=[^\W\d_]))[^\W\d_]{{1,6}}\b", re.IGNORECASE)
_AT_OR_DOT = re.compile(rf"({_AT}|punkt|dot|\.\w|underscore|unterstrich|bindestrich)", re.IGNORECASE)
_AT_WORD = re.compile(_AT, re.IGNORECASE)
MAX_WORDS_BACK = 8
_CURRENCY = re.compile(r"[€$£]")
_CUE = re.compile(r"(?i)mail")  # "E-Mail-Adresse", "E -Mail", "email address", "Mailadresse"
CUE_WINDOW_CHARS = 80
_AFTER_CUE = {"address", "adresse", "is", "ist", "lautet", "please", "bitte"}


# the words of an address's at sign and of the signs joining its parts, as ASR writes them
AT_WORDS = frozenset({"@", "at", "ät", "et", "at-zeichen", "klammeraffe"})
JOINING_WORDS = frozenset({"punkt", "dot", "unterstrich", "underscore", "bindestrich", "minus", "dash", "hyphen"})


def _spelled_piece(word: str) -> bool:
    """A letter spelled on its own ("j,", "K."; not the English "I", "a") or a word joining an address's parts
    ("Unterstrich", "dot")."""
    letters = word.strip(",.;:-")
    return (len(letters) == 1 and letters.isalpha() and letters not in ("I", "a", "A")) \
        or letters.lower() in JOINING_WORDS


class SpokenEmailRecognizer(RuleRecognizer):
    """Spoken or mangled e-mail addresses."""

    def __init__(self, supported_language: str) -> None:
        super().__init__("EMAIL_ADDRESS", supported_language)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        tokens = tokenize(text)
        results = []
        ends = sorted({m.end() for m in _ANCHOR.finditer(text)} | {m.end() for m in _AT_DOMAIN_ANCHOR.finditer(text)})
        for end in ends:
            last = next((i for i, t in enumerate(tokens) if t.end >= end), len(tokens) - 1)
            first, words = last, 0
            # walk back over address-like words, stopping at a sentence end; letters spelled one by one and the
            # words joining them ("j, o, s, e, f, i, n, e, Unterstrich, k, o, w, …") count as none
            while first > 0 and words < MAX_WORDS_BACK and not tokens[first - 1].ends_sentence \
                    and not _CURRENCY.search(tokens[first - 1].text):  # "£89 at Amazon": an amount is no address's
                first -= 1
                words += not _spelled_piece(tokens[first].text)
            # no punctuation ("And your email address Sarah that Johnson that example dot com"): the cue is
            # inside the walk, and the address starts after it
            # (not a domain after an at word: "et mailbox punkt ok")
            inside = [k for k in range(first, last) if _CUE.search(tokens[k].text)
                      and not (k > first and _AT_WORD.fullmatch(tokens[k - 1].text))]
            if inside:
                first = inside[-1] + 1
                while first < last and tokens[first].text.lower() in _AFTER_CUE:
                    first += 1
            if _AT_WORD.fullmatch(tokens[first].text.strip(",.;:")) and words < MAX_WORDS_BACK:
                continue  # no name before the at sign: "£240 at Booking.com" is a web site
            span_text = text[tokens[first].start : end]
            cue = inside or _CUE.search(text[max(0, tokens[first].start - CUE_WINDOW_CHARS) : tokens[first].start])
            if len(_AT_OR_DOT.findall(span_text)) < (1 if cue else 2):
                continue  # without an e-mail cue, a lone "… punkt de" is not enough evidence
            results.append(self.result(tokens[first].start, max(end, tokens[last].end), 0.6))
        return [r for r in results if not any(o is not r and o.start <= r.start and r.end <= o.end
                                                and (o.start, o.end) != (r.start, r.end) for o in results)]
