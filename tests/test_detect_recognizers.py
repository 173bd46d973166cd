"""One table per recognizer (Presidio style): text, expected spans; both languages; ASR-mangled forms."""

import pytest

from anonymizer.detect.addresses import AddressRecognizer, CueAddressRecognizer
from anonymizer.detect.banking import (
    CueLastDigitsRecognizer,
    SpokenCardRecognizer,
    SpokenIbanRecognizer,
    iban_checksum_ok,
    luhn_ok,
)
from anonymizer.detect.dates import SpokenDateRecognizer
from anonymizer.detect.deny_list import DenyListRecognizer
from anonymizer.detect.email_offline import OfflineEmailRecognizer
from anonymizer.detect.gazetteer import GazetteerNameRecognizer
from anonymizer.detect.identifiers import IdentifierRecognizer
from anonymizer.detect.names import CueNameRecognizer
from anonymizer.detect.numbers import NumberSequenceRecognizer
from anonymizer.detect.phones import SpokenPhoneRecognizer
from anonymizer.detect.spelling import SpelledOutRecognizer
from anonymizer.detect.spoken_email import SpokenEmailRecognizer


def found(recognizer, text):
    return [(r.entity_type, text[r.start : r.end]) for r in recognizer.analyze(text, [], None)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Meine Kundennummer ist 471 -1239. Danke", [("NUMBER_SEQUENCE", "471 -1239")]),
        ("de", "unter 0151, 2345, 6789 und", [("NUMBER_SEQUENCE", "0151, 2345, 6789")]),
        ("de", "null eins fünf eins zwei drei", [("NUMBER_SEQUENCE", "null eins fünf eins zwei drei")]),
        # the letters dictated before the digits are the number's start (an IBAN's country code, however
        # ASR wrote it: apart, or glued to the check digit, as CPUs with other math kernels heard it)
        ("de", "Meine Vibran ist D -889 -37004 -0044 -053 -2001 -3000. Vielen",
         [("NUMBER_SEQUENCE", "D -889 -37004 -0044 -053 -2001 -3000")]),
        ("de", "Fibrein ist D8 -9 -37 -04 -4 -4 -053 -2 -11 -30 -0 -00.",
         [("NUMBER_SEQUENCE", "D8 -9 -37 -04 -4 -4 -053 -2 -11 -30 -0 -00")]),
        ("de", "Liban ist D8 9 3 7 0 4 0 0 4 4 0 5 3 2", [("NUMBER_SEQUENCE", "D8 9 3 7 0 4 0 0 4 4 0 5 3 2")]),
        ("de", "ist D E 8937 0400 4405", [("NUMBER_SEQUENCE", "D E 8937 0400 4405")]),
        ("de", "Ja. D8 ist gut. Die 1234", [("NUMBER_SEQUENCE", "1234")]),  # no digits after it: a word
        ("de", "Ende. 1234 5678", [("NUMBER_SEQUENCE", "1234 5678")]),
        ("de", "zweiundvierzig siebenundachtzig", [("NUMBER_SEQUENCE", "zweiundvierzig siebenundachtzig")]),
        ("de", "doppel fünf null eins", [("NUMBER_SEQUENCE", "doppel fünf null eins")]),
        ("en", "double five oh one", [("NUMBER_SEQUENCE", "double five oh one")]),
        ("en", "forty two, seventeen", [("NUMBER_SEQUENCE", "forty two, seventeen")]),
        ("de", "1500 Euro im Jahr", []),
        ("de", "zweitausend Euro", []),
        ("en", "one question and one more", []),
        ("en", "I was born to make $20 ,000, $1952.", [("NUMBER_SEQUENCE", "$20 ,000, $1952")]),  # ASR's "$" for a year
        ("en", "the plan costs $1500 a year", []),
        ("en", "card 411 -1111111111111111.", [("NUMBER_SEQUENCE", "411 -1111111111111111")]),
        ("en", "four one five five five five", [("NUMBER_SEQUENCE", "four one five five five five")]),
        ("en", "415.555.2671", [("NUMBER_SEQUENCE", "415.555.2671")]),
        # an IBAN written as one token, its country code misheard ("GP" for "GB"); letters inside a number
        ("en", "My iPhone is GP90QHPP48867775675844. And", [("NUMBER_SEQUENCE", "GP90QHPP48867775675844")]),
        ("en", "My iPhone is GB42 via CT9970966491H791. And", [("NUMBER_SEQUENCE", "CT9970966491H791")]),
        ("en", "an MP3 on 4G, an A4 page", []),
        # a short code with capital letters glued to it is a reference; next to a product word, a model
        ("de", "Ja, Andy Nordkohl, ZN901. Ich bin seit 2012 Kunde", [("NUMBER_SEQUENCE", "ZN901")]),
        ("de", "Der neue Router GT500 kostet 29,99 Euro", []),
        # three or more digits said one at a time: a PIN or code read out, whatever the question was
        ("en", "Yes. CF, seven, eight, three.", [("NUMBER_SEQUENCE", "CF, seven, eight, three")]),
        ("en", "press 1, 2 or 3", []),
        ("de", "um 2, 3 Uhr", []),
        ("en", "I have the S23 and the X7590", []),
        # a misheard digit or separator between digits on both sides is part of the number; a word people say
        # anyway ("eben") or one at its edge is not
        ("de", "Die Karte endet auf zwei hach eins null, danke", [("NUMBER_SEQUENCE", "zwei hach eins null")]),
        ("de", "Die Nummer ist 92, 4, 80, Schrecktricht, 9, 9, 170.",
         [("NUMBER_SEQUENCE", "92, 4, 80, Schrecktricht, 9, 9, 170")]),
        # … and so is a single letter in ASR's dash-joined dictation: a digit it did not make out
        ("en", "So it's 0 -1 -t -1 -4 -9 -t -0 -2 -7 -t. What",
         [("NUMBER_SEQUENCE", "0 -1 -t -1 -4 -9 -t -0 -2 -7")]),
        ("de", "Zimmer vier, eben drei Leute", []),
        ("de", "hach eins null", []),
        # negatives: short numbers, prices, times, a run cut by a question
        ("en", "it arrives in 5 days for $19.99", []),
        ("en", "that is 1234.50 dollars", []),
        ("en", "reference 1234.50", [("NUMBER_SEQUENCE", "1234.50")]),  # no currency: could be anything
        ("de", "um 14 Uhr 30 kostet es 9,99 Euro", []),
        ("de", "Zimmer 12? 34 Leute", []),
    ],
)
def test_number_sequences(language, text, expected):
    assert found(NumberSequenceRecognizer(language), text) == expected


def test_number_sequence_threshold_and_allow_list():
    assert found(NumberSequenceRecognizer("de", min_digits=6), "Kundennummer 4711") == []
    assert found(NumberSequenceRecognizer("de", allow=("DSL 1000", "1000")), "Tarif DSL 1000") == []


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Ihre E -Mail -Adresse? Martinapunkt schneideratbeispiele .de und Ihre Adresse?",
         [("EMAIL_ADDRESS", "Martinapunkt schneideratbeispiele .de")]),
        ("de", "anna punkt schmidt ät beispiel punkt de",
         [("EMAIL_ADDRESS", "anna punkt schmidt ät beispiel punkt de")]),
        ("en", "email address. Sarah .johnson .example .com. Do you",
         [("EMAIL_ADDRESS", "Sarah .johnson .example .com")]),
        ("en", "sarah dot j at example dot com", [("EMAIL_ADDRESS", "sarah dot j at example dot com")]),
        # tiny.en wrote no punctuation and "that" for "dot"/"at": the cue is inside, the address after it
        ("en", "call me on 415 And your email address Sarah that Johnson that example dot com Do you still",
         [("EMAIL_ADDRESS", "Sarah that Johnson that example dot com")]),
        ("de", "E -Mail -Adresse? Martinabunk Schneider -Art -Verspiel .de und Ihre",
         [("EMAIL_ADDRESS", "Martinabunk Schneider -Art -Verspiel .de")]),  # mangled, but right after the cue
        ("de", "Besuchen Sie nordwind punkt de", []),  # a web site, not an address
        # the top-level domain cut short: an at word, a domain and a dot word still say e-mail
        ("de", "Gertpunkt Wilsen at Beispiel Punkt D. Ich bin",
         [("EMAIL_ADDRESS", "Gertpunkt Wilsen at Beispiel Punkt D")]),
        # German "ät" written "et", the top-level domain misheard ("ok" for "org"), no e-mail cue
        ("de", "schicken? Utte punkt kochwebe et mailbox punkt ok also",
         [("EMAIL_ADDRESS", "Utte punkt kochwebe et mailbox punkt ok")]),
        ("fr", "Paris et Lyon. Et puis", []),
        ("en", "I was at home. Then at work.", []),
        ("en", "meet at 5.30 at the office", []),
        ("en", "That is the end. Goodbye.", []),
        # an address spelled letter by letter: the letters and joining words do not use up the walk back
        ("de", "Meine Mail ist j, o, s, e, f, i, n, e, Unterstrich, k, o, w, a, l, s, k, i, at t-online punkt de.",
         [("EMAIL_ADDRESS", "j, o, s, e, f, i, n, e, Unterstrich, k, o, w, a, l, s, k, i, at t-online punkt de")]),
        # an amount is no address's, and a site after an at word is no address
        ("en", "payments on your card: £89 at Amazon, £240 at Booking.com and £12 at Uber.", []),
    ],
)
def test_spoken_email(language, text, expected):
    assert found(SpokenEmailRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("write to anna.schmidt@beispiel.de now", [("EMAIL_ADDRESS", "anna.schmidt@beispiel.de")]),
     ("not@anemail", [])],
)
def test_written_email_offline(text, expected, no_network):
    assert found(OfflineEmailRecognizer(supported_language="de"), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Das ist der 14. März 1985. Unter", [("DATE_TIME", "14. März 1985")]),
        ("de", "Das ist der 14. März 19. 85. Unter", [("DATE_TIME", "14. März 19. 85")]),  # ASR split the year
        ("de", "am vierzehnten März neunzehnhundertfünfundachtzig.",
         [("DATE_TIME", "vierzehnten März neunzehnhundertfünfundachtzig")]),
        ("de", "geboren am 14.03.1985", [("DATE_TIME", "14.03.1985")]),
        ("en", "It is March 14th, 1985. What", [("DATE_TIME", "March 14th, 1985")]),
        ("en", "on the fourteenth of March", [("DATE_TIME", "fourteenth of March")]),
        ("en", "born 3/14/85", [("DATE_TIME", "3/14/85")]),
        ("de", "um 14.30 Uhr", []),
        ("en", "within 5 days", []),
    ],
)
def test_spoken_dates(language, text, expected):
    assert found(SpokenDateRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Ja, in der linzen Straße 12 1015 Berlin und", [("ADDRESS", "linzen Straße 12 1015 Berlin")]),
        ("de", "Lindenstraße 12a, 10115 Berlin.", [("ADDRESS", "Lindenstraße 12a, 10115 Berlin")]),
        ("de", "in der Lindenstraße 121015 Berlin und", [("ADDRESS", "Lindenstraße 121015 Berlin")]),
        # the postcode behind ASR's dash, a digit lost (Intel's math library on another CPU)
        ("de", "in der Lindenstraße 12 -1015 Berlin. meiner", [("ADDRESS", "Lindenstraße 12 -1015 Berlin")]),
        ("de", "Lindenstraße 12, 101 15 Berlin.", [("ADDRESS", "Lindenstraße 12, 101 15 Berlin")]),
        ("de", "in der Lindenstraße 12 10 1 1 5 Berlin meiner", [("ADDRESS", "Lindenstraße 12 10 1 1 5 Berlin")]),
        ("de", "Hauptstr. 5 in Köln", [("ADDRESS", "Hauptstr. 5 in Köln")]),  # the town after "in" too
        ("de", "c/o Müller", [("ADDRESS", "c/o Müller")]),
        ("en", "Yes, it is 42 Maple Street, Springfield. I can", [("ADDRESS", "42 Maple Street, Springfield")]),
        ("en", "forty two Maple Street, Springfield IL 62704",
         [("ADDRESS", "forty two Maple Street, Springfield IL 62704")]),
        # the state by name, commas as ASR writes them; a capitalized word after the city is no state unless a ZIP
        # code follows
        ("en", "38 Juniper Way, Austin, Texas, 78783. So", [("ADDRESS", "38 Juniper Way, Austin, Texas, 78783")]),
        ("en", "12 Oak Street, Dover, Great, thanks", [("ADDRESS", "12 Oak Street, Dover")]),
        # ASR wrote the name lower case; distances and durations are no streets
        ("en", "Yes, it is 42 maple street. Springfield.", [("ADDRESS", "42 maple street.")]),
        ("en", "It is twenty miles down the road from here", []),
        ("en", "it takes 5 minutes to the avenue", []),
        ("en", "the apartment number again, so 10 station way yet.", [("ADDRESS", "10 station way")]),
        ("en", "There are 2 other ways to pay, and 1 easy way is online.", []),
        ("en", "We have 2 simple way to do it.", []),
        ("de", "Die Straße ist gesperrt", []),
        # a German street with or without its number; a square alone is a public place
        ("de", "Ich wohne jetzt in der Lindenstraße, gleich um die Ecke", [("ADDRESS", "Lindenstraße")]),
        ("de", "Das ist Am Mühlbach 3 in Kassel", [("ADDRESS", "Am Mühlbach 3 in Kassel")]),
        ("de", "Das Haus An der Alten Post 12 gehört mir", [("ADDRESS", "An der Alten Post 12")]),
        ("de", "Wir treffen uns am Alexanderplatz", []),
        ("de", "Im Januar 2019 war das", []),
        ("de", "Am Montag 3 Geräte", []),
        ("de", "Die Rechnung kommt über den Postweg, nicht per Mail", []),
        # a house number ASR wrote in words, after a named street; not a way's or a market's count of days
        ("de", "Das Paket soll an Lindenallee vierzehn gehen", [("ADDRESS", "Lindenallee vierzehn")]),
        ("de", "Wohnhaft in der Gartenstraße zwölf a in Bielefeld", [("ADDRESS", "Gartenstraße zwölf a")]),
        ("de", "Das dauert über den Postweg drei Tage", []),
        ("de", "Der Tarif ist im Markt zwölf Monate gültig", []),
        ("de", "Die Hauptstraße zwölf Monate gesperrt", [("ADDRESS", "Hauptstraße")]),
        # ASR's lower-case preposition inside a sentence: an address after an address word in that sentence
        ("de", "Ja, an welcher Anschrift geht das im Winkel 6, 2x, 2x", [("ADDRESS", "im Winkel 6")]),
        ("de", "Die Anschrift passt. Das liegt im Lager 3 bereit", []),
        ("de", "Das steht auf der Seite 4 der Rechnung", []),
        # … not where an address cue ends in the preposition: "wohne in der …" is the cue recognizer's
        ("de", "Ich wohne in der Sofia Redelweg 116", [("ADDRESS", "Redelweg 116")]),
        ("en", "I moved to Oak Lane last year", [("ADDRESS", "Oak Lane")]),
        ("en", "It's Leeds, LS6 2AB.", [("ADDRESS", "LS6 2AB")]),  # a UK postcode's shape
        ("en", "So SW9 8LQ. S W nine, eight L Q. Perfect.",
         [("ADDRESS", "SW9 8LQ"), ("ADDRESS", "S W nine, eight L Q")]),
        ("en", "I have A B one and C D two.", []),
        ("en", "I have the S23 and the X7590", []),
        # British street words, a possessive in the name, the town after "in"; not a measure, not a month
        ("en", "it's fifty Harbour View, Plymouth", [("ADDRESS", "fifty Harbour View, Plymouth")]),
        ("en", "So that's 27 Queen's Road then", [("ADDRESS", "27 Queen's Road")]),
        ("en", "my old place which is 17 Birch Close in Reading and", [("ADDRESS", "17 Birch Close in Reading")]),
        ("en", "They sent it to 17 Birch Close in March", [("ADDRESS", "17 Birch Close")]),
        ("en", "It takes 20 Minutes Walk from there", []),
        # a unit inside the address, a spaced postcode, a UK postcode spoken with two digits, a house by its number
        ("en", "your address is 1187 Maple Avenue, apartment 4C, Evanston, Illinois 60201, and",
         [("ADDRESS", "1187 Maple Avenue, apartment 4C, Evanston, Illinois 60201")]),
        ("de", "an seinen Bruder, Kölner Straße 140, Wohnung 7, 5 1 1 0 3 Köln. Er sagt",
         [("ADDRESS", "Kölner Straße 140, Wohnung 7, 5 1 1 0 3 Köln")]),
        ("de", "also c/o Julia Brandt, Am Lindenhof 12, 2 4 1 0 5 Kiel, Telefon",
         [("ADDRESS", "c/o Julia Brandt"), ("ADDRESS", "Am Lindenhof 12, 2 4 1 0 5 Kiel")]),
        ("en", "it might still be L 1 7, 6 A B. Yeah", [("ADDRESS", "L 1 7, 6 A B")]),
        ("en", "Can I leave it with Mr. Dobson at number 8? Yeah", [("ADDRESS", "at number 8")]),
        ("en", "You are at number 4 in the queue.", []),
        ("en", "I was on hold for 45 Mins walk or so", []),
        ("de", "Die Hauptstraße 5 in Ordnung bringen", [("ADDRESS", "Hauptstraße 5")]),
        ("en", "the street was quiet", []),
    ],
)
def test_addresses(language, text, expected):
    assert found(AddressRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "I live at 105 Shelton Station, South Elizabeth. Which card",
         [("ADDRESS", "105 Shelton Station, South Elizabeth")]),
        # "St." abbreviates, it does not end the sentence
        ("en", "I live at 17th St. Phil Springs, East Scott. Could you",
         [("ADDRESS", "17th St. Phil Springs, East Scott")]),
        ("de", "Ich wohne in der Hauptstr. 5, 12345 Berlin. Danke", [("ADDRESS", "Hauptstr. 5, 12345 Berlin")]),
        ("en", "I live at home. Number 5 is next", []),  # no number in the cue's sentence
        # an adverb inside the cue
        ("de", "Ich wohne jetzt in Potsdam, Am Neuen Garten fünf.", [("ADDRESS", "Potsdam, Am Neuen Garten fünf")]),
        ("de", "Ich wohne nicht in Potsdam, seit 3 Jahren.", []),
    ],
)
def test_cue_addresses(language, text, expected):
    assert found(CueAddressRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # a postcode said without being asked for: a few words, not past a conjunction
        ("en", "Yes, and my postcode is S W one A, one A A.", [("ADDRESS", "S W one A, one A A")]),
        ("de", "Die Postleitzahl ist drei drei sechs null zwei und dann noch was.",
         [("ADDRESS", "drei drei sechs null zwei")]),
        ("en", "My postcode is LS6 2AB and I pay twelve pounds.", [("ADDRESS", "LS6 2AB")]),
        ("en", "The postcode is on the letter.", []),
    ],
)
def test_cue_postcodes(language, text, expected):
    from anonymizer.detect.addresses import CuePostcodeRecognizer

    assert found(CuePostcodeRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Guten Tag, mein Name ist Martin Aschneider, ich habe", [("PERSON", "Martin Aschneider")]),
        ("de", "Vielen Dank, Frau Schneider, auf Wiederhören.", [("PERSON", "Schneider")]),
        ("de", "Spreche ich mit Herrn Dr. Müller?", [("PERSON", "Müller")]),
        ("en", "So that's Mister Okafor, O K A F O R, at 17 Birchwood Close.", [("PERSON", "Okafor")]),  # spelled out
        # a unit's word before its number, a code's piece: no name
        ("en", "Yes, but it's Flat 5 now.", []),
        ("en", "Your postcode, please. It's BS8 1QU.", []),
        ("en", "Yeah, it's GH 4 4 1 0 2 7 7.", []),
        ("en", "Hi, it's Sarah Miller, 42 Oak Road.", [("PERSON", "Sarah Miller")]),
        ("de", "ich heiße jana", [("PERSON", "jana")]),
        ("de", "Mein Name ist Wolf -Dieter Kanz. Ist sonst", [("PERSON", "Wolf -Dieter Kanz")]),  # ASR split
        ("de", "Sie sprechen mit dem Kundenservice", []),
        ("en", "this is Daniel Miller, how can I", [("PERSON", "Daniel Miller")]),
        ("en", "Thank you, Miss Johnson, the refund", [("PERSON", "Johnson")]),
        ("en", "my name is sarah johnson and I", [("PERSON", "sarah johnson")]),
        ("en", "this is the customer service", []),
        # the name on the doorbell, however ASR cased it; not a word that says there is none
        ("de", "Wohnung 24, und auf der Klingel steht noch Hafe. Ich", [("PERSON", "Hafe")]),
        ("de", "und auf der Klingel steht noch mega.", [("PERSON", "mega")]),
        ("de", "Auf der Klingel steht nichts, die ist kaputt.", []),
        # the name before the cue, German's usual telephone introduction, however ASR cased it
        ("de", "Ja, hallo, benzin, mein Name, ich habe eine Frage.", [("PERSON", "benzin")]),
        ("de", "Guten Tag, Hans Peter Müller mein Name.", [("PERSON", "Hans Peter Müller")]),
        ("de", "Guten Tag, Müller ist mein Name.", [("PERSON", "Müller")]),
        # the agent's greeting: the company, then the name "am Apparat"
        ("de", "Stadtwerke Nordheim, guten Tag, Rosemann am Apparat.", [("PERSON", "Rosemann")]),
        ("de", "Ja, hier ist die Uferbank, Kai Rosemann am Apparat, was kann ich tun?", [("PERSON", "Kai Rosemann")]),
        # only the surname (and a first name before it): ASR drops the comma after the company's name
        ("de", "Nordwind Rosemann am Apparat, guten Tag.", [("PERSON", "Rosemann")]),
        ("de", "Wer ist am Apparat?", []),
        # the call centre's opening: the company, the agent's name, the greeting
        ("de", "Uferbank, Rosemann, guten Tag. Was kann ich für Sie tun?", [("PERSON", "Rosemann")]),
        ("de", "Nordwind Energie, Frau Kowalczyk, guten Morgen.", [("PERSON", "Kowalczyk")]),
        ("de", "Nordwind Energie, guten Tag, was kann ich tun?", []),
        ("de", "Nordwind, Energie, guten Tag, was kann ich für Sie tun?", []),  # ASR's comma inside the company
        ("de", "Ja, hallo, guten Tag.", []),
        ("en", "Ashford, neutral, hello.", []),  # ASR for "Ashford Mutual, hello": a name is capitalized
        # after a weak cue the words up to a company form word are the company's ("hier ist" names both)
        ("de", "Guten Tag, hier ist Nordwind Energie, was kann ich tun?", []),
        ("de", "Guten Tag, hier ist Uferbank Rosemann, was kann ich tun?", [("PERSON", "Rosemann")]),
        ("de", "Hallo, hier ist Anna Rosemann, ich habe eine Frage.", [("PERSON", "Anna Rosemann")]),
        ("en", "Hi, this is Ashford Mutual, how can I help?", []),
        ("de", "Mein Name ist Anna Steinbank.", [("PERSON", "Anna Steinbank")]),  # a strong cue: all of it
        ("de", "Ja, ich bin am Apparat.", []),
        ("en", "Hi, Sarah Miller is my name, I am calling about my bill.", [("PERSON", "Sarah Miller")]),
        # not an introduction: no name before the cue, or the cue does not end its clause
        ("de", "Ja, das ist mein Name.", []),
        ("de", "Wie ist mein Name?", []),
        ("de", "Ich weiß nicht, wie mein Name geschrieben wird.", []),
        ("de", "Das war alles. Mein Name, bitte, steht auf der Rechnung.", []),
        ("en", "Yes, that is my name.", []),
        # a relative named in apposition, however ASR cased it
        ("de", "Der läuft auf meine Frau, Edeltraud Ackermann. Und", [("PERSON", "Edeltraud Ackermann")]),
        ("de", "Der läuft auf mein Frau, edeltraut, ackermann. Und", [("PERSON", "edeltraut, ackermann")]),
        ("de", "Und wie heißt er? Friedemann, der Ehemann.", [("PERSON", "Friedemann")]),
        ("de", "Mein Mann, Gerhard Hövel, hat den Vertrag.", [("PERSON", "Gerhard Hövel")]),
        ("en", "The account is under my husband, Derek.", [("PERSON", "Derek")]),
        ("en", "Derek, my husband, set it up.", [("PERSON", "Derek")]),
        # a relative, no name: a pronoun or a clause follows; "meine Frau" is no title
        ("de", "Meine Frau, die hat das gemacht.", []),
        ("de", "Meine Frau, Termine habe ich keine.", []),
        ("de", "Weil meine Frau Urlaub hat, rufe ich an.", []),
        ("de", "Das macht mein Mann.", []),
        ("de", "Ja, genau, mein Mann.", []),
        ("de", "Ich frage mal meine Frau, Moment.", []),
        ("en", "I asked my wife, she said yes.", []),
        ("en", "My husband, he handles the bills.", []),
        # a surname ASR wrote in lower case after a title; not after an article, never a stop word
        ("de", "Einen schönen Tag, Frau kochwebe, Ihr Team.", [("PERSON", "kochwebe")]),
        ("de", "Frau schneider ist nicht da.", [("PERSON", "schneider")]),
        ("en", "Thanks, Mr. smith, goodbye.", [("PERSON", "smith")]),
        ("de", "Die Frau hat angerufen.", []),
        ("de", "Ist die Frau noch da?", []),
        ("de", "Frau und Herr Müller kommen.", [("PERSON", "Müller")]),
        ("en", "I miss you.", []),
        # a title inside the name does not use up its words; a relative named right after the word for them (a
        # name of the lists), not after a sentence's end; a third person's name
        ("de", "Guten Tag, hier ist Rechtsanwältin Dr. Sabine Kersting von der Kanzlei.",
         [("PERSON", "Rechtsanwältin Dr. Sabine Kersting")]),
        ("en", "and my son Mason, he was born in 2016.", [("PERSON", "Mason")]),
        ("de", "ich bin sein Sohn Emre.", [("PERSON", "Emre")]),
        ("en", "My son Internet is slow.", []),
        ("de", "Sie sind der Ehemann. Haben Sie eine Kundennummer?", []),
    ],
)
def test_cue_names(language, text, expected):
    assert found(CueNameRecognizer(language), text) == expected


def test_deny_list_whole_words_case_insensitive():
    recognizer = DenyListRecognizer("en", ["Daniel", "Project Falcon"])
    assert found(recognizer, "daniel said project falcon, not Danielle") == [
        ("DENY_LIST", "daniel"), ("DENY_LIST", "project falcon")]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Unter null eins fünf eins, zwei drei vier fünf, sechs sieben acht neun.",
         [("PHONE_NUMBER", "null eins fünf eins, zwei drei vier fünf, sechs sieben acht neun")]),
        ("de", "Telefon 030 / 12 34 56 78", [("PHONE_NUMBER", "030 / 12 34 56 78")]),
        ("de", "plus vier neun eins fünf eins, zwei drei vier fünf sechs sieben acht neun",
         [("PHONE_NUMBER", "plus vier neun eins fünf eins, zwei drei vier fünf sechs sieben acht neun")]),
        ("en", "call me on four one five, five five five, two six seven one",
         [("PHONE_NUMBER", "four one five, five five five, two six seven one")]),
        ("en", "It's 415-555-2671.", [("PHONE_NUMBER", "415-555-2671")]),
        ("en", "plus four four, twenty, seven nine four six, zero nine five eight",
         [("PHONE_NUMBER", "plus four four, twenty, seven nine four six, zero nine five eight")]),
        # negatives: too short, a year, a price
        ("de", "um 14 Uhr 30", []),
        ("en", "in 1985", []),
        ("en", "it costs 129.99 dollars", []),
        ("de", "Der kostet aktuell 39 ,9999. Sie haben 99 bezahlt.", []),  # a price ASR split
        ("de", "Meine Nummer ist 39 9999.", [("PHONE_NUMBER", "39 9999")]),  # a cue: no price
    ],
)
def test_spoken_phone_numbers(language, text, expected):
    assert found(SpokenPhoneRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Meine IBAN ist D E acht neun, drei sieben null vier, null null vier vier, null fünf drei zwei, "
               "null eins drei null, null null",
         [("IBAN_CODE", "D E acht neun, drei sieben null vier, null null vier vier, null fünf drei zwei, "
                        "null eins drei null, null null")]),
        ("de", "DE89 3704 0044 0532 0130 00", [("IBAN_CODE", "DE89 3704 0044 0532 0130 00")]),
        ("de", "De 89 3704 0044 0532 0130 00.", [("IBAN_CODE", "De 89 3704 0044 0532 0130 00")]),
        # ASR mangled a digit: the checksum fails, the country letter and length still say IBAN
        ("de", "Meine Vibran ist D -889 -37004 -0044 -053 -2001 -3000. Vielen",
         [("IBAN_CODE", "D -889 -37004 -0044 -053 -2001 -3000")]),
        ("de", "Die IBAN lautet 89 3704 0044 0532 0130 01", [("IBAN_CODE", "89 3704 0044 0532 0130 01")]),
        ("en", "Ivan is GB -51 -KG -Y -O -6236 -6514 -7718 -27. What",
         [("IBAN_CODE", "GB -51 -KG -Y -O -6236 -6514 -7718 -27")]),
        # ASR wrote "IBAN" as "I -1" and split the bank code: the head before the country-like "-Z -R" too
        ("en", "My I -1 is G -B -77, G -O -Z -R -3195, 4 -8 -2 -8 -1 -5 -0 -1, 5 -8. The",
         [("IBAN_CODE", "G -B -77, G -O -Z -R -3195, 4 -8 -2 -8 -1 -5 -0 -1, 5 -8")]),
        ("en", "My iPhone is GP90QHPP48867775675844. And", [("IBAN_CODE", "GP90QHPP48867775675844")]),
        ("en", "GB82WEST12345698765432", [("IBAN_CODE", "GB82WEST12345698765432")]),
        ("en", "My Ibanez GB 29 SPHP 02314891641380. The", [("IBAN_CODE", "GB 29 SPHP 02314891641380")]),
        # the country letters as ASR split them belong to the IBAN
        ("de", "Meine Ibanen ist D .E .1351029647708108205. Unter", [("IBAN_CODE", "D .E .1351029647708108205")]),
        ("de", "Liebern ist D -E -008 -068 -4 -227 -8 -4 -997 -6 -2.",
         [("IBAN_CODE", "D -E -008 -068 -4 -227 -8 -4 -997 -6 -2")]),
        ("de", "Meine Iran ist B .D. 58 -942 -3093 -4679 -236 -430.",
         [("IBAN_CODE", "B .D. 58 -942 -3093 -4679 -236 -430")]),
        # "IBAN" heard as "item", a bank-code letter as "the": the head "GB, 72," says IBAN
        ("en", "My item is GB, 72, the TYH, 7300, 7106, 7252, 92. Thanks",
         [("IBAN_CODE", "GB, 72, the TYH, 7300, 7106, 7252, 92")]),
        # the head as one token, "IBAN" heard as "icon", the bank code's "D" as "the"
        ("en", "My icon is GB11, the MPJ05277923120123. I cannot",
         [("IBAN_CODE", "GB11, the MPJ05277923120123")]),
        # a letter of the country glued to the digits behind ASR's dash ("E" heard as "D")
        ("de", "Meine IBAN ist D -D0374153289606750747. Danke", [("IBAN_CODE", "D -D0374153289606750747")]),
        # ASR's capital before the glued head ("… are GB67": "RGB67"), the question misheard
        ("en", "I'll leave the item. RGB67, NWBK, 0 .79, 4788, 9795, 64. All right",
         [("IBAN_CODE", "RGB67, NWBK, 0 .79, 4788, 9795, 64")]),
        # an IBAN's head said on its own, the rest after the other side's acknowledgement: before a bank code's
        # block or after an IBAN word
        ("en", "GB82 WEST", [("IBAN_CODE", "GB82 WEST")]),
        ("de", "Die IBAN, DE zwei sieben. Mhm. Eins null null sieben.", [("IBAN_CODE", "DE zwei sieben")]),
        ("en", "My IBAN is GB29 NWBK. Okay. 6016 1331.", [("IBAN_CODE", "GB29 NWBK")]),
        ("de", "Das Modell DE27 kostet 20 Euro.", []),
        ("de", "dann geb ich Ihnen mal die Ivan durch die fängt an mit D E zwei sieben und dann", [("IBAN_CODE",
                                                                                               "D E zwei sieben")]),
        ("en", "in GB, 72 of them bought 7300 7106 7252 92", []),
        ("de", "Kundennummer 4711 2390", []),
    ],
)
def test_spoken_iban(language, text, expected):
    assert found(SpokenIbanRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "the card is 4111 1111 1111 1111 thanks", [("CREDIT_CARD", "4111 1111 1111 1111")]),
        ("en", "four one one one, one one one one, one one one one, one one one one",
         [("CREDIT_CARD", "four one one one, one one one one, one one one one, one one one one")]),
        ("de", "Kreditkarte 5500 0000 0000 0005", [("CREDIT_CARD", "5500 0000 0000 0005")]),  # Luhn fails, context
        ("en", "4111, 111, 111, 111", []),  # 13 digits, no Luhn, no context: NUMBER_SEQUENCE's job
        ("de", "Vertrag 1234 5678 9012 3456", []),
    ],
)
def test_spoken_cards(language, text, expected):
    assert found(SpokenCardRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # the last digits of a card, however ASR wrote them; up to the last number when there is one
        ("en", "That's the card ending, fix him and free him and all set.",
         [("CREDIT_CARD", "fix him and free him and")]),
        ("en", "The card ending in six seven three seven, all set.", [("CREDIT_CARD", "six seven three seven")]),
        ("en", "So the card ending is 6737. Yes.", [("CREDIT_CARD", "is 6737")]),
        ("de", "Die Karte endet auf, sechs, sieht, drei, sieben, genau.",
         [("CREDIT_CARD", "sechs, sieht, drei, sieben")]),
        ("de", "Die letzten vier Ziffern sind Sexy, drei, sieben.", [("CREDIT_CARD", "Sexy, drei, sieben")]),
        # not where the words after the cue are about the card, or ask
        ("en", "The last four digits are on the back of the card.", []),
        ("en", "Which card ending do you mean?", []),
        ("de", "Die letzten vier Ziffern sind nicht lesbar.", []),
        ("de", "Auf welche Karte endet auf der Rechnung?", []),
    ],
)
def test_the_words_after_a_last_digits_cue_are_the_digits(language, text, expected):
    assert found(CueLastDigitsRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # a card's expiry after its cue, a card named just before
        ("de", "Die Visa mit den Endziffern 8 8 2 1. Genau, und die läuft ab zehn sechsundzwanzig, dann",
         [("CREDIT_CARD", "zehn sechsundzwanzig")]),
        ("en", "Which card? The Visa. It expires March '28, so yes.", [("CREDIT_CARD", "March '28")]),
        # … not a contract's, nor an expiry without a date
        ("de", "Ihr Vertrag läuft ab Juni 2026 automatisch weiter.", []),
        ("en", "Your card expires soon, we will send a new one in 10 days.", []),
    ],
)
def test_card_expiry_after_its_cue(language, text, expected):
    from anonymizer.detect.banking import CueExpiryRecognizer

    assert found(CueExpiryRecognizer(language), text) == expected


def test_checksums():
    assert iban_checksum_ok("DE89370400440532013000") and not iban_checksum_ok("DE89370400440532013001")
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111121")


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Meine Kundennummer ist K D vier sieben eins.", [("ID_NUMBER", "K D vier sieben eins")]),
        ("de", "Vertragsnummer: 12 34, bitte", [("ID_NUMBER", "12 34")]),
        ("de", "die Kundenkennung lautet 77", [("ID_NUMBER", "77")]),
        ("en", "my account number is A B 7 7 1 9", [("ID_NUMBER", "A B 7 7 1 9")]),
        ("en", "your order number, please? It's three one two", [("ID_NUMBER", "three one two")]),
        ("de", "Ich rufe wegen 2 Rechnungen an", []),
        ("en", "the customer number is on page one of twelve pages of your letter", []),
    ],
)
def test_identifiers(language, text, expected):
    assert found(IdentifierRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Hier ist Martina Schneider von", [("PERSON", "Martina Schneider")]),
        ("de", "Sabine hat angerufen", [("PERSON", "Sabine")]),
        ("de", "Der Koch und der Wolf", []),  # names that are also words need a first name before them
        ("de", "Frank Koch ruft an", [("PERSON", "Frank Koch")]),
        ("en", "Hi this is Sarah Johnson.", [("PERSON", "Sarah Johnson")]),
        ("en", "Will you mark it? Young people", []),
        ("en", "Northwind Energy, Customer Service", []),
        # a month is no name, but a first name before a last name
        ("en", "That's about the price rise from April.", []),
        ("en", "Hi, this is April Jones calling.", [("PERSON", "April Jones")]),
        # accents the lists do not write; German umlauts stay as they are
        ("de", "Dragan Petrović, geboren am 14.07.1985.", [("PERSON", "Dragan Petrović")]),
    ],
)
def test_gazetteer_names(language, text, expected):
    assert [(e, t) for e, t in found(GazetteerNameRecognizer(language), text)] == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "M wie Martha, E wie Emil, I wie Ida, E wie Emil, R wie Richard.",
         [("SPELLED_OUT", "M wie Martha, E wie Emil, I wie Ida, E wie Emil, R wie Richard")]),
        ("de", "Meier mit E I, also M. E. I. E. R.", [("SPELLED_OUT", "M. E. I. E. R")]),
        ("de", "Schmidt, Sch wie Schule, M wie Martha", [("SPELLED_OUT", "Sch wie Schule, M wie Martha")]),
        ("de", "Berlin Hamburg Köln Düsseldorf", [("SPELLED_OUT", "Berlin Hamburg Köln Düsseldorf")]),  # DIN 2022
        ("en", "that's S M I T H, Smith. I am", [("SPELLED_OUT", "S M I T H")]),
        # "I" and "A" end a spelling where the sentence or the text ends; not where words go on ("K I M I think")
        ("en", "its Brian Tsai T S A I", [("SPELLED_OUT", "T S A I")]),
        ("en", "my name is Tsai, T S A I. Thanks.", [("SPELLED_OUT", "T S A I")]),
        ("en", "Right, K I M I think.", [("SPELLED_OUT", "K I M")]),
        # a doubled letter written as one word spells on its own; not a battery
        ("de", "Müller mit Doppel-L? Ja, Doppel-L.", [("SPELLED_OUT", "Doppel-L"), ("SPELLED_OUT", "Doppel-L")]),
        ("en", "I need double-A batteries.", []),
        ("en", "Sierra Mike India Tango Hotel", [("SPELLED_OUT", "Sierra Mike India Tango Hotel")]),
        ("en", "J as in Juliet", [("SPELLED_OUT", "J as in Juliet")]),
        # letters as ASR joins them: with leading dashes, or as one token
        ("en", "That is C -O -X. The new plan runs", [("SPELLED_OUT", "C -O -X")]),
        ("en", "It is H-A-L-L, thanks", [("SPELLED_OUT", "H-A-L-L")]),
        # spellings as ASR garbles them: a short word for "X wie" before the alphabet word, a repeat word with a
        # misheard letter, "E for echo" heard as one word, a misheard alphabet word or separator inside the run
        ("de", "Also Hanna Heinrich, Obi Otto, zweimal Eff, Anni Martha. Gut",
         [("SPELLED_OUT", "Hanna Heinrich, Obi Otto, zweimal Eff, Anni Martha")]),
        ("en", "No, double LED for echo, S for Sam. Thanks", [("SPELLED_OUT", "double LED for echo, S for Sam")]),
        ("de", "K, O, C, H, Windestrich, W, E, B, E, R. Verstehe",
         [("SPELLED_OUT", "K, O, C, H, Windestrich, W, E, B, E, R")]),
        ("de", "Anton, Berta, Nordkohl, Otto", [("SPELLED_OUT", "Anton, Berta, Nordkohl, Otto")]),
        # a few words ASR garbled beyond recognition inside a run ("S wie Samuel" as "Esri -Sarmul")
        ("de", "C .V. K .S .R. H .V. Heinrich, O .V. Otto, Esri -Sarmul, Esri -Sarmul, E .V. Emil. Gut",
         [("SPELLED_OUT", "C .V. K .S .R. H .V. Heinrich, O .V. Otto, Esri -Sarmul, Esri -Sarmul, E .V. Emil")]),
        # ASR's one- and two-word sentences after a spelling go on spelling, up to a reply or a longer sentence
        ("en", "Nope, S. O. N. Halter. No member. Melter. Echo. Row. No tier. The bike cost 300.",
         [("SPELLED_OUT", "S. O. N. Halter. No member. Melter. Echo. Row. No tier")]),
        ("de", "M wie Martha, E wie Emil, I, E, R. Meier. Genau. Danke.",
         [("SPELLED_OUT", "M wie Martha, E wie Emil, I, E, R. Meier")]),
        ("de", "K, O, C, P, Windestrich, V, E, P, E, R. Verstehe. Das Rad hat 1300 Euro gekostet.",
         [("SPELLED_OUT", "K, O, C, P, Windestrich, V, E, P, E, R")]),
        ("en", "That is S M I T H. Okay. Thanks. And your date of birth?", [("SPELLED_OUT", "S M I T H")]),
        # ... but a run ends at a sentence's end, or where no spelling follows within four words
        ("de", "M wie Martha, E wie Emil. Und die Hausnummer ist B", [("SPELLED_OUT", "M wie Martha, E wie Emil")]),
        ("de", "M wie Martha, E wie Emil, genau, und die Hausnummer ist zwölf B",
         [("SPELLED_OUT", "M wie Martha, E wie Emil")]),
        # ... but not names, places or words on their own
        ("de", "Herr Otto, Frau Martha, Herr Anton", []),
        ("de", "Wir haben Filialen in Hamburg, Berlin und Köln.", []),
        ("de", "Nordkohl, Windestrich", []),
        ("en", "Thanks for calling, Mike here", []),
        # negatives: a lone alphabet word, two letters (a country code), the pronoun and article
        ("de", "Wir fahren nach Berlin. D E acht", []),
        ("en", "I think A is fine", []),
        ("en", "the hotel in India", []),
        ("en", "Thank you for your patience", []),
        # "S for Sam" as ASR writes it when "for" sounds like four, garbled words between
        ("en", "Okay, I'm S4th, I'm M4neri, as an Inder, T4th, I'm H4 Harry. Lovely",
         [("SPELLED_OUT", "S4th, I'm M4neri, as an Inder, T4th, I'm H4")]),
        ("en", "The Galaxy S4 is old, the S4s too, on A4 paper", []),
        # the alphabet word lower case, as Whisper often writes it; digits between are the digits' recognizer's
        ("en", "My reference is A as in alpha, seven seven three, B as in bravo.",
         [("SPELLED_OUT", "A as in alpha, seven seven three, B as in bravo")]),
        ("en", "That's K for kilo, L for lima, four five six.", [("SPELLED_OUT", "K for kilo, L for lima")]),
        ("en", "A for effort, really.", []),
    ],
)
def test_spelled_out(language, text, expected):
    assert found(SpelledOutRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "found", "expected"),
    [
        ("de", "Wie ist Ihre E-Mail-Adresse? Gertpunkt Wilmsenart, Beispielpunkt D .E. Und Ihr Geburtsdatum?", [],
         [("EMAIL_ADDRESS", "Gertpunkt Wilmsenart, Beispielpunkt D .E")]),
        ("de", "Wie lautet Ihre Ebene? Meine Iban ist D8 94 irgendwas. Danke.", [],
         [("IBAN_CODE", "D8 94 irgendwas")]),  # lead-in and closing words stay audible
        ("en", "What is your email address? Confirmation that's free to let me look, that's come. One moment.", [],
         [("EMAIL_ADDRESS", "Confirmation that's free to let me look, that's come. One moment")]),
        ("en", "Could you smell your last name? That is roughly meco -November -November. Which card?", [],
         [("SPELLED_OUT", "roughly meco -November -November")]),
        ("de", "Können Sie Ihren Nachnamen wuchstabieren? Das ist TVT -Odor. Erwürich.", [(54, 62, "SPELLED_OUT")],
         [("SPELLED_OUT", "TVT -Odor. Erwürich")]),  # spellings are redacted whole even when part was found
        # asked for how a name is written, not with "buchstabieren"/"spell"
        ("de", "Und wie schreibt man das? Jotvi Jena, Umi, Nminn, Wirk, Gehmin, Oslar. Danke.", [],
         [("SPELLED_OUT", "Jotvi Jena, Umi, Nminn, Wirk, Gehmin, Oslar")]),
        # (the asker's acknowledgement after it is no letter)
        ("de", "Wie schreibt sich der Nachname? Ka, a, el, te. Gut, danke.", [], [("SPELLED_OUT", "Ka, a, el, te")]),
        ("en", "And how is that written? Sam, Mary, India, Tom. Lovely.", [],
         [("SPELLED_OUT", "Sam, Mary, India, Tom")]),
        ("en", "Your email address? Sam at aol dot com. Lovely. Thanks, great.", [],
         [("EMAIL_ADDRESS", "Sam at aol dot com")]),
        ("en", "Have you got that written down? Yes. Thanks.", [], []),
        # a spelling ends before a sentence of ordinary talk, contractions counted as the stop words they are
        ("en", "Sorry, can you spell that? B4 Bravo, A4 Apple, MAKM. I've banked with Meridian Credit Union since "
               "2012. I can see that.", [], [("SPELLED_OUT", "B4 Bravo, A4 Apple, MAKM")]),
        # in a spelling, a lead-in word may be a letter ASR misheard ("the" for "D"): kept
        ("en", "Can you spell your last name? That is the A -V -I -S.", [],
         [("SPELLED_OUT", "the A -V -I -S")]),
        # an answer cut off by the word limit inside the agent's next question ends before that question
        ("de", "Ihre Kundennummer? Ja also die ist ka el em " + "eins " * 15 + "Punkt. Ist da sonst noch irgendetwas "
         "anderes, was ich für Sie tun kann?", [], [("ID_NUMBER", "ka el em " + "eins " * 15 + "Punkt")]),
        # a date of birth is redacted whole even when the year was found: the day and a garbled month are left
        ("de", "Und Ihr Geburtsdatum? Ich bin geboren am 14. Nur wenn wir 1 .968. Danke.",
         [(48, 54, "NUMBER_SEQUENCE")], [("DATE_OF_BIRTH", "14. Nur wenn wir 1 .968")]),
        # an IBAN answer is redacted whole: ASR wrote its bank-code letters as a word
        ("en", "What is your iPhone? My iPhone is GB42 via CT9970966491H791. And your date of birth?",
         [(48, 64, "IBAN_CODE")], [("IBAN_CODE", "GB42 via CT9970966491H791")]),
        # found in the answer: it ends with the sentence holding the finding, the reply after it stays
        ("en", "And your date of birth? January 7, 1955. I have noted that down. Thanks.",
         [(24, 39, "DATE_TIME")], [("DATE_OF_BIRTH", "January 7, 1955")]),
        ("en", "What is your email address? Richard .caxatfastmail .com. The new plan runs for 12 months.",
         [(28, 55, "EMAIL_ADDRESS")], [("EMAIL_ADDRESS", "Richard .caxatfastmail .com")]),
        # … or before the asker's next question where ASR wrote no period (a capitalized opener, then "Sie"/"you")
        ("de", "Wann haben Sie Geburtstag, mit Jahr bitte? 0 ,1 ,1 ,1 ,8 ,0 Möchten Sie gleich die Kreditkarte Gold "
               "dazu, die kostet 29€ im Jahr",
         [(43, 59, "NUMBER_SEQUENCE")], [("DATE_OF_BIRTH", "0 ,1 ,1 ,1 ,8 ,0")]),
        # nothing found: the answer runs on over ASR's sentence ends, but not into ordinary talk
        ("de", "Wie ist Ihre E-Mail-Adresse? Fortpunkt, da wir z .B. Punkt -Kurm. Ich habe eine Frage zu meiner "
         "letzten Rechnung. Die Änderung gilt ab dem nächsten Monat.", [],
         [("EMAIL_ADDRESS", "Fortpunkt, da wir z .B. Punkt -Kurm")]),
        # the recognizers found what was asked for: nothing more to do
        ("en", "Your phone number? It is 415 555 2671.", [(25, 37, "PHONE_NUMBER")], []),
        # an address answer is redacted whole: ASR mangles the city ("… 10115 Berlin" as "10 1 1 5 der Lin.")
        # (up to two words after its last finding: the city, not the talk going on)
        ("de", "Ihre Adresse? Lindenstraße 12 10 1 1 5 der Lin. Und Ihre IBAN?",
         [(14, 29, "ADDRESS"), (27, 38, "NUMBER_SEQUENCE")], [("ADDRESS", "Lindenstraße 12 10 1 1 5 der Lin")]),
        ("en", "Your address? I live at 42 Maple Street, Springfield and how long will that take?",
         [(24, 52, "ADDRESS")], [("ADDRESS", "42 Maple Street, Springfield and how")]),
        # where to send something is asked for an address
        ("en", "Where should we send it? Yeah, so 198 quintitially and the post called Exit. Okay, anything else?",
         [], [("ADDRESS", "198 quintitially and the post called Exit")]),
        ("de", "Wohin sollen wir das schicken? Im Blindending. Ist sonst noch etwas?", [],
         [("ADDRESS", "Blindending")]),  # "Im": a lead-in word
        # the everyday ways of asking a name (ASR mangled the answers: no recognizer finds them)
        ("de", "Damit ich Sie finde, wie heißen Sie? Trauter Jäun, genau.", [], [("PERSON", "Trauter Jäun")]),
        ("de", "Auf welchen Namen läuft das Konto? Edeltraut Ackermann. Gut.", [],
         [("PERSON", "Edeltraut Ackermann")]),
        ("de", "Wie war der Name? Hövel, sehr brav. Danke.", [], [("PERSON", "Hövel, sehr brav")]),
        ("en", "Let me pull you up, what name is it under? Derek Richardson. Great.", [],
         [("PERSON", "Derek Richardson")]),
        ("en", "And who's the account holder? Marystaff Anton. Lovely.", [], [("PERSON", "Marystaff Anton")]),
        # a card's check digits asked for, a short number said on its own
        ("de", "Und die Prüfziffer hinten drauf? 371. Danke, dann buche ich die 59 Euro ab.", [],
         [("CREDIT_CARD", "371")]),
        # a name found in the answer does not satisfy the question: the answer is redacted whole, the fragments ASR
        # wrote as other words too ("part" for "Barton"), up to one word after the last name found
        ("en", "What name is it, Hunter? Marystaff, Anton. The parcel is late.", [(36, 41, "PERSON")],
         [("PERSON", "Marystaff, Anton")]),
        ("en", "Can I grab your name? It's part and Christian name, Gregory. Sorry?", [(52, 59, "PERSON")],
         [("PERSON", "part and Christian name, Gregory")]),
        ("en", "Who am I speaking with? Mary Stephenson and I'm calling about the bill.", [(24, 39, "PERSON")],
         [("PERSON", "Mary Stephenson and")]),
        # negatives: questions that do not ask for personal data, a question at the very end
        ("de", "Wie heißt der Tarif? Der heißt Flex Plus.", [], []),
        ("de", "Sind Sie der Kontoinhaber? Ja, genau, das bin ich. Gut.", [], []),  # yes or no, not a name
        ("de", "Ist der Name so richtig? Ja, das stimmt so. Gut.", [], []),
        ("de", "Ist Frau Weber am Apparat? Ja, das bin ich. Schön.", [], []),
        ("en", "Are you the account holder? Yes, I am. Great.", [], []),
        ("en", "Who is this for? It is for the router. Okay.", [], []),
        ("de", "Können Sie das bitte wiederholen? Ja, gerne.", [], []),
        ("en", "Is there anything else? No, thanks.", [], []),
        ("en", "And your date of birth?", [], []),
    ],
)
def test_answers_to_questions_for_personal_data(language, text, found, expected):
    """The safety net after the recognizers (answers.py)."""
    from anonymizer.detect.answers import unanswered
    from anonymizer.types import PiiSpan

    spans = [PiiSpan(start, end, entity, 0.6, "r") for start, end, entity in found]
    assert [(s.entity_type, text[s.char_start : s.char_end]) for s in unanswered(text, language, spans)] == expected


@pytest.mark.parametrize(
    ("language", "text", "number"),
    [
        ("de", "Im Winkel 6, Wohnung 24, und auf der Klingel steht noch Hafe.", "24"),
        ("de", "1 -Haus -Uderwald -Haus -Wohnung, 24 und auf der Klingel steht noch Hafe.", "24"),  # ASR's dashes
        ("en", "It's 10 Station Way, flat 24, and the name on the door is Hafe.", "24"),
        ("en", "It's a flat 24 pounds a month.", None),  # a price
        ("de", "Die Wohnung hat 3 Zimmer.", None),
    ],
)
def test_a_flats_number_after_its_unit_word(language, text, number):
    from anonymizer.detect.bare_numbers import bare_numbers

    found = [text[s.char_start : s.char_end] for s in bare_numbers(text, language, [])]
    assert found == ([number] if number else [])


def test_answers_on_a_dialogue_come_from_the_other_side():
    from anonymizer.detect.answers import unanswered

    text = "Ihre E-Mail-Adresse? Einen Moment. anna punkt x Danke. Und Ihre Nummer?"
    channels = [0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0]  # agent 0, customer 1
    [answer] = unanswered(text, "de", [], channels)
    assert text[answer.char_start : answer.char_end] == "anna punkt x"


def test_a_dialogue_question_ends_where_the_other_side_starts_talking():
    """ASR wrote no "?": the agent trailed off into the next question while the customer answered."""
    from anonymizer.detect.answers import unanswered

    text = "Ich habe notiert. Wie ist Ihre E-Mail-Adresse und Gertpunkt Wilsen at Beispiel. Ihr Geburtstag?"
    channels = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0]
    [answer] = unanswered(text, "de", [], channels)
    assert (answer.entity_type, text[answer.char_start : answer.char_end]) == (
        "EMAIL_ADDRESS", "Gertpunkt Wilsen at Beispiel")
    # a statement handing over to the other side is not a question
    text = "Das habe ich per E-Mail geschickt. Danke schön Tschüss"
    assert unanswered(text, "de", [], [0, 0, 0, 0, 0, 0, 1, 1, 1]) == []


def test_a_name_asked_for_as_last_name_is_answered_in_one_sentence():
    """ASR heard "spell" as "tell" and the NATO letters as words: the question still asks for a name."""
    from anonymizer.detect.answers import unanswered

    text = "Could you tell your last name? That is here in my kingdom hotel. The plan costs $10 a month."
    [answer] = unanswered(text, "en", [])
    assert (answer.entity_type, text[answer.char_start : answer.char_end]) == ("PERSON", "here in my kingdom hotel")


def test_an_answer_asr_wrote_as_a_question_is_the_answer():
    from anonymizer.detect.answers import unanswered

    text = "Wanted your email address? Double dot holletfastmail .net Is there anything else? Yes."
    [answer] = unanswered(text, "en", [])
    assert text[answer.char_start : answer.char_end] == "Double dot holletfastmail .net"

    text = "Wie ist Ihre E-Mail-Adresse? Wann ist der Punkt, drehe das Art Gehermix -Punkt -Kohm? Der Abschlag wurde"
    [answer] = unanswered(text, "de", [])
    assert text[answer.char_start : answer.char_end] == "Wann ist der Punkt, drehe das Art Gehermix -Punkt -Kohm"


@pytest.mark.parametrize(
    ("language", "text", "found", "expected"),
    [
        # the year of a birth date asked for in its own turn: the follow-up has no cue of its own
        ("de", "Wann sind Sie geboren? Am zwölften Mai. Welches Jahr? Achtundsechzig. Danke.", [],
         [("DATE_OF_BIRTH", "zwölften Mai"), ("DATE_OF_BIRTH", "Achtundsechzig")]),
        # ASR's "Welche Jahre?" after a birthday said, not asked, and found only as a date
        ("de", "Einmal das Geburtstag bitte, am zwölften Mai. Welche Jahre? 1928 und 60.",
         [(32, 44, "DATE_TIME")], [("DATE_OF_BIRTH", "1928 und 60")]),
        ("en", "What is your date of birth? June seventh. And the year? 1986. Thanks.", [],
         [("DATE_OF_BIRTH", "June seventh"), ("DATE_OF_BIRTH", "1986")]),
        ("en", "I was born on the third of May. What year? Nineteen sixty. Thanks.",
         [(14, 30, "DATE_OF_BIRTH")], [("DATE_OF_BIRTH", "Nineteen sixty")]),
        # a year asked for with no birth date before it is a year
        ("en", "I bought it last March. And the year? 2023. Thanks.", [], []),
        ("de", "Den Vertrag haben Sie im Mai abgeschlossen. Welches Jahr? Zweitausendzwanzig.", [], []),
    ],
)
def test_a_follow_up_question_asks_for_the_rest_of_a_birth_date(language, text, found, expected):
    from anonymizer.detect.answers import unanswered
    from anonymizer.types import PiiSpan

    spans = [PiiSpan(start, end, kind, 0.8, "test") for start, end, kind in found]
    assert [(s.entity_type, text[s.char_start : s.char_end])
            for s in unanswered(text, language, spans)] == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Could you spell your last name? That is Hotel Alpha Lim Lim. I have a question about my bill.",
         "Hotel Alpha Lim Lim"),
        ("en", "Could you spell that? My Echo Yankee Echo Romeo. Thanks.", "My Echo Yankee Echo Romeo"),
        ("de", "Können Sie das buchstabieren? Das ist Eswisarmul, CVKsar. Gut.", "Eswisarmul, CVKsar"),
    ],
)
def test_a_spelling_answer_loses_a_lead_in_phrase_only(language, text, expected):
    """A lone "My" may be "Mike": spellings keep their words, but not a whole lead-in phrase."""
    from anonymizer.detect.answers import unanswered

    [answer] = unanswered(text, language, [])
    assert text[answer.char_start : answer.char_end] == expected


def test_a_long_spelling_is_answered_whole():
    """13 letters "X wie Word" are 39 words: more than an ordinary answer's 25."""
    from anonymizer.detect.answers import unanswered

    letters = "R wie Richard, U wie Ulrich, P wie Paula, P wie Paula, E wie Emil, R wie Richard, S wie Samuel, " \
              "B wie Berta, E wie Emil, R wie Richard, G wie Gustav, E wie Emil, TV Air wie Rischart."
    text = f"Können Sie Ihren Nachnamen buchstabieren? {letters} Danke."
    [answer] = unanswered(text, "de", [])
    assert text[answer.char_start : answer.char_end] == letters.rstrip(".")  # the asker's "Danke." is no letter


def test_a_run_on_turn_with_a_cue_for_personal_data_is_a_question():
    """ASR wrote the agent lower case without "?", and the customer's "Das" split the agent's sentence."""
    from anonymizer.detect.answers import unanswered

    text = "Gut, das klingt vernünftig. Das wir ihren nachnamen Buchstabieren wie ist Eswisarmul, CVKsar, Ovi Otto."
    channels = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    [answer] = unanswered(text, "de", [], channels)
    assert (answer.entity_type, text[answer.char_start : answer.char_end]) == (
        "SPELLED_OUT", "ist Eswisarmul, CVKsar, Ovi Otto")
    # no question opener in the turn, or a statement: no question
    assert unanswered("Gut. Das Nachnamen Buchstabieren ist Eswisarmul.", "de", [], [1, 1, 0, 0, 1, 1]) == []
    text = "Gut. Sie haben Ihren Nachnamen buchstabiert. Danke Otto."
    assert unanswered(text, "de", [], [1, 0, 0, 0, 0, 0, 1, 1]) == []


@pytest.mark.parametrize("language", ["de", "en"])
def test_lexicon_words_are_all_strings(language):
    """YAML 1.1 reads an unquoted yes/no/on/off as a boolean: such a word would silently never match."""
    import yaml

    from anonymizer.detect.lexicon import LEXICON_DIR

    def leaves(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield key
                yield from leaves(value)
        elif isinstance(node, list):
            for value in node:
                yield from leaves(value)
        else:
            yield node

    data = yaml.safe_load((LEXICON_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
    assert [x for x in leaves(data) if isinstance(x, bool) or x is None] == []


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # the question was garbled ("Beutstatton?"), the answer's cue was not; ASR broke the date in two
        ("de", "Ich bin geboren am 14. Nur wenn wir 1 .968. Meine", [("DATE_OF_BIRTH", "14. Nur wenn wir 1 .968")]),
        ("en", "I was born on May twenty seventh, 1952. What is your address?",
         [("DATE_OF_BIRTH", "May twenty seventh, 1952")]),
        ("en", "I was born to make $271952. What is your address?", [("DATE_OF_BIRTH", "to make $271952")]),
        # the year completes the date: the agent's reply after it is not part of it
        ("en", "I was born on January 7, 1955. I have noted that down.", [("DATE_OF_BIRTH", "January 7, 1955")]),
        # Whisper skipped "Mai 1960" (the unheard-speech rule covers it): the next sentence is ordinary talk
        ("de", "Ich bin geboren am drei. Die Zahlung ist bei uns eingedangen, die Manung können wir ignorieren.",
         [("DATE_OF_BIRTH", "drei")]),
        ("en", "I was born in a small town. We moved", []),  # no number
        # the cue without a verb: its rest when that starts with a date, not an agent's request
        ("de", "Geburtsdatum vierter Mai achtundsiebzig.", [("DATE_OF_BIRTH", "vierter Mai achtundsiebzig")]),
        ("en", "Date of birth, the 4th of May 78.", [("DATE_OF_BIRTH", "the 4th of May 78")]),
        ("en", "I need your date of birth and the 3 last digits.", []),
        ("de", "Ihr Geburtsdatum bitte, und dann noch die 4 Ziffern.", []),
        ("de", "Ich brauche Ihr Geburtsdatum und die Kundennummer 4711.", []),
        # three parts of a date complete it: the next sentence is the conversation
        ("de", "Geburtsdatum vierter Mai achtundsiebzig. Das kostet neunundzwanzig Euro.",
         [("DATE_OF_BIRTH", "vierter Mai achtundsiebzig")]),
        # after a year's cue the rest ends with the year, unless a day or a month follows it
        ("de", "Ich bin Jahrgang achtunddreißig, ich höre schlecht, Sie müssen lauter reden.",
         [("DATE_OF_BIRTH", "achtunddreißig")]),
        ("en", "I was born in '38, I'm hard of hearing, you'll have to speak up, love.",
         [("DATE_OF_BIRTH", "in '38"), ("DATE_OF_BIRTH", "38")]),
        ("en", "I was born in 1980 on the 3rd of May.", [("DATE_OF_BIRTH", "1980 on the 3rd of May")]),
    ],
)
def test_cue_birth_dates(language, text, expected):
    from anonymizer.detect.dates import CueBirthDateRecognizer

    assert found(CueBirthDateRecognizer(language), text) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # German puts "geboren" after the date: from the date's opening word to it
        ("de", "Ich bin am 14. März 1980 geboren und wohne hier.", [("DATE_OF_BIRTH", "14. März 1980")]),
        ("de", "ich bin am zweiten Weihnachtstag 1950 geboren falls Sie das brauchen",
         [("DATE_OF_BIRTH", "zweiten Weihnachtstag 1950")]),
        ("de", "Sie sind am 14. März geboren, passt also.", [("DATE_OF_BIRTH", "14. März")]),
        ("de", "Am Montag ist mein Enkel geboren, der kleine Paul.", []),  # no date in the words
        # a birth year as a person's vintage
        ("de", "Also ich bin ein 83er, falls Sie das brauchen.", [("DATE_OF_BIRTH", "83er")]),
        ("en", "I'm a 1979 baby, so yeah.", [("DATE_OF_BIRTH", "1979")]),
        ("en", "I bought a 2019 model.", []),
        ("de", "Das ist ein 50er Anschluss, und mein Auto ist ein 2008er Golf.", []),
    ],
)
def test_birth_dates_before_their_cue(language, text, expected):
    from anonymizer.detect.dates import BirthDateBeforeCueRecognizer

    assert found(BirthDateBeforeCueRecognizer(language), text) == expected


def test_an_answer_whisper_skipped_leaves_the_talk_after_it():
    """Silence after the question, then ordinary talk: the answer was not transcribed (unheard speech covers it)."""
    from anonymizer.detect.answers import unanswered

    text = "Wie lautet Ihre IBAN? Ich habe eine Frage zu meiner letzten Rechnung. Gut."
    times = [(0.0, 0.3), (0.3, 0.6), (0.6, 0.9), (0.9, 1.2)] + [(9.0 + k / 10, 9.05 + k / 10) for k in range(9)]
    assert unanswered(text, "de", [], times_s=times) == []
    # the same words right after the question are its (garbled) answer
    close = [(0.0, 0.3), (0.3, 0.6), (0.6, 0.9), (0.9, 1.2)] + [(1.4 + k / 10, 1.45 + k / 10) for k in range(9)]
    [answer] = unanswered(text, "de", [], times_s=close)
    assert answer.entity_type == "IBAN_CODE"


def test_a_late_answer_is_judged_by_its_own_side_not_the_words_between():
    """On a dialogue, the agent's next sentence interleaves with a slow garbled answer; only the
    customer's words decide whether the answer reads as talk (an e-mail leaked on corpus v1)."""
    from anonymizer.detect.answers import unanswered

    text = ("Wie ist Ihre E-Mail-Adresse? Leonoreponk, Schlosserat, Posteoponk, D -E Ach Ich habe einen Techniker "
            "beauftragt. so, das wusste ich nicht.")
    channels = [0, 0, 0, 0] + [1] * 6 + [0] * 5 + [1] * 5
    times = [(0.0, 0.3), (0.3, 0.6), (0.6, 0.9), (0.9, 1.2)] + [(3.0 + k / 5, 3.1 + k / 5) for k in range(16)]
    [answer] = unanswered(text, "de", [], channels, times)
    assert (answer.entity_type, text[answer.char_start : answer.char_end]) == (
        "EMAIL_ADDRESS", "Leonoreponk, Schlosserat, Posteoponk, D -E Ach")


def test_a_word_the_asker_stretched_over_the_answer_does_not_end_it():
    """An agent's "und" that Whisper stretched over 3.8 s of the customer's e-mail is no new turn (the
    answer ended after "Martin" and "Schneider" stayed audible on the 1-hour benchmark)."""
    from anonymizer.detect.answers import unanswered

    text = "wie ist ihre E-Mail-Adresse Martin und Apunkt Schneider Art. Beispiel .de Ja, ihre Adresse"
    channels = [0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0]
    times = [(0.0, 0.3), (0.3, 0.6), (0.6, 0.9), (0.9, 1.5), (1.6, 2.3), (1.9, 5.7), (2.3, 2.8), (2.8, 3.4),
             (3.4, 3.7), (3.8, 4.1), (4.1, 5.0), (5.0, 5.3), (5.9, 6.2), (6.2, 6.6)]
    [answer] = unanswered(text, "de", [], channels, times)
    assert text[answer.char_start : answer.char_end] == "Martin und Apunkt Schneider Art. Beispiel .de Ja"
    normal = [*times[:5], (2.3, 2.5), *times[6:]]  # a short "und": the agent spoke again
    [answer] = unanswered(text, "de", [], channels, normal)
    assert text[answer.char_start : answer.char_end] == "Martin"


@pytest.mark.parametrize(
    ("language", "text", "answer"),
    [
        # "Could you spell …?" heard as a statement
        ("en", "Good you spell your last name. That is brother of the uniform echo Romeo. What is your address?",
         "brother of the uniform echo Romeo"),
        ("de", "Buchstabieren Sie mir bitte Ihren Nachnamen. S wie Samuel, O wie Otto. Danke.",
         "S wie Samuel, O wie Otto"),  # (a closing sentence of acknowledgements only is no letter)
        ("en", "Spell your surname for me, please. Sierra, Uniform. You.", "Sierra, Uniform. You"),  # "You": U
        # a short polite request; a password's answer is words as much as digits, redacted whole
        ("de", "Ihr Kundenkennwort bitte. Das ist Sonnenblume 77, also Sonnenblume groß. Danke, das passt.",
         "Sonnenblume 77, also Sonnenblume groß"),
    ],
)
def test_a_request_for_data_written_as_a_statement_is_a_question(language, text, answer):
    from anonymizer.detect.answers import unanswered

    assert [text[s.char_start : s.char_end] for s in unanswered(text, language, [])] == [answer]


def test_a_password_answer_is_redacted_whole_even_with_digits_found_in_it():
    from anonymizer.detect.answers import unanswered
    from anonymizer.types import PiiSpan

    text = "And the password on the account? Ferrari, like the car, plus 1988. Okay, thank you, that matches."
    found = [PiiSpan(text.index("plus"), text.index("1988") + 4, "NUMBER_SEQUENCE", 0.5, "r")]
    assert [text[s.char_start : s.char_end] for s in unanswered(text, "en", found)] == \
        ["Ferrari, like the car, plus 1988"]
    assert unanswered("Yes please. Twenty pounds is fine.", "en", []) == []


def test_a_number_dictated_in_pieces_the_other_side_acknowledged_is_found_to_its_last_piece():
    from anonymizer.detect.bare_numbers import bare_numbers

    text = "Kundennummer ist 55 02. Ja. 31 77. Ja. Und sechs. Einen Moment, das dauert so zwei Minuten."
    assert [text[s.char_start : s.char_end] for s in bare_numbers(text, "de", [])] == ["55 02", "31 77", "sechs"]
    assert bare_numbers("We have two offers for you. Two. And then three.", "en", []) == []
    # an IBAN in six acknowledged pieces ("Mhm"), its first with the country's letters
    text = ("Dann bräuchte ich einmal Ihre IBAN. Ja, also D E 4 4. Mhm. 5 0 0 1. Ja. 0 5 1 7. Okay. 5 4 0 7. Mhm. "
            "3 2 4 9. Und dann noch 3 1. Gut, das wären 22 Stellen, passt.")
    assert [text[s.char_start : s.char_end] for s in bare_numbers(text, "de", [])] == [
        "5 0 0 1", "0 5 1 7", "5 4 0 7", "3 2 4 9", "3 1"]


def test_a_room_number_after_its_word_is_an_address():
    from anonymizer.detect.bare_numbers import bare_numbers

    text = "Frau Endres wohnt im Seniorenstift, Zimmer 214, Kastanienallee 5 in Kassel."
    assert [text[s.char_start : s.char_end] for s in bare_numbers(text, "de", [])] == ["214"]
    assert bare_numbers("Wir haben eine Wohnung mit 3 Zimmer und Balkon.", "de", []) == []


def test_an_answer_that_refuses_gives_no_data():
    from anonymizer.detect.answers import unanswered

    assert unanswered("Und Ihre E-Mail-Adresse? Nein danke, ich will das lieber per Post.", "de", []) == []
    assert unanswered("And the last four of your social? I'd rather not. That's fine.", "en", []) == []
    text = "Your phone number? No thanks, it's 0 7 7 0 0 9 0 0 1 2 3."  # a digit in it: still redacted
    assert [s.entity_type for s in unanswered(text, "en", [])] == ["PHONE_NUMBER"]
    # a hedge comes before an answer; a name said after all; a secret's question is answered whole
    assert unanswered("What is your memorable word? Not sure, probably sunflower.", "en", [])
    assert unanswered("Your surname? I'd rather not, but it's Oyelaran-Whitby.", "en", [])
    assert unanswered("What is your password? I'd rather not say it, it's sunflower.", "en", [])


def test_a_question_for_a_time_asks_for_no_data():
    from anonymizer.detect.answers import unanswered

    assert unanswered("Ab wann gilt die neue Adresse? Ab dem 1. September.", "de", []) == []
    assert unanswered("Wann ist der Schaden entstanden? Am Sonntag gegen drei.", "de", []) == []  # no "TAN"


def test_a_statement_about_data_is_no_request():
    from anonymizer.detect.answers import unanswered

    assert unanswered("Ihre E-Mail-Adresse habe ich notiert. Ich schicke Ihnen die Bestätigung.", "de", []) == []
    assert unanswered("I have noted your last name. The technician comes on Monday.", "en", []) == []


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # harmless numbers: their neighbours say what they are
        ("de", "Der Tarif kostet 29,99 Euro im Monat.", []),
        ("de", "Das Gerät kostet 1.299 Euro.", []),
        ("de", "Der Techniker kommt um 10.34 Uhr.", []),
        ("de", "Sie haben im Jahr 3500 Kilowattstunden verbraucht.", []),
        ("de", "Ihr Router ist eine Fritzbox 7590.", []),
        ("de", "Ich bin seit 2019 Kunde bei Ihnen.", []),
        ("de", "Die Leitung schafft 1000 Mbit.", []),
        ("en", "The plan is 34.99 a month.", []),
        ("en", "We can come at 10 30 tomorrow.", []),
        ("en", "You used 4200 units last year.", []),
        # one number with thousands separators before its unit is a magnitude ("Kilomachstunden": ASR's)
        ("de", "Das sind 24.300 Kilowattstunden im Jahr.", []),
        ("de", "das sind viel und 20 .300 Kilo machstunden.", []),
        ("de", "das sind 20, 300 Kilowattstunden.", [("NUMBER_SEQUENCE", "20, 300")]),  # said apart
        ("en", "The car has 120,000 miles on it.", []),
        # … or said as a magnitude in words
        ("de", "Sie haben zwölftausend Kilowattstunden verbraucht.", []),
        ("en", "The car has twelve thousand three hundred miles on it.", []),
        ("de", "Meine PIN ist viertausendsiebenhundertelf.", [("NUMBER_SEQUENCE", "viertausendsiebenhundertelf")]),
        ("de", "Meine Zählernummer ist 24.300 Kilowattstunden.", [("NUMBER_SEQUENCE", "24.300")]),  # a cue
        ("de", "Das sind 2 4 3 0 0 Kilowattstunden.", [("NUMBER_SEQUENCE", "2 4 3 0 0")]),  # said one by one
        ("en", "It's the model X7590 router.", []),
        ("en", "I've been with you since 2015.", []),
        # a bank's or a card's context word before an amount with its sign or a year after "since"
        ("en", "In a credit on $47 .50, coming back to you within 10 working days.", []),
        ("en", "I've banked with Meridian Credit Union since 2012.", []),
        ("de", "Ich bin bei der Sparkasse seit 2012, das Konto kostet 4,90 € im Monat.", []),
        ("en", "My card ends in 2012.", [("NUMBER_SEQUENCE", "2012")]),
        ("en", "Your PIN? $47 .11", [("NUMBER_SEQUENCE", "$47 .11")]),  # a cue that asks for the number
        # a year too recent to be a customer's birth year, without a cue
        ("de", "Das ist die Kollektion 2023.", []),
        ("de", "Das ist die Kollektion zweitausenddreiundzwanzig.", []),  # ASR writes it in words too
        ("en", "The car's a 2016, the estate.", []),
        # numbers ASR's homophones joined ("to", "for" read as 2 and 4), each with a reading or too short
        ("en", "so up to $1,000 overdraft.", []),
        ("en", "from January 13th to $1.30 a month.", []),
        ("en", "At 1.6 for 18 months.", []),
        ("en", "It is 4711 to 8 8 3 2.", [("NUMBER_SEQUENCE", "4711 to 8 8 3 2")]),  # no reading: a dictation
        # a cue a few sentences back (a customer who hesitates) keeps those two readings off
        ("de", "Ihre Vertragsnummer bitte. Ja, Moment, die habe ich irgendwo notiert, das war 2021.",
         [("NUMBER_SEQUENCE", "2021")]),
        ("en", "Your account number please. Sure, hang on, I have it in my emails somewhere here, 4 8 to 12 months.",
         [("NUMBER_SEQUENCE", "4 8 to 12")]),
        ("en", "What's your customer ID? Oh, I think it's on the bill, it is 2020.", [("NUMBER_SEQUENCE", "2020")]),
        # personal data, whatever its neighbours: a cue before it in its sentence or its question
        ("de", "Meine PIN ist 4711.", [("NUMBER_SEQUENCE", "4711")]),
        ("en", "My son was born in 2015.", [("NUMBER_SEQUENCE", "2015")]),
        ("de", "Geboren bin ich 1994.", [("NUMBER_SEQUENCE", "1994")]),
        ("de", "Ich bin geboren 1985 in Köln.", [("NUMBER_SEQUENCE", "1985")]),
        ("de", "Ihre PIN? 1 2 3 4 Euro", [("NUMBER_SEQUENCE", "1 2 3 4")]),
        # a question's cue reaches the answer, not the talk a run-on sentence goes on with after it
        ("en", "Can you confirm your date of birth? Ah, December, 1957, and you've got the Fiber Max plan with us, "
               "so up to 500 megabits.", [("NUMBER_SEQUENCE", "1957")]),
        ("en", "Can you confirm your date of birth? Ah, 1957, up to 500 megabits.",
         [("NUMBER_SEQUENCE", "1957"), ("NUMBER_SEQUENCE", "to 500")]),
        ("en", "my number is 0151 2345 6789 at home", [("NUMBER_SEQUENCE", "0151 2345 6789")]),
        ("en", "the code is 5 9 1 2 at the gate", [("NUMBER_SEQUENCE", "5 9 1 2")]),
        # a one- or two-letter cue is a whole word: "please" and "PIN" are no "p" (pence)
        ("en", "Yes, 5521 thanks, please", [("NUMBER_SEQUENCE", "5521")]),
        ("en", "That's 4 pounds 50 p.", []),
        # no reading: the safety net
        ("de", "Das ist 4711 2390.", [("NUMBER_SEQUENCE", "4711 2390")]),
        # a reference's groups joined by dashes, its letters between digit groups
        ("de", "Die Versicherungsscheinnummer ist AS-4471-0093-2.", [("NUMBER_SEQUENCE", "AS-4471-0093-2")]),
        ("en", "It says 88 TQ 4410, thanks.", [("NUMBER_SEQUENCE", "88 TQ 4410")]),
        ("en", "COVID-19 rules, the MP3-Player and Archer-AX55.", []),
        ("en", "at 0151 2345 6789", [("NUMBER_SEQUENCE", "0151 2345 6789")]),  # too long for a time
    ],
)
def test_by_meaning(language, text, expected):
    assert found(NumberSequenceRecognizer(language), text) == expected


def test_the_strict_setting_redacts_every_number():
    strict = NumberSequenceRecognizer("de", min_digits=2, by_meaning=False)
    assert found(strict, "Der Tarif kostet 29,99 Euro im Monat.") == [("NUMBER_SEQUENCE", "29,99")]
    assert found(strict, "Ich bin seit 2019 Kunde.") == [("NUMBER_SEQUENCE", "2019")]


@pytest.mark.parametrize(
    ("language", "text", "personal"),
    [
        ("de", "Die Rechnung vom 3. März ist bezahlt", False),
        ("de", "Ich bin geboren am 3. März 1985", True),
        ("de", "Ihr Geburtsdatum? Der 3. März 1985", True),
        ("en", "the engineer comes on March 14th", False),
        ("en", "my date of birth is March 14th, 1985", True),
        # no cue (ASR garbled the question): a full date decades ago may be a birth date, a recent one is not
        ("de", "und Ihr Boots -Datum und Das ist der 14th März 1985", True),
        ("de", "Die Rechnung vom 3. März 2024 ist bezahlt", False),
        ("de", "und ihr Boots Tatum, Das ist der 14. März 19. 85.", True),  # the year split by ASR
        ("en", "the contract started on May 2nd, 2023", False),
    ],
)
def test_a_date_is_personal_with_a_birth_cue(language, text, personal):
    from anonymizer.detect.meaning import date_is_personal

    start = next(i for i, ch in enumerate(text) if ch.isdigit() or text[i:i + 5] in ("March", "März ", "May 2"))
    assert date_is_personal(text, start, language, end=len(text)) is personal


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "Nordwind Energie, guten Tag. Was kann ich für Sie tun?", {"nordwind", "energie"}),
        ("de", "Herzlich willkommen bei Stadtwerke Lindau. Mein Name ist Anna Weber.", {"stadtwerke", "lindau"}),
        ("en", "Thank you for calling Bluewave Mobile, this is Daniel.", {"bluewave", "mobile"}),
        ("en", "You're through to Marcus Bell at Northern Water.", {"northern", "water"}),  # the agent, then it
        ("en", "Hi, my name is Sarah Johnson, hello.", set()),  # a name before a greeting, but no comma then
        ("en", "Good morning. I have a question. Yes. Welcome to Oak Bank.", set()),  # not how the call opens
    ],
)
def test_the_company_name_comes_from_how_the_call_opens(language, text, expected):
    from anonymizer.detect.companies import company_words
    from anonymizer.detect.tokens import tokenize

    assert company_words(tuple(tokenize(text)), language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "You'll get a letter from Ashford Mutual by Friday.", {"ashford", "mutual"}),
        ("de", "Bei der Volkskasse Hohenlinden hieß es anders.", {"volkskasse", "hohenlinden"}),
        ("de", "Ich war bei Stadtwerke Ellerbrück, sagt Herr Rose.", {"stadtwerke", "ellerbrück"}),
        ("en", "I spoke to Jane Fairbank yesterday.", set()),  # English forms count whole, never as an ending
        ("en", "My bank is closed, Mr Smith said.", set()),  # a lower-case form word names nothing
        # public places, by the same forms: nobody's name
        ("en", "It sat in the locker by Penn Station. Okay.", {"penn", "station"}),
        ("de", "Ich stehe am Flughafen Köln Bonn gerade.", {"flughafen", "köln", "bonn"}),
        ("en", "My name is Jin Park, and I moved.", set()),  # "Park" is a surname too: no place form
    ],
)
def test_company_names_by_their_form_anywhere_in_the_call(language, text, expected):
    from anonymizer.detect.companies import company_form_words
    from anonymizer.detect.tokens import tokenize

    assert company_form_words(tuple(tokenize(text)), language) == expected


@pytest.mark.parametrize(
    ("language", "text", "name", "product"),
    [
        ("en", "You have Fiber Max 500 at the moment.", "Max", True),
        ("de", "Sie haben den Tarif Klara seit März.", "Klara", True),
        ("de", "Das Modell heißt Emma Pro.", "Emma", True),
        ("de", "Frau Klara Weber hat angerufen.", "Klara", False),
        ("en", "Max. 500 is the limit.", "Max", False),  # a sentence end between them
        ("en", "Hi, it's Sarah Miller, 42 Oak Road.", "Miller", False),  # a comma before the number: an address
    ],
)
def test_product_and_tariff_names_are_no_names(language, text, name, product):
    from anonymizer.detect.companies import product_name
    from anonymizer.detect.tokens import tokenize

    tokens = tuple(tokenize(text))
    index = next(i for i, t in enumerate(tokens) if t.text == name)
    assert product_name(tokens, index, index, language) is product


def test_name_like_words_in_the_strict_setting():
    plain, strict = GazetteerNameRecognizer("de"), GazetteerNameRecognizer("de", name_like=True)
    assert found(plain, "Herr Koch hat angerufen") == []  # "Koch" is also a word: only in a pair
    assert found(strict, "Herr Koch hat angerufen") == [("PERSON", "Koch")]
    assert ("PERSON", "Brightwater") in found(GazetteerNameRecognizer("en", name_like=True),
                                              "I spoke to Brightwater yesterday")


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # a number said on its own right after talk of a code, digits or a number: a statement or a request
        ("en", "I need access code from the welcome letter. 250. Right, last time it took long.", ["250"]),
        ("en", "Can you give me your account? It's four digits. Two, two, two. Your contract runs on.",
         ["Two, two, two"]),
        ("de", "Ich brauche noch die PIN aus dem Brief. Ja, 4 7 1. Danke.", ["4 7 1"]),
        # no cue, or more than a number in its sentence: kept
        ("en", "How many boxes do you need? Two. Great.", []),
        ("en", "I need the code from the letter. It costs 250 euros.", []),
        ("de", "Sie bekommen zwei Router. Zwei. Genau.", []),
        # right after the cue in its own sentence (ASR wrote the question and the answer as one)
        ("en", "What number? And the House number 25. I see.", ["25"]),
        ("de", "Die Hausnummer ist 16. Gut.", ["16"]),
        ("en", "Your PIN, 4 7, thanks", ["4 7"]),
        # a cue further away, or the number has a harmless reading: kept
        ("de", "Die Hausnummer ist wichtig für 25 Pakete.", []),
        ("en", "The code is 7 days valid.", []),
    ],
)
def test_a_bare_number_after_a_cue_is_redacted(language, text, expected):
    from anonymizer.detect.bare_numbers import bare_numbers

    assert [text[s.char_start:s.char_end] for s in bare_numbers(text, language, [])] == expected


@pytest.mark.parametrize(
    ("language", "text", "answer"),
    [
        ("en", "And where are you living now? Yeah, so 32mm away then the Colorado 80260. That's it.",
         "32mm away then the Colorado 80260"),
        ("de", "Und wo sind Sie wohnhaft? In der Lindenallee 4 in Kassel. Genau.", "Lindenallee 4 in Kassel"),
    ],
)
def test_address_questions_in_other_words(language, text, answer):
    from anonymizer.detect.answers import unanswered

    spans = unanswered(text, language, [])
    assert any(answer in text[s.char_start:s.char_end] for s in spans if s.entity_type == "ADDRESS"), spans

