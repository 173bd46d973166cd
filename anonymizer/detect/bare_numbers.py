"""Numbers said on their own after a cue for a code, a number or an address: "Ich brauche noch die PIN aus dem
Brief. 4 7 1.", "And the house number 25.", "Wohnung 24" — redacted whatever their length (``ID_NUMBER``), unless
their neighbours give them a harmless reading. The answers to questions are ``answers.py``'s.
"""

from __future__ import annotations

from bisect import bisect_right

from anonymizer.detect.answers import SCORE
from anonymizer.detect.digits import DigitRun, digit_runs
from anonymizer.detect.lexicon import lexicon, rules_language
from anonymizer.detect.meaning import reading
from anonymizer.detect.tokens import sentence_last
from anonymizer.types import PiiSpan

# kinds of data whose cue makes a number said on its own right after it that data ("I need the access code
# from the letter. 250.", "It's four digits. Two, two, two.")
BARE_NUMBER_KINDS = ("ID_NUMBER", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "ADDRESS", "DATE_OF_BIRTH")
# the cue stands in one of the sentences this close before the number (not counting acknowledgements and pieces
# of the dictation said alone between them)
BARE_NUMBER_CUE_SENTENCES = 2
MAX_PIECE_SENTENCES = 14  # but no further back than this, said alone or not (an IBAN in six acknowledged pieces)
# kinds whose cue makes a number of any length right after it, in the same sentence, that data ("And the house
# number 25.", "Die PIN ist 47"): the short ones (a phone number or a card is long enough for the recognizers)
CUE_IN_SENTENCE_KINDS = ("ID_NUMBER", "ADDRESS")
MAX_CUE_GAP_WORDS = 2  # lead-in words between such a cue and the number ("the house number is 25")


def bare_numbers(text: str, language: str, found: list[PiiSpan]) -> list[PiiSpan]:
    """Numbers said on their own (a sentence of nothing but the number and lead-in words) right after a cue
    for a code, a number, digits or an address in one of the two sentences before (acknowledgements and the
    number's earlier pieces said alone between do not count, up to eight sentences back) — a statement or a request
    as much as a question ("Ich brauche noch die PIN aus dem Brief. 4 7 1.") — that no finding covers:
    redacted whatever their length, as ``ID_NUMBER`` (score 0.5).

    >>> text = "I need the access code from the letter. 250. Right, last time it took long."
    >>> [text[s.char_start:s.char_end] for s in bare_numbers(text, "en", [])]
    ['250']
    >>> bare_numbers("We have two offers for you. Two. The first one is cheaper.", "en", [])
    []
    >>> bare_numbers("What is happening with my shopping? 2.", "en", [])
    []

    Or right after a cue for a code or an address in its own sentence, with at most ``MAX_CUE_GAP_WORDS``
    lead-in words between (ASR often writes the question and its answer as one sentence):

    >>> text = "And the House number 25. I see."
    >>> [text[s.char_start:s.char_end] for s in bare_numbers(text, "en", [])]
    ['25']
    >>> bare_numbers("The house number is what you need for 25 parcels.", "en", [])
    []

    A flat's number after its unit word ("Wohnung 24", "flat 24"; ``addresses.units``) likewise:

    >>> text = "Im Winkel 6, Wohnung 24, und auf der Klingel steht noch Hafe."
    >>> [text[s.char_start:s.char_end] for s in bare_numbers(text, "de", [])]
    ['24']
    >>> bare_numbers("It's a flat 24 pounds a month.", "en", [])
    []

    A number ASR wrote in words is one too (a number word is no model number, which has a letter *and* a digit):

    >>> text = "Das ist die Wohnung, vierundzwanzig."
    >>> [text[s.char_start:s.char_end] for s in bare_numbers(text, "de", [])]
    ['vierundzwanzig']
    """
    language = rules_language(language)
    lex = lexicon(language)
    cues = [cue for kind in BARE_NUMBER_KINDS for cue in lex.questions.get(kind, ())]
    unit_cues = tuple(f" {unit}" for unit in lex.address_units)
    near_cues = tuple(f" {cue}" for kind in CUE_IN_SENTENCE_KINDS for cue in lex.questions.get(kind, ())) + unit_cues
    tokens, runs = digit_runs(text, language)
    fillers = lex.answer_lead_in | lex.answer_closing

    def word(k: int) -> str:
        return tokens[k].text.lower().strip(",.;:!?-–")  # "-Wohnung," as ASR joins a word to the last

    def only_fillers(first: int, end: int) -> bool:
        return all(word(k) in fillers for k in range(first, end))

    def cue_right_before(first: int, run: DigitRun) -> bool:
        """A cue ends right before the run, or before lead-in words right before it; and the number has no
        harmless reading ("the code is 7 days valid")."""
        for k in range(run.first, max(first, run.first - MAX_CUE_GAP_WORDS) - 1, -1):
            if k < run.first and word(k) not in fillers:
                break
            before = " " + " ".join(word(j) for j in range(max(first, k - 4), k))
            if before.endswith(near_cues):
                meaning = reading(tokens, run, language)
                # after a unit's word, a room's number is no count of rooms ("Zimmer 214", not "3 Zimmer")
                return meaning is None or meaning == "quantity" and before.endswith(unit_cues)
        return False

    starts = [0] + [k + 1 for k, t in enumerate(tokens) if t.ends_sentence]
    sentence_of = [bisect_right(starts, r.first) - 1 for r in runs]  # each run's sentence
    in_sentence: dict[int, list[DigitRun]] = {}
    for r, sentence in zip(runs, sentence_of, strict=True):
        in_sentence.setdefault(sentence, []).append(r)
    acknowledgements = fillers | lex.acknowledgements

    def said_alone(sentence: int) -> bool:
        """An acknowledgement, or one piece of a number and lead-in words: no sentence of its own for the cue."""
        a, b = starts[sentence], starts[sentence + 1] if sentence + 1 < len(starts) else len(tokens)
        pieces = in_sentence.get(sentence, [])
        return all(word(k) in acknowledgements for k in range(a, b)) or (
            len(pieces) == 1 and only_fillers(a, pieces[0].first_token(tokens))
            and only_fillers(pieces[0].last + 1, b))

    out = []
    for run, sentence in zip(runs, sentence_of, strict=True):
        first = starts[sentence]
        if any(s.char_start <= run.start and run.end <= s.char_end for s in found):
            continue
        if cue_right_before(first, run):
            out.append(PiiSpan(run.start, run.end, "ID_NUMBER", SCORE, "BareNumberAfterCue"))
            continue
        if sentence == 0 or not only_fillers(first, run.first) \
                or not only_fillers(run.last + 1, sentence_last(tokens, first) + 1):
            continue
        earlier, counted = sentence, 0
        while earlier > max(0, sentence - MAX_PIECE_SENTENCES) and counted < BARE_NUMBER_CUE_SENTENCES:
            earlier -= 1  # a dictation in pieces the other side acknowledged: "55 02. Ja. 31 77. Ja. Und sechs."
            counted += not said_alone(earlier)
        before = " " + " ".join(t.text.lower() for t in tokens[starts[earlier]:first])
        if any(f" {cue}" in before for cue in cues):  # at a word's start: "pin", not "shopping"
            out.append(PiiSpan(run.start, run.end, "ID_NUMBER", SCORE, "BareNumberAfterCue"))
    return out
