"""Fail closed where the transcript can't be trusted (``--redact-uncertain``). Pure.

Two kinds of doubt become redactions of their own:

- ``UNTRANSCRIBED_SPEECH``: VAD hears speech where the transcript has no words (Whisper skipped a
  stretch — often a mumbled number or a name it could not spell), or only words it was unsure of or
  wrote in a loop (``looped_words``). Such stretches of at least ``min_s`` are redacted.
- ``UNCERTAIN``: words Whisper was unsure of (probability below a threshold) right next to personal
  data, or inside a digit run of four or more digits: a misheard digit or name syllable is where a
  leak would hide (a lone "12 months" or "24 Euro" is no dictated number). Past an unsure neighbour
  the chain goes on through unsure words holding a digit: a number Whisper broke with a misheard word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from anonymizer.detect.digits import digit_runs
from anonymizer.detect.meaning import harmless
from anonymizer.spans import merge
from anonymizer.types import PiiSpan, Redaction, TimeSpan, Transcript, Word
from anonymizer.vad import frame_energy

WORD_MARGIN_S = 0.3
HEARD_MIN_PROBABILITY = 0.25  # a word Whisper is less sure of does not count as heard speech
UNCERTAIN_SCORE = 0.35
# a number this long may be a dictated one with a misheard digit (the number safety net's default length);
# "12 Monate", "24 Euro", "for 12 months" (read as 4-1-2: "for" is a digit homophone) are not
MIN_RUN_DIGITS = 4
# how many unsure digit words past an unsure neighbour of a finding still count as its number
MAX_CHAIN_WORDS = 3
# Whisper's decoder loops over speech it does not make out: "Barach, Barach, Barach, Barach" stood for a
# PIN, "time, time, time, time" for "five five five five", "Eh, eh, eh, eh" for a spelled name. A phrase
# of up to LOOP_MAX_WORDS words said LOOP_MIN_TIMES times in a row (one word: LOOP_MIN_TIMES_ONE_WORD) is
# no more heard than a guess; a person's "ja, ja, ja" or "no, no, no" is short of it (and of ``min_s``)
LOOP_MAX_WORDS = 8
LOOP_MIN_TIMES = 3
LOOP_MIN_TIMES_ONE_WORD = 4
_NOT_WORD = re.compile(r"[\W_]+")


def looped_words(words: Sequence[Word]) -> set[int]:
    """Indices of the words Whisper wrote in a loop (see ``LOOP_MIN_TIMES``).

    >>> t = Transcript.from_words([(w, i, i + 0.5, 0.9) for i, w in enumerate(
    ...     " PIN? Ah, Barach, Barach, barach, Barach! Danke.".split(" ")[1:])], "de")
    >>> sorted(looped_words(t.words))
    [2, 3, 4, 5]
    >>> looped_words(Transcript.from_words([(w, 0, 1, 0.9) for w in (" ja", " ja", " ja", " gut")], "de").words)
    set()
    """
    keys = [_NOT_WORD.sub("", w.text.lower()) for w in words]
    looped: set[int] = set()
    i = 0
    while i < len(keys):
        length = _loop_at(keys, i)
        looped.update(range(i, i + length))
        i += max(1, length)
    return looped


def _loop_at(keys: list[str], i: int) -> int:
    """How many words from ``i`` on repeat one phrase often enough to be a loop (0: none)."""
    for n in range(1, LOOP_MAX_WORDS + 1):
        phrase = keys[i : i + n]
        if len(phrase) < n or not all(phrase):
            return 0
        times = 1
        while keys[i + times * n : i + (times + 1) * n] == phrase:
            times += 1
        if times >= (LOOP_MIN_TIMES_ONE_WORD if n == 1 else LOOP_MIN_TIMES):
            return times * n
    return 0


def unheard_speech(transcript: Transcript, speech: list[TimeSpan], min_s: float,
                   margin_s: float = WORD_MARGIN_S, channel: int | None = None) -> list[Redaction]:
    """Stretches of ``speech`` at least ``min_s`` long with no word within ``margin_s`` — no word Whisper
    believed: one below ``HEARD_MIN_PROBABILITY`` is a guess over speech it did not make out (a "Hi," with
    probability 0.11 stood for "… Energy, this is Daniel Miller" and kept the name's onset audible), and
    so is a word of a loop (``looped_words``).

    >>> t = Transcript.from_words([(" hi", 1.0, 1.3, 0.9)], "en")
    >>> unheard_speech(t, [TimeSpan(0.8, 4.0)], min_s=1.0)
    [Redaction(start_s=1.6, end_s=4.0, entity_type='UNTRANSCRIBED_SPEECH', score=0.3, recognizer='unheard_speech', \
char_start=-1, char_end=-1, channel=None)]
    >>> [r.start_s for r in unheard_speech(Transcript.from_words([(" hi", 1.0, 1.3, 0.1)], "en"),
    ...                                    [TimeSpan(0.8, 4.0)], min_s=1.0)]
    [0.8]
    """
    looped = looped_words(transcript.words)
    heard = merge(TimeSpan(max(0.0, w.start_s - margin_s), w.end_s + margin_s)
                  for i, w in enumerate(transcript.words) if w.probability >= HEARD_MIN_PROBABILITY and i not in looped)
    out = []
    for region in speech:
        cursor = region.start_s
        for span in heard:
            if span.end_s <= cursor or span.start_s >= region.end_s:
                continue
            if span.start_s - cursor >= min_s:
                out.append(TimeSpan(cursor, span.start_s))
            cursor = max(cursor, span.end_s)
        if region.end_s - cursor >= min_s:
            out.append(TimeSpan(cursor, region.end_s))
    return [Redaction(round(s.start_s, 3), round(s.end_s, 3), "UNTRANSCRIBED_SPEECH", 0.3, "unheard_speech",
                      channel=channel) for s in out]


def uncertain_words(transcript: Transcript, pii: list[PiiSpan], threshold: float,
                    by_meaning: bool = True) -> list[PiiSpan]:
    """Low-probability words next to a finding (one word either side, and past an unsure one, unsure words
    holding a digit) or inside a digit run.

    >>> t = Transcript.from_words([(" Frau", 0, 1, 0.9), (" Anna", 1, 2, 0.9), (" Meyr", 2, 3, 0.2),
    ...                            (" hat", 3, 4, 0.3)], "de")
    >>> [t.text[s.char_start:s.char_end] for s in uncertain_words(t, [PiiSpan(5, 9, "PERSON", 0.5, "r")], 0.5)]
    ['Meyr']
    """
    words = transcript.words
    if not words:
        return []
    near: set[int] = set()

    def unsure(i: int) -> bool:
        return 0 <= i < len(words) and words[i].probability < threshold

    for span in pii:
        inside = range(*transcript.word_range(span.char_start, span.char_end))
        if not inside:
            continue
        for edge, step in ((inside[0] - 1, -1), (inside[-1] + 1, 1)):
            near.add(edge)
            # past an unsure neighbour, an unsure word with a digit is still the number ("2 times 48,749":
            # "zwei eins" misheard): the chain goes on while both hold
            k = edge
            while unsure(k) and unsure(k + step) and words[k + step].has_digit \
                    and abs(k + step - edge) <= MAX_CHAIN_WORDS:
                k += step
                near.add(k)
    tokens, runs = digit_runs(transcript.text, transcript.language)
    for run in runs:
        if len(run.digits) < MIN_RUN_DIGITS or (by_meaning and harmless(tokens, run, transcript.language)):
            continue
        near.update(range(*transcript.word_range(run.start, run.end)))
    return [PiiSpan(words[i].char_start, words[i].char_end, "UNCERTAIN", UNCERTAIN_SCORE, "uncertain_words")
            for i in sorted(near) if 0 <= i < len(words) and words[i].probability < threshold]


# an unheard stretch this much quieter than the transcribed words is the background (a call centre's
# chatter, a television), not the speaker's skipped words: a mumbled number is as loud as its neighbours
BACKGROUND_BELOW_DB = 12.0
FRAME_S = 0.02
QUIET_WORDS_PERCENTILE = 20


def foreground(stretches: list[Redaction], transcript: Transcript, mono_16k: np.ndarray,
               below_db: float = BACKGROUND_BELOW_DB) -> list[Redaction]:
    """The unheard stretches loud like the transcribed speech (their loud frames within ``below_db`` of
    the quieter words' level: the 20th percentile over words, so that a quiet speaker on a mono call still
    counts as speech); quieter ones are background speech VAD heard, Whisper rightly ignored.

    >>> import numpy as np
    >>> rate = 16000
    >>> loud, quiet = np.full(rate, 0.3, np.float32), np.full(rate, 0.01, np.float32)
    >>> t = Transcript.from_words([(" hi", 0.0, 1.0, 0.9)], "en")
    >>> stretches = [Redaction(1.0, 2.0, "UNTRANSCRIBED_SPEECH", 0.3, "u"), Redaction(2.0, 3.0, "U", 0.3, "u")]
    >>> [r.start_s for r in foreground(stretches, t, np.concatenate([loud, quiet, loud]))]
    [2.0]
    """
    if not stretches or not transcript.words:
        return stretches
    words = merge(TimeSpan(w.start_s, w.end_s) for w in transcript.words)
    speech_db = np.percentile([_loud_db(mono_16k, span) for span in words if span.duration_s >= FRAME_S],
                              QUIET_WORDS_PERCENTILE)
    return [r for r in stretches if _loud_db(mono_16k, r.span) >= speech_db - below_db]


def _loud_db(mono_16k: np.ndarray, span: TimeSpan, rate_hz: int = 16000) -> float:
    """The level of the loud part of ``span``: the 90th percentile of its 20 ms frames' energy, in dB."""
    segment = mono_16k[int(span.start_s * rate_hz) : int(span.end_s * rate_hz)]
    energy = frame_energy(segment, int(FRAME_S * rate_hz))
    if len(energy) == 0:
        return -120.0
    return float(10 * np.log10(np.percentile(energy, 90) + 1e-12))
