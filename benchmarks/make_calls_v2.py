"""Synthetic evaluation corpus v2: customer-service calls with exact PII and distractor truth.

Written independently of ``benchmarks/make_privacy_corpus.py`` and of the detection rules, so that
measurements on it are not flattered by phrasings the rules were tuned on. The dialogue lines below
are all new; they cover volunteered data, varied questions, corrections and restarts, items split
across turns, agents reading data back, numbers in mixed spoken forms, short personal numbers
(house/flat numbers, PINs, codes) and harmless numbers and names ("distractors") that must survive.

Audio: espeak-ng voices (MBROLA and espeak-ng's own with variants), chunk by chunk, so the time of
every PII item, phrase and distractor is known to the sample. In some calls the customer dictates a
number in a real human voice (FSDD English digits, Heidelberg German digits from
/work/shared/data/speakers), spliced in place of the TTS digits. Conditions (mono/stereo, 8/16 kHz,
WAV/FLAC/MP3/Opus, noise, level differences) are spread over the corpus by the seed.

Needs: espeak-ng, mbrola and mbrola-{de3,de4,de5,de6,de7,us3,en1} (Debian contrib/non-free), Faker.
Run: ``python benchmarks/make_calls_v2.py OUT_DIR [--calls 48] [--seed 2026]``
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import time
import wave
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.signal import butter, resample_poly, sosfiltfilt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from anonymizer.audio import OutputFormat, decode, write_atomic  # noqa: E402
from anonymizer.types import Audio  # noqa: E402

RATE = 16000  # synthesis rate; all positions are counted in samples at this rate
SPEAKERS_DIR = Path("/work/shared/data/speakers")

# ---------------------------------------------------------------------------------------------
# dialogue model


@dataclass
class P:
    """A PII item. ``parts`` (optional) mixes TTS text and real-voice digit groups."""

    label: str
    value: str
    text: str
    parts: list | None = None  # [("tts", text) | ("real", [digit groups])]
    full_value: str | None = None  # for an item split across turns: the whole value


@dataclass
class D:
    """A distractor: harmless speech that must not be redacted (also listed as a phrase)."""

    category: str
    text: str


def A(*chunks):
    return ("agent", list(chunks))


def C(*chunks):
    return ("customer", list(chunks))


def n_pii(turns):
    return sum(isinstance(c, P) for _, cs in turns for c in cs)


def n_dis(turns):
    return sum(isinstance(c, D) for _, cs in turns for c in cs)


# ---------------------------------------------------------------------------------------------
# numbers in words

DE_UNITS = ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"]
DE_TEENS = ["zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn",
            "neunzehn"]
DE_TENS = ["", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"]
DE_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
             "November", "Dezember"]
EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
EN_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen"]
EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]


def de_num(n: int) -> str:
    if n < 10:
        return DE_UNITS[n]
    if n < 20:
        return DE_TEENS[n - 10]
    if n < 100:
        t, u = divmod(n, 10)
        return DE_TENS[t] if u == 0 else ("ein" if u == 1 else DE_UNITS[u]) + "und" + DE_TENS[t]
    if n < 1000:
        h, r = divmod(n, 100)
        return ("" if h == 1 else DE_UNITS[h]) + "hundert" + (de_num(r) if r else "")
    th, r = divmod(n, 1000)
    return ("ein" if th == 1 else de_num(th)) + "tausend" + (de_num(r) if r else "")


def de_year(y: int) -> str:
    if 1100 <= y < 2000:
        return de_num(y // 100) + "hundert" + (de_num(y % 100) if y % 100 else "")
    return de_num(y)


def de_ord(n: int, ending: str) -> str:
    stem = {1: "ers", 3: "drit", 7: "sieb", 8: "ach"}.get(n, de_num(n))
    return stem + ("t" if n < 20 else "st") + ending


def en_num(n: int, uk: bool = False) -> str:
    if n < 10:
        return EN_UNITS[n]
    if n < 20:
        return EN_TEENS[n - 10]
    if n < 100:
        t, u = divmod(n, 10)
        return EN_TENS[t] + ("" if u == 0 else "-" + EN_UNITS[u])
    if n < 1000:
        h, r = divmod(n, 100)
        return EN_UNITS[h] + " hundred" + ((" and " if uk else " ") + en_num(r) if r else "")
    th, r = divmod(n, 1000)
    rest = "" if not r else (" and " if uk and r < 100 else " ") + en_num(r, uk)
    return en_num(th) + " thousand" + rest


def en_year(y: int, rng: random.Random) -> str:
    if 2000 <= y < 2010:
        return "two thousand" + ("" if y == 2000 else " and " + EN_UNITS[y - 2000] if rng.random() < 0.3
                                 else " " + EN_UNITS[y - 2000] if y > 2000 else "")
    hi, lo = divmod(y, 100)
    if lo == 0:
        return en_num(hi) + " hundred"
    if lo < 10:
        return en_num(hi) + " oh " + EN_UNITS[lo]
    if y >= 2010 and rng.random() < 0.4:
        return "two thousand " + en_num(y - 2000)
    return en_num(hi) + " " + en_num(lo)


def en_ord(n: int) -> str:
    irregular = {1: "first", 2: "second", 3: "third", 5: "fifth", 8: "eighth", 9: "ninth", 12: "twelfth"}
    if n in irregular:
        return irregular[n]
    if n < 20:
        return en_num(n) + "th"
    t, u = divmod(n, 10)
    if u == 0:
        return EN_TENS[t][:-1] + "ieth"
    return EN_TENS[t] + "-" + en_ord(u)


def de_group(g: str, style: str, rng: random.Random) -> str:
    """A group of digits in German: 'single' (vier sieben), 'pairs' (siebenundvierzig elf), 'hundreds'."""
    two = "zwo" if rng.random() < 0.25 else "zwei"
    single = lambda d: two if d == "2" else DE_UNITS[int(d)]  # noqa: E731
    if style == "single" or len(g) == 1:
        return " ".join(single(d) for d in g)
    if style == "hundreds" and len(g) == 3 and g[0] != "0":
        return de_num(int(g))
    words, i = [], 0
    if len(g) % 2:  # odd: a single digit first
        words.append(single(g[0]))
        i = 1
    while i < len(g):
        pair = g[i:i + 2]
        words.append(" ".join(single(d) for d in pair) if pair[0] == "0" else de_num(int(pair)))
        i += 2
    return " ".join(words)


def en_group(g: str, style: str, rng: random.Random, oh: bool) -> str:
    """A group of digits in English: 'single', 'runs' (double five, triple zero), 'pairs', 'hundreds'."""
    zero = "oh" if oh else "zero"
    single = lambda d: zero if d == "0" else EN_UNITS[int(d)]  # noqa: E731
    if style == "single" or len(g) == 1:
        return " ".join(single(d) for d in g)
    if style == "runs":
        out, i = [], 0
        while i < len(g):
            j = i
            while j < len(g) and g[j] == g[i]:
                j += 1
            run = j - i
            if run == 2:
                out.append("double " + single(g[i]))
            elif run == 3:
                out.append("triple " + single(g[i]))
            else:
                out.extend(single(g[i]) for _ in range(run))
            i = j
        return " ".join(out)
    if style == "hundreds" and len(g) == 3 and g[0] != "0":
        if g[1:] == "00":
            return EN_UNITS[int(g[0])] + " hundred"
        if rng.random() < 0.5:
            return en_num(int(g))
        return EN_UNITS[int(g[0])] + " " + (single(g[1]) + " " + single(g[2]) if g[1] == "0" else en_num(int(g[1:])))
    words, i = [], 0
    if len(g) % 2:
        words.append(single(g[0]))
        i = 1
    while i < len(g):
        pair = g[i:i + 2]
        if pair == "00":
            words.append("double " + zero if rng.random() < 0.5 else zero + " " + zero)
        elif pair[0] == "0":
            words.append(zero + " " + single(pair[1]))
        else:
            words.append(en_num(int(pair)))
        i += 2
    return " ".join(words)


def split_groups(digits: str, sizes: list[int]) -> list[str]:
    out, i = [], 0
    for s in sizes:
        if i >= len(digits):
            break
        out.append(digits[i:i + s])
        i += s
    if i < len(digits):
        out.append(digits[i:])
    return out


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, d in enumerate(reversed(body)):
        v = int(d)
        if i % 2 == 0:
            v *= 2
            v -= 9 if v > 9 else 0
        total += v
    return body + str((10 - total % 10) % 10)


def iban(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    check = 98 - int(numeric) % 97
    return f"{country}{check:02d}{bban}"


# ---------------------------------------------------------------------------------------------
# fixed vocabularies (all fictional companies and products)

COMPANIES = {
    "de": {
        "energy": ["Voltara Energie", "Stadtwerke Ellerbrück", "Helios Strom"],
        "telecom": ["Linka Telekom", "Funkwelle Mobil", "Netzwerk Süd"],
        "insurance": ["Alvena Versicherung", "Treuwert Versicherung", "Hanse Schutzbund"],
        "shop": ["Mondo Markt", "Versandhaus Brenner", "Kauflotse"],
        "bank": ["Kontora Bank", "Volkskasse Hohenlinden", "Rheinufer Bank"],
    },
    "en": {
        "energy": ["Brightwell Energy", "Evergreen Power", "Harbour Gas and Electric"],
        "telecom": ["Skyline Mobile", "Lumen Broadband", "Corvo Telecom"],
        "insurance": ["Ashford Mutual", "Keystone Insurance", "Bluehaven Cover"],
        "shop": ["Parcel Parade", "Northgate Home", "Clickmart"],
        "bank": ["Riverside Savings", "Thistle Bank", "Meridian Credit Union"],
    },
}
INDUSTRIES = ["energy", "telecom", "insurance", "shop", "bank"]

DE_WORD_SURNAMES = ["Koch", "Schmidt", "Wolf", "Fuchs", "Vogel", "Bauer", "Becker", "Schneider", "Fischer", "Braun",
                    "Sommer", "Winter", "Hahn", "Jung", "Kaiser", "Lange", "Krause", "Engel", "Busch", "Stein"]
DE_HOMOPHONES = [["Meyer", "Meier", "Maier", "Mayer"], ["Schmidt", "Schmitt", "Schmid"], ["Hoffmann", "Hofmann"],
                 ["Wolf", "Wolff"], ["Vogt", "Voigt"], ["Lehmann", "Lemann"], ["Seidel", "Seidl"],
                 ["Thomas", "Tomas"], ["Philipp", "Filipp"], ["Kühn", "Kuehn"]]
DE_DOUBLE = ["Schulte-Brinkmann", "Meyer-Lüdtke", "Hahn-Oberdorf", "Koch-Weber", "Brandt-Sörensen", "Ritter-Kahl"]
EN_WORD_SURNAMES = ["Bird", "Young", "Baker", "Cook", "Green", "Wood", "Hill", "King", "Brown", "Fox", "Rich",
                    "Price", "Long", "Short", "Hope", "Day", "Moody", "Sharp"]
EN_HOMOPHONES = [["Smith", "Smyth"], ["Reid", "Reed", "Read"], ["Clark", "Clarke"], ["Thompson", "Thomson"],
                 ["Phillips", "Philips"], ["Gray", "Grey"], ["Stewart", "Stuart"], ["Bennett", "Benett"],
                 ["Ellis", "Elis"], ["Anderson", "Andersen"]]
EN_DOUBLE = ["Hughes-Whitfield", "Carter-Lowe", "Ashby-Grant", "Okafor-Reid", "Patel-Morgan"]

DE_STREET_STEMS = ["Linden", "Birken", "Eichen", "Rosen", "Garten", "Schiller", "Kastanien", "Ahorn", "Tannen",
                   "Wiesen", "Feld", "Kirch", "Berg", "Bahnhof", "Sonnen", "Holunder", "Hasel", "Lerchen",
                   "Buchen", "Fontane", "Brunnen", "Kolping", "Schwalben", "Uhland"]
DE_STREET_SUFFIX = ["straße", "weg", "allee", "ring", "gasse", "platz", "steig", "pfad", "damm", "ufer"]
DE_PREP_STREETS = ["Am Mühlbach", "Am Sonnenhang", "Im Winkel", "Im Grund", "An der Alten Post", "An den Eichen",
                   "Auf der Höhe", "Hinter der Kirche", "Zum Steinbruch", "Am Erlenbach", "In den Gärten",
                   "Am Hohen Rain", "Unter den Weiden", "Auf dem Kamp", "Zur Alten Ziegelei"]
DE_BACH = ["Erlenbach", "Rotbach", "Kaltenbach", "Weidenbach"]
DE_CITIES = [("Tübingen", "72"), ("Kassel", "34"), ("Rostock", "18"), ("Bamberg", "96"), ("Gießen", "35"),
             ("Lüneburg", "21"), ("Passau", "94"), ("Jena", "07"), ("Koblenz", "56"), ("Bielefeld", "33"),
             ("Offenburg", "77"), ("Zwickau", "08"), ("Wuppertal", "42"), ("Ulm", "89")]
EN_STREET_STEMS = ["Oak", "Maple", "Willow", "Church", "Mill", "Station", "Victoria", "Chapel", "Orchard", "Elm",
                   "Hawthorn", "Cedar", "Park", "Bridge", "Meadow", "Kingfisher", "Primrose", "Ash", "Birch",
                   "Heather", "Juniper", "Foxglove"]
EN_STREET_SUFFIX = ["Lane", "Road", "Street", "Avenue", "Close", "Crescent", "Drive", "Way", "Gardens", "Terrace",
                    "Court", "Place"]
UK_TOWNS = [("Leeds", "LS"), ("Bristol", "BS"), ("Cardiff", "CF"), ("York", "YO"), ("Oxford", "OX"),
            ("Newcastle", "NE"), ("Norwich", "NR"), ("Exeter", "EX"), ("Sheffield", "S"), ("Derby", "DE")]
US_TOWNS = [("Columbus", "Ohio", "432"), ("Portland", "Oregon", "972"), ("Austin", "Texas", "787"),
            ("Madison", "Wisconsin", "537"), ("Raleigh", "North Carolina", "276"), ("Denver", "Colorado", "802"),
            ("Tucson", "Arizona", "857")]

DE_ALPHA_OLD = {"A": "Anton", "B": "Berta", "C": "Cäsar", "D": "Dora", "E": "Emil", "F": "Friedrich",
                "G": "Gustav", "H": "Heinrich", "I": "Ida", "J": "Julius", "K": "Kaufmann", "L": "Ludwig",
                "M": "Martha", "N": "Nordpol", "O": "Otto", "P": "Paula", "Q": "Quelle", "R": "Richard",
                "S": "Samuel", "T": "Theodor", "U": "Ulrich", "V": "Viktor", "W": "Wilhelm", "X": "Xanthippe",
                "Y": "Ypsilon", "Z": "Zacharias", "Ä": "Ärger", "Ö": "Ökonom", "Ü": "Übermut"}
DE_ALPHA_NEW = {"A": "Aachen", "B": "Berlin", "C": "Chemnitz", "D": "Düsseldorf", "E": "Essen", "F": "Frankfurt",
                "G": "Goslar", "H": "Hamburg", "I": "Ingelheim", "J": "Jena", "K": "Köln", "L": "Leipzig",
                "M": "München", "N": "Nürnberg", "O": "Offenbach", "P": "Potsdam", "Q": "Quickborn", "R": "Rostock",
                "S": "Salzwedel", "T": "Tübingen", "U": "Unna", "V": "Völklingen", "W": "Wuppertal", "X": "Xanten",
                "Y": "Ypsilon", "Z": "Zwickau", "Ä": "Umlaut Aachen", "Ö": "Umlaut Offenbach", "Ü": "Umlaut Unna"}
NATO = {"A": "Alpha", "B": "Bravo", "C": "Charlie", "D": "Delta", "E": "Echo", "F": "Foxtrot", "G": "Golf",
        "H": "Hotel", "I": "India", "J": "Juliet", "K": "Kilo", "L": "Lima", "M": "Mike", "N": "November",
        "O": "Oscar", "P": "Papa", "Q": "Quebec", "R": "Romeo", "S": "Sierra", "T": "Tango", "U": "Uniform",
        "V": "Victor", "W": "Whiskey", "X": "X-ray", "Y": "Yankee", "Z": "Zulu"}
EN_AS_IN = {"A": "apple", "B": "bravo", "C": "Charlie", "D": "dog", "E": "echo", "F": "Freddie", "G": "George",
            "H": "Harry", "I": "India", "J": "Jack", "K": "king", "L": "London", "M": "Mary", "N": "Nelly",
            "O": "orange", "P": "Peter", "Q": "queen", "R": "Robert", "S": "Sam", "T": "Tommy", "U": "uncle",
            "V": "Victor", "W": "William", "X": "X-ray", "Y": "yellow", "Z": "zebra"}

BABBLE = {
    "de": ["Kannst du mir mal kurz den Ordner rüberreichen", "Ich hol mir noch schnell einen Kaffee",
           "Die Besprechung ist auf nachher verschoben worden", "Hast du die Mail von der Teamleitung gelesen",
           "Wir müssen das morgen noch einmal durchgehen", "Ja, ich bin gleich bei dir",
           "Der Drucker streikt schon wieder", "Sag mal, wer hat eigentlich Spätschicht heute"],
    "en": ["Could you pass me that folder over there", "I'm just going to grab a coffee quickly",
           "The team meeting got pushed back again", "Did you see the email from the supervisor",
           "We should go through that again tomorrow", "Yeah I'll be with you in a second",
           "The printer is jammed again", "Who's on the late shift today anyway"],
}

# voices: (espeak-ng voice, gender); the old sample calls use mb-de1, mb-de2, mb-us1, mb-us2, so those are avoided.
VOICE_POOL = {
    "de": [("mb-de3", "f"), ("mb-de4", "m"), ("mb-de5", "f"), ("mb-de6", "m"), ("mb-de7", "f"), ("de+f3", "f"),
           ("de+m3", "m"), ("de+f5", "f"), ("de+klatt4", "m"), ("de+f2", "f"), ("de+m7", "m")],
    "en": [("mb-us3", "m"), ("mb-en1", "m"), ("en-us+f2", "f"), ("en-gb+f4", "f"), ("en-us+m3", "m"),
           ("en-gb-x-rp+Andrea", "f"), ("mb-de5-en", "f"), ("en-gb+m4", "m"), ("en-us+f5", "f"),
           ("en-gb-scotland+m2", "m")],
}
REAL_DIGIT_SPEAKERS = {"de": ["speaker-02", "speaker-07", "speaker-09", "speaker-10"],
                       "en": ["jackson", "nicolas", "george", "yweweler"]}


# ---------------------------------------------------------------------------------------------
# the call builder: persona, values and the dialogue blocks


class Builder:
    def __init__(self, lang: str, industry: str, rng: random.Random, faker_seed: int, want_real: int):
        from faker import Faker

        self.lang, self.industry, self.r = lang, industry, rng
        self.uk = lang == "en" and rng.random() < 0.55  # British or American flavour for English calls
        locale = "de_DE" if lang == "de" else ("en_GB" if self.uk else "en_US")
        self.fake = Faker(locale)
        self.fake.seed_instance(faker_seed)
        self.real_left = want_real
        self.company = rng.choice(COMPANIES[lang][industry])
        self.customer_gender = rng.choice("fm")
        self.first = self._first(self.customer_gender)
        self.last = self._surname()
        self.agent_gender = rng.choice("fm")
        self.agent_first = self._first(self.agent_gender)
        self.agent_last = self.fake.last_name()
        self.volunteered: set[str] = set()
        self.oh = self.uk or rng.random() < 0.3

    # --- small helpers -----------------------------------------------------------------------
    def pick(self, seq):
        return self.r.choice(seq)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def _first(self, gender: str) -> str:
        name = self.fake.first_name_female() if gender == "f" else self.fake.first_name_male()
        return name.split()[0].split("-")[0] if self.chance(0.7) else name

    def _surname(self) -> str:
        roll = self.r.random()
        if self.lang == "de":
            if roll < 0.25:
                return self.pick(DE_WORD_SURNAMES)
            if roll < 0.45:
                self.homophones = self.pick(DE_HOMOPHONES)
                return self.homophones[0]
            if roll < 0.55:
                return self.pick(DE_DOUBLE)
        else:
            if roll < 0.25:
                return self.pick(EN_WORD_SURNAMES)
            if roll < 0.45:
                self.homophones = self.pick(EN_HOMOPHONES)
                return self.homophones[0]
            if roll < 0.55:
                return self.pick(EN_DOUBLE)
        return self.fake.last_name().split()[-1]

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    def title(self) -> str:
        if self.lang == "de":
            return "Frau" if self.customer_gender == "f" else "Herr"
        return self.pick(["Ms", "Mrs", "Miss"]) if self.customer_gender == "f" else "Mr"

    def um(self, p: float = 0.35) -> str:
        """A filler at the start of a customer's sentence (or nothing)."""
        if not self.chance(p):
            return ""
        if self.lang == "de":
            return self.pick(["Ähm, ", "Äh, ", "Also, ", "Ja, also, ", "Hm, ", "Moment, ", "Also äh, ", "Jaa, "])
        return self.pick(["Uh, ", "Um, ", "So, ", "Right, uh, ", "Erm, ", "Hang on, ", "Yeah, so, ", "Okay, um, "])

    def ack(self) -> str:
        if self.lang == "de":
            return self.pick(["Okay.", "Alles klar.", "Danke schön.", "Perfekt.", "Gut.", "Prima.", "Mhm, danke.",
                              "Super.", "Ja, sehe ich.", ""])
        return self.pick(["Okay.", "Lovely.", "Perfect.", "Great, thanks.", "Got it.", "Brilliant.", "Alright.",
                          "Cheers.", "Mhm.", ""])

    def go_on(self) -> str:
        if self.lang == "de":
            return self.pick(["Ja?", "Mhm.", "Ja, weiter.", "Okay?", "Mhm, ja.", "Hab ich."])
        return self.pick(["Yep?", "Mhm.", "Go on.", "Okay?", "Yes?", "Got that."])

    def yes(self) -> str:
        if self.lang == "de":
            return self.pick(["Genau.", "Ja, richtig.", "Ja.", "Korrekt.", "Stimmt.", "Ja, passt."])
        return self.pick(["That's right.", "Yep.", "Correct.", "Yes.", "Spot on.", "That's it."])

    def digits(self, digits: str, sizes: list[int], style: str | None = None) -> str:
        """Spoken digits in groups, each group in a (seeded) style."""
        groups = split_groups(digits, sizes)
        styles_de = ["single", "single", "pairs", "hundreds"]
        styles_en = ["single", "single", "runs", "pairs", "hundreds"]
        out = []
        for g in groups:
            s = style or self.pick(styles_de if self.lang == "de" else styles_en)
            if s == "mixed":
                s = self.pick(styles_de if self.lang == "de" else styles_en)
            out.append(de_group(g, s, self.r) if self.lang == "de" else en_group(g, s, self.r, self.oh))
        return ", ".join(out)

    def real_digits_item(self, label: str, value: str, digits: str, sizes: list[int], prefix_tts: str = ""):
        """A PII item dictated digit by digit in a real human voice (after optional TTS letters)."""
        self.real_left -= 1
        groups = split_groups(digits, sizes)
        words = DE_UNITS if self.lang == "de" else EN_UNITS
        spoken = ", ".join(" ".join(words[int(d)] for d in g) for g in groups)
        parts = ([("tts", prefix_tts)] if prefix_tts else []) + [("real", groups)]
        return P(label, value, (prefix_tts + ", " if prefix_tts else "") + spoken, parts=parts)

    def letters(self, s: str) -> str:
        return " ".join(ch for ch in s.upper() if ch.strip())

    # --- value generators --------------------------------------------------------------------
    def phone(self) -> tuple[str, list[int], str]:
        """(digits, grouping, prefix_words_for_+country or '')"""
        r = self.r
        if self.lang == "de":
            if self.chance(0.6):
                pre = "01" + self.pick(["51", "52", "57", "60", "62", "63", "70", "71", "72", "73", "75", "76", "77",
                                        "78", "79"])
                d = pre + "".join(str(r.randrange(10)) for _ in range(r.choice([7, 8])))
                return d, self.pick([[4, 3, 4], [4, 4, 4], [4, 2, 2, 2, 2], [4, 7]]), ""
            area = self.pick(["030", "040", "089", "0221", "0711", "069", "0351", "06221", "0561", "07071"])
            d = area + str(r.randrange(2, 10)) + "".join(str(r.randrange(10)) for _ in range(r.choice([5, 6])))
            return d, [len(area), 3, 4], ""
        if self.uk:
            if self.chance(0.6):
                d = "07" + self.pick(["700", "711", "723", "734", "759", "768", "790", "812", "833", "958"]) + \
                    "".join(str(r.randrange(10)) for _ in range(6))
                return d, self.pick([[5, 6], [5, 3, 3], [4, 3, 4]]), ""
            d = self.pick(["0113496", "0161496", "0117496", "0207946"]) + "0" + "".join(
                str(r.randrange(10)) for _ in range(3))
            return d, ([3, 4, 4] if d.startswith("020") else [4, 3, 4]), ""
        area = str(r.randrange(2, 10)) + str(r.randrange(0, 9)) + str(r.randrange(0, 10))
        exch = str(r.randrange(2, 10)) + "".join(str(r.randrange(10)) for _ in range(2))
        d = area + exch + "".join(str(r.randrange(10)) for _ in range(4))
        return d, [3, 3, 4], ""

    def dob(self) -> tuple[int, int, int]:
        return self.r.randint(1942, 2004), self.r.randint(1, 12), self.r.randint(1, 28)

    def dob_text(self, y: int, m: int, d: int, speaker: str = "customer") -> str:
        r = self.r
        if self.lang == "de":
            form = r.randrange(6)
            yy = de_num(y % 100) if y < 2000 else de_year(y)
            if form == 0:
                return f"{de_ord(d, 'en')} {de_ord(m, 'en')} {yy}"
            if form == 1:
                return f"{de_ord(d, 'er')} {DE_MONTHS[m - 1]} {de_year(y)}"
            if form == 2:
                return f"{de_group(f'{d:02d}', 'single', r)}, {de_group(f'{m:02d}', 'single', r)}, " \
                       f"{de_group(str(y), 'single', r)}"
            if form == 3:
                return f"{de_num(d)} {de_num(m)} {yy}"
            if form == 4:
                return f"{de_ord(d, 'e')} {DE_MONTHS[m - 1]} {yy}"
            return f"{de_ord(d, 'en')} {DE_MONTHS[m - 1]} {de_year(y)}"
        form = r.randrange(5)
        yy = en_year(y, r) if r.random() < 0.6 or y >= 2000 else en_num(y % 100) if y % 100 >= 10 else \
            "oh " + EN_UNITS[y % 10]
        if form == 0:
            return f"the {en_ord(d)} of {EN_MONTHS[m - 1]}, {yy}"
        if form == 1:
            return f"{EN_MONTHS[m - 1]} {en_ord(d)}, {yy}"
        if form == 2:  # numeric, in the caller's convention
            a, b = (m, d) if not self.uk else (d, m)
            zero = "oh" if self.oh else "zero"
            num = lambda v: en_num(v) if v >= 10 else (zero + " " + EN_UNITS[v] if r.random() < 0.5 else EN_UNITS[v])  # noqa
            return f"{num(a)}, {num(b)}, {yy}"
        if form == 3:
            return f"{en_ord(d)} {EN_MONTHS[m - 1]} {yy}"
        return f"{EN_MONTHS[m - 1]} {en_ord(d)}, {en_year(y, r)}"

    def email(self) -> tuple[str, str]:
        first, last = self.first.lower(), self.last.lower()
        trans = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "'": ""})
        f_ascii, l_ascii = first.translate(trans), last.translate(trans).replace(" ", "")
        r = self.r
        form = r.randrange(5)
        sep_de = {".": "punkt", "_": "Unterstrich", "-": "Bindestrich"}
        sep_en = {".": "dot", "_": "underscore", "-": "dash"}
        seps = sep_de if self.lang == "de" else sep_en
        num = str(r.randrange(1, 99))
        if form == 0:
            parts = [f_ascii, ".", l_ascii]
        elif form == 1:
            parts = [f_ascii[0], ".", l_ascii]
        elif form == 2:
            parts = [f_ascii + l_ascii[:1], num]
        elif form == 3:
            parts = [l_ascii, "_", f_ascii]
        else:
            parts = [l_ascii, "-", num]
        if self.lang == "de":
            domain, dspoken = self.pick([("gmx.de", "G M X punkt D E"), ("web.de", "web punkt D E"),
                                         ("t-online.de", "T Strich online punkt D E"),
                                         ("posteo.de", "posteo punkt D E"), ("mailbox.org", "mailbox punkt org"),
                                         ("freenet.de", "freenet punkt D E"), ("gmail.com", "gmail punkt com")])
            at = self.pick(["ät", "ät", "Klammeraffe"])
        else:
            domain, dspoken = self.pick([("gmail.com", "gmail dot com"), ("outlook.com", "outlook dot com"),
                                         ("yahoo.co.uk", "yahoo dot co dot uk"), ("icloud.com", "i cloud dot com"),
                                         ("btinternet.com", "B T internet dot com"), ("aol.com", "A O L dot com"),
                                         ("hotmail.co.uk", "hotmail dot co dot uk")])
            at = "at"
        spoken = []
        for p in parts:
            if p in seps:
                spoken.append(seps[p])
            elif p.isdigit():
                spoken.append(de_num(int(p)) if self.lang == "de" else en_num(int(p)))
            elif p in (first, last) or len(p) > 3 and p == p.translate(trans) and self.chance(0.8):
                spoken.append(p)
            else:
                spoken.append(self.letters(p))
        value = "".join(parts) + "@" + domain
        return value, " ".join(spoken) + f" {at} " + dspoken

    def street(self) -> str:
        if self.lang == "de":
            roll = self.r.random()
            if roll < 0.55:
                return self.pick(DE_STREET_STEMS) + self.pick(DE_STREET_SUFFIX)
            if roll < 0.85:
                return self.pick(DE_PREP_STREETS)
            return self.pick(DE_BACH)
        return self.pick(EN_STREET_STEMS) + " " + self.pick(EN_STREET_SUFFIX)

    def house_no(self) -> tuple[str, str]:
        """(value, spoken)"""
        r = self.r
        n = r.choice([r.randint(1, 30), r.randint(1, 60), r.randint(100, 240)])
        letter = self.pick(["a", "b", "c"]) if self.chance(0.15) else ""
        if self.lang == "de":
            spoken = de_num(n) if n < 100 or self.chance(0.6) else de_group(str(n), "single", r)
            return f"{n}{letter}", spoken + (f" {letter.upper()}" if letter else "")
        spoken = en_group(str(n), "hundreds", r, self.oh) if n >= 100 and self.chance(0.5) else en_num(n)
        return f"{n}{letter.upper()}", spoken + (f" {letter.upper()}" if letter else "")

    def town(self) -> tuple[str, str, str]:
        """(value 'PLZ City', spoken, city) for the caller's country."""
        r = self.r
        if self.lang == "de":
            city, pre = self.pick(DE_CITIES)
            plz = pre + "".join(str(r.randrange(10)) for _ in range(3))
            style = self.pick(["single", "pairs", "mixed"])
            sp = de_group(plz, "single", r) if style == "single" else (
                de_group(plz[:2], "pairs", r) + " " + de_group(plz[2:], "hundreds", r) if style == "mixed"
                else de_group(plz, "pairs", r))
            return f"{plz} {city}", f"{sp} {city}", city
        if self.uk:
            city, area = self.pick(UK_TOWNS)
            district = str(r.randint(1, 19))
            unit = "".join(self.pick("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
            code = f"{area}{district} {r.randrange(10)}{unit}"
            sp = (self.letters(area) + " " + " ".join(EN_UNITS[int(ch)] if ch.isdigit() else ch
                                                       for ch in district) if self.chance(0.5) else
                  self.letters(area) + " " + en_num(int(district)))
            sp += ", " + EN_UNITS[int(code.split()[1][0])] + " " + self.letters(unit)
            return f"{city} {code}", f"{city}, {sp}", city
        city, state, zip3 = self.pick(US_TOWNS)
        zipc = zip3 + f"{r.randrange(100):02d}"
        return f"{city}, {state} {zipc}", f"{city}, {state}, {en_group(zipc, 'single', r, False)}", city

    def spell(self, name: str) -> str:
        """The name spelled out, in one of several alphabets or just letters."""
        r = self.r
        letters = [ch for ch in name.upper()]
        if self.lang == "de":
            alpha = self.pick(["letters", "old", "new", "mixed", "letters"])
            out = []
            i = 0
            while i < len(letters):
                ch = letters[i]
                if ch == "-":
                    out.append("Bindestrich")
                elif ch == "ß":
                    out.append("Eszett")
                elif ch == " ":
                    out.append("Leerzeichen")
                elif i + 1 < len(letters) and letters[i + 1] == ch and self.chance(0.6):
                    out.append(f"Doppel-{ch}" if alpha == "letters" else f"zweimal {ch}")
                    i += 1
                elif alpha == "letters" or (alpha == "mixed" and r.random() < 0.6) or ch not in DE_ALPHA_OLD:
                    out.append({"Ä": "A Umlaut", "Ö": "O Umlaut", "Ü": "U Umlaut"}.get(ch, ch))
                else:
                    table = DE_ALPHA_OLD if alpha in ("old", "mixed") else DE_ALPHA_NEW
                    out.append(f"{ch} wie {table[ch]}")
                i += 1
            return ", ".join(out)
        alpha = self.pick(["letters", "nato", "as_in", "letters", "mixed"])
        out, i = [], 0
        while i < len(letters):
            ch = letters[i]
            if ch == "-":
                out.append("hyphen")
            elif ch == " ":
                out.append("space")
            elif i + 1 < len(letters) and letters[i + 1] == ch and alpha in ("letters", "mixed"):
                out.append(f"double {ch}")
                i += 1
            elif alpha == "nato" and ch in NATO:
                out.append(NATO[ch])
            elif (alpha == "as_in" or (alpha == "mixed" and r.random() < 0.4)) and ch in EN_AS_IN:
                out.append(f"{ch} for {EN_AS_IN[ch]}" if self.chance(0.5) else f"{ch} as in {EN_AS_IN[ch]}")
            else:
                out.append(ch)
            i += 1
        return ", ".join(out)

    def custid(self) -> tuple[str, str, str]:
        """(kind in words, canonical value, spoken)"""
        r = self.r
        de = self.lang == "de"
        ind = self.industry
        kinds = {
            "energy": [("Kundennummer", "customer number"), ("Vertragskontonummer", "account number"),
                       ("Zählernummer", "meter serial number")],
            "telecom": [("Kundennummer", "account number"), ("Vertragsnummer", "customer reference")],
            "insurance": [("Versicherungsscheinnummer", "policy number"), ("Schadennummer", "claim reference")],
            "shop": [("Bestellnummer", "order number"), ("Kundennummer", "customer number")],
            "bank": [("Kundennummer", "customer number"), ("Kontonummer", "membership number")],
        }[ind]
        kind = self.pick(kinds)[0 if de else 1]
        form = r.randrange(5)
        digs = lambda n: "".join(str(r.randrange(10)) for _ in range(n))  # noqa: E731
        if form == 0:  # plain digits
            d = str(r.randrange(1, 10)) + digs(r.choice([6, 7, 8, 9]))
            return kind, d, self.digits(d, self.pick([[3, 4], [4, 4], [2, 2, 2, 2, 2], [3, 3, 3], [len(d)]]))
        if form == 1:  # KD-4471-B
            pre = self.pick(["KD", "VK", "AB", "HX", "MR", "ZN"])
            mid, suf = digs(4), self.pick("ABCDFHKLMRTX")
            value = f"{pre}-{mid}-{suf}"
            dash = self.pick(["Strich", "Bindestrich", ""]) if de else self.pick(["dash", "", ""])
            sep = f", {dash}, " if dash else ", "
            return kind, value, f"{self.letters(pre)}{sep}{self.digits(mid, [2, 2] if self.chance(0.5) else [4])}" \
                                f"{sep}{suf}"
        if form == 2:  # letter + digits
            pre = self.pick(["V", "B", "S", "R", "N", "P"])
            d = digs(r.choice([7, 8]))
            return kind, f"{pre}{d}", f"{pre}, {self.digits(d, [3, 2, 3] if len(d) == 8 else [3, 4])}"
        if form == 3:  # two letters + digits + letter group
            pre = self.pick(["DE", "NX", "QT", "LM", "WB"])
            d = digs(6)
            return kind, f"{pre}{d}", f"{self.letters(pre)} {self.digits(d, self.pick([[3, 3], [2, 2, 2], [6]]))}"
        d = digs(4) + digs(5)  # 4711/23456 style
        slash = "Schrägstrich" if de else "slash"
        return kind, f"{d[:4]}/{d[4:]}", f"{self.digits(d[:4], [4])}, {slash}, {self.digits(d[4:], [2, 3])}"

    def iban_value(self) -> tuple[str, list[str]]:
        r = self.r
        if self.lang == "de" or not self.uk:
            bban = "".join(str(r.randrange(10)) for _ in range(18))
            value = iban("DE", bban)
        else:
            bank = self.pick(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"])
            bban = bank + "".join(str(r.randrange(10)) for _ in range(14))
            value = iban("GB", bban)
        return value, [value[i:i + 4] for i in range(0, len(value), 4)]

    def iban_group_spoken(self, group: str) -> str:
        out = []
        for run in _runs(group):
            if run.isalpha():
                out.append(self.letters(run))
            else:
                out.append(self.digits(run, [len(run)]))
        return " ".join(out)

    def card_value(self) -> tuple[str, list[int]]:
        kind = self.r.random()
        if kind < 0.45:
            return luhn_complete("4", 16, self.r), [4, 4, 4, 4]
        if kind < 0.85:
            return luhn_complete("5" + str(self.r.randint(1, 5)), 16, self.r), [4, 4, 4, 4]
        return luhn_complete(self.pick(["34", "37"]), 15, self.r), [4, 6, 5]


def _runs(s: str) -> list[str]:
    out: list[str] = []
    for ch in s:
        if out and out[-1][-1].isalpha() == ch.isalpha():
            out[-1] += ch
        else:
            out.append(ch)
    return out


# ---------------------------------------------------------------------------------------------
# German dialogue blocks


def de_opening(b: Builder):
    co = D("company", b.company)
    v = b.r.randrange(6)
    if v == 0:
        return [A(co, ", Sie sprechen mit", P("PERSON", f"{b.agent_first} {b.agent_last}",
                                             f"{b.agent_first} {b.agent_last}"), ", guten Tag.")]
    if v == 1:
        return [A("Guten Morgen beim Kundenservice von", co, ", mein Name ist",
                  P("PERSON", b.agent_first, b.agent_first), ". Was kann ich für Sie tun?")]
    if v == 2:
        return [A("Herzlich willkommen bei", co, ". Wie kann ich helfen?")]
    if v == 3:
        return [A(co, ", Kundenbetreuung, schönen guten Tag!")]
    if v == 4:
        return [A("Ja, guten Tag, hier ist", co, ",", P("PERSON", b.agent_last, b.agent_last), "am Apparat.")]
    return [A("Hallo und danke für Ihren Anruf bei", co, ". Worum geht es denn?")]


DE_REASONS = {
    "energy": [
        lambda b: ["ich ruf wegen meiner Rechnung an, die vom", D("date", "dritten März"),
                   ", da steht ein Abschlag von", D("price", "hundertzwölf Euro"), "drin, das kann nicht sein."],
        lambda b: ["ich ziehe um und möchte den Stromvertrag mitnehmen, wenn das geht."],
        lambda b: ["ich wollte den Zählerstand durchgeben, das sind", D("quantity", "vierundzwanzigtausenddreihundert "
                                                                               "Kilowattstunden"), "."],
        lambda b: ["mein Abschlag ist plötzlich auf", D("price", "neunundachtzig Euro"), "gestiegen."],
    ],
    "telecom": [
        lambda b: ["mein Internet ist seit", D("duration", "drei Tagen"), "total langsam."],
        lambda b: ["bei mir blinkt der Router nur noch rot, schon seit gestern", D("time", "halb acht"), "."],
        lambda b: ["ich bräuchte noch", D("quantity", "zwei SIM-Karten"), "für meine Kinder."],
        lambda b: ["ich hab ne Rechnung über", D("price", "vierundsechzig Euro neunzig"),
                   "bekommen, normal sind es", D("price", "neununddreißig Euro neunundneunzig"), "."],
    ],
    "insurance": [
        lambda b: ["mir ist mein Fahrrad geklaut worden, am", D("place", "Hauptbahnhof"), "."],
        lambda b: ["wir haben einen Wasserschaden in der Küche, seit", D("date", "Sonntag"), "."],
        lambda b: ["ich möchte meine Hausratversicherung anpassen, wir sind umgezogen."],
        lambda b: ["ich hatte einen kleinen Unfall auf dem Parkplatz am", D("place", "Alexanderplatz"), "."],
    ],
    "shop": [
        lambda b: ["ich hab vor", D("duration", "zwei Wochen"), "bestellt und bis heute nichts bekommen."],
        lambda b: ["mir wurde der falsche Artikel geschickt, statt", D("quantity", "drei Paar"),
                   "Socken kam ein Toaster."],
        lambda b: ["ich möchte was zurückschicken, die Jacke ist zu klein."],
        lambda b: ["mein Paket hängt seit", D("date", "Dienstag"), "im Verteilzentrum in", D("place", "Kassel"),
                   "fest."],
    ],
    "bank": [
        lambda b: ["meine Karte ist am Automaten am", D("place", "Marktplatz"), "eingezogen worden."],
        lambda b: ["ich seh eine Abbuchung über", D("price", "zweihundertvierzig Euro"), ", die kenn ich nicht."],
        lambda b: ["ich möchte meinen Dispo erhöhen, auf", D("price", "tausendfünfhundert Euro"), "."],
        lambda b: ["ich hab eine neue Adresse und weiß nicht, wo ich das online ändern kann."],
    ],
}


def de_reason(b: Builder):
    reason = b.pick(DE_REASONS[b.industry])(b)
    v = b.r.randrange(6)
    greet = b.pick(["Ja, hallo, ", "Hallo, ", "Guten Tag, ", "Ja, Tag, ", "Hallo, guten Morgen, "])
    if v == 0:  # volunteers customer id right away
        kind, value, spoken = b.custid()
        b.volunteered.add("custid")
        return [C(greet + b.um(0.6).lower() + reason[0], *reason[1:],
                  f"{b.pick(['Meine', 'Die'])} {kind} ist", P("CUSTOMER_ID", value, spoken), ".")]
    if v == 1:  # volunteers name and street
        b.volunteered.update({"name", "address"})
        street = b.street()
        hv, hs = b.house_no()
        return [C(greet + "hier ist", P("PERSON", b.full, b.full), ",",
                  P("ADDRESS", f"{street} {hv}", f"{street} {hs}"),
                  ".", *reason)]
    if v == 2:  # surname first, German style
        b.volunteered.add("name")
        return [C(greet.rstrip(", ") + ",", P("PERSON", b.last, b.last), "mein Name,", *reason)]
    if v == 3:  # name + phone volunteered as callback
        b.volunteered.update({"name", "phone"})
        d, sizes, _ = b.phone()
        item = b.real_digits_item("PHONE_NUMBER", d, d, sizes) if b.real_left > 0 else \
            P("PHONE_NUMBER", d, b.digits(d, sizes))
        return [C(greet + "mein Name ist", P("PERSON", b.full, b.full), ",", *reason),
                A(b.pick(["Oh, das tut mir leid.", "Verstehe.", "Okay, schauen wir mal."])),
                C("Falls wir getrennt werden, meine Nummer ist", item, ".")]
    return [C(greet + b.um(0.5).lower() + reason[0], *reason[1:])]


def de_name(b: Builder):
    ask = b.pick(["Mit wem spreche ich denn?", "Darf ich zuerst Ihren Namen haben?", "Und wer ist am Apparat?",
                  "Auf wen läuft denn der Vertrag?", "Verraten Sie mir noch, wie Sie heißen?", "Und Ihr Name war?",
                  "Damit ich Sie im System finde, wie heißen Sie?"])
    turns = [A(b.ack(), ask)]
    v = b.r.randrange(6)
    homo = getattr(b, "homophones", None)
    if v == 0:
        turns.append(C(b.um(), P("PERSON", b.full, b.full), "."))
    elif v == 1:
        turns.append(C(P("PERSON", b.full, f"{b.last}, {b.first}"), "."))
    elif v == 2:
        other = b._first("m" if b.customer_gender == "f" else "f")
        rel = "meinen Mann" if b.customer_gender == "f" else "meine Frau"
        turns += [C("Der läuft auf", rel, ",", P("PERSON", f"{other} {b.last}", f"{other} {b.last}"), "."),
                  A("Und Sie sind dann?"), C(P("PERSON", b.first, b.first), ", die" if b.customer_gender == "f"
                                              else ", der", b.pick(["Ehefrau.", "Frau."]) if b.customer_gender == "f"
                                              else "Ehemann.")]
    else:
        turns.append(C(b.um(), P("PERSON", b.full, b.full)))
    # spelling, correction or read-back
    if homo and b.chance(0.8):
        wrong = b.pick(homo[1:])
        turns.append(A(P("PERSON", wrong, wrong), b.pick([", so wie man's spricht?", ", richtig geschrieben so?",
                                                           "?"])))
        if len(wrong) != len(b.last):
            longer = wrong if len(wrong) > len(b.last) else b.last
            dbl = next((x for x, y in zip(longer, longer[1:], strict=False) if x == y), longer[-1])
            hint = f"mit Doppel-{dbl.upper()}" if longer == b.last else f"nur mit einem {dbl.upper()}"
        else:
            diff = "".join(ch for ch, w in zip(b.last, wrong, strict=False) if ch != w)[:2] or b.last[-2:]
            hint = f"mit {b.letters(diff)}"
        turns.append(C(b.pick(["Nein, ", "Nee, ", "Fast, "]), P("PERSON", b.last, b.last),
                       hint + "." if b.chance(0.7) else ".",
                       *(["Also", P("SPELLED_NAME", b.last, b.spell(b.last)), "."] if b.chance(0.5) else [])))
    elif b.chance(0.6):
        turns.append(A(b.pick(["Wie schreibt man das?", "Können Sie mir den Nachnamen einmal buchstabieren?",
                               "Buchstabieren Sie mir das kurz?", "Mit welcher Schreibweise?"])))
        turns.append(C(b.um(0.3), P("SPELLED_NAME", b.last, b.spell(b.last)), "."))
        if b.chance(0.5):
            turns.append(A("Also", P("SPELLED_NAME", b.last, ", ".join(b.letters(b.last).split())),
                           ", richtig?"))
            turns.append(C(b.yes()))
    return turns


def de_spell(b: Builder):
    """The name was already said; the agent wants it spelled."""
    turns = [A(b.ack(), b.pick(["Und wie schreibt sich der Nachname genau?",
                                "Buchstabieren Sie mir bitte noch den Namen?",
                                "Den Namen einmal buchstabiert, bitte.",
                                "Mit welchem Anfangsbuchstaben, und dann einmal ganz, bitte?"]))]
    turns.append(C(b.um(0.4), P("SPELLED_NAME", b.last, b.spell(b.last)), "."))
    if b.chance(0.4):
        turns += [A(b.pick(["Also", "Ich hab"]), P("SPELLED_NAME", b.last, ", ".join(b.letters(b.last).split())),
                    "?"), C(b.yes())]
    return turns


def de_custid(b: Builder):
    kind, value, spoken = b.custid()
    ask = b.pick([f"Haben Sie die {kind} zur Hand?",
                  f"Die {kind} steht oben rechts auf dem Schreiben, lesen Sie mir die mal vor?",
                  f"Dann bräuchte ich einmal die {kind}.",
                  f"Geben Sie mir mal die {kind}, dann schau ich nach.",
                  f"Haben Sie vielleicht eine {kind} für mich?"])
    turns = [A(b.ack(), ask)]
    v = b.r.randrange(5)
    digits_only = value.isdigit()
    if digits_only and b.real_left > 0:
        sizes = [3, 4] if len(value) < 9 else [3, 3, 3]
        turns.append(C(b.pick(["Ja, Moment, die ist", "Die lautet", "Hab ich hier,"]),
                       b.real_digits_item("CUSTOMER_ID", value, value, sizes), "."))
    elif v == 1 and digits_only and len(value) >= 8:  # split across turns
        cut = len(value) // 2
        a, c = value[:cut], value[cut:]
        turns += [C(b.um(0.5), "Die fängt an mit", P("CUSTOMER_ID", a, b.digits(a, [len(a)]), full_value=value)),
                  A(b.go_on()), C(P("CUSTOMER_ID", c, b.digits(c, [len(c)]), full_value=value), ".")]
    elif v == 2:  # restart: an old number first
        _, old, old_sp = b.custid()
        turns.append(C("Das ist die", P("CUSTOMER_ID", old, old_sp),
                       b.pick([", nee, Moment, das ist die alte.", "… ach nein, das ist die vom alten Vertrag."]),
                       "Die neue ist", P("CUSTOMER_ID", value, spoken), "."))
    else:
        turns.append(C(b.um(), P("CUSTOMER_ID", value, spoken), "."))
    if b.chance(0.45):  # read-back by the agent
        readback = spoken if not value.isdigit() else b.digits(value, [len(value)], "single")
        turns.append(A(b.pick(["Ich wiederhole:", "Also", "Ich lese mal vor:"]), P("CUSTOMER_ID", value, readback),
                       b.pick([", stimmt das?", ", richtig?", "?"])))
        turns.append(C(b.yes()))
    return turns


def de_dob(b: Builder):
    y, m, d = b.dob()
    value = f"{y:04d}-{m:02d}-{d:02d}"
    ask = b.pick(["Zur Sicherheit bräuchte ich noch Ihr Geburtsdatum.", "Wann haben Sie Geburtstag? Mit Jahr bitte.",
                  "Zur Verifizierung, Ihr Geburtsdatum?", "Und geboren sind Sie am?",
                  "Können Sie mir noch sagen, wann Sie geboren sind?", "Einmal das Geburtsdatum zum Abgleich, bitte."])
    turns = [A(b.ack(), ask)]
    if b.chance(0.25):  # day/month and year in separate turns
        dm = f"{de_ord(d, 'en' if b.chance(0.5) else 'er')} {DE_MONTHS[m - 1]}"
        lead = "Am" if dm.endswith("en " + DE_MONTHS[m - 1]) else ""
        turns += [C(b.um(), lead, P("DATE_OF_BIRTH", f"--{m:02d}-{d:02d}", dm, full_value=value), "."),
                  A(b.pick(["Und das Jahr?", "Welches Jahr?", "Jahrgang?"])),
                  C(P("DATE_OF_BIRTH", f"{y}", de_year(y) if b.chance(0.5) else de_num(y % 100) if y < 2000
                      else de_year(y), full_value=value), ".")]
    else:
        text = b.dob_text(y, m, d)
        lead = "Am" if text.split()[0].endswith("en") else ""
        turns.append(C(b.um(), lead, P("DATE_OF_BIRTH", value, text), "."))
    if b.chance(0.3):
        turns.append(A("Also", P("DATE_OF_BIRTH", value, f"{de_ord(d, 'er')} {de_ord(m, 'er')} {de_year(y)}"),
                       ", passt."))
    return turns


def _de_in(street: str) -> str:
    if street.startswith(("Am ", "Im ", "An ", "Auf ", "Hinter ", "Zum ", "Zur ", "In ", "Unter ")):
        return ""
    return "in der" if street.endswith(("straße", "allee", "gasse")) else "im" if street.endswith(
        ("weg", "ring", "steig", "pfad")) else "am"


def de_address(b: Builder):
    moving = b.industry in ("energy", "insurance", "bank") and b.chance(0.5)
    ask = b.pick(["Und wo ziehen Sie hin?", "Wie lautet die neue Anschrift?"]) if moving else b.pick(
        ["Wohin sollen wir das schicken?", "Stimmt die Adresse bei uns noch? Sagen Sie sie mir einmal.",
         "An welche Anschrift geht das?", "Ich bräuchte noch die Lieferadresse.", "Wo wohnen Sie denn?"])
    street, (hv, hs) = b.street(), b.house_no()
    town_v, town_s, _ = b.town()
    turns = [A(b.ack(), ask)]
    v = b.r.randrange(5)
    prep = _de_in(street)
    if v == 0:
        turns.append(C(b.um(), prep, P("ADDRESS", f"{street} {hv}, {town_v}", f"{street} {hs}, {town_s}"), "."))
    elif v == 1:  # street, then house number alone, then the town
        turns += [C(b.um(), prep, P("ADDRESS", street, street), "."),
                  A(b.pick(["Hausnummer?", "Und welche Nummer?", "Und die Hausnummer dazu?"])),
                  C(P("PIN", hv, hs), "."),
                  A(b.pick(["Postleitzahl und Ort?", "Und der Ort?", "Postleitzahl?"])),
                  C(P("ADDRESS", town_v, town_s), ".")]
    elif v == 2:  # wrong number corrected
        wrong_v, wrong_s = b.house_no()
        turns.append(C(prep, P("ADDRESS", f"{street} {wrong_v}", f"{street} {wrong_s}"),
                       b.pick([", nee, Quatsch,", "… Moment, nein,"]), P("PIN", hv, hs),
                       ", in", P("ADDRESS", town_v, town_s), "."))
    elif v == 3:  # with flat and doorbell name
        flat = str(b.r.randint(1, 24))
        other = b.fake.last_name()
        turns += [C(b.um(), P("ADDRESS", f"{street} {hv}, {town_v}", f"{street} {hs}, {town_s}"), "."),
                  A(b.pick(["Gibt es eine Wohnungsnummer?", "Hinterhaus oder Vorderhaus?"])),
                  C(b.pick(["Wohnung", "Das ist die Wohnung"]), P("PIN", flat, de_num(int(flat))),
                    ", und auf der Klingel steht noch", P("PERSON", other, other), ".")]
    else:  # postal code first
        turns.append(C(P("ADDRESS", town_v, town_s), ",", P("ADDRESS", f"{street} {hv}", f"{street} {hs}"), "."))
    if b.chance(0.3):
        turns.append(A("Also", P("ADDRESS", f"{street} {hv}", f"{street} {hs}"), b.pick([", korrekt?", "?"])))
        turns.append(C(b.yes()))
    return turns


def de_phone(b: Builder):
    d, sizes, _ = b.phone()
    ask = b.pick(["Unter welcher Nummer erreicht Sie der Techniker?", "Haben Sie eine Handynummer für Rückfragen?",
                  "Wo kann ich Sie zurückrufen, falls was ist?", "Sagen Sie mir noch eine Telefonnummer?",
                  "Ist die Nummer, mit der Sie anrufen, die beste?"])
    turns = [A(b.ack(), ask)]
    v = b.r.randrange(5)
    lead = b.pick(["Nehmen Sie lieber die", "Am besten die", "Das ist die", "Die", ""])
    if b.real_left > 0:
        turns.append(C(b.um(), lead, b.real_digits_item("PHONE_NUMBER", d, d, sizes), "."))
    elif v == 0:  # correction
        old, osz, _ = b.phone()
        turns.append(C(lead, P("PHONE_NUMBER", old[:7], b.digits(old[:7], osz)),
                       b.pick(["… ach nee, das ist die alte.", ", nee, Moment, falsch.",
                               "… Quatsch, die hab ich nicht mehr."]),
                       "Die neue ist", P("PHONE_NUMBER", d, b.digits(d, sizes)), "."))
    elif v == 1 and len(sizes) >= 3:  # split across turns
        head = d[:sizes[0]]
        rest = d[sizes[0]:]
        turns += [C(lead, P("PHONE_NUMBER", head, b.digits(head, [len(head)]), full_value=d)),
                  A(b.go_on()), C(P("PHONE_NUMBER", rest, b.digits(rest, sizes[1:]), full_value=d), ".")]
    elif v == 2 and d.startswith("01"):  # international form
        intl = "49" + d[1:]
        turns.append(C(lead, P("PHONE_NUMBER", intl, "plus " + b.digits("49", [2], "pairs") + ", " +
                               b.digits(d[1:], [3, 4, 4])), "."))
        d = intl
    else:
        turns.append(C(b.um(), lead, P("PHONE_NUMBER", d, b.digits(d, sizes)), "."))
    if b.chance(0.45):
        turns.append(A(b.pick(["Ich wiederhole:", "Also die", "Notiert:"]),
                       P("PHONE_NUMBER", d, b.digits(d, sizes, "single")), b.pick([", richtig?", "?", "."])))
        turns.append(C(b.yes()))
    return turns


def de_email(b: Builder):
    value, spoken = b.email()
    ask = b.pick(["Wohin sollen wir die Bestätigung schicken?", "Haben Sie eine E-Mail-Adresse für uns?",
                  "Per Mail geht's am schnellsten, wie ist die Adresse?", "An welche Mailadresse darf das gehen?"])
    turns = [A(b.ack(), ask), C(b.um(), P("EMAIL_ADDRESS", value, spoken), ".")]
    if b.chance(0.4):
        turns += [A("Also", P("EMAIL_ADDRESS", value, spoken), ", richtig?"), C(b.yes())]
    elif b.chance(0.3):
        turns += [A("Mit oder ohne Punkt in der Mitte?"), C("Genau so, wie ich's gesagt hab.")]
    return turns


def de_iban(b: Builder):
    value, groups = b.iban_value()
    ask = b.pick(["Wie ist die neue Bankverbindung?", "Auf welches Konto soll das Geld?",
                  "Dann bräuchte ich die IBAN für die Lastschrift.", "Sagen Sie mir die IBAN, dann trag ich sie ein."])
    turns = [A(b.ack(), ask)]
    if b.real_left > 0:
        digits = value[2:]
        turns.append(C(b.um(), b.real_digits_item("IBAN_CODE", value, digits, [2, 4, 4, 4, 4, 2],
                                                  prefix_tts=b.letters(value[:2])), "."))
    elif b.chance(0.4):  # two halves, agent says "mhm" in between
        half = len(groups) // 2
        a, c = "".join(groups[:half]), "".join(groups[half:])
        turns += [C(b.um(), P("IBAN_CODE", a, ", ".join(b.iban_group_spoken(g) for g in groups[:half]),
                              full_value=value)),
                  A(b.go_on()),
                  C(P("IBAN_CODE", c, ", ".join(b.iban_group_spoken(g) for g in groups[half:]), full_value=value),
                    ".")]
    else:
        turns.append(C(b.um(), "Die ist", P("IBAN_CODE", value, ", ".join(b.iban_group_spoken(g) for g in groups)),
                       "."))
    if b.chance(0.5):
        last4 = value[-4:]
        turns += [A(b.pick(["Die endet auf", "Also Endziffern"]),
                    P("IBAN_CODE", last4, b.digits(last4, [4], "single"), full_value=value), ", richtig?"),
                  C(b.yes())]
    return turns


def de_card(b: Builder):
    value, sizes = b.card_value()
    ask = b.pick(["Mit welcher Karte möchten Sie zahlen?", "Dann bräuchte ich die Kartennummer, die lange vorne drauf.",
                  "Lesen Sie mir bitte die Nummer auf der Karte vor."])
    turns = [A(b.ack(), ask),
             C(b.um(), b.pick(["Die Visa, also", "Ja, die ist", "Okay,"]) if value[0] == "4" else "Okay,",
               P("CREDIT_CARD", value, b.digits(value, sizes)), ".")]
    if b.chance(0.6):
        turns += [A("Karte endend auf", P("CREDIT_CARD", value[-4:], b.digits(value[-4:], [4]), full_value=value),
                    ", das ist hinterlegt."), C(b.pick(["Gut.", "Danke.", "Okay."]))]
    return turns


def de_pin(b: Builder):
    r = b.r
    n = r.choice([3, 4, 4, 5, 6])
    code = "".join(str(r.randrange(10)) for _ in range(n))
    if b.chance(0.2):
        code = "".join(str((int(code[0]) + i) % 10) for i in range(n))  # 1 2 3 4
    ctx = {"bank": ["Zur Legitimation brauche ich Ihr Telefonkennwort, die Ziffern bitte.",
                    "Ich hab Ihnen einen Code per SMS geschickt, lesen Sie mir den vor?"],
           "telecom": ["Sagen Sie mir bitte die Kunden-PIN, die ist vierstellig.",
                       "Ich brauch noch das Servicekennwort, das sind Ziffern."],
           "energy": ["Fürs Kundenportal brauch ich noch den Zugangscode aus dem Brief."],
           "insurance": ["Ich hab Ihnen einen Bestätigungscode geschickt, wie lautet der?"],
           "shop": ["Der Techniker kommt ins Haus, gibt es unten einen Türcode?",
                    "Auf dem Abholschein steht ein Code, lesen Sie ihn mir vor?"]}[b.industry]
    turns = [A(b.ack(), b.pick(ctx))]
    if b.real_left > 0:
        turns.append(C(b.um(), b.pick(["Der ist", "Das ist", ""]), b.real_digits_item("PIN", code, code, [n]), "."))
    else:
        turns.append(C(b.um(), b.pick(["Der ist", "Das ist die", "Ja,", ""]),
                       P("PIN", code, b.digits(code, [n], b.pick(["single", "single", "pairs"]))), "."))
    if b.chance(0.2):
        turns.append(A(P("PIN", code, b.digits(code, [n], "single")), "?"))
        turns.append(C(b.yes()))
    return turns


# discussion exchanges per industry: each a function returning turns (distractor-heavy)
DE_TALK = {
    "energy": [
        lambda b: [A("Sie sind aktuell im Tarif", D("tariff", "StromFlex Plus"), ", der liegt bei",
                     D("price", "einunddreißig Cent"), "pro Kilowattstunde."),
                   C("Und was kostet der", D("tariff", "ÖkoStrom Basis"), "?"),
                   A("Da hätten Sie eine Preisgarantie über", D("duration", "vierundzwanzig Monate"), ".")],
        lambda b: [C("Ich bin ja schon seit", D("year", "zweitausendneunzehn"), "bei Ihnen, und jetzt auf einmal",
                     D("price", "neunundachtzig Euro"), "im Monat."),
                   A("Das liegt am Verbrauch, Sie hatten letztes Jahr", D("quantity", "dreitausendzweihundert "
                                                                                      "Kilowattstunden"), ".")],
        lambda b: [A("Der Zählerwechsel ist am", D("date", "vierzehnten Juni"), ", der Monteur kommt zwischen",
                     D("time", "acht und zwölf Uhr"), "."),
                   C("Geht das auch nachmittags, so ab", D("time", "halb drei"), "?"),
                   A("Ich trag's ein, ohne Gewähr.")],
        lambda b: [A("Die Gutschrift über", D("price", "siebenundvierzig Euro fünfzig"), "geht in den nächsten",
                     D("duration", "zehn Tagen"), "raus."), C("Na immerhin.")],
        lambda b: [C("Wir haben seit", D("year", "zweitausendeinundzwanzig"), "eine",
                     D("product", "Wärmepumpe Thermo Eco"),
                     "."), A("Dann wäre der", D("tariff", "WärmeStrom Duo"), "günstiger für Sie.")],
        lambda b: [C("Bei", D("company", b.company), "hieß es letztes Mal, das dauert nur", D("duration", "eine Woche"),
                     "."), A("Ja, im", D("date", "Januar"), "hatten wir sehr viele Anfragen, Entschuldigung.")],
    ],
    "telecom": [
        lambda b: [A("Sie haben bei uns", D("tariff", "Fiber Max fünfhundert"), ", also bis zu",
                     D("speed", "fünfhundert Megabit"), "."),
                   C("Ja, aber abends kommen da höchstens so", D("speed", "dreißig Mbit"), "an.")],
        lambda b: [A("Welches Gerät steht denn bei Ihnen?"),
                   C("Ähm, da steht", D("model", "X fünfundsiebzig neunzig"), "drauf, also auf dem Router."),
                   A("Okay, den tauschen wir. Der neue ist in", D("duration", "drei Werktagen"), "da.")],
        lambda b: [C("Und wir bräuchten", D("quantity", "zwei SIM-Karten"), ", eine fürs Tablet."),
                   A("Kein Problem, das sind je", D("price", "vier Euro neunundneunzig"), "im Monat.")],
        lambda b: [C("Ich hab das", D("model", "Galaxy S dreiundzwanzig"), "und hab nicht mal am",
                     D("place", "Hauptbahnhof"), "Netz."),
                   A("Da gab es heute ab", D("time", "sieben Uhr vierzig"), "eine Störung, das ist behoben.")],
        lambda b: [A("Ich kann Ihnen auch die", D("product", "Nova Box"), "schicken, die schafft",
                     D("speed", "tausendzweihundert Megabit"), "im WLAN."), C("Was kostet die?"),
                   A(D("price", "fünf Euro"), "im Monat, die ersten", D("duration", "sechs Monate"), "gratis.")],
        lambda b: [A("Ihr Vertrag läuft noch bis", D("date", "Ende Oktober"), ", danach monatlich kündbar."),
                   C("Und wenn ich auf", D("tariff", "Daten Flat M"), "wechsle?"),
                   A("Dann zahlen Sie", D("price", "neunzehn Euro neunundneunzig"), "statt",
                     D("price", "vierundzwanzig neunundneunzig"), ".")],
    ],
    "insurance": [
        lambda b: [A("Wann ist das passiert?"),
                   C("Gestern so gegen", D("time", "Viertel nach sechs"), ", ich war nur",
                     D("duration", "zwanzig Minuten"), "weg.")],
        lambda b: [A("Sie sind versichert im", D("tariff", "Hausrat Komfort"), ", die Selbstbeteiligung liegt bei",
                     D("price", "hundertfünfzig Euro"), "."), C("Oh, okay.")],
        lambda b: [C("Das Rad hat", D("price", "tausenddreihundert Euro"), "gekostet, ein",
                     D("model", "Cityrad C vier"),
                     "."),
                   A("Schicken Sie uns die Rechnung und die Anzeige, am besten innerhalb von",
                     D("duration", "vierzehn Tagen"), ".")],
        lambda b: [A("Ihr Beitrag steigt ab", D("date", "ersten Januar"), "auf", D("price", "zwölf Euro vierzig"),
                     "monatlich."), C("Schon wieder?")],
        lambda b: [C("Der Wagen ist Baujahr", D("year", "zweitausendsechzehn"), ", ein", D("product", "Kombi Vento"),
                     "."),
                   A("Dann greift bei Ihnen der", D("tariff", "KfzSchutz Premium"), ".")],
        lambda b: [C("Wir standen direkt am", D("place", "Alexanderplatz"), ", das war", D("time", "kurz nach zehn"),
                     "."), A("Gab es Zeugen?"), C("Ja,", D("quantity", "zwei Passanten"), ".")],
    ],
    "shop": [
        lambda b: [C("Ich hatte", D("quantity", "drei Paar"), "Laufschuhe bestellt, gekommen ist eins."),
                   A("Oh, das tut mir leid. Die anderen liegen noch im Lager in", D("place", "Kassel"), ".")],
        lambda b: [A("Der", D("model", "Barista zwei"), "kostet aktuell",
                     D("price", "neununddreißig Euro neunundneunzig"),
                     ", Sie haben", D("price", "neunundvierzig"), "bezahlt."),
                   C("Und die Differenz?"), A("Die schreiben wir Ihnen gut.")],
        lambda b: [A("Das Paket wurde am", D("date", "zwölften"), "verschickt und liegt jetzt in der Packstation am",
                     D("place", "Hauptbahnhof"), ".")],
        lambda b: [C("Kann ich das auch in der Filiale am", D("place", "Marktplatz"), "abgeben?"),
                   A("Ja, die hat bis", D("time", "zwanzig Uhr"), "offen.")],
        lambda b: [C("Es geht um die", D("product", "Softshelljacke Alpenwind"), "aus der Kollektion",
                     D("year", "zweitausenddreiundzwanzig"), "."),
                   A("Die ist leider ausverkauft, ich kann Ihnen", D("quantity", "zwei Alternativen"), "anbieten.")],
        lambda b: [A("Die Erstattung dauert", D("duration", "fünf bis sieben Werktage"), "."),
                   C("Und der Gutschein über", D("price", "zehn Euro"), "?"),
                   A("Der gilt noch bis", D("date", "Ende Mai"), ".")],
    ],
    "bank": [
        lambda b: [C("Da sind", D("price", "zweihundertvierzig Euro"), "weg, am", D("date", "neunten"), "um",
                     D("time", "dreiundzwanzig Uhr zwölf"), ". Da hab ich geschlafen!"),
                   A("Das schauen wir uns an.")],
        lambda b: [A("Ich sperre die Karte jetzt. Die neue kommt in", D("duration", "fünf Werktagen"),
                     "und kostet", D("price", "zehn Euro"), ".")],
        lambda b: [A("Sie haben das", D("tariff", "Girokonto Smart"), ", da geht ein Dispo bis",
                     D("price", "tausend Euro"), "."), C("Das reicht mir.")],
        lambda b: [C("Ich war am", D("place", "Flughafen"), ", und da ging die Karte nicht."),
                   A("Das Tageslimit liegt bei", D("price", "fünfhundert Euro"), ".")],
        lambda b: [A("Möchten Sie gleich die", D("product", "Kreditkarte Gold"), "dazu? Die kostet",
                     D("price", "neunundzwanzig Euro"), "im Jahr."), C("Nein, danke.")],
        lambda b: [C("Ich bin ja seit", D("year", "zweitausendzwölf"), "Kunde bei", D("company", b.company), "."),
                   A("Das sehe ich, danke für Ihre Treue.")],
    ],
}

DE_HOLD = [
    lambda b: [A("Einen Moment, ich schau mal eben nach."), C("Ja, klar.")],
    lambda b: [A("Das System ist heute etwas langsam, Sekunde."), C(b.pick(["Kein Problem.", "Ja, ich warte."]))],
    lambda b: [C("Können Sie mir das noch schriftlich schicken?"), A("Ja, das kommt automatisch per Post.")],
]


def de_closing(b: Builder):
    co = D("company", b.company)
    v = b.r.randrange(4)
    name = P("PERSON", b.last, b.last)
    if v == 0:
        return [A("Gut, dann wäre alles erledigt. Danke, dass Sie bei", co, "angerufen haben,", b.title(), name,
                  ". Schönen Tag noch!"), C("Danke, tschüss.")]
    if v == 1:
        return [A("Sie bekommen das Ganze noch mal schriftlich von", co, ". Wir melden uns bis",
                  D("date", "Freitag"), "."), C("Super, danke. Wiederhören.")]
    if v == 2:
        return [A("Kann ich sonst noch was für Sie tun?"), C("Nee, das war's."),
                  A("Dann einen schönen Tag,", b.title(), name, ", Ihr Team von", co, ".")]
    return [A("Der Rückruf kommt morgen zwischen", D("time", "neun und elf"), ". Noch Fragen?"),
            C("Nein, danke."), A("Dann vielen Dank und auf Wiederhören bei", co, ".")]


# ---------------------------------------------------------------------------------------------
# English dialogue blocks


def en_opening(b: Builder):
    co = D("company", b.company)
    v = b.r.randrange(6)
    if v == 0:
        return [A("You're through to", co, ", my name's", P("PERSON", b.agent_first, b.agent_first),
                  ", how can I help?")]
    if v == 1:
        return [A("Good morning,", co, "customer care, this is", P("PERSON", f"{b.agent_first} {b.agent_last}",
                                                                   f"{b.agent_first} {b.agent_last}"), ".")]
    if v == 2:
        return [A("Thanks for holding, you've reached", co, ". What can I do for you today?")]
    if v == 3:
        return [A("Hi there,", co, ", what's the reason for your call?")]
    if v == 4:
        return [A("Hello,", co, "support, you're speaking with", P("PERSON", b.agent_first, b.agent_first), ".")]
    return [A(co, ", hello!")]


def _money(b: Builder, major: int, minor: int = 0) -> str:
    cur = "pounds" if b.uk else "dollars"
    if minor and b.chance(0.5):
        return f"{en_num(major)} {en_num(minor)}"
    return f"{en_num(major)} {cur}" + (f" {en_num(minor)}" if minor else "")


EN_REASONS = {
    "energy": [
        lambda b: ["I'm ringing about my bill from", D("date", "the third of March" if b.uk else "March third"),
                   ", it says", D("price", _money(b, 112)), "which can't be right."],
        lambda b: ["we're moving house and I want to take the contract with us."],
        lambda b: ["I've got a meter reading for you, it's", D("quantity", "twenty-four thousand three hundred units"),
                   "."],
        lambda b: ["my direct debit has gone up to", D("price", _money(b, 89)), "a month out of nowhere."],
    ],
    "telecom": [
        lambda b: ["my broadband has been crawling for", D("duration", "about three days"), "now."],
        lambda b: ["the light on my router keeps flashing orange since", D("time", "half seven" if b.uk
                                                                           else "seven thirty"), "last night."],
        lambda b: ["I'd like to add", D("quantity", "two SIM cards"), "for the kids."],
        lambda b: ["my bill says", D("price", _money(b, 64, 90)), "but it's normally", D("price", _money(b, 39, 99)),
                   "."],
    ],
    "insurance": [
        lambda b: ["my bike got nicked outside", D("place", "King's Cross" if b.uk else "Union Station"), "."],
        lambda b: ["we've had a leak in the kitchen since", D("date", "Sunday"), "and the ceiling's come down."],
        lambda b: ["I need to update my home cover, we've moved."],
        lambda b: ["someone reversed into me in the car park at", D("place", "Heathrow" if b.uk else "JFK"), "."],
    ],
    "shop": [
        lambda b: ["I ordered something", D("duration", "two weeks"), "ago and nothing's turned up."],
        lambda b: ["you sent me the wrong thing, I ordered", D("quantity", "three pairs"),
                   "of socks and got a toaster."],
        lambda b: ["I want to send a jacket back, it's too small."],
        lambda b: ["my parcel's been stuck at the depot in", D("place", "Swindon" if b.uk else "Memphis"),
                   "since", D("date", "Tuesday"), "."],
    ],
    "bank": [
        lambda b: ["the cash machine at", D("place", "Piccadilly Gardens" if b.uk else "Times Square"),
                   "just swallowed my card."],
        lambda b: ["there's a payment of", D("price", _money(b, 240)), "I don't recognise."],
        lambda b: ["I'd like my overdraft raised to", D("price", _money(b, 1500)), "if possible."],
        lambda b: ["I've moved and I can't work out how to change my address in the app."],
    ],
}


def en_reason(b: Builder):
    reason = b.pick(EN_REASONS[b.industry])(b)
    v = b.r.randrange(6)
    greet = b.pick(["Hi, ", "Hello, yeah, ", "Hiya, ", "Oh hi, ", "Morning, "])
    if v == 0:
        kind, value, spoken = b.custid()
        b.volunteered.add("custid")
        return [C(greet + b.um(0.6).lower() + reason[0], *reason[1:], f"My {kind}'s", P("CUSTOMER_ID", value, spoken),
                  "if that helps.")]
    if v == 1:
        b.volunteered.update({"name", "address"})
        street = b.street()
        hv, hs = b.house_no()
        return [C(greet + "it's", P("PERSON", b.full, b.full), "from", P("ADDRESS", f"{hv} {street}", f"{hs} {street}"),
                  ",", *reason)]
    if v == 2:
        b.volunteered.add("name")
        return [C(greet + b.pick(["this is", "it's", "my name's"]), P("PERSON", b.first, b.first), ",", *reason)]
    if v == 3:
        b.volunteered.update({"name", "phone"})
        d, sizes, _ = b.phone()
        item = b.real_digits_item("PHONE_NUMBER", d, d, sizes) if b.real_left > 0 else \
            P("PHONE_NUMBER", d, b.digits(d, sizes))
        return [C(greet + "I'm", P("PERSON", b.full, b.full), ",", *reason),
                A(b.pick(["Oh no, sorry to hear that.", "Right, okay.", "Let's have a look."])),
                C("Just in case we get cut off, my number's", item, ".")]
    return [C(greet + b.um(0.5).lower() + reason[0], *reason[1:])]


def en_name(b: Builder):
    ask = b.pick(["Who am I speaking with today?", "Can I grab your name?", "And who's the account holder?",
                  "Could I take a name, please?", "Let me pull you up, what name is it under?",
                  "And your full name, please?"])
    turns = [A(b.ack(), ask)]
    v = b.r.randrange(5)
    homo = getattr(b, "homophones", None)
    if v == 0:
        turns.append(C(b.um(), P("PERSON", b.full, b.full), "."))
    elif v == 1:
        other = b._first("m" if b.customer_gender == "f" else "f")
        turns.append(C("It's in my husband's name," if b.customer_gender == "f" else "It's under my wife's name,",
                       P("PERSON", f"{other} {b.last}", f"{other} {b.last}"), "."))
        turns += [A("And you are?"), C(P("PERSON", b.first, b.first), ", his wife." if b.customer_gender == "f"
                                       else ", her husband.")]
    elif v == 2:
        turns.append(C(b.pick(["Surname's", "It's"]), P("PERSON", b.last, b.last), ",", b.pick(["first name",
                                                                                                "Christian name"]),
                       P("PERSON", b.first, b.first), "."))
    else:
        turns.append(C(b.um(), P("PERSON", b.full, b.full)))
    if homo and b.chance(0.8):
        wrong = b.pick(homo[1:])
        turns.append(A(b.pick(["Is that", "And that's"]), P("SPELLED_NAME", wrong, ", ".join(b.letters(wrong).split())),
                       "?"))
        hint = {"Smith": "with an I, not a Y", "Bennett": "two N's and two T's", "Clark": "no E on the end",
                "Reid": "E I", "Thompson": "with a P", "Phillips": "double L", "Gray": "with an A",
                "Stewart": "E W", "Ellis": "double L", "Anderson": "S O N"}.get(b.last, "")
        turns.append(C(b.pick(["No, ", "Nope, ", "Ah, no, "]), hint + "." if hint else "",
                       P("SPELLED_NAME", b.last, b.spell(b.last)), "."))
    elif b.chance(0.6):
        turns.append(A(b.pick(["How do you spell that?", "Could you spell the surname for me?",
                               "Sorry, can you spell that?", "Is that with a double letter anywhere?"])))
        turns.append(C(b.um(0.3), P("SPELLED_NAME", b.last, b.spell(b.last)), "."))
        if b.chance(0.5):
            turns.append(A("So that's", P("SPELLED_NAME", b.last, ", ".join(b.letters(b.last).split())), "?"))
            turns.append(C(b.yes()))
    return turns


def en_spell(b: Builder):
    """The name was already said; the agent wants it spelled."""
    turns = [A(b.ack(), b.pick(["And could you spell your surname for me?", "Just so I get it right, how's the last "
                                "name spelled?", "Spell that for me, would you?", "Can I get the spelling of that?"]))]
    turns.append(C(b.um(0.4), P("SPELLED_NAME", b.last, b.spell(b.last)), "."))
    if b.chance(0.4):
        turns += [A(b.pick(["So that's", "I've got"]), P("SPELLED_NAME", b.last, ", ".join(b.letters(b.last).split())),
                    "?"), C(b.yes())]
    return turns


def en_custid(b: Builder):
    kind, value, spoken = b.custid()
    ask = b.pick([f"Have you got your {kind} handy?", f"It'll be top right on your letter, the {kind}, can you "
                  f"read that out?", f"Could you pop your {kind} over to me?", f"Do you have your {kind} there at all?",
                  f"Let's start with the {kind}, if you've got it."])
    turns = [A(b.ack(), ask)]
    v = b.r.randrange(5)
    if value.isdigit() and b.real_left > 0:
        sizes = [3, 4] if len(value) < 9 else [3, 3, 3]
        turns.append(C(b.pick(["Yeah, it's", "Hang on, yep,", "Got it here,"]),
                       b.real_digits_item("CUSTOMER_ID", value, value, sizes), "."))
    elif v == 1 and value.isdigit() and len(value) >= 8:
        cut = len(value) // 2
        a, c = value[:cut], value[cut:]
        turns += [C(b.um(0.5), "It starts", P("CUSTOMER_ID", a, b.digits(a, [len(a)]), full_value=value)),
                  A(b.go_on()), C(P("CUSTOMER_ID", c, b.digits(c, [len(c)]), full_value=value), ".")]
    elif v == 2:
        _, old, old_sp = b.custid()
        turns.append(C("It's", P("CUSTOMER_ID", old, old_sp), b.pick([", no wait, that's the old one.",
                                                                       ", sorry, scratch that, wrong letter."]),
                       "It's", P("CUSTOMER_ID", value, spoken), "."))
    else:
        turns.append(C(b.um(), P("CUSTOMER_ID", value, spoken), "."))
    if b.chance(0.45):
        readback = spoken if not value.isdigit() else b.digits(value, [len(value)], "single")
        turns.append(A(b.pick(["Let me read that back:", "So that's", "Just to confirm,"]),
                       P("CUSTOMER_ID", value, readback), b.pick([", yeah?", "?", ", correct?"])))
        turns.append(C(b.yes()))
    return turns


def en_dob(b: Builder):
    y, m, d = b.dob()
    value = f"{y:04d}-{m:02d}-{d:02d}"
    ask = b.pick(["And for security, can you confirm your date of birth?", "When's your birthday, including the year?",
                  "What date of birth have we got on file for you?", "Just your date of birth to verify, please.",
                  "And you were born on?"])
    turns = [A(b.ack(), ask)]
    if b.chance(0.25):
        dm = f"the {en_ord(d)} of {EN_MONTHS[m - 1]}" if b.uk else f"{EN_MONTHS[m - 1]} {en_ord(d)}"
        turns += [C(b.um(), P("DATE_OF_BIRTH", f"--{m:02d}-{d:02d}", dm, full_value=value), "."),
                  A(b.pick(["And the year?", "What year?", "Year as well, please."])),
                  C(P("DATE_OF_BIRTH", str(y), en_year(y, b.r), full_value=value), ".")]
    else:
        turns.append(C(b.um(), b.pick(["It's", "", "That'd be"]), P("DATE_OF_BIRTH", value, b.dob_text(y, m, d)), "."))
    if b.chance(0.3):
        turns.append(A(P("DATE_OF_BIRTH", value, f"{en_ord(d)} {EN_MONTHS[m - 1]} {en_year(y, b.r)}"),
                       ", lovely, that matches."))
    return turns


def en_address(b: Builder):
    street, (hv, hs) = b.street(), b.house_no()
    town_v, town_s, _ = b.town()
    ask = b.pick(["Where should we send it?", "Can you confirm the first line of your address?",
                  "What's the new address?", "Is the delivery address still current? Tell me what you've got.",
                  "And where are you living now?"])
    turns = [A(b.ack(), ask)]
    v = b.r.randrange(5)
    if v == 0:
        turns.append(C(b.um(), P("ADDRESS", f"{hv} {street}, {town_v}", f"{hs} {street}, {town_s}"), "."))
    elif v == 1:  # number alone, then street, then postcode separately
        turns += [C(b.um(), P("ADDRESS", f"{hv} {street}", f"{hs} {street}"), "."),
                  A(b.pick(["And the postcode?", "Postcode?"]) if b.uk else b.pick(["City and zip?", "Zip code?"])),
                  C(P("ADDRESS", town_v, town_s), ".")]
    elif v == 2:  # flat number
        flat = str(b.r.randint(1, 30)) + (b.pick("ABCD") if b.chance(0.4) else "")
        flat_s = en_num(int(flat.rstrip("ABCD"))) + (" " + flat[-1] if flat[-1].isalpha() else "")
        word = b.pick(["Flat", "Flat number"]) if b.uk else b.pick(["Apartment", "Unit"])
        turns += [C(word, P("PIN", flat, flat_s), ",", P("ADDRESS", f"{hv} {street}, {town_v}",
                                                          f"{hs} {street}, {town_s}"), "."),
                  A(b.pick(["Sorry, which flat was that?", "What was the flat number again?"]) if b.uk else
                    "Sorry, the apartment number again?"),
                  C(P("PIN", flat, flat_s), ".")]
    elif v == 3:  # correction of the house number
        wrong_v, wrong_s = b.house_no()
        turns.append(C(P("ADDRESS", f"{wrong_v} {street}", f"{wrong_s} {street}"),
                       b.pick([", no, sorry,", ", scratch that,", ", uh, no, it's"]), P("PIN", hv, hs), ",",
                       P("ADDRESS", town_v, town_s), "."))
    else:  # street first, number asked for
        turns += [C(b.um(), P("ADDRESS", street, street), "."), A(b.pick(["What number?", "And the house number?"])),
                  C(P("PIN", hv, hs), ".")]
    if b.chance(0.3):
        turns += [A("So", P("ADDRESS", f"{hv} {street}", f"{hs} {street}"), ", yeah?"), C(b.yes())]
    return turns


def en_phone(b: Builder):
    d, sizes, _ = b.phone()
    ask = b.pick(["What's the best number to get you on?", "Have you got a mobile we can text?",
                  "And a contact number in case the engineer's running late?",
                  "Is there a number I can call you back on?",
                  "Can you confirm the phone number on the account?"])
    turns = [A(b.ack(), ask)]
    v = b.r.randrange(5)
    lead = b.pick(["It's", "Best is", "Use my mobile,", "", "Yeah,"])
    if b.real_left > 0:
        turns.append(C(b.um(), lead, b.real_digits_item("PHONE_NUMBER", d, d, sizes), "."))
    elif v == 0:
        old, osz, _ = b.phone()
        turns.append(C(lead, P("PHONE_NUMBER", old[:6], b.digits(old[:6], osz)),
                       b.pick([", sorry, scratch that, that's my old one.", ", no hang on, wrong number."]),
                       "It's", P("PHONE_NUMBER", d, b.digits(d, sizes)), "."))
    elif v == 1 and len(sizes) >= 2:
        head, rest = d[:sizes[0]], d[sizes[0]:]
        turns += [C(lead, P("PHONE_NUMBER", head, b.digits(head, [len(head)]), full_value=d)),
                  A(b.go_on()), C(P("PHONE_NUMBER", rest, b.digits(rest, sizes[1:]), full_value=d), ".")]
    elif v == 2 and b.uk and d.startswith("07"):
        intl = "44" + d[1:]
        turns.append(C(lead, P("PHONE_NUMBER", intl, "plus four four, " + b.digits(d[1:], [4, 6])), "."))
        d = intl
    else:
        turns.append(C(b.um(), lead, P("PHONE_NUMBER", d, b.digits(d, sizes)), "."))
    if b.chance(0.45):
        turns += [A(b.pick(["Let me read that back,", "So that's", "I've got"]),
                    P("PHONE_NUMBER", d, b.digits(d, sizes)), b.pick(["?", ", correct?", ", yeah?"])), C(b.yes())]
    return turns


def en_email(b: Builder):
    value, spoken = b.email()
    ask = b.pick(["Where should I send the confirmation?", "Have you got an email address for us?",
                  "Email's quickest, what's yours?", "What email would you like the receipt going to?"])
    turns = [A(b.ack(), ask), C(b.um(), P("EMAIL_ADDRESS", value, spoken), ".")]
    if b.chance(0.4):
        turns += [A("So that's", P("EMAIL_ADDRESS", value, spoken), "?"), C(b.yes())]
    elif b.chance(0.3):
        turns += [A("Is that all lower case?"), C("Yeah, all lower case.")]
    return turns


def en_iban(b: Builder):
    value, groups = b.iban_value()
    ask = b.pick(["What account would you like the refund paid into? I'll need the IBAN.",
                  "Can you give me the IBAN for the new account?", "Read me the IBAN off your statement, please."])
    turns = [A(b.ack(), ask)]
    if b.real_left > 0 and value[4:].isdigit():
        turns.append(C(b.um(), b.real_digits_item("IBAN_CODE", value, value[2:], [2, 4, 4, 4, 4, 2],
                                                  prefix_tts=b.letters(value[:2])), "."))
    elif b.chance(0.4):
        half = len(groups) // 2
        turns += [C(b.um(), P("IBAN_CODE", "".join(groups[:half]),
                              ", ".join(b.iban_group_spoken(g) for g in groups[:half]), full_value=value)),
                  A(b.go_on()),
                  C(P("IBAN_CODE", "".join(groups[half:]), ", ".join(b.iban_group_spoken(g) for g in groups[half:]),
                      full_value=value), ".")]
    else:
        turns.append(C(b.um(), P("IBAN_CODE", value, ", ".join(b.iban_group_spoken(g) for g in groups)), "."))
    if b.chance(0.5):
        turns += [A("Ending", P("IBAN_CODE", value[-4:], b.digits(value[-4:], [4]), full_value=value), "?"),
                  C(b.yes())]
    return turns


def en_card(b: Builder):
    value, sizes = b.card_value()
    ask = b.pick(["Can you read me the long number across the front of the card?", "Which card would you like to use?",
                  "I just need the card number, please."])
    turns = [A(b.ack(), ask), C(b.um(), P("CREDIT_CARD", value, b.digits(value, sizes)), ".")]
    if b.chance(0.6):
        turns += [A("That's the card ending", P("CREDIT_CARD", value[-4:], b.digits(value[-4:], [4]),
                                                 full_value=value), ", all set."), C(b.pick(["Great.", "Thanks."]))]
    return turns


def en_pin(b: Builder):
    r = b.r
    n = r.choice([3, 4, 4, 5, 6])
    code = "".join(str(r.randrange(10)) for _ in range(n))
    if b.chance(0.2):
        code = "".join(str((int(code[0]) + i) % 10) for i in range(n))
    if b.chance(0.15):
        code = code[0] * n
    ctx = {"bank": ["For security, what are the digits of your telephone passcode?",
                    "I've just texted you a code, what does it say?"],
           "telecom": ["Can you give me your account PIN? It's four digits.",
                       "What's the security code on the account?"],
           "energy": ["I'll need the access code from the welcome letter for the online account."],
           "insurance": ["I've sent a verification code to your phone, can you read it out?"],
           "shop": ["Is there a gate code the driver will need?",
                    "What's the collection code on your slip?"]}[b.industry]
    turns = [A(b.ack(), b.pick(ctx))]
    if b.real_left > 0:
        turns.append(C(b.um(), b.pick(["It's", "The code is", ""]), b.real_digits_item("PIN", code, code, [n]), "."))
    else:
        turns.append(C(b.um(), b.pick(["It's", "The code is", "Yeah,", ""]),
                       P("PIN", code, b.digits(code, [n], b.pick(["single", "runs", "pairs"]))), "."))
    if b.chance(0.2):
        turns += [A(P("PIN", code, b.digits(code, [n], "single")), "?"), C(b.yes())]
    return turns


EN_TALK = {
    "energy": [
        lambda b: [A("You're on", D("tariff", "Green Fixed Twelve"), "at the moment, that's",
                     D("price", "twenty-eight pence" if b.uk else "twenty-eight cents"), "a unit."),
                   C("What about", D("tariff", "Smart Saver"), "?"),
                   A("That one's fixed for", D("duration", "eighteen months"), ".")],
        lambda b: [C("I've been with you since", D("year", "twenty nineteen"), "and now it's",
                     D("price", _money(b, 89)),
                     "a month."), A("Your usage went up, you used", D("quantity", "three thousand two hundred units"),
                                    "last year.")],
        lambda b: [A("The engineer can come on", D("date", "the fourteenth"), ", between",
                     D("time", "eight and twelve"),
                     "."), C("Could they do after", D("time", "half two" if b.uk else "two thirty"), "?"),
                   A("I'll put a note on.")],
        lambda b: [A("There's a credit of", D("price", _money(b, 47, 50)), "coming back to you within",
                     D("duration", "ten working days"), "."), C("Oh, that's good.")],
        lambda b: [C("We've had a", D("product", "ThermoEco heat pump"), "since", D("year", "twenty twenty-one"), "."),
                   A("Then", D("tariff", "Heat Duo"), "would work out cheaper for you.")],
        lambda b: [C("Last time someone at", D("company", b.company), "told me", D("duration", "a week"), "."),
                   A("Sorry, we had a backlog in", D("date", "January"), ".")],
    ],
    "telecom": [
        lambda b: [A("You've got", D("tariff", "Fiber Max five hundred"), ", so up to",
                     D("speed", "five hundred megabits"),
                     "."), C("In the evenings I get maybe", D("speed", "thirty meg"), ".")],
        lambda b: [A("What model's the router? It's on the sticker underneath."),
                   C("It says", D("model", "Hub X seventy-five ninety"), "."),
                   A("We'll swap that, the new one takes", D("duration", "three working days"), ".")],
        lambda b: [C("And we need", D("quantity", "two SIM cards"), ", one's for a tablet."),
                   A("No problem, that's", D("price", _money(b, 4, 99)), "each a month.")],
        lambda b: [C("I've got the", D("model", "Galaxy S twenty-three"), "and no signal even at",
                     D("place", "Heathrow" if b.uk else "O'Hare"), "."),
                   A("There was an outage from", D("time", "seven forty"), "this morning, it's fixed now.")],
        lambda b: [A("I can also send you the", D("product", "Nova Box"), ", it does", D("speed", "one gig"),
                     "over wifi."), C("How much is that?"),
                   A(D("price", _money(b, 5)), "a month, free for the first", D("duration", "six months"), ".")],
        lambda b: [A("Your contract runs until", D("date", "the end of October"), ", then it's rolling."),
                   C("What if I switch to", D("tariff", "Unlimited Lite"), "?"),
                   A("That's", D("price", _money(b, 12) + " a month" if b.uk else _money(b, 19, 99)), ".")],
    ],
    "insurance": [
        lambda b: [A("When did it happen?"), C("Yesterday, about", D("time", "quarter past six"),
                                               ", I only left it for", D("duration", "twenty minutes"), ".")],
        lambda b: [A("You're on", D("tariff", "Home Shield Plus"), ", the excess is", D("price", _money(b, 150)), "."),
                   C("Right, okay.")],
        lambda b: [C("The bike cost", D("price", _money(b, 1300)), ", it was a", D("model", "Roadster C four"), "."),
                   A("Send us the receipt and the crime reference within", D("duration", "fourteen days"), ".")],
        lambda b: [A("Your premium goes up from", D("date", "the first of January" if b.uk else "January first"),
                     "to", D("price", _money(b, 12, 40)), "a month."), C("Again?")],
        lambda b: [C("The car's a", D("year", "twenty sixteen"), D("product", "Vento Estate"), "."),
                   A("Then you're covered under", D("tariff", "Motor Plus"), ".")],
        lambda b: [C("It was right by", D("place", "Trafalgar Square" if b.uk else "Grand Central"), ", just after",
                     D("time", "ten"), "."), A("Any witnesses?"), C("Yeah,", D("quantity", "two people"), "saw it.")],
    ],
    "shop": [
        lambda b: [C("I ordered", D("quantity", "three pairs"), "of trainers and only one came."),
                   A("Sorry about that, the other two are still at our warehouse in",
                     D("place", "Milton Keynes" if b.uk else "Reno"), ".")],
        lambda b: [A("The", D("model", "Barista Two"), "is", D("price", _money(b, 39, 99)), "now, you paid",
                     D("price", _money(b, 49)), "."), C("Can I get the difference back?"), A("I'll refund it.")],
        lambda b: [A("It went out on", D("date", "the twelfth"), "and it's at the locker by",
                     D("place", "Euston station" if b.uk else "Penn Station"), ".")],
        lambda b: [C("Can I drop it at the store in", D("place", "the Arndale" if b.uk else "the mall downtown"), "?"),
                   A("Yes, they're open till", D("time", "eight"), ".")],
        lambda b: [C("It's the", D("product", "Alpine Shell jacket"), "from the", D("year", "twenty twenty-three"),
                     "range."), A("That's sold out, but I can offer you", D("quantity", "two alternatives"), ".")],
        lambda b: [A("Refunds take", D("duration", "five to seven working days"), "."),
                   C("And the voucher for", D("price", _money(b, 10)), "?"),
                   A("Valid until", D("date", "the end of May"),
                                                                         ".")],
    ],
    "bank": [
        lambda b: [C("There's", D("price", _money(b, 240)), "gone on", D("date", "the ninth"), "at",
                     D("time", "eleven twelve p m"), ", I was asleep!"), A("We'll look into that.")],
        lambda b: [A("I'm cancelling the card now, the new one takes", D("duration", "five working days"), "."),
                   C("Is there a fee?"), A("No, that's free.")],
        lambda b: [A("You're on", D("tariff", "Everyday Plus"), ", so up to", D("price", _money(b, 1000)),
                     "overdraft."), C("That's fine.")],
        lambda b: [C("I was at", D("place", "Gatwick" if b.uk else "LAX"), "and it just got declined."),
                   A("The daily limit is", D("price", _money(b, 500)), ".")],
        lambda b: [A("Would you like the", D("product", "Platinum Rewards card"), "as well? It's",
                     D("price", _money(b, 29)), "a year."), C("No thanks.")],
        lambda b: [C("I've banked with", D("company", b.company), "since", D("year", "two thousand twelve"), "."),
                   A("I can see that, thanks for sticking with us.")],
    ],
}

EN_HOLD = [
    lambda b: [A("Bear with me one second while I pull that up."), C("Sure.")],
    lambda b: [A("The system's being a bit slow today, sorry."), C(b.pick(["No worries.", "That's fine."]))],
    lambda b: [C("Will I get that in writing?"), A("Yes, it'll come by email.")],
]


def en_closing(b: Builder):
    co = D("company", b.company)
    v = b.r.randrange(4)
    name = P("PERSON", b.last, b.last)
    if v == 0:
        return [A("That's all sorted then. Thanks for calling", co, ",", b.title(), name, "."), C("Thanks, bye.")]
    if v == 1:
        return [A("You'll get a confirmation from", co, "and we'll be in touch by", D("date", "Friday"), "."),
                C("Great, cheers.")]
    if v == 2:
        return [A("Anything else I can help with today?"), C("No, that's everything."),
                A("Have a good one,", b.title(), name, ", and thanks for choosing", co, ".")]
    return [A("Someone will call you back tomorrow between", D("time", "nine and eleven"), ". Anything else?"),
            C("No, thanks."), A("Okay, bye for now from all of us at", co, ".")]


# ---------------------------------------------------------------------------------------------
# assembling a call

BLOCKS = {
    "de": {"name": de_name, "spell": de_spell, "custid": de_custid, "dob": de_dob, "address": de_address,
           "phone": de_phone,
           "email": de_email, "iban": de_iban, "card": de_card, "pin": de_pin},
    "en": {"name": en_name, "spell": en_spell, "custid": en_custid, "dob": en_dob, "address": en_address,
           "phone": en_phone,
           "email": en_email, "iban": en_iban, "card": en_card, "pin": en_pin},
}
PAYMENT = {"energy": ["iban"], "telecom": ["iban", "card"], "insurance": ["iban"], "shop": ["card"],
           "bank": ["iban", "card"]}


def plan_call(lang: str, industry: str, seed_key: str, want_real: int, extra_talk: int) -> tuple[list, Builder]:
    """The dialogue of one call: a list of (speaker, chunks)."""
    rng = random.Random(seed_key)
    b = Builder(lang, industry, rng, faker_seed=zlib.crc32(seed_key.encode()),
                want_real=want_real)
    opening = de_opening if lang == "de" else en_opening
    reason = de_reason if lang == "de" else en_reason
    closing = de_closing if lang == "de" else en_closing
    talk = list((DE_TALK if lang == "de" else EN_TALK)[industry])
    hold = DE_HOLD if lang == "de" else EN_HOLD
    blocks = BLOCKS[lang]
    pii_target, dis_target = rng.randint(5, 9), rng.randint(6, 12)

    head = opening(b) + reason(b)
    close = closing(b)
    verify_pool = [k for k in ("name", "custid", "dob", "pin") if k not in b.volunteered]
    if "name" in b.volunteered and rng.random() < 0.5:
        verify_pool.append("spell")
    payment = PAYMENT[industry] if lang == "de" or b.uk else ["card"]  # no IBANs in the US
    later_pool = [k for k in ("address", "phone", "email") if k not in b.volunteered] + payment
    rng.shuffle(verify_pool)
    rng.shuffle(later_pool)
    if "name" in verify_pool and rng.random() < 0.7:  # the name usually comes first
        verify_pool.remove("name")
        verify_pool.insert(0, "name")
    verify, later = [], []
    count = n_pii(head) + n_pii(close)
    pools = [(verify_pool, verify), (later_pool, later)]
    turn = 0
    while count < pii_target and (verify_pool or later_pool):
        pool, dest = pools[turn % 2] if pools[turn % 2][0] else pools[(turn + 1) % 2]
        turn += 1
        key = pool.pop(0)
        t = blocks[key](b)
        if count + n_pii(t) > 9 and count >= 5:
            continue
        dest.append(t)
        count += n_pii(t)
    rng.shuffle(talk)
    n_talk = max(1, min(len(talk), 2 + extra_talk))
    chosen = talk[:n_talk]
    talk_turns = [t(b) for t in chosen]
    dcount = n_dis(head) + n_dis(close) + sum(n_dis(t) for t in talk_turns)
    for t in talk[n_talk:]:
        if dcount >= dis_target:
            break
        tt = t(b)
        talk_turns.append(tt)
        dcount += n_dis(tt)
    while dcount > 12 and len(talk_turns) > 1:
        dcount -= n_dis(talk_turns.pop())
    if extra_talk > 0:
        for _ in range(extra_talk):
            talk_turns.insert(rng.randrange(len(talk_turns) + 1), rng.choice(hold)(b))
    while extra_talk < 0:  # too long: drop talk while distractors stay >= 6, else a block while PII stay >= 5
        if len(talk_turns) > 1 and dcount - n_dis(talk_turns[-1]) >= 6:
            dcount -= n_dis(talk_turns.pop())
        elif later and count - n_pii(later[-1]) >= 5:
            count -= n_pii(later.pop())
        elif len(verify) > 1 and count - n_pii(verify[-1]) >= 5:
            count -= n_pii(verify.pop())
        else:
            break
        extra_talk += 1
    # order: opening, reason, verification, talk (first half), later blocks, talk (rest), closing
    half = (len(talk_turns) + 1) // 2
    turns = list(head)
    for t in verify:
        turns += t
    for t in talk_turns[:half]:
        turns += t
    for t in later:
        turns += t
    for t in talk_turns[half:]:
        turns += t
    turns += close
    return _alternate(_clean(turns), b), b


def _alternate(turns, b: Builder):
    """Two turns of the same speaker in a row get a short backchannel from the other one in between."""
    out = []
    for sp, chunks in turns:
        if out and out[-1][0] == sp:
            other = "customer" if sp == "agent" else "agent"
            if b.lang == "de":
                line = b.pick(["Mhm.", "Okay.", "Ja.", "Ach so.", "Verstehe."] if other == "customer" else
                              ["Mhm.", "Verstehe.", "Okay.", "Ja, genau."])
            else:
                line = b.pick(["Mhm.", "Okay.", "Right.", "Oh, okay.", "I see."] if other == "customer" else
                              ["Mhm.", "I see.", "Okay.", "Right."])
            out.append((other, [line]))
        out.append((sp, chunks))
    return out


_LOWER_AFTER_COMMA = {"Die", "Der", "Das", "Am", "Ja,", "Okay,", "It's", "The", "Best", "Use", "Yeah,", "That'd",
                      "Nehmen", "Hab", "Got", "Hang"}


def _clean(turns):
    """Merge adjacent plain text, drop chunks and turns without words, tidy punctuation."""
    out = []
    for speaker, chunks in turns:
        merged: list = []
        for ch in chunks:
            if isinstance(ch, str):
                ch = ch.strip()
                if not ch:
                    continue
                if merged and isinstance(merged[-1], str):
                    if merged[-1].endswith(",") and ch.split()[0] in _LOWER_AFTER_COMMA:
                        ch = ch[0].lower() + ch[1:]
                    merged[-1] = merged[-1] + ("" if ch[0] in ",.?!…" else " ") + ch
                else:
                    merged.append(ch)
            else:
                merged.append(ch)
        cleaned: list = []
        for ch in merged:
            if isinstance(ch, str):
                ch = ch.lstrip(",;. ").strip()
                if not any(c.isalnum() for c in ch):
                    continue
                prev = cleaned[-1] if cleaned else None
                if prev is None or (isinstance(prev, str) and prev.endswith((".", "?", "!"))):
                    ch = ch[0].upper() + ch[1:]
            cleaned.append(ch)
        if cleaned:
            out.append((speaker, cleaned))
    return out


# ---------------------------------------------------------------------------------------------
# audio: TTS, real digits, mixing

_TTS_CACHE: dict = {}


def tts(text: str, voice: str, rate_wpm: int, pitch: int) -> np.ndarray:
    """espeak-ng to float32 at 16 kHz, edge silence trimmed (a few ms kept)."""
    key = (text, voice, rate_wpm, pitch)
    if key in _TTS_CACHE:
        return _TTS_CACHE[key]
    proc = subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate_wpm), "-p", str(pitch), "--stdout"],
                          input=text.encode("utf-8"), capture_output=True, check=True)
    with wave.open(io.BytesIO(proc.stdout)) as w:
        sr = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    x = pcm.astype(np.float32) / 32768.0
    if sr != RATE:
        g = np.gcd(sr, RATE)
        x = resample_poly(x, RATE // g, sr // g).astype(np.float32)
    x = trim(x)
    _TTS_CACHE[key] = x
    return x


def trim(x: np.ndarray, rel: float = 0.02, pad_s: float = 0.01) -> np.ndarray:
    """Cut leading/trailing silence: 5 ms frames whose peak is below ``rel`` of the clip's peak."""
    if x.size == 0:
        return x
    frame = int(0.005 * RATE)
    n = len(x) // frame
    if n == 0:
        return x
    peaks = np.abs(x[: n * frame]).reshape(n, frame).max(axis=1)
    loud = np.flatnonzero(peaks > rel * peaks.max())
    if loud.size == 0:
        return x[:0]
    pad = int(pad_s * RATE)
    start = max(0, loud[0] * frame - pad)
    end = min(len(x), (loud[-1] + 1) * frame + pad)
    return x[start:end]


def active_rms(x: np.ndarray) -> float:
    frame = int(0.02 * RATE)
    n = len(x) // frame
    if n == 0:
        return float(np.sqrt(np.mean(x ** 2)) + 1e-9)
    rms = np.sqrt((x[: n * frame].reshape(n, frame) ** 2).mean(axis=1))
    act = rms[rms > 0.1 * rms.max()]
    return float(np.sqrt(np.mean(act ** 2)) + 1e-9)


_CLIPS: dict = {}


def real_digit(lang: str, speaker: str, digit: int) -> np.ndarray:
    key = (lang, speaker, digit)
    if key not in _CLIPS:
        if lang == "de":
            path = SPEAKERS_DIR / "heidelberg_digits_de" / speaker / \
                f"lang-german_{speaker}_trial-0_digit-{digit}.flac"
        else:
            path = SPEAKERS_DIR / "fsdd" / speaker / f"{digit}_{speaker}_0.wav"
        audio = decode(path)
        x = audio.samples[:, 0].astype(np.float64)
        x -= x.mean()
        sr = audio.sample_rate_hz
        if sr != RATE:
            g = np.gcd(sr, RATE)
            x = resample_poly(x, RATE // g, sr // g)
        # high-pass the rumble away before trimming (some recordings have a noise floor)
        x = sosfiltfilt(butter(4, 80, "highpass", fs=RATE, output="sos"), x)
        x = trim(x.astype(np.float32), rel=0.06, pad_s=0.02)
        fade = int(0.005 * RATE)
        if len(x) > 2 * fade:
            ramp = np.linspace(0, 1, fade, dtype=np.float32)
            x[:fade] *= ramp
            x[-fade:] *= ramp[::-1]
        _CLIPS[key] = x / (active_rms(x) + 1e-9)
    return _CLIPS[key]


@dataclass
class Voice:
    name: str
    rate: int
    pitch: int
    gain: float = 1.0


@dataclass
class Rendered:
    speaker: str
    turn: int
    kind: str  # "pii" | "phrase" | "distractor"
    text: str
    audio: np.ndarray
    start: int = 0
    meta: dict = field(default_factory=dict)


def render(turns, lang: str, voices: dict[str, Voice], rng: random.Random, real_speaker: str | None):
    """Synthesize every chunk; returns agent track, customer track, items, real-voice count."""
    items: list[Rendered] = []
    pos = int(rng.uniform(0.3, 0.8) * RATE)
    n_real = 0
    for ti, (speaker, chunks) in enumerate(turns):
        v = voices[speaker]
        rate_jitter = rng.uniform(0.95, 1.06)
        for ci, ch in enumerate(chunks):
            if ci:
                pos += int(rng.uniform(0.02, 0.1) * RATE)
            rate = int(v.rate * rate_jitter * rng.uniform(0.96, 1.04))
            if isinstance(ch, P) and ch.parts:
                pieces, gaps = [], []
                for kind, content in ch.parts:
                    if kind == "tts":
                        pieces.append(tts(content, v.name, rate, v.pitch) * v.gain)
                        gaps.append(rng.uniform(0.12, 0.25))
                    else:
                        target = v.gain * _speaker_rms(v, lang, rate)
                        level = target * 10 ** (rng.uniform(-3, 2) / 20)
                        for gi, group in enumerate(content):
                            for di, dch in enumerate(group):
                                clip = real_digit(lang, real_speaker, int(dch))
                                # isolated digits are said slowly; a dictating caller is quicker
                                slow = _mean_digit_s(lang, real_speaker) / 0.42
                                speed = rng.uniform(0.95, 1.05) * min(1.15, max(1.0, slow))
                                if abs(speed - 1) > 0.01:
                                    up = 100
                                    clip = resample_poly(clip, up, int(round(up * speed))).astype(np.float32)
                                pieces.append(clip * level)
                                last = gi == len(content) - 1 and di == len(group) - 1
                                gaps.append(0 if last else rng.uniform(0.18, 0.4) if di == len(group) - 1
                                            else rng.uniform(0.0, 0.07))
                        n_real += 1
                audio = np.concatenate([np.concatenate([p, np.zeros(int(g * RATE), np.float32)])
                                        for p, g in zip(pieces, gaps, strict=True)])
                audio = audio[: len(audio) - int(gaps[-1] * RATE)] if gaps[-1] else audio
                items.append(Rendered(speaker, ti, "pii", ch.text, audio, pos,
                                      {"label": ch.label, "value": ch.value, "real_voice": True,
                                       "full_value": ch.full_value}))
            else:
                text = ch.text if isinstance(ch, (P, D)) else ch
                audio = tts(text, v.name, rate, v.pitch) * v.gain * 10 ** (rng.uniform(-1.5, 1.5) / 20)
                kind = "pii" if isinstance(ch, P) else "distractor" if isinstance(ch, D) else "phrase"
                meta = {"label": ch.label, "value": ch.value, "full_value": ch.full_value} if isinstance(ch, P) else \
                    {"category": ch.category} if isinstance(ch, D) else {}
                items.append(Rendered(speaker, ti, kind, text, audio.astype(np.float32), pos, meta))
            pos = items[-1].start + len(items[-1].audio)
        gap = rng.uniform(0.15, 0.6) if rng.random() < 0.85 else rng.uniform(0.8, 1.4)
        pos += int(gap * RATE)
    total = pos + int(rng.uniform(0.3, 0.8) * RATE)
    tracks = {"agent": np.zeros(total, np.float32), "customer": np.zeros(total, np.float32)}
    for it in items:
        tracks[it.speaker][it.start: it.start + len(it.audio)] += it.audio
    return tracks, items, n_real


_RMS_CACHE: dict = {}


def _mean_digit_s(lang: str, speaker: str) -> float:
    return float(np.mean([len(real_digit(lang, speaker, d)) for d in range(10)])) / RATE


def _speaker_rms(v: Voice, lang: str, rate: int) -> float:
    key = (v.name, lang)
    if key not in _RMS_CACHE:
        probe = "Das ist ein kurzer Satz zum Pegel." if lang == "de" else "This is a short sentence for the level."
        _RMS_CACHE[key] = active_rms(tts(probe, v.name, v.rate, v.pitch))
    return _RMS_CACHE[key]


def pink_noise(n: int, nrng: np.random.Generator, exponent: float) -> np.ndarray:
    """1/f^exponent noise (1: pink, 2: brown) by spectral shaping."""
    spec = np.fft.rfft(nrng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1 / RATE)
    f[0] = f[1]
    spec /= np.maximum(f, 20.0) ** (exponent / 2)
    x = np.fft.irfft(spec, n)
    return (x / (np.sqrt(np.mean(x ** 2)) + 1e-12)).astype(np.float32)


def babble(n: int, lang: str, avoid: set[str], rng: random.Random) -> np.ndarray:
    pool = [v for v, _ in VOICE_POOL[lang] if v not in avoid]
    out = np.zeros(n, np.float32)
    for _ in range(3):
        voice = rng.choice(pool)
        pos = int(rng.uniform(0, 1.5) * RATE)
        lines = BABBLE[lang][:]
        rng.shuffle(lines)
        i = 0
        while pos < n:
            seg = tts(lines[i % len(lines)], voice, rng.randint(150, 190), rng.randint(30, 70))
            seg = seg[: n - pos]
            out[pos: pos + len(seg)] += seg * rng.uniform(0.6, 1.0)
            pos += len(seg) + int(rng.uniform(0.2, 1.2) * RATE)
            i += 1
    # a room far away: muffle it
    out = sosfiltfilt(butter(2, 2500, "lowpass", fs=RATE, output="sos"), out).astype(np.float32)
    return out / (np.sqrt(np.mean(out ** 2)) + 1e-12)


# ---------------------------------------------------------------------------------------------
# writing


def output_format(name: str, n_channels: int, rng: random.Random) -> tuple[OutputFormat, int | None]:
    if name == "wav":
        return OutputFormat(".wav", "wav", "pcm_s16le"), None
    if name == "flac":
        return OutputFormat(".flac", "flac", "flac"), None
    if name == "mp3":
        total = 32000 if n_channels == 2 else rng.choice([16000, 24000, 32000])
        return OutputFormat(".mp3", "mp3", "libmp3lame", bit_rate_per_channel_bps=total // n_channels), total
    total = rng.choice([16000, 24000, 32000]) if n_channels == 1 else 32000
    return OutputFormat(".ogg", "ogg", "libopus", bit_rate_per_channel_bps=total // n_channels), total


def codec_offset(reference: np.ndarray, path: Path, rate: int) -> tuple[float, int]:
    """Delay (s) of the decoded file against what was encoded, by cross-correlating envelopes."""
    dec = decode(path)
    y = dec.samples.mean(axis=1)
    if dec.sample_rate_hz != rate:
        g = np.gcd(dec.sample_rate_hz, rate)
        y = resample_poly(y, rate // g, dec.sample_rate_hz // g)
    x = reference.mean(axis=1) if reference.ndim == 2 else reference
    n = min(len(x), len(y), 30 * rate)
    a, c = x[:n] - x[:n].mean(), y[:n] - y[:n].mean()
    max_lag = int(0.2 * rate)
    corr = np.fft.irfft(np.fft.rfft(c, 2 * n) * np.conj(np.fft.rfft(a, 2 * n)), 2 * n)
    lags = np.concatenate([corr[: max_lag + 1], corr[-max_lag:]])
    idx = int(np.argmax(lags))
    lag = idx if idx <= max_lag else idx - len(lags)
    return lag / rate, dec.sample_rate_hz


def balanced(rng: random.Random, values: list, n: int) -> list:
    out = []
    while len(out) < n:
        block = values[:]
        rng.shuffle(block)
        out += block
    return out[:n]


def make_call(index: int, lang: str, industry: str, cond: dict, seed: int, out_dir: Path, split: str) -> dict:
    key = f"v2-{seed}-{index}"
    rng = random.Random(key + "-audio")
    nrng = np.random.default_rng([seed, index])
    # voices: two different ones, not the old sample voices
    pool = VOICE_POOL[lang][:]
    rng.shuffle(pool)
    agent_v, cust_v = pool[0][0], pool[1][0]
    base_rate = {"de": (150, 185), "en": (140, 180)}[lang]
    voices = {"agent": Voice(agent_v, rng.randint(*base_rate), rng.randint(35, 65)),
              "customer": Voice(cust_v, rng.randint(base_rate[0] - 10, base_rate[1]), rng.randint(30, 70))}
    # level: normalise each voice, then a speaker level difference
    level_db = rng.uniform(-9, 4)
    for v in voices.values():
        v.gain = 0.1 / _speaker_rms(v, lang, v.rate)
    voices["customer"].gain *= 10 ** (level_db / 20)
    real_speaker = rng.choice(REAL_DIGIT_SPEAKERS[lang]) if cond["real"] else None

    extra = 0
    for _attempt in range(6):
        turns, b = plan_call(lang, industry, key, 1 if cond["real"] else 0, extra)
        tracks, items, n_real = render(turns, lang, voices, random.Random(key + "-render"), real_speaker)
        dur = len(tracks["agent"]) / RATE
        if 50 <= dur <= 90:
            break
        extra += 1 if dur < 50 else -1
    # noise
    n = len(tracks["agent"])
    speech_rms = active_rms(tracks["agent"] + tracks["customer"])
    noise = None
    if cond["noise"] != "none":
        if cond["noise"] == "babble":
            noise = babble(n, lang, {agent_v, cust_v}, rng)
        else:
            noise = pink_noise(n, nrng, 1.0 if cond["noise"] == "pink" else 2.0)
        noise *= speech_rms / 10 ** (cond["snr_db"] / 20)
    if cond["channels"] == 2:
        mix = np.stack([tracks["agent"], tracks["customer"]], axis=1)
        if noise is not None:
            other = pink_noise(n, nrng, 1.0 if cond["noise"] == "pink" else 2.0) * (
                speech_rms / 10 ** (cond["snr_db"] / 20)) if cond["noise"] != "babble" else noise
            mix += np.stack([noise, other], axis=1)
    else:
        mix = (tracks["agent"] + tracks["customer"])[:, None]
        if noise is not None:
            mix = mix + noise[:, None]
    if cond["rate"] == 8000:  # telephone band
        mix = sosfiltfilt(butter(4, [300, 3400], "bandpass", fs=RATE, output="sos"), mix, axis=0)
    peak = np.abs(mix).max()
    mix = (mix * (0.89 / peak if peak > 0.89 or peak < 0.3 else 1.0)).astype(np.float32)
    out = mix
    if cond["rate"] != RATE:
        g = np.gcd(cond["rate"], RATE)
        out = resample_poly(mix, cond["rate"] // g, RATE // g, axis=0).astype(np.float32)
    out = np.clip(out, -1, 1)
    fmt, bitrate = output_format(cond["format"], cond["channels"], rng)
    stem = f"v2_{index:03d}_{lang}_{industry}"
    path = out_dir / f"{stem}{fmt.extension}"
    write_atomic(Audio(out, cond["rate"]), path, fmt)
    offset_s, decoded_rate = codec_offset(out, path, cond["rate"])
    shift = offset_s if abs(offset_s) >= 0.002 else 0.0  # truth follows the decoded audio

    def t(samples: int) -> float:
        return round(samples / RATE + shift, 3)

    pii, phrases, distractors = [], [], []
    for it in items:
        span = {"text": it.text, "start_s": t(it.start), "end_s": t(it.start + len(it.audio)),
                "speaker": it.speaker, "turn": it.turn}
        if it.kind == "pii":
            entry = {"label": it.meta["label"], "value": it.meta["value"], **span}
            if it.meta.get("full_value"):
                entry["full_value"] = it.meta["full_value"]
            if it.meta.get("real_voice"):
                entry["real_voice"] = True
            pii.append(entry)
        else:
            phrases.append(span)
            if it.kind == "distractor":
                distractors.append({"category": it.meta["category"], **span})
    dec_duration = round(len(out) / cond["rate"], 3)
    truth = {
        "language": lang, "file": path.name, "sample_rate_hz": cond["rate"], "decoded_rate_hz": decoded_rate,
        "n_channels": cond["channels"],
        "duration_s": dec_duration, "channels": {"0": "agent", "1": "customer"},
        "pii": pii, "phrases": phrases, "distractors": distractors, "split": split, "corpus": "v2", "seed": seed,
        "industry": industry, "company": b.company,
        "voices": {"agent": f"{agent_v} {voices['agent'].rate}wpm p{voices['agent'].pitch}",
                   "customer": f"{cust_v} {voices['customer'].rate}wpm p{voices['customer'].pitch}"},
        "real_voice_digits": real_speaker if n_real else None,
    }
    (out_dir / f"{stem}.truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n",
                                                encoding="utf-8")
    return {"file": path.name, "language": lang, "industry": industry, "split": split, "format": cond["format"],
            "bit_rate_bps": bitrate, "channels": cond["channels"], "sample_rate_hz": cond["rate"],
            "decoded_rate_hz": decoded_rate, "noise": cond["noise"],
            "snr_db": round(cond["snr_db"], 1) if cond["noise"] != "none" else None,
            "customer_level_db": round(level_db, 1), "duration_s": dec_duration, "n_pii": len(pii),
            "n_distractors": len(distractors), "real_voice_items": sum(1 for p in pii if p.get("real_voice")),
            "real_voice_speaker": real_speaker if n_real else None, "voices": truth["voices"],
            "codec_offset_ms": round(offset_s * 1000, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--calls", type=int, default=48)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--only", type=int, nargs="*", help="generate only these call indices (debugging)")
    args = ap.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    n = args.calls
    langs = ["de" if i % 2 == 0 else "en" for i in range(n)]
    # conditions balanced within each language
    industries, formats, channels, rates, noises, reals = ([None] * n for _ in range(6))
    for lang in ("de", "en"):
        idx = [i for i in range(n) if langs[i] == lang]
        for target, values in ((industries, INDUSTRIES), (formats, ["wav", "flac", "mp3", "ogg"]),
                               (channels, [1, 2]), (rates, [8000, 16000]),
                               (noises, ["none", "none", "none", "pink", "brown", "babble"]),
                               (reals, [True, True, False])):
            for i, value in zip(idx, balanced(rng, values, len(idx)), strict=True):
                target[i] = value
    snrs = [rng.uniform(10, 25) for _ in range(n)]
    split_rng = random.Random(f"split-{args.seed}")
    split = {}
    for lang in ("de", "en"):
        idx = [i for i in range(n) if langs[i] == lang]
        split_rng.shuffle(idx)
        for k, i in enumerate(idx):
            split[i] = "tune" if k < len(idx) // 2 or (k == len(idx) // 2 and len(idx) % 2 and lang == "de") \
                else "heldout"
    manifest = []
    t0 = time.process_time()
    w0 = time.time()
    for i in range(n):
        if args.only and i not in args.only:
            continue
        cond = {"format": formats[i], "channels": channels[i], "rate": rates[i], "noise": noises[i],
                "snr_db": snrs[i], "real": reals[i]}
        entry = make_call(i, langs[i], industries[i], cond, args.seed, args.out_dir, split[i])
        manifest.append(entry)
        print(f"{entry['file']}: {entry['duration_s']:.1f} s, {entry['sample_rate_hz']} Hz {entry['channels']} ch "
              f"{entry['format']}, noise {entry['noise']}, {entry['n_pii']} PII "
              f"({entry['real_voice_items']} real voice), {entry['n_distractors']} distractors, {entry['split']}",
              flush=True)
    (args.out_dir / "manifest.json").write_text(json.dumps(
        {"corpus": "v2", "seed": args.seed, "calls": manifest}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8")
    print(f"{len(manifest)} calls in {time.time() - w0:.0f} s wall, {time.process_time() - t0:.0f} s CPU "
          f"(plus espeak-ng subprocesses)")


if __name__ == "__main__":
    main()
