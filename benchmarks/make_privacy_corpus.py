"""Generate the synthetic call corpus of benchmarks/eval_privacy.py, with exact ground truth.

Calls in German and English, agent and customer on MBROLA voices at several speaking rates, with
personal data from Faker's de_DE / en_US / en_GB providers (valid IBAN checksums, Luhn-valid card
numbers) dictated the way callers do: digits one by one in groups, e-mails with "Punkt"/"dot",
names spelled out, dates and addresses. Written as mono and stereo (agent left, customer right),
8 kHz telephone band and 16 kHz, WAV, FLAC and MP3; each language gets every format in turn (calls
alternate de/en, formats advance every second call). MP3s are encoded the way call archives store
them, at a low bit rate: 16 kbit/s at 8 kHz, 32 kbit/s at 16 kHz. Every PII item's time span is known.

Needs: espeak-ng, mbrola, mbrola-de1/de2/us1/us2/us3/en1 (Debian contrib/non-free), Faker.
Run: ``python benchmarks/make_privacy_corpus.py OUT_DIR [--calls 40] [--seed 7] [--density realistic|dense]``.
``realistic`` (the default) embeds the data in a conversation about the customer's matter, as calls
are; ``dense`` asks for nothing but the data (5-7 items in ~50 s), the stress case for retention.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from anonymizer.audio import FORMATS as OUTPUT_FORMATS  # noqa: E402
from samples.make_samples import VOICES, Pii, Turn, synthesize, write  # noqa: E402

DIGITS = {
    "de": ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"],
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
}
SPELL_DE = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        [
            "Anton",
            "Berta",
            "Cäsar",
            "Dora",
            "Emil",
            "Friedrich",
            "Gustav",
            "Heinrich",
            "Ida",
            "Julius",
            "Kaufmann",
            "Ludwig",
            "Martha",
            "Nordpol",
            "Otto",
            "Paula",
            "Quelle",
            "Richard",
            "Samuel",
            "Theodor",
            "Ulrich",
            "Viktor",
            "Wilhelm",
            "Xanthippe",
            "Ypsilon",
            "Zacharias",
        ],
        strict=True,
    )
)
NATO = dict(
    zip(
        "abcdefghijklmnopqrstuvwxyz",
        [
            "Alpha",
            "Bravo",
            "Charlie",
            "Delta",
            "Echo",
            "Foxtrot",
            "Golf",
            "Hotel",
            "India",
            "Juliet",
            "Kilo",
            "Lima",
            "Mike",
            "November",
            "Oscar",
            "Papa",
            "Quebec",
            "Romeo",
            "Sierra",
            "Tango",
            "Uniform",
            "Victor",
            "Whiskey",
            "X-ray",
            "Yankee",
            "Zulu",
        ],
        strict=True,
    )
)
MONTHS = {
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
FILLER = {
    "de": [
        "Einen Moment bitte, ich schaue nach.",
        "Das habe ich notiert.",
        "Können Sie das bitte wiederholen?",
        "Ich habe eine Frage zu meiner letzten Rechnung.",
        "Der Tarif kostet neunzehn Euro im Monat.",
        "Das dauert etwa fünf Werktage.",
        "Vielen Dank für Ihre Geduld.",
        "Ist sonst noch etwas offen?",
    ],
    "en": [
        "One moment please, let me check that.",
        "I have noted that down.",
        "Could you repeat that, please?",
        "I have a question about my last bill.",
        "The plan costs twenty dollars a month.",
        "That takes about five business days.",
        "Thank you for your patience.",
        "Is there anything else?",
    ],
}
# The conversation around the data (``--density realistic``): why the customer calls, what the agent
# explains, how the customer reacts. Amounts, durations and times in it are not personal data.
ISSUES = {
    "de": [
        "Meine Abschlagszahlung ist plötzlich viel höher als im letzten Jahr.",
        "Ich ziehe nächsten Monat um und möchte meinen Vertrag mitnehmen.",
        "Seit gestern Abend funktioniert mein Internet nicht mehr.",
        "Ich möchte meine Bankverbindung ändern und den Tarif wechseln.",
        "Ich habe eine Mahnung bekommen, obwohl ich die Rechnung bezahlt habe.",
        "Ich wollte fragen, ob es einen günstigeren Tarif für mich gibt.",
    ],
    "en": [
        "My monthly payment suddenly went up a lot compared to last year.",
        "I am moving next month and would like to take my contract with me.",
        "My internet has not been working since last night.",
        "I would like to change my bank details and switch to another plan.",
        "I got a reminder letter, although I already paid the bill.",
        "I wanted to ask whether there is a cheaper plan for me.",
    ],
}
AGENT_TALK = {
    "de": [
        "Das sehe ich mir gerne für Sie an.",
        "Der Abschlag wurde an Ihren Verbrauch der letzten zwölf Monate angepasst.",
        "Die Änderung gilt ab dem nächsten Abrechnungszeitraum.",
        "Sie bekommen dazu noch eine schriftliche Bestätigung per Post.",
        "Das kann ich Ihnen nicht sofort sagen, aber ich kläre das mit der Fachabteilung.",
        "Der neue Tarif hat eine Laufzeit von zwölf Monaten und kostet vierundzwanzig Euro.",
        "Ich habe einen Techniker beauftragt, er meldet sich bis Donnerstag bei Ihnen.",
        "Die Zahlung ist bei uns eingegangen, die Mahnung können Sie ignorieren.",
    ],
    "en": [
        "Let me have a look at that for you.",
        "The payment was adjusted to your usage over the last twelve months.",
        "The change applies from the next billing period.",
        "You will also get a written confirmation by mail.",
        "I cannot tell you right away, but I will check with the billing team.",
        "The new plan runs for twelve months and costs twenty four dollars.",
        "I have booked a technician, who will contact you by Thursday.",
        "We have received your payment, so you can ignore the reminder.",
    ],
}
CUSTOMER_TALK = {
    "de": [
        "Ach so, das wusste ich nicht.",
        "Gut, das klingt vernünftig.",
        "Und wie lange dauert das ungefähr?",
        "Alles klar, dann warte ich das ab.",
        "Das ist mir wichtig, weil ich nächste Woche im Urlaub bin.",
        "Okay, vielen Dank für die Erklärung.",
    ],
    "en": [
        "Oh, I see, I did not know that.",
        "Good, that sounds reasonable.",
        "And how long will that take?",
        "All right, then I will wait for that.",
        "That matters to me, because I am on holiday next week.",
        "Okay, thanks for explaining.",
    ],
}
FORMATS = [
    ("mono", 8000, "wav"),
    ("stereo", 8000, "flac"),
    ("mono", 16000, "wav"),
    ("mono", 16000, "mp3"),
    ("stereo", 8000, "wav"),
    ("mono", 8000, "mp3"),
]
ARCHIVE_MP3_BPS = {8000: 16_000, 16000: 32_000}  # per channel; call archives' low-end MP3 settings


def dictate(digits: str, language: str, group: int) -> str:
    words = [DIGITS[language][int(d)] for d in digits if d.isdigit()]
    return ", ".join(" ".join(words[i : i + group]) for i in range(0, len(words), group))


def spelled(name: str, language: str, rng: random.Random) -> str:
    letters = [ch for ch in name.lower() if ch in SPELL_DE]
    if language == "de":
        return ", ".join(f"{ch.upper()} wie {SPELL_DE[ch]}" for ch in letters)
    if rng.random() < 0.5:
        return " ".join(NATO[ch] for ch in letters)
    return ", ".join(ch.upper() for ch in letters)


def pii_items(language: str, rng: random.Random) -> list[tuple[str, str, Pii]]:
    """(agent question, customer lead-in, PII) candidates for one call."""
    from faker import Faker

    fake = Faker({"de": "de_DE", "en": "en_US"}[language])
    fake.seed_instance(rng.randrange(1 << 30))
    first, last = fake.first_name(), fake.last_name()
    de = language == "de"
    customer_id = "".join(rng.choice("0123456789") for _ in range(rng.choice([6, 7, 8])))
    phone = (
        "01" + "".join(rng.choice("5679") for _ in range(1)) + "".join(rng.choice("0123456789") for _ in range(8))
        if de
        else rng.choice("2345678") + "".join(rng.choice("0123456789") for _ in range(9))
    )
    dob = fake.date_of_birth(minimum_age=18, maximum_age=85)
    iban = fake.iban() if de else Faker("en_GB").iban()
    card = fake.credit_card_number(card_type=rng.choice(["visa16", "mastercard"]))
    user = f"{first}.{last}".lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    domain = rng.choice(["beispiel", "posteo", "gmx", "web"] if de else ["example", "mailbox", "fastmail"])
    tld = rng.choice(["de", "com"]) if de else rng.choice(["com", "net"])
    street, number = fake.street_name(), str(rng.randint(1, 120))
    postcode, city = fake.postcode(), fake.city()
    dot, at = ("Punkt", "at") if de else ("dot", "at")
    month = MONTHS[language][dob.month - 1]
    items = [
        (
            "Wie lautet Ihre Kundennummer?" if de else "Can I have your customer number?",
            "Meine Kundennummer ist" if de else "My customer number is",
            Pii("CUSTOMER_ID", customer_id, dictate(customer_id, language, rng.choice([1, 2, 3]))),
        ),
        (
            "Und Ihr Geburtsdatum?" if de else "And your date of birth?",
            "Ich bin geboren am" if de else "I was born on",
            Pii(
                "DATE_OF_BIRTH",
                dob.isoformat(),
                f"{dob.day}. {month} {dob.year}" if de else f"{month} {dob.day}, {dob.year}",
            ),
        ),
        (
            "Unter welcher Nummer erreichen wir Sie?" if de else "What is the best number to reach you?",
            "Unter" if de else "You can call me on",
            Pii("PHONE_NUMBER", phone, dictate(phone, language, rng.choice([3, 4]))),
        ),
        (
            "Wie ist Ihre E-Mail-Adresse?" if de else "What is your email address?",
            "",
            Pii(
                "EMAIL_ADDRESS",
                f"{user}@{domain}.{tld}",
                f"{first.lower()} {dot} {last.lower()} {at} {domain} {dot} {' '.join(tld) if tld == 'de' else tld}",
            ),
        ),
        (
            "Wie ist Ihre Adresse?" if de else "What is your address?",
            "Ich wohne in der" if de else "I live at",
            Pii(
                "ADDRESS",
                f"{street} {number}, {postcode} {city}" if de else f"{number} {street}, {city}",
                f"{street} {number}, {dictate(postcode, language, 5)} {city}" if de else f"{number} {street}, {city}",
            ),
        ),
        (
            "Wie lautet Ihre IBAN?" if de else "What is your IBAN?",
            "Meine IBAN ist" if de else "My IBAN is",
            Pii(
                "IBAN_CODE",
                iban,
                f"{iban[0]} {iban[1]}, "
                + dictate(iban[2:4], language, 2)
                + ", "
                + (
                    dictate(iban[4:], language, 4)
                    if iban[4:].isdigit()
                    else " ".join(iban[4:8]) + ", " + dictate(iban[8:], language, 4)
                ),
            ),
        ),
        (
            "Welche Kreditkarte soll belastet werden?" if de else "Which card should we charge?",
            "Die Kartennummer ist" if de else "The card number is",
            Pii("CREDIT_CARD", card, dictate(card, language, 4)),
        ),
        (
            "Können Sie Ihren Nachnamen buchstabieren?" if de else "Could you spell your last name?",
            "Das ist" if de else "That is",
            Pii("SPELLED_NAME", last, spelled(last, language, rng)),
        ),
    ]
    rng.shuffle(items)
    return [
        (
            "Und mit wem spreche ich?" if de else "And who am I speaking with?",
            "Mein Name ist" if de else "My name is",
            Pii("PERSON", f"{first} {last}", f"{first} {last}"),
        ),
        *items[: rng.randint(4, 6)],
    ]


def talk(language: str, rng: random.Random) -> list[Turn]:
    """An exchange about the customer's matter: the agent explains, the customer reacts."""
    return [("agent", rng.sample(AGENT_TALK[language], 2)), ("customer", [rng.choice(CUSTOMER_TALK[language])])]


def make_call(language: str, rng: random.Random, realistic: bool = True) -> list[Turn]:
    """Greeting, the data asked item by item, goodbye; ``realistic`` adds the reason for the call and an
    exchange about it after every second item and before the goodbye (about a fifth of the call is
    personal data then, instead of over a third)."""
    de = language == "de"
    turns: list[Turn] = [
        (
            "agent",
            [
                "Nordwind Energie, guten Tag, was kann ich für Sie tun?"
                if de
                else "Northwind Energy, good morning, how can I help you?"
            ],
        ),
        ("customer", [rng.choice(FILLER[language][3:4] + FILLER[language][2:3])]),
    ]
    if realistic:
        turns.append(("customer", [rng.choice(ISSUES[language])]))
        turns.append(("agent", ["Gerne. Dafür brauche ich zuerst ein paar Angaben von Ihnen." if de
                                else "Sure. For that I first need a few details from you."]))
    for index, (question, lead, pii) in enumerate(pii_items(language, rng)):
        turns.append(("agent", [question]))
        turns.append(("customer", [lead, pii] if lead else [pii]))
        if rng.random() < 0.4:
            turns.append(("agent", [rng.choice(FILLER[language])]))
        if realistic and index % 2 == 1:
            turns += talk(language, rng)
    if realistic:
        turns += talk(language, rng)
    turns.append(("agent", ["Vielen Dank, auf Wiederhören." if de else "Thank you, goodbye."]))
    return turns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--density", choices=["realistic", "dense"], default="realistic",
                        help="realistic: the data inside a conversation about the customer's matter (~1/5 of "
                             "the time); dense: only the data and its questions (~2/5, the corpus before 2026-11-25)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    voices = {"de": ["mb-de1", "mb-de2"], "en": ["mb-us1", "mb-us2", "mb-us3", "mb-en1"]}
    for index in range(args.calls):
        language = "de" if index % 2 == 0 else "en"
        agent, customer = rng.sample(voices[language], 2)
        VOICES[language] = {"agent": (agent, rng.randint(150, 185)), "customer": (customer, rng.randint(140, 190))}
        mono, stereo, truth = synthesize(make_call(language, rng, args.density == "realistic"), language)
        layout, rate_hz, fmt = FORMATS[(index // 2) % len(FORMATS)]
        truth["voices"] = {"agent": VOICES[language]["agent"], "customer": VOICES[language]["customer"]}
        path = args.out_dir / f"call{index:03d}_{language}.{fmt}"
        output_format = OUTPUT_FORMATS[fmt]
        if fmt == "mp3":
            output_format = dataclasses.replace(output_format, bit_rate_per_channel_bps=ARCHIVE_MP3_BPS[rate_hz])
        write(stereo if layout == "stereo" else mono, rate_hz, path, output_format, truth)


if __name__ == "__main__":
    main()
