"""Cut a kept analysis into utterances, each with the redacted transcript of exactly its audio.

An utterance is a run of one channel's words (a stereo call: each side on its own) split at pauses and
kept between ``MIN_SEGMENT_S`` and ``MAX_SEGMENT_S``. Its text is built by time: the words whose audio
is kept, and one ``[TYPE]`` placeholder for each redacted stretch of its audio — the words under it
(the run marked them) and a redaction with no words (unheard speech) alike. So a placeholder stands
exactly where the segment's audio has a tone, silence or noise, and a segment without a placeholder has
none.
"""

from __future__ import annotations

from dataclasses import dataclass

from anonymizer.analysis import Analysis, ChannelAnalysis
from anonymizer.spans import merge
from anonymizer.types import TimeSpan, Word

PAUSE_S = 0.6  # a pause this long ends an utterance
SENTENCE_PAUSE_S = 0.25  # … and this long after a sentence's end (a mono call's turns)
MIN_SEGMENT_S, MAX_SEGMENT_S = 1.0, 30.0
PAD_BEFORE_S, PAD_AFTER_S = 0.15, 0.3  # word timestamps start late and end early
MERGE_SHORT_GAP_S = 1.5  # a too-short utterance joins a neighbour this close
GENERIC = {"UNCERTAIN", "UNTRANSCRIBED_SPEECH"}


@dataclass(frozen=True)
class Piece:
    """A kept word (``entity`` None) or a redacted stretch (``entity`` its type, ``raw`` the words under it)."""

    start_s: float
    end_s: float
    text: str
    entity: str | None = None
    raw: str = ""  # personal data: only for surrogates, never written


@dataclass(frozen=True)
class Segment:
    channel: int | None
    start_s: float
    end_s: float
    pieces: tuple[Piece, ...]

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def redacted(self) -> bool:
        return any(p.entity is not None for p in self.pieces)

    @property
    def entities(self) -> tuple[str, ...]:
        return tuple(p.entity for p in self.pieces if p.entity is not None)


def rendered_on(plan: dict[int | None, list[TimeSpan]], channel: int | None) -> list[TimeSpan]:
    """The redacted stretches of ``channel``'s audio (a mono file's: every rendered span)."""
    if channel is None:
        return merge(s for spans in plan.values() for s in spans)
    return merge([*plan.get(None, []), *plan.get(channel, [])])


def segments(analysis: Analysis, plan: dict[int | None, list[TimeSpan]], duration_s: float,
             min_s: float = MIN_SEGMENT_S, max_s: float = MAX_SEGMENT_S) -> tuple[list[Segment], int]:
    """The utterances of every channel of ``analysis`` (marked: ``outputs.marked_analysis``), and how many
    were dropped for being shorter than ``min_s`` with no neighbour close enough to join."""
    out: list[Segment] = []
    too_short = 0
    for part in analysis.channels:
        found, short = _channel_segments(part, rendered_on(plan, part.channel), analysis, duration_s, min_s, max_s)
        out += found
        too_short += short
    return out, too_short


def whole_channels(analysis: Analysis, plan: dict[int | None, list[TimeSpan]], duration_s: float) -> list[Segment]:
    """One segment per channel over the whole file (``--segments file``)."""
    window = TimeSpan(0.0, duration_s)
    return [Segment(part.channel, 0.0, round(duration_s, 3),
                    _pieces(part, list(range(len(part.transcript.words))), rendered_on(plan, part.channel), window,
                            analysis))
            for part in analysis.channels]


def _channel_segments(part: ChannelAnalysis, redacted: list[TimeSpan], analysis: Analysis, duration_s: float,
                      min_s: float, max_s: float) -> tuple[list[Segment], int]:
    words = part.transcript.words
    groups: list[list[int]] = []
    for i, word in enumerate(words):
        previous = words[groups[-1][-1]] if groups else None
        gap = word.start_s - previous.end_s if previous is not None else 0.0
        ends = previous is not None and previous.text.rstrip().endswith((".", "?", "!"))
        inside = previous is not None and any(r.start_s <= previous.end_s and word.start_s <= r.end_s
                                              for r in redacted)  # never cut inside a redacted stretch
        if groups and (gap <= (SENTENCE_PAUSE_S if ends else PAUSE_S) or inside) \
                and word.end_s - words[groups[-1][0]].start_s <= max_s - PAD_BEFORE_S - PAD_AFTER_S:
            groups[-1].append(i)
        else:
            groups.append([i])
    # join too-short utterances to a close neighbour (if the result still fits)
    joined: list[list[int]] = []
    for group in groups:
        if joined:
            last = joined[-1]
            short = _span(words, group) < min_s or _span(words, last) < min_s
            gap = words[group[0]].start_s - words[last[-1]].end_s
            if short and gap <= MERGE_SHORT_GAP_S and words[group[-1]].end_s - words[last[0]].start_s \
                    <= max_s - PAD_BEFORE_S - PAD_AFTER_S:
                last.extend(group)
                continue
        joined.append(group)
    out, too_short = [], 0
    for n, group in enumerate(joined):
        # a segment may reach into a pause up to its middle (the neighbour has the other half)
        before = (words[joined[n - 1][-1]].end_s + words[group[0]].start_s) / 2 if n else 0.0
        after = (words[group[-1]].end_s + words[joined[n + 1][0]].start_s) / 2 if n + 1 < len(joined) else duration_s
        start = max(before, words[group[0]].start_s - PAD_BEFORE_S, 0.0)
        end = min(after, words[group[-1]].end_s + PAD_AFTER_S, duration_s)
        for span in redacted:  # a redaction over the edge: the segment takes it whole (when it is in the
            # segment's half of the pause, or over one of its words), or leaves it out
            own = any(span.start_s <= (words[i].start_s + words[i].end_s) / 2 <= span.end_s for i in group)
            if span.start_s < start < span.end_s:
                start = span.start_s if span.start_s >= before or own else span.end_s
            if span.start_s < end < span.end_s:
                end = span.end_s if span.end_s <= after or own else span.start_s
        if end - start < min_s:
            too_short += 1
            continue
        if end - start > max_s:
            end = start + max_s
        out.append(Segment(part.channel, round(start, 3), round(end, 3),
                           _pieces(part, group, redacted, TimeSpan(start, end), analysis)))
    return out, too_short


def _span(words: tuple[Word, ...], group: list[int]) -> float:
    return words[group[-1]].end_s - words[group[0]].start_s


def _pieces(part: ChannelAnalysis, group: list[int], redacted: list[TimeSpan], window: TimeSpan,
            analysis: Analysis) -> tuple[Piece, ...]:
    """The segment's words and placeholders in time order; words under one redacted stretch become one
    placeholder, and so do marked words next to each other of one type."""
    words = part.transcript.words
    stretches = [s & window for s in redacted if s.overlaps(window) and (s & window).duration_s > 0.02]
    pieces: list[Piece] = []
    used: set[int] = set()  # stretches already placed
    for i in group:
        word = words[i]
        mark = _mark_of(part, word.char_start, word.char_end)
        middle = (word.start_s + word.end_s) / 2
        under = next((k for k, s in enumerate(stretches) if s.start_s <= middle <= s.end_s), None)
        for k, stretch in enumerate(stretches):  # a stretch with no word: placed before the next word
            if k not in used and stretch.end_s <= word.start_s and k != under:
                pieces.append(Piece(stretch.start_s, stretch.end_s, "", _stretch_type(analysis, part, stretch)))
                used.add(k)
        if under is None and mark is None:
            pieces.append(Piece(word.start_s, word.end_s, word.text.strip()))
            continue
        entity = mark or _stretch_type(analysis, part, stretches[under])  # type: ignore[index]
        if under is not None:
            used.add(under)
        last = pieces[-1] if pieces else None
        if last is not None and last.entity == entity and (under is None or last.end_s >= stretches[under].start_s):
            pieces[-1] = Piece(last.start_s, max(last.end_s, word.end_s), "", entity,
                               f"{last.raw} {word.text.strip()}".strip())
        else:
            span = stretches[under] if under is not None else TimeSpan(word.start_s, word.end_s)
            pieces.append(Piece(span.start_s, max(span.end_s, word.end_s), "", entity, word.text.strip()))
    for k, stretch in enumerate(stretches):
        if k not in used and not any(p.entity and p.start_s <= stretch.start_s < p.end_s for p in pieces):
            pieces.append(Piece(stretch.start_s, stretch.end_s, "", _stretch_type(analysis, part, stretch)))
    return tuple(sorted(pieces, key=lambda p: p.start_s))


def _mark_of(part: ChannelAnalysis, char_start: int, char_end: int) -> str | None:
    """The type of the placeholder over these characters (the most specific mark), or None."""
    over = [m for m in part.marks if m.char_start < char_end and char_start < m.char_end]
    if not over:
        return None
    return max(over, key=lambda m: (m.entity_type not in GENERIC, m.char_end - m.char_start, m.score)).entity_type


def _stretch_type(analysis: Analysis, part: ChannelAnalysis, stretch: TimeSpan) -> str:
    types = [r.entity_type for r in analysis.redactions if r.span.overlaps(stretch)
             and (part.channel is None or r.channel in (None, part.channel))]
    types = types or [r.entity_type for r in analysis.redactions if r.span.overlaps(stretch)]
    specific = [t for t in types if t not in GENERIC]
    return (specific or types or ["REDACTED"])[0]
