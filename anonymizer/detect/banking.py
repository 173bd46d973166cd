"""IBANs and payment card numbers as dictated.

IBAN: country letters ("DE", "D E", "De", glued "DE89") followed by a digit run, or one token of
letters and digits ("GB90UHPP48867775675844"). With a valid
ISO 7064 mod-97 checksum it is IBAN_CODE at 0.95; when ASR mangled a digit (checksum fails), 12+
digits after country letters or after a context word ("IBAN", "Konto") still count, at 0.6.
Card: a run of 13–19 digits (separators ignored) with a valid Luhn checksum is CREDIT_CARD at 0.9;
without the checksum, a context word ("Kreditkarte", "card") is needed (0.6).
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from anonymizer.detect.addresses import CueRestRecognizer
from anonymizer.detect.digits import DigitRun, context_near, digit_runs
from anonymizer.detect.lexicon import lexicon
from anonymizer.detect.rules import DigitRunRecognizer, RuleRecognizer
from anonymizer.detect.tokens import Token, sentence_first

# country letters as ASR writes them: "DE", "D E", "D .E", "D -E", "B .D." (separators stripped)
_COUNTRY = re.compile(r"^[-.]?[A-Za-z]{2}[-.]?$")
_LETTER = re.compile(r"^[-.]?[A-Za-z][-.]?$")
_GLUED = re.compile(r"^([A-Z]{2})\d{2,}$")
_IBAN_PART = re.compile(r"^[-.]?[A-Z0-9]{1,5}[-.,]?$")  # "GB", "29", "SPHP", "GB42", "-O", "-77,"
# the country, check digits and a bank code of up to 8 letters or digits
IBAN_HEAD_CHARS = 12
_COMPACT = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")  # "GB90UHPP48867775675844" written as one token
# "GB -51 -KG -Y -O -6236 -6514 -7718 -27": country letters, check digits, then 10+ letters/digits in
# groups however ASR separated them (British and other IBANs carry a letter bank code)
_MANGLED = re.compile(r"\b[A-Z][\s.-]{0,2}[A-Z][\s,.-]*\d[\s,.-]*\d(?:[\s,.-]+-?[A-Z0-9]{1,5}){3,}\b")


# the countries of the IBAN registry (SWIFT): "GB, 72," before a long digit run is an IBAN's head
IBAN_COUNTRIES = frozenset([
    "AD", "AE", "AL", "AT", "AZ", "BA", "BE", "BG", "BH", "BI", "BR", "BY", "CH", "CR", "CY", "CZ", "DE", "DJ",
    "DK", "DO", "EE", "EG", "ES", "FI", "FK", "FO", "FR", "GB", "GE", "GI", "GL", "GR", "GT", "HN", "HR", "HU",
    "IE", "IL", "IQ", "IS", "IT", "JO", "KW", "KZ", "LB", "LC", "LI", "LT", "LU", "LV", "LY", "MC", "MD", "ME",
    "MK", "MN", "MR", "MT", "MU", "NI", "NL", "NO", "OM", "PK", "PL", "PS", "PT", "QA", "RO", "RS", "RU", "SA",
    "SC", "SD", "SE", "SI", "SK", "SM", "SO", "ST", "SV", "TL", "TN", "TR", "UA", "VA", "VG", "XK", "YE"])
_CHECK_DIGITS = re.compile(r"^[-.]?\d\d[-.,]?$")
# one capital before the country letters is ASR's ("RGB67": "… are GB67")
_GLUED_HEAD = re.compile(r"^[-.]?[A-Z]?([A-Z]{2})\d\d[-.,]?$")
IBAN_HEAD_TOKENS = 6


def iban_head(tokens: tuple[Token, ...], run: DigitRun) -> int | None:
    """The token starting an IBAN's head — registry country letters and two check digits ("GB, 72,", or
    as one token "GB11,", "RGB67,") — within ``IBAN_HEAD_TOKENS`` before ``run``, with only short parts between
    ("the TYH,": ASR's bank code)."""
    for k in range(run.first - 1, max(-1, run.first - 2 - IBAN_HEAD_TOKENS), -1):
        glued = _GLUED_HEAD.match(tokens[k].text)
        if glued and glued.group(1) in IBAN_COUNTRIES:
            rest = k + 1
        elif k + 1 < run.first and _letters(tokens[k].text) in IBAN_COUNTRIES \
                and len(tokens[k].text.strip("-.,")) == 2 and _CHECK_DIGITS.match(tokens[k + 1].text):
            rest = k + 2
        else:
            continue
        if all(len(t.text.strip("-.,")) <= 5 for t in tokens[rest : run.first]):
            return k
    return None


def iban_checksum_ok(iban: str) -> bool:
    """ISO 13616 / ISO 7064 mod 97-10.

    >>> iban_checksum_ok("DE89370400440532013000"), iban_checksum_ok("DE89370400440532013001")
    (True, False)
    """
    iban = iban.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of a card number.

    >>> luhn_ok("4111111111111111"), luhn_ok("4111111111111112")
    (True, False)
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def country_before(tokens: tuple[Token, ...], run: DigitRun) -> tuple[str, int] | None:
    """The country code written before (or glued to) the run, and the index of its first token."""
    glued = _GLUED.match(tokens[run.first].text)
    if glued:
        return glued.group(1), run.first
    i = run.first
    if i >= 1 and _COUNTRY.match(tokens[i - 1].text) and _letters(tokens[i - 1].text)[0].isupper():
        return _letters(tokens[i - 1].text).upper(), i - 1
    if i >= 2 and _LETTER.match(tokens[i - 1].text) and _LETTER.match(tokens[i - 2].text):
        return (_letters(tokens[i - 2].text) + _letters(tokens[i - 1].text)).upper(), i - 2
    return None


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


class SpokenIbanRecognizer(DigitRunRecognizer):
    """IBANs: checksum when intact, country letters or context when ASR mangled a digit."""

    def __init__(self, supported_language: str) -> None:
        self.context_words = lexicon(supported_language).iban_context
        super().__init__("IBAN_CODE", supported_language)

    def match(self, text: str, tokens: tuple[Token, ...], run: DigitRun) -> RecognizerResult | None:
        if run.n_digits < 10:
            return None
        country = country_before(tokens, run)
        start, score = run.start, 0.0
        compact = tokens[run.first].text
        if run.first == run.last and _COMPACT.match(compact):
            score = 0.95 if iban_checksum_ok(compact) else 0.6  # "GP90QHPP…": a misheard country letter
        elif country is not None:
            start = tokens[country[1]].start
            score = 0.95 if iban_checksum_ok(country[0] + run.digits) else (0.6 if run.n_digits >= 12 else 0.0)
        elif run.n_digits >= 12 and (head := iban_head(tokens, run)) is not None:
            start, score = tokens[head].start, 0.6
        elif run.n_digits >= 12 and (context_near(tokens, run.first, self.context_words)
                                     or (run.first > 0 and _LETTER.match(tokens[run.first - 1].text)
                                         and tokens[run.first - 1].text.isupper())):
            score = 0.6  # "D -889 -37004 …": one letter of the country code survived
            if run.first > 0 and _LETTER.match(tokens[run.first - 1].text):
                start = tokens[run.first - 1].start
        if not score:
            return None
        # "GB 29 SPHP 02314891641380", "G -B -77, G -O -Z -R -3195": the country, check digits and bank
        # code ASR wrote apart go with it
        first = next(k for k, t in enumerate(tokens) if t.end > start)
        head = sum(ch.isalnum() for t in tokens[first : run.first] for ch in t.text)
        while first > 0 and _IBAN_PART.match(tokens[first - 1].text):
            head += sum(ch.isalnum() for ch in tokens[first - 1].text)
            if head > IBAN_HEAD_CHARS:
                break
            first -= 1
        return self.result(min(start, tokens[first].start), run.end, score)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts)
        for match in _MANGLED.finditer(text):
            if sum(ch.isdigit() for ch in match.group()) >= 10:
                results.append(self.result(match.start(), match.end(), 0.6))
        results += [self.result(start, end, 0.6) for start, end in self._lone_heads(text)]
        # one finding per IBAN: drop those inside a wider one, or on the same span with a lower score
        results = [r for r in results if not any(_outranks(o, r) for o in results)]
        return list({(r.start, r.end): r for r in results}.values())


    def _lone_heads(self, text: str) -> list[tuple[int, int]]:
        """An IBAN's head said on its own — the other side acknowledged it before the rest ("Die IBAN, DE zwei
        sieben. Mhm. …", "My IBAN is GB29 NWBK. Okay. …"): registry country letters and two check digits after
        an IBAN word, or before a bank code's block of four; with the short parts after it in its sentence.

        >>> r = SpokenIbanRecognizer("de")
        >>> [text[a:b] for text in ("Die IBAN, DE zwei sieben. Mhm.", "Die IBAN ist GB29 NWBK. Okay.",
        ...                         "Das kostet DE 27 Euro.") for a, b in r._lone_heads(text)]
        ['DE zwei sieben', 'GB29 NWBK']
        """
        tokens, runs = digit_runs(text, self.supported_language)
        heads = [(k, k) for k, t in enumerate(tokens)
                 if (m := _GLUED_HEAD.match(t.text)) and m.group(1) in IBAN_COUNTRIES]
        for run in runs:
            country = country_before(tokens, run)
            if country is not None and country[0] in IBAN_COUNTRIES and len(run.digits) == 2 \
                    and country[1] < run.first:
                heads.append((country[1], run.last))
        out = []
        for first, last in heads:
            after = tokens[last + 1] if last + 1 < len(tokens) and not tokens[last].ends_sentence else None
            block = after is not None and re.fullmatch(r"[A-Z0-9]{4}", after.text) is not None
            if not (block or context_near(tokens, first, self.context_words)):
                continue
            end, chars = last, 0
            while not tokens[end].ends_sentence and end + 1 < len(tokens) and _IBAN_PART.match(tokens[end + 1].text):
                chars += sum(ch.isalnum() for ch in tokens[end + 1].text)
                if chars > IBAN_HEAD_CHARS:
                    break
                end += 1
            out.append((tokens[first].start, tokens[end].end))
        return out


def _outranks(o: RecognizerResult, r: RecognizerResult) -> bool:
    covers = o is not r and o.start <= r.start and r.end <= o.end
    return covers and ((o.start, o.end) != (r.start, r.end) or o.score > r.score)


class SpokenCardRecognizer(DigitRunRecognizer):
    """Payment card numbers: 13–19 digits, Luhn or a context word."""

    def __init__(self, supported_language: str) -> None:
        self.context_words = lexicon(supported_language).card_context
        super().__init__("CREDIT_CARD", supported_language)

    def match(self, text: str, tokens: tuple[Token, ...], run: DigitRun) -> RecognizerResult | None:
        if not 13 <= run.n_digits <= 19 or country_before(tokens, run) is not None:
            return None
        if luhn_ok(run.digits):
            return self.result(run.start, run.end, 0.9)
        if context_near(tokens, run.first, self.context_words):
            return self.result(run.start, run.end, 0.6)
        return None


LAST_DIGITS_WORDS = 6  # the words after a last-digits cue taken as the digits


class CueLastDigitsRecognizer(CueRestRecognizer):
    """The words after "card ending in" / "Karte endet auf" (up to six, in that sentence): the last digits
    of a card, with or without a number in them — ASR writes four digits said fast as words ("the card
    ending, fix him and free him"). Up to the last number when there is one; without one, not a rest that
    starts with a word the digits never start with ("are on the back", "sind nicht lesbar") nor a question's
    rest ("Which card ending do you mean?")."""

    def holds_value(self, rest: str, asks: bool) -> bool:
        words = rest.lower().split()
        if not words or super().holds_value(rest, asks):
            return bool(words)
        return not asks and words[0].strip(",.;:") not in self.not_openers

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        _, runs = digit_runs(text, self.supported_language)  # the call's runs, cached for every recognizer
        results = []
        for result in super().analyze(text, entities, nlp_artifacts):
            ends = [run.end for run in runs if result.start <= run.start and run.end <= result.end]
            results.append(self.result(result.start, ends[-1] if ends else result.end, result.score))
        return results

    def __init__(self, supported_language: str) -> None:
        lex = lexicon(supported_language)
        self.not_openers = lex.last_digits_not_openers
        super().__init__("CREDIT_CARD", supported_language, lex.last_digits_cues, LAST_DIGITS_WORDS - 1)


EXPIRY_WORDS = 4  # a card's expiry after its cue: "läuft ab zehn sechsundzwanzig", "expires March '28"
EXPIRY_CONTEXT_SENTENCES = 2  # a card named in the cue's sentence or one of the two before it


class CueExpiryRecognizer(RuleRecognizer):
    """A card's expiry said after its cue ("die läuft ab zehn sechsundzwanzig", "it expires March '28"; the
    lexicon's ``card.expiry_cues``) when a card is named in that sentence or the two before it: up to four words,
    to the last number or month among them ("Ihr Vertrag läuft ab Juni" names no card)."""

    def __init__(self, supported_language: str) -> None:
        lex = lexicon(supported_language)
        self.cues = [c.split() for c in lex.expiry_cues]
        self.context_words = lex.card_context
        self.months = frozenset(lex.months)
        super().__init__("CREDIT_CARD", supported_language)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        if not self.cues:
            return []
        tokens, runs = digit_runs(text, self.supported_language)
        in_runs = {k for run in runs for k in range(run.first, run.last + 1)}
        words = [t.text.lower().strip(",.;:!?'") for t in tokens]
        results = []
        for i in range(len(tokens)):
            cue = next((c for c in self.cues if words[i : i + len(c)] == c), None)
            if cue is None:
                continue
            first = i + len(cue)
            since = i
            for _ in range(EXPIRY_CONTEXT_SENTENCES + 1):
                since = sentence_first(tokens, since)
                if since == 0:
                    break
                since -= 1
            before = " ".join(words[since:i])
            if not any(c in before for c in self.context_words):
                continue
            last = None
            for k in range(first, min(first + EXPIRY_WORDS, len(tokens))):
                if k in in_runs or words[k] in self.months:
                    last = k
                if tokens[k].raw.endswith((".", "?", "!")):
                    break
            if last is not None:
                results.append(self.result(tokens[first].start, tokens[last].end, 0.6))
        return results
