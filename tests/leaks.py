"""Which ground-truth PII values can still be read in a (re-)transcript."""

from __future__ import annotations

import re

# parts of an address or e-mail that are not personal on their own
GENERIC = {"street", "straße", "strasse", "road", "avenue", "lane"}


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-zäöüß]", "", text.lower())


def value_tokens(label: str, value: str) -> tuple[list[str], list[str]]:
    """(words, digit strings) that would reveal the value if heard again."""
    words = [w for w in re.findall(r"[^\W\d_]{4,}", value.lower()) if w not in GENERIC]
    digits = "".join(re.findall(r"\d", value))
    if label == "DATE_OF_BIRTH":
        years = re.findall(r"\d{4}", value)
        return words, years
    if label == "ADDRESS":
        return words, re.findall(r"\d{5}", value)  # the postcode; house numbers are too short to tell
    if len(digits) >= 4:
        grams = {digits[i : i + 5] for i in range(max(1, len(digits) - 4))}
        return words, sorted(grams)
    return words, []


def leaked(label: str, value: str, transcript: str) -> list[str]:
    """The tokens of ``value`` found in ``transcript`` (empty: nothing leaked)."""
    words, digit_strings = value_tokens(label, value)
    squashed = _squash(transcript)
    digit_stream = "".join(re.findall(r"\d", transcript))
    hits = [w for w in words if w in squashed]
    hits += [d for d in digit_strings if d in digit_stream]
    return hits
