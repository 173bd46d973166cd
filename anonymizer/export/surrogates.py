"""Realistic fake values for the text of a training set (Faker, de_DE/en_US).

The same value in one call gets the same fake (seeded by the call and the value), formats look real
(IBAN with a valid check, card numbers with a valid Luhn digit, phone numbers of the locale), and a
number keeps its count of digits. Only for audio redacted with silence or noise: a fake name over a bleep
would teach a model that a tone says "Müller".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

LOCALES = {"de": "de_DE", "en": "en_US"}
MAX_ATTEMPTS = 20
NO_VALUE = {"UNCERTAIN", "UNTRANSCRIBED_SPEECH", "REDACTED"}  # no words to replace: the text leaves them out


@cache
def _faker(language: str) -> Any:
    from faker import Faker

    return Faker(LOCALES.get(language, "en_US"))


def _digits_like(raw: str, fake: Any) -> str:
    n = max(1, len(re.sub(r"\D", "", raw)) or len(raw.split()))
    return "".join(str(fake.random_digit()) for _ in range(n))


def _name(raw: str, fake: Any) -> str:
    n = len(raw.split())
    return fake.last_name() if n <= 1 else fake.first_name() + " " + " ".join(fake.last_name() for _ in range(n - 1))


MAKERS: dict[str, Callable[[str, Any], str]] = {
    "PERSON": _name,
    "SPELLED_NAME": lambda raw, f: f.last_name(),
    "SPELLED_OUT": lambda raw, f: f.last_name(),
    "LOCATION": lambda raw, f: f.city(),
    "ADDRESS": lambda raw, f: f.street_address(),
    "EMAIL_ADDRESS": lambda raw, f: f.email(),
    "PHONE_NUMBER": lambda raw, f: f.phone_number(),
    "IBAN_CODE": lambda raw, f: f.iban(),
    "CREDIT_CARD": lambda raw, f: f.credit_card_number(),
    "DATE_OF_BIRTH": lambda raw, f: f.date_of_birth().strftime("%d.%m.%Y"),
    "DATE_TIME": lambda raw, f: f.date_of_birth().strftime("%d.%m.%Y"),
    "URL": lambda raw, f: f.url(),
    "IP_ADDRESS": lambda raw, f: f.ipv4(),
}


def _tokens(text: str) -> set[str]:
    """The words (3+ letters) and the digits of ``text``, lower case."""
    lowered = text.lower()
    return set(re.findall(r"[^\W\d_]{3,}", lowered)) | ({re.sub(r"\D", "", lowered)} - {""})


class Surrogates:
    """Fakes for one call: ``fake(type, raw)`` is stable for a value within the call and across runs."""

    def __init__(self, call_key: str, language: str, avoid: Iterable[str] = ()) -> None:
        """``avoid``: every redacted value of the call; no fake shares a word (or a number) with any of them."""
        self.call_key = call_key
        self.language = language
        self.avoid = frozenset(w for raw in avoid for w in _tokens(raw))

    def fake(self, entity: str, raw: str) -> str:
        if entity in NO_VALUE or not raw.strip():
            return ""
        value = " ".join(raw.lower().split())
        own = _tokens(value) | self.avoid
        fake = _faker(self.language)
        for attempt in range(MAX_ATTEMPTS):  # never the value itself, nor a word of it ("Miller" for "Miller")
            key = f"{self.call_key}\0{entity}\0{value}\0{attempt}".encode()
            fake.seed_instance(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))
            made = MAKERS.get(entity, _digits_like)(raw, fake)
            if not own & _tokens(made):
                return made
        return ""  # no fake unlike the value (a one-digit number, twenty times the same digit): leave it out
