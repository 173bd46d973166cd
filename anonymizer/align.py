"""Character spans -> the words they overlap -> padded time spans. Pure.

Word timestamps from faster-whisper end ~150 ms early on average (up to ~700 ms), so every span is
padded, grown to a minimum length, and clipped to the file.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anonymizer.spans import Intervals, ensure_min_duration, pad, snap_to_pauses
from anonymizer.types import PiiSpan, Redaction, TimeSpan, Transcript, Word

if TYPE_CHECKING:
    from anonymizer.config import RedactionConfig


@dataclass(frozen=True)
class AlignSettings:
    """How findings become time spans, in seconds. Built from the config (``from_config``): the config's
    ``redaction`` section is the one place of every default; a reach of 0 switches a rule off.

    ``pad_before_s``/``pad_after_s``: widen a finding's words; ``snap_max_s``: edges move outward to a
    pause at most this far (``extend_without_pause``: the whole way when none is in reach);
    ``sentence_end_reach_s``/``sentence_start_reach_s``: a finding at a sentence's end or start runs on
    to the gap after or before it (a pause of at least ``sentence_gap_min_s``); ``next_word_reach_s``: a
    finding's end runs on to the next word's start at most this far after it; ``min_duration_s``.
    """

    pad_before_s: float
    pad_after_s: float
    min_duration_s: float
    sentence_gap_min_s: float
    snap_max_s: float = 0.0  # 0: the rule is off (so are the reaches below)
    extend_without_pause: bool = False
    sentence_end_reach_s: float = 0.0
    sentence_start_reach_s: float = 0.0
    next_word_reach_s: float = 0.0

    @staticmethod
    def from_config(rc: RedactionConfig) -> AlignSettings:
        return AlignSettings(
            pad_before_s=rc.pad_before_ms / 1000, pad_after_s=rc.pad_after_ms / 1000,
            min_duration_s=rc.min_duration_ms / 1000, snap_max_s=rc.snap_max_ms / 1000,
            extend_without_pause=rc.snap_without_pause == "extend",
            sentence_end_reach_s=rc.sentence_end_reach_ms / 1000,
            sentence_start_reach_s=rc.sentence_start_reach_ms / 1000,
            sentence_gap_min_s=rc.sentence_gap_ms / 1000,
            next_word_reach_s=rc.next_word_reach_ms / 1000,
        )


def words_for_span(transcript: Transcript, span: PiiSpan) -> list[Word]:
    """Words whose characters overlap ``[span.char_start, span.char_end)``.

    >>> t = Transcript.from_words([(" call", 0.0, 0.3, 1.0), (" 0151", 0.4, 0.9, 1.0), (" now", 1.0, 1.2, 1.0)], "en")
    >>> [w.text for w in words_for_span(t, PiiSpan(5, 9, "NUMBER_SEQUENCE", 0.6, "r"))]
    ['0151']
    >>> [w.text for w in words_for_span(t, PiiSpan(3, 7, "X", 0.6, "r"))]  # partial overlap takes whole words
    ['call', '0151']
    """
    first, last = transcript.word_range(span.char_start, span.char_end)
    return list(transcript.words[first:last])


class _Index:
    """A transcript's words and a recording's pauses, searchable in O(log n): ``align`` looks up every
    finding's words and the pauses around it (a linear scan per finding made an hour-long call's
    alignment take seconds, and four hours' a minute)."""

    def __init__(self, transcript: Transcript, pauses: Sequence[TimeSpan]) -> None:
        self.transcript = transcript
        self.words = transcript.words
        self.by_start = sorted(range(len(self.words)), key=lambda k: self.words[k].start_s)
        self.starts = [self.words[k].start_s for k in self.by_start]
        self.pauses = Intervals(pauses)

    def words_of(self, span: PiiSpan) -> tuple[int, int]:
        """``words_for_span`` as the index range ``[first, last)``."""
        return self.transcript.word_range(span.char_start, span.char_end)

    def next_start_s(self, after_s: float, besides: int, default: float) -> float:
        """The earliest start at or after ``after_s`` of a word other than ``words[besides]``."""
        k = bisect_left(self.starts, after_s)
        while k < len(self.starts) and self.by_start[k] == besides:
            k += 1
        return self.starts[k] if k < len(self.starts) else default

    def pauses_around(self, low_s: float, high_s: float) -> list[TimeSpan]:
        """The pauses that overlap ``[low_s, high_s]``, in order of their starts."""
        return self.pauses.overlapping(low_s, high_s)


def to_first_speaker(transcript: Transcript, span: PiiSpan) -> PiiSpan:
    """``span`` of a dialogue transcript cut after the last word of the side its first word is on.

    Interleaving puts the other side's words inside a cue's rest: "geboren am 10. Juni 1943 unter" ran on
    over the agent's "Moment bitte, ich schau nach" (redacted on both channels). The time range still
    covers every word of the first side.

    >>> t = Transcript.from_words([(" am", 0.0, 0.2, 1.0), (" 1943", 0.3, 0.9, 1.0), (" Moment", 1.0, 1.4, 1.0),
    ...                            (" bitte", 1.4, 1.6, 1.0)], "de")
    >>> t = Transcript(t.text, tuple(dataclasses.replace(w, channel=c) for w, c in zip(t.words, [1, 1, 0, 0])), "de")
    >>> cut = to_first_speaker(t, PiiSpan(0, len(t.text), "DATE_OF_BIRTH", 0.6, "r"))
    >>> t.text[cut.char_start:cut.char_end]
    'am 1943'
    """
    words = words_for_span(transcript, span)
    if len({w.channel for w in words}) < 2:
        return span
    last = max(w.char_end for w in words if w.channel == words[0].channel)
    return dataclasses.replace(span, char_end=min(span.char_end, last))


def to_sentence_gap(span: TimeSpan, pauses: Sequence[TimeSpan], reach_s: float, gap_min_s: float,
                    next_word_s: float) -> TimeSpan:
    """``span`` with its end moved to the next pause of at least ``gap_min_s`` that starts within
    ``reach_s``, but not past ``next_word_s``; unchanged when there is none.

    >>> pauses = [TimeSpan(8.36, 8.66), TimeSpan(8.70, 13.0)]  # a 0.3 s gap inside "Connie Strong"
    >>> to_sentence_gap(TimeSpan(7.41, 8.36), pauses, 1.0, 0.4, next_word_s=8.83)
    TimeSpan(start_s=7.41, end_s=8.7)
    >>> to_sentence_gap(TimeSpan(7.41, 8.36), pauses, 1.0, 0.4, next_word_s=8.5).end_s  # the next word
    8.5
    >>> to_sentence_gap(TimeSpan(7.41, 8.36), pauses[:1], 1.0, 0.4, next_word_s=9.0).end_s  # no gap
    8.36
    """
    gaps = [p.start_s for p in pauses
            if p.duration_s >= gap_min_s and span.end_s <= p.start_s <= span.end_s + reach_s]
    if not gaps:
        return span
    return TimeSpan(span.start_s, max(span.end_s, min(min(gaps), next_word_s)))


def from_sentence_gap(span: TimeSpan, pauses: Sequence[TimeSpan], reach_s: float, gap_min_s: float,
                      previous_word_s: float) -> TimeSpan:
    """``span`` with its start moved back to the end of the last pause of at least ``gap_min_s`` that
    ends within ``reach_s`` before it, but not before ``previous_word_s``; unchanged when there is none.

    >>> pauses = [TimeSpan(118.1, 120.9)]  # the answer starts at 120.9; Whisper's first word at 121.5
    >>> from_sentence_gap(TimeSpan(121.35, 124.0), pauses, 1.0, 0.4, previous_word_s=120.4)
    TimeSpan(start_s=120.9, end_s=124.0)
    >>> from_sentence_gap(TimeSpan(121.35, 124.0), pauses, 1.0, 0.4, previous_word_s=121.0).start_s
    121.0
    >>> from_sentence_gap(TimeSpan(121.35, 124.0), pauses, 0.3, 0.4, previous_word_s=0.0).start_s  # out of reach
    121.35
    """
    gaps = [p.end_s for p in pauses
            if p.duration_s >= gap_min_s and span.start_s - reach_s <= p.end_s <= span.start_s]
    if not gaps:
        return span
    return TimeSpan(min(span.start_s, max(max(gaps), previous_word_s)), span.end_s)


# a number word this close to a stretch Whisper skipped is where the dictation began or ended
SKIP_NEIGHBOUR_S = 0.5
def stretched_over_silence(word: Word) -> bool:
    """Whether Whisper stretched ``word`` over a silence (``Word.stretched``): its times say nothing
    about where speech ends.

    >>> w = Transcript.from_words([(" unter", 55.39, 61.71, 0.7), (" Abschlagszahlung", 1.0, 2.9, 0.9)], "de").words
    >>> [stretched_over_silence(x) for x in w]
    [True, False]
    """
    return word.stretched


# a word this much longer than its letters take, touching a finding, may hold the finding's first sounds
SLOW_MIN_S = 0.6
SLOW_PER_LETTER_S = 0.15  # "Unter" over 0.94 s held a phone number's "null": about twice a word's pace
TOUCHING_S = 0.05


def start_inside_previous(previous: Word, first: Word, pauses: Sequence[TimeSpan],
                          gap_min_s: float) -> float | None:
    """Where a finding may really start when the word before it holds unheard speech, else None.

    Whisper glues a dictation's first sounds to the word before it: "D E acht neun" became part of a
    "meiner" that it had also stretched over the other side's question, and the IBAN's country code and
    check digits stayed audible. A word stretched over a silence (``stretched_over_silence``) holds
    speech from where the silence in it ends: the end of its longest pause of at least ``gap_min_s``
    (its start when there is none). A word that touches the finding and lasts longer than its letters
    take may hold the finding's start anywhere: its start.

    >>> w = Transcript.from_words([(" meiner", 43.86, 47.95, 0.7), (" .937", 47.95, 48.4, 0.6)], "de").words
    >>> start_inside_previous(w[0], w[1], [TimeSpan(44.2, 46.7)], 0.4)
    46.7
    >>> w = Transcript.from_words([(" ist", 47.0, 48.1, 0.7), (" .937", 48.1, 48.4, 0.6)], "de").words
    >>> start_inside_previous(w[0], w[1], [], 0.4)
    47.0
    >>> w = Transcript.from_words([(" ist", 47.0, 47.3, 0.9), (" 4711", 47.3, 48.0, 0.9)], "de").words
    >>> start_inside_previous(w[0], w[1], [], 0.4) is None
    True
    """
    if previous.channel != first.channel:
        return None
    if stretched_over_silence(previous):
        inside = [p for p in pauses if p.duration_s >= gap_min_s
                  and previous.start_s <= p.end_s <= first.start_s]
        return max(inside, key=lambda p: p.duration_s).end_s if inside else previous.start_s
    letters = sum(ch.isalpha() for ch in previous.text)
    slow = previous.end_s - previous.start_s > max(SLOW_MIN_S, SLOW_PER_LETTER_S * letters)
    if slow and first.start_s - previous.end_s <= TOUCHING_S:
        return previous.start_s
    return None


def widen_skipped(span: TimeSpan, transcript: Transcript, pauses: Sequence[TimeSpan],
                  settings: AlignSettings) -> TimeSpan:
    """A stretch Whisper skipped, widened: over a word with a digit right before or after it (Whisper
    gave up inside a dictation: "Ich bin geholfen an 19." and then nothing for "Februar 1941"), then
    to the sentence gaps around it — the words at its edges are the least reliable of all (after a
    skipped IBAN, "Ich" was timed 1.1 s early and the IBAN's last digits stayed audible). Never past
    the next word's end or before the previous word's start.

    >>> t = Transcript.from_words([(" Ebene?", 22.0, 23.0, 0.9), (" Ich", 31.3, 32.0, 0.9)], "de")
    >>> reach = AlignSettings(0.0, 0.0, 0.0, 0.4, sentence_end_reach_s=1.0, sentence_start_reach_s=1.0)
    >>> widen_skipped(TimeSpan(23.3, 31.0), t, [TimeSpan(31.94, 32.44)], reach)
    TimeSpan(start_s=23.3, end_s=31.94)
    >>> t = Transcript.from_words([(" an", 49.8, 50.1, 0.9), (" 19.", 50.1, 50.7, 0.8),
    ...                            (" Das", 54.5, 55.2, 0.2)], "de")
    >>> widen_skipped(TimeSpan(51.0, 54.6), t, [], reach)
    TimeSpan(start_s=50.1, end_s=54.6)
    """
    words = transcript.words
    previous = [w for w in words if w.end_s <= span.start_s]
    if previous and span.start_s - previous[-1].end_s <= SKIP_NEIGHBOUR_S and previous[-1].has_digit:
        span = TimeSpan(previous[-1].start_s, span.end_s)
    following = [w for w in words if w.start_s >= span.end_s]
    if following and following[0].start_s - span.end_s <= SKIP_NEIGHBOUR_S and following[0].has_digit:
        span = TimeSpan(span.start_s, following[0].end_s)
    before = max((w.start_s for w in words if w.start_s < span.start_s), default=0.0)
    after = min((w.end_s for w in words if w.end_s > span.end_s), default=float("inf"))
    end_reach_s, start_reach_s, gap_min_s = (settings.sentence_end_reach_s, settings.sentence_start_reach_s,
                                             settings.sentence_gap_min_s)
    widened = to_sentence_gap(span, pauses, end_reach_s, gap_min_s, after) if end_reach_s > 0 else span
    return from_sentence_gap(widened, pauses, start_reach_s, gap_min_s, before) if start_reach_s > 0 else widened


def to_next_word(span: TimeSpan, next_word_s: float, reach_s: float) -> TimeSpan:
    """``span`` ending at the next word's start when that is at most ``reach_s`` after its end: Whisper's word
    ends run early, and a pause the snap found in between may be a quiet consonant of the finding ("Thompson",
    "sechzehn": their last sounds audible); what lies up to the next word is the finding's tail or silence.

    >>> to_next_word(TimeSpan(5.5, 6.49), 6.7, 0.3), to_next_word(TimeSpan(5.5, 6.49), 6.9, 0.3).end_s
    (TimeSpan(start_s=5.5, end_s=6.7), 6.49)
    """
    if span.end_s < next_word_s <= span.end_s + reach_s:
        return TimeSpan(span.start_s, next_word_s)
    return span


def within_file(span: TimeSpan, min_s: float, duration_s: float) -> TimeSpan | None:
    """``span`` inside ``[0, duration_s]``, still ``min_s`` long where the file allows: a finding at the
    file's edge (or timed past its end) keeps its length inside the file instead of shrinking to nothing.

    >>> within_file(TimeSpan(9.9, 10.5), 0.3, 10.0), within_file(TimeSpan(10.0, 10.0), 0.3, 10.0)
    (TimeSpan(start_s=9.7, end_s=10.0), TimeSpan(start_s=9.7, end_s=10.0))
    >>> within_file(TimeSpan(-0.2, 0.1), 0.3, 10.0)
    TimeSpan(start_s=0.0, end_s=0.3)
    """
    start_s = max(0.0, min(span.start_s, duration_s - min_s))
    end_s = min(duration_s, max(span.end_s, start_s + min_s))
    return TimeSpan(start_s, end_s) if end_s > start_s else None


def time_span_of(words: list[Word]) -> TimeSpan:
    return TimeSpan(min(w.start_s for w in words), max(w.end_s for w in words))


def align(transcript: Transcript, spans: Sequence[PiiSpan], duration_s: float, settings: AlignSettings,
          pauses: Sequence[TimeSpan] = ()) -> list[Redaction]:
    """One ``Redaction`` per detected span: its words' time range, padded, snapped outward to the
    nearest pause (within ``settings.snap_max_s``), lengthened to ``min_duration_s``, clipped.

    A span whose last word ends a sentence ("… Davis.", "… 2651.") runs on to the gap after the
    sentence — the next pause of at least ``sentence_gap_min_s`` within ``sentence_end_reach_s``, never
    past the next word's start: Whisper's last word of a sentence is where its end time is least
    reliable (a dictated number's last digit, a surname it dropped, up to 0.8 s after the word's end).
    Likewise a span whose first word starts a sentence (the word before it ends one, or there is none)
    starts at the gap before the sentence — the end of the last such pause within
    ``sentence_start_reach_s``, never before the previous word's end: after a silence Whisper's first
    word often starts late (an answer's "leonore" 0.6 s before its first word, audible). So does a span
    followed by a word Whisper stretched over a silence (``stretched_over_silence``: "1951" ended 0.7 s
    early, and the next word, "unter", ran 6.3 s), up to that word's end. A span after a word that may
    hold its first sounds starts inside that word (``start_inside_previous``).

    Spans that overlap no word (should not happen) are dropped; overlapping redactions are kept
    apart here so the report can list each finding — rendering merges them.

    >>> t = Transcript.from_words([(" Anna", 1.0, 1.4, 0.9)], "en")
    >>> settings = AlignSettings(pad_before_s=0.25, pad_after_s=0.25, min_duration_s=0.3, sentence_gap_min_s=0.4)
    >>> [(r.start_s, r.end_s, r.entity_type) for r in align(t, [PiiSpan(0, 4, "PERSON", 0.8, "r")], 2.0, settings)]
    [(0.75, 1.65, 'PERSON')]
    """
    redactions = []
    index_of = _Index(transcript, pauses)
    reach_s = settings.snap_max_s + max(settings.pad_before_s, settings.pad_after_s) + max(
        settings.sentence_end_reach_s, settings.sentence_start_reach_s) + 1.0
    for span in spans:
        first, last = index_of.words_of(span)
        words = list(transcript.words[first:last])
        if not words:
            continue
        index = first
        before = transcript.words[index - 1] if index > 0 else None
        after = transcript.words[last] if last < len(transcript.words) else None
        # every pause a rule below may look at: from the word before (a stretched one holds the finding's
        # start) to the rules' reach after the finding
        pauses = index_of.pauses_around(min(min(w.start_s for w in words), before.start_s if before else 0.0) - reach_s,
                                        max(w.end_s for w in words) + reach_s)
        padded = pad(time_span_of(words), settings.pad_before_s, settings.pad_after_s)
        span_s = padded
        if settings.snap_max_s > 0:
            # the start snaps back to a pause, never across the word before (Whisper timed "Deborah" early,
            # and the snap reached the pause before "My name is": all three were bleeped); the end keeps
            # its full reach — word ends run early, and the next word is often timed into the finding
            previous_end_s = before.end_s if before is not None else 0.0
            span_s = snap_to_pauses(span_s, pauses, settings.snap_max_s, settings.extend_without_pause)
            span_s = TimeSpan(max(span_s.start_s, min(padded.start_s, previous_end_s)), span_s.end_s)
        if before is not None and (inside_s := start_inside_previous(before, words[0], pauses,
                                                                      settings.sentence_gap_min_s)) is not None:
            span_s = TimeSpan(min(span_s.start_s, inside_s), span_s.end_s)
        stretched = after is not None and stretched_over_silence(after)
        if settings.sentence_end_reach_s > 0 and (words[-1].text.rstrip().endswith((".", "?", "!")) or stretched):
            # a word stretched over a silence starts where nothing tells where: only its end is a limit
            limit_s = after.end_s if after is not None and stretched else index_of.next_start_s(
                words[-1].end_s, last - 1, duration_s)
            span_s = to_sentence_gap(span_s, pauses, settings.sentence_end_reach_s, settings.sentence_gap_min_s,
                                     limit_s)
        if settings.sentence_start_reach_s > 0 and (before is None or before.text.rstrip().endswith((".", "?", "!"))):
            span_s = from_sentence_gap(span_s, pauses, settings.sentence_start_reach_s, settings.sentence_gap_min_s,
                                       before.end_s if before is not None else 0.0)
        if settings.next_word_reach_s > 0:
            span_s = to_next_word(span_s, index_of.next_start_s(words[-1].end_s, last - 1, duration_s),
                                  settings.next_word_reach_s)
        clipped = within_file(ensure_min_duration(span_s, settings.min_duration_s), settings.min_duration_s,
                              duration_s)
        if clipped is None:
            continue
        # rounded to the millisecond, never past the file's end
        redactions.append(Redaction(round(clipped.start_s, 3), min(round(clipped.end_s, 3), duration_s),
                                    span.entity_type, span.score, span.recognizer, span.char_start, span.char_end))
    return sorted(redactions, key=lambda r: (r.start_s, r.end_s))
