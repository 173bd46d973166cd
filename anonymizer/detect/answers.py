"""The safety net of a call: the answer to a question that asked for personal data.

Agents ask for data one item at a time ("Wie ist Ihre E-Mail-Adresse?", "Could you spell that?"),
and the customer's next words are that item — however ASR wrote them ("Gertpunkt Wilmsenart,
Beispielpunkt D .E."). When none of the recognizers found the asked-for kind of data in the answer,
the whole answer (the words after the question, up to the next question, at most
``max_answer_words`` and two sentences — more for e-mails and spellings; when a recognizer found the
asked-for kind, up to the end of the sentence holding it; never into a later sentence that reads as
ordinary talk, by its share of stop words) is redacted as that type
(spellings, e-mails and dates of birth always: ASR mangles them so that a recognizer often finds a part)
with score 0.5 — less its lead-in and closing words ("Meine Kundennummer ist …", "… danke"), which
say nothing about the person (except in spellings and e-mails, where ASR writes letters as "my",
"the", "es"). This runs after the recognizers, because it needs their findings. On a stereo call
it works on the dialogue transcript, where the agent's question and the customer's answer meet.
"""

from __future__ import annotations

import re

from anonymizer.detect.lexicon import Lexicon, lexicon, reads_as_talk, rules_language
from anonymizer.detect.tokens import Token, sentence_last, tokenize
from anonymizer.types import PiiSpan, Word

# what counts as having found the asked-for data in the answer
SATISFIED_BY = {
    "EMAIL_ADDRESS": {"EMAIL_ADDRESS"},
    "SPELLED_OUT": {"SPELLED_OUT"},
    "ADDRESS": {"ADDRESS", "LOCATION"},
    "IBAN_CODE": {"IBAN_CODE"},
    "DATE_OF_BIRTH": {"DATE_TIME", "NUMBER_SEQUENCE", "DATE_OF_BIRTH"},
    "ID_NUMBER": {"ID_NUMBER", "NUMBER_SEQUENCE", "PHONE_NUMBER"},
    "PHONE_NUMBER": {"PHONE_NUMBER", "NUMBER_SEQUENCE"},
    "CREDIT_CARD": {"CREDIT_CARD", "NUMBER_SEQUENCE"},
    "PERSON": {"PERSON", "SPELLED_OUT"},
}
SCORE = 0.5
# answers redacted whole even when a recognizer found part of them: the forms ASR mangles most
# (a date of birth too: ASR garbles its month — "am 14. Nur wenn wir 1 .968." — and the year alone satisfied
# it; an IBAN, whose letters ASR writes as words — "GB42 via CT9970966491H791": the digits alone satisfied it;
# and an address, whose city ASR mangles — "Lindenstraße 12 10 1 1 5 der Lin." for "… 10115 Berlin": the street
# alone satisfied it, and the city stayed audible; and a name, whose surname ASR writes as other words — "It's
# part and Christian name, Gregory." for Barton: the first name alone satisfied it)
ALWAYS_WHOLE = {"SPELLED_OUT", "EMAIL_ADDRESS", "DATE_OF_BIRTH", "IBAN_CODE", "ADDRESS", "PERSON"}
# a whole answer of these kinds ends this many words after the last finding in it: the city ASR mangled
# after the street and postcode, a surname after the first name found, not the conversation going on in the
# same sentence ("… Springfield and how long will that take?", "Mary Stephenson and I'm calling about …")
TAIL_WORDS = {"ADDRESS": 2, "PERSON": 1}
# answers not trimmed of lead-in and closing words: in a spelling or an e-mail, "my", "the", "es" may be
# "Mike", "D", "S"
UNTRIMMED = {"SPELLED_OUT", "EMAIL_ADDRESS"}
# an answer is at most this many sentences (ASR puts periods inside spoken e-mails and spellings; a name
# is said in one)
MAX_SENTENCES = {"EMAIL_ADDRESS": 6, "SPELLED_OUT": 8, "PERSON": 1}
DEFAULT_MAX_SENTENCES = 2
# and at most this many times ``max_answer_words``: a 13-letter surname spelled "R wie Richard, …" is 39 words
MAX_WORDS_FACTOR = {"SPELLED_OUT": 2}


def _trim(tokens: list[Token], first: int, last: int, lead_in: frozenset[str], closing: frozenset[str],
          cues: list[str]) -> tuple[int, int]:
    """The answer without the asking side's next question, its lead-in words and its closing words."""
    end = last + 1  # a cut-off answer whose last sentence is a question: that question is not the answer
    while end < len(tokens) and end - last < 12 and not tokens[end - 1].ends_sentence:
        end += 1
    if not tokens[last].ends_sentence and tokens[end - 1].raw.endswith("?"):
        sentence = last
        while sentence > first and not tokens[sentence - 1].ends_sentence:
            sentence -= 1
        if sentence > first:
            last = sentence - 1

    def filler(token: Token, words: frozenset[str]) -> bool:
        word = token.text.lower()
        return word in words or any(cue in word for cue in cues)

    while first <= last and filler(tokens[first], lead_in):
        first += 1
    while last >= first and filler(tokens[last], closing):
        last -= 1
    return first, last


# a question followed by this much silence in the transcript: its answer was not transcribed
SKIPPED_ANSWER_S = 1.5


def _before_opener(tokens: list[Token], first: int, last: int, openers: frozenset[str]) -> int:
    """The last token before a capitalized question opener in ``tokens[first + 1 : last + 1]``, else ``last``."""
    for k in range(last, first, -1):
        if tokens[k].text[:1].isupper() and tokens[k].text.lower() in openers:
            return k - 1
    return last


def _after_phrase(tokens: list[Token], first: int, last: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """``first`` moved past a lead-in phrase the answer starts with ("That is Hotel Alpha …")."""
    words = [t.text.lower().strip(",.;:") for t in tokens[first : last + 1]]
    for phrase in phrases:  # longest first
        if len(phrase) < len(words) and tuple(words[: len(phrase)]) == phrase:
            return first + len(phrase)
    return first


def _before_acknowledgement(tokens: list[Token], first: int, last: int, words: frozenset[str]) -> int:
    """``last`` moved before the sentences at the answer's end that hold nothing but acknowledgement words
    ("… Tom. Lovely.", "… Punkt de. Prima, danke."): the asker's, not more letters."""
    while last > first:
        start = last
        while start > first and not tokens[start - 1].ends_sentence:
            start -= 1
        if start == first or not all(t.text.lower().strip(",.;:!?") in words for t in tokens[start : last + 1]):
            break
        last = start - 1
    return last


def _conversation(tokens: list[Token], first: int, found: list[PiiSpan], language: str,
                  channels: list[int] | None = None) -> bool:
    """Whether the sentence starting at token ``first`` is ordinary talk (``lexicon.reads_as_talk``, no
    finding in it): in an answer, the conversation going on, not more of a mangled value. On a call's
    dialogue only the words of ``first``'s side count (the other side's words interleave with them: an
    agent's "Ich habe einen Techniker beauftragt" made a garbled e-mail read as talk)."""
    if first >= len(tokens):
        return False
    last = sentence_last(tokens, first)
    start, end = tokens[first].start, tokens[last].end
    if any(s.char_start < end and start < s.char_end for s in found):
        return False
    words = [t.text for k, t in enumerate(tokens[first : last + 1], first)
             if channels is None or channels[k] == channels[first]]
    return reads_as_talk(" ".join(words), language)


def _stretched(token: Token, time_s: tuple[float, float] | None) -> bool:
    """Whether Whisper stretched the word over a silence or the other side's speech (``Word.stretched``):
    an agent's "und" over 3.8 s sat inside a customer's e-mail and cut the answer after its first word."""
    if time_s is None:
        return False
    return Word(token.text, time_s[0], time_s[1], 1.0, 0, len(token.text)).stretched


def _requests(tokens: list[Token], start: int, end: int, requests: tuple[str, ...], listener: frozenset[str]) -> bool:
    """Whether the sentence ``tokens[start:end + 1]`` asks the listener to do something (spell, tell, …)."""
    words = [t.text.lower().strip(",.;:!?") for t in tokens[start : end + 1]]
    text = f" {' '.join(words)} "
    return bool(listener & set(words)) and any(f" {request} " in text for request in requests)


# what a question for a time does not ask for, whatever its words name; it may ask for a birth date ("Wann sind
# Sie geboren?"), an expiry ("Bis wann ist die Karte gültig?") or a number ("When is the best number to call you?")
NEVER_A_TIME = {"ADDRESS", "EMAIL_ADDRESS", "PERSON", "SPELLED_OUT", "IBAN_CODE"}
SHORT_CUE_CHARS = 4  # a cue this short is at a word's start or end ("PIN-Nummer", "Zugangscode"), not inside one


def _cue_in(cue: str, question: str) -> bool:
    """Whether ``cue`` is said in ``question`` (lower case): inside a compound ("kundennummer" in
    "Ihre Kundennummer?"), a short cue only at its start or end ("tan" is not in "entstanden").

    >>> [_cue_in("tan", q) for q in ("die tan bitte?", "wann ist das entstanden?", "ihre sms-tan?")]
    [True, False, True]
    >>> _cue_in("code", "und der zugangscode?"), _cue_in("code", "der zugangscodes?"), _cue_in("pin", "your pins?")
    (True, True, True)
    """
    if len(cue) > SHORT_CUE_CHARS:
        return cue in question
    return re.search(rf"(?:^|\W){re.escape(cue)}|{re.escape(cue)}(?:s|n|en)?(?:\W|$)", question) is not None


MAX_POLITE_WORDS = 6  # "Ihr Kundenkennwort bitte.", "And your postcode, please.": a request this short


def _polite(tokens: list[Token], start: int, end: int, polite: frozenset[str], listener: frozenset[str]) -> bool:
    """Whether the sentence ``tokens[start:end + 1]`` is a short polite request for the listener's data ("Ihre
    Kundennummer bitte."; not "Die Rechnung bitte per Mail.", "Please check the code again.")."""
    words = [t.text.lower().strip(",.;:!?") for t in tokens[start : end + 1]]
    return len(words) <= MAX_POLITE_WORDS and bool(polite & set(words)) and bool(listener & set(words))


# at a turn end, a cue for personal data among the asking side's last words makes a question ("können Sie
# Ihren Nachnamen buchstabieren" that ASR wrote lower case, without "?", and split by the other side's words)
TURN_END_CUE_WORDS = 6


def _asks_at_turn_end(tokens: list[Token], start: int, end: int, openers: frozenset[str],
                      questions: dict[str, tuple[str, ...]]) -> bool:
    """Whether the asking side's turn ``tokens[start:end + 1]`` reads as a question for personal data."""
    words = {t.text.lower().strip(",.;:") for t in tokens[start : end + 1]}
    tail = " ".join(t.text.lower() for t in tokens[max(start, end + 1 - TURN_END_CUE_WORDS) : end + 1])
    if tokens[end].raw.endswith((".", "!")):
        return False  # a statement ("Ihre E-Mail-Adresse habe ich notiert.")
    return bool(words & openers) and any(cue in tail for cues in questions.values() for cue in cues)


# kinds whose words ASR may write as a capitalized opener ("Will", "Is" in a spelling): their answers do not end
# at one
NO_OPENER_END = {"SPELLED_OUT", "EMAIL_ADDRESS", "PERSON"}


def _end_at_evidence(tokens: list[Token], first: int, last: int, found: list[PiiSpan], asked: list[str],
                     openers: frozenset[str] = frozenset(), listener: frozenset[str] = frozenset()) -> int:
    """Where an answer ends when the recognizers found the asked-for kind in it: at the end of the sentence
    holding the last such finding ("January 7, 1955. I have noted that down." keeps the reply), or before a
    question that starts after it where ASR wrote no period — a capitalized opener and a word for the
    listener ("0 ,1 ,1 ,1 ,8 ,0 Möchten Sie gleich die Kreditkarte dazu, …": the asker's next offer; not
    "25 May, Cardiff"). Without such a finding, the sentence limits stand: ASR mangled the answer and its
    sentence ends mean little.
    """
    kinds = {kind for entity in asked for kind in SATISFIED_BY.get(entity, {entity})}
    start, end = tokens[first].start, tokens[last].end
    ends = [s.char_end for s in found if s.entity_type in kinds and start <= s.char_start < end]
    if not ends:
        return last
    k = first
    while k < last and (tokens[k].end < max(ends) or not tokens[k].ends_sentence):
        if tokens[k].end >= max(ends) and asked[0] not in NO_OPENER_END and k + 2 <= last \
                and tokens[k + 1].text[:1].isupper() and tokens[k + 1].text.lower() in openers \
                and tokens[k + 2].text.lower() in listener:
            return k
        k += 1
    return k


# a follow-up question ("Und das Jahr?") continues an item asked for or found this many words before it
FOLLOW_UP_WORDS = 30


def _follows_up(question: str, tokens: list[Token], start: int, found: list[PiiSpan],
                follow_ups: dict[str, tuple[str, ...]], cues: dict[str, tuple[str, ...]]) -> list[str]:
    """The kinds a question with no cue of its own asks the rest of: one of its follow-up cues, and a cue
    for that kind (asked or said: "Einmal das Geburtstag bitte") or a finding of it in the ``FOLLOW_UP_WORDS``
    words before the question (``tokens[start]``)."""
    first = max(0, start - FOLLOW_UP_WORDS)
    before = " " + " ".join(t.text.lower() for t in tokens[first:start])
    return [kind for kind, follow in follow_ups.items()
            if any(cue in question for cue in follow)
            and (any(f" {cue}" in before for cue in cues.get(kind, ()))
                 or any(s.entity_type == kind and tokens[first].start < s.char_end <= tokens[start].start
                        for s in found))]


def unanswered(text: str, language: str, found: list[PiiSpan],
               channels: list[int] | None = None, times_s: list[tuple[float, float]] | None = None) -> list[PiiSpan]:
    """Answers to questions for personal data in which nothing of the asked-for kind was found.

    ``times_s`` (start and end of each whitespace token): when the words after a question start only after
    ``SKIPPED_ANSWER_S`` of silence in the transcript and read as ordinary talk, Whisper skipped the answer
    (the unheard-speech rule redacts that stretch) and those words are the conversation going on.

    ``channels`` (one per whitespace token, from a stereo call's dialogue transcript): the answer is
    the other side's words after the question, and ends when the asking side speaks again. There a
    sentence that starts with a question opener ("Wie", "What") and ends where the other side starts
    talking is a question too: ASR often writes no "?" when the asker trails off into the next one; so is
    a turn whose last words hold a cue for personal data and that has a question opener anywhere in it
    (ASR's run-on lower-case agent: "können wir ihren nachnamen Buchstabieren wie").

    >>> text = "Wie ist Ihre E-Mail-Adresse? Gertpunkt Wilmsenart, Beispielpunkt D .E. Und Ihr Geburtsdatum?"
    >>> [(s.entity_type, text[s.char_start:s.char_end]) for s in unanswered(text, "de", [])]
    [('EMAIL_ADDRESS', 'Gertpunkt Wilmsenart, Beispielpunkt D .E')]
    >>> unanswered("Ihre Nummer? 0151 2345", "de", [PiiSpan(13, 22, "PHONE_NUMBER", 0.6, "r")])
    []
    """
    language = rules_language(language)
    lex = lexicon(language)
    tokens = tokenize(text)
    openers = lex.question_openers | lex.inner_openers  # a question starts where ASR wrote no period
    out = []
    sentence_start = 0
    for i, token in enumerate(tokens):
        turn_ends = channels is not None and i + 1 < len(tokens) and channels[i + 1] != channels[i]
        opener = tokens[sentence_start].text.lower() if sentence_start < len(tokens) else ""
        asks = turn_ends and (opener in lex.question_openers
                              or _asks_at_turn_end(tokens, sentence_start, i, lex.question_openers, lex.questions))
        asks = asks or (token.ends_sentence and (_requests(tokens, sentence_start, i, lex.requests, lex.listener)
                                                 or _polite(tokens, sentence_start, i, lex.polite, lex.listener)))
        if not (token.raw.endswith("?") or asks):
            if token.ends_sentence or turn_ends:
                sentence_start = i + 1
            continue
        question_start = sentence_start
        question = " ".join(t.text.lower() for t in tokens[sentence_start : i + 1])
        sentence_start = i + 1
        asked = [entity for entity, cues in lex.questions.items() if any(_cue_in(cue, question) for cue in cues)]
        if question.startswith(lex.time_questions):  # "Ab wann gilt die neue Adresse?": a date, not an address
            asked = [entity for entity in asked if entity not in NEVER_A_TIME]
        asked = asked or _follows_up(question, tokens, question_start, found, lex.follow_ups, lex.questions)
        if not asked or i + 1 >= len(tokens):
            continue
        first = i + 1
        if channels is not None:
            while first < len(tokens) and channels[first] == channels[i]:
                first += 1  # the agent's own words after the question are not the answer
            if first >= len(tokens):
                continue
        if times_s is not None and times_s[first][0] - times_s[i][1] >= SKIPPED_ANSWER_S \
                and _conversation(tokens, first, found, language, channels):
            continue
        last = first
        sentences_left = MAX_SENTENCES.get(asked[0], DEFAULT_MAX_SENTENCES)
        max_words = lex.max_answer_words * MAX_WORDS_FACTOR.get(asked[0], 1)
        while last + 1 < len(tokens) and last + 1 - first < max_words:
            if tokens[last].ends_sentence:
                sentences_left -= 1
                if not sentences_left or _conversation(tokens, last + 1, found, language, channels):
                    break
            if channels is not None and channels[last + 1] == channels[i] \
                    and not _stretched(tokens[last + 1], times_s[last + 1] if times_s else None):
                break  # the asking side speaks again (not a word Whisper stretched over the answer)
            if tokens[last + 1].raw.endswith("?"):
                ends = [k for k in range(first, last + 1) if tokens[k].ends_sentence]
                # the answer's first sentence ending in "?" is the answer (ASR's "… Gehermix -Punkt -Kohm?"), up
                # to a capitalized opener, where ASR dropped the period ("… holletfastmail .net Is there …?")
                last = ends[-1] if ends else _before_opener(tokens, first, last + 1, openers)
                break
            last += 1
        last = _end_at_evidence(tokens, first, last, found, asked, openers, lex.listener)
        if asked[0] in TAIL_WORDS:
            holding = [k for k in range(first, last + 1)
                       if any(s.char_start < tokens[k].end and tokens[k].start < s.char_end for s in found)]
            if holding:
                last = min(last, holding[-1] + TAIL_WORDS[asked[0]])
        if asked[0] in UNTRIMMED:
            first = _after_phrase(tokens, first, last, lex.answer_phrase_lead_in)
            last = _before_acknowledgement(tokens, first, last, lex.acknowledgements)
        else:
            first, last = _trim(tokens, first, last, lex.answer_lead_in, lex.answer_closing,
                                [cue for entity in asked for cue in lex.questions[entity]])
        if first > last:
            continue
        start, end = tokens[first].start, tokens[last].end
        inside = {s.entity_type for s in found if s.char_start < end and start < s.char_end}
        secret = any(word in question for word in lex.secret_words)
        if not inside and not secret and _refused(tokens, first, last, lex):
            continue  # "Nein danke, lieber per Post", "I'd rather not": no data given
        # "E-Mail-Adresse?" asks for an e-mail (listed first), not a postal address: any asked kind found is enough
        whole = asked[0] in ALWAYS_WHOLE or secret
        if whole or not any(inside & SATISFIED_BY.get(entity, {entity}) for entity in asked):
            out.append(PiiSpan(start, end, asked[0], SCORE, "AnswerToQuestion"))
    return out


REFUSAL_WORDS = 4  # a refusal's phrase starts within the first words of the answer


def _refused(tokens: list[Token], first: int, last: int, lex: Lexicon) -> bool:
    """An answer that refuses the data ("Nein danke, ich will das lieber per Post", "I'd rather not"): one of
    the lexicon's ``questions.refusals`` within its first words, no digit in it and no name said after all
    ("I'd rather not, but it's Oyelaran": in English any capitalized word but "I" inside a sentence, in German,
    which capitalizes its nouns, a name of the lists that is no ordinary word: not "Post")."""
    from anonymizer.detect.gazetteer import gazetteer

    if any(ch.isdigit() for t in tokens[first : last + 1] for ch in t.text):
        return False
    names = gazetteer(lex.language)
    for k in range(first + 1, last + 1):
        word = tokens[k].text.strip(",.;:!?'")
        if word[:1].isupper() and not tokens[k - 1].ends_sentence and word not in ("I", "I'm", "I'd", "I'll") \
                and (lex.language != "de" or names.is_name(word) and word not in names.ordinary):
            return False
    refusals = lex.refusals
    opening = " " + " ".join(t.text.lower().strip(",.;:!?") for t in tokens[first : first + REFUSAL_WORDS + 2]) + " "
    return any(f" {r} " in opening for r in refusals)
