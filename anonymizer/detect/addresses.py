"""Postal addresses: street + house number (+ postcode + city), in German and English.

"Lindenstraße 12, 10115 Berlin", "linzen Straße 12 1015 Berlin" (ASR split the street and lost a
digit), "42 Maple Street, Springfield", "c/o …".
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

_DE_STREET_SUFFIX = r"(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt)"
_DE_CITY = r"(?:[,\s]+(?:\d{4,5}[,\s]+)?[A-ZÄÖÜ][\wäöüß-]+(?:\s(?:am|an der|im)\s[A-ZÄÖÜ][\wäöüß-]+)?)?"
_EN_STREET_SUFFIX = (r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|"
                     r"terrace|close|crescent|square|parkway|highway)")
_NUMBER_WORDS_EN = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                    r"sixty|seventy|eighty|ninety|hundred)")
_EN_CITY = r"(?:,\s*[A-Z][\w-]+(?:\s[A-Z][\w-]+)?(?:,?\s*[A-Z]{2}|\s[A-Z][a-z]+)?(?:\s\d{5}(?:-\d{4})?)?)?"

PATTERNS = {
    "de": [
        Pattern("street number",
                rf"\b[\wäöüß-]*(?i:{_DE_STREET_SUFFIX})\s+\d+(?:\s?[a-z])?\b{_DE_CITY}", 0.6),
        Pattern("street split", rf"\b[\wäöüß-]+[\s-](?i:{_DE_STREET_SUFFIX})\s+\d+(?:\s?[a-z])?\b{_DE_CITY}", 0.6),
        Pattern("postcode city", r"\b\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?\b", 0.4),
        Pattern("c/o", r"(?i)\bc\s?/\s?o\s+[A-ZÄÖÜ][\wäöüß-]+(?:\s[A-ZÄÖÜ][\wäöüß-]+)?", 0.6),
    ],
    "en": [
        Pattern("number street",
                rf"\b(?:\d{{1,5}}|{_NUMBER_WORDS_EN}(?:[\s-]{_NUMBER_WORDS_EN})*)\s+(?:[A-Z][\w-]*\s+){{1,3}}"
                rf"(?i:{_EN_STREET_SUFFIX})\b\.?{_EN_CITY}", 0.6),
        Pattern("zip", r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b", 0.4),
        Pattern("c/o", r"(?i)\bc\s?/\s?o\s+[A-Z][\w-]+(?:\s[A-Z][\w-]+)?", 0.6),
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
