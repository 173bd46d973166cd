"""The placeholder transcript as subtitles (SRT, WebVTT) or text, aligned with the anonymized audio.

Cues follow the speech: a new cue at a pause, a sentence end, a change of speaker, or when a cue grows
past ``MAX_CUE_S`` or ``MAX_CUE_CHARS``. Every word whose audio is redacted is a placeholder
(``[PERSON]``); no raw personal data is in a cue. A stereo call is one dialogue with the channel named
per cue ("Channel 1", "Channel 2").
"""

from __future__ import annotations

from dataclasses import dataclass

from anonymizer.analysis import Analysis, ChannelAnalysis
from anonymizer.report import placeholder_text

MAX_CUE_S = 6.0
MAX_CUE_CHARS = 84
PAUSE_S = 0.8
FORMATS = ("srt", "vtt", "txt")


@dataclass(frozen=True)
class Cue:
    start_s: float
    end_s: float
    speaker: str  # "" for a mono file
    text: str


def cues(analysis: Analysis) -> list[Cue]:
    """The placeholder transcript of the whole file (the dialogue of a stereo call) in cues."""
    part = analysis.main
    named = analysis.dialogue is not None
    words = part.transcript.words
    out: list[Cue] = []
    first = 0
    for i, word in enumerate(words):
        last = i == len(words) - 1
        nxt = words[i + 1] if not last else None
        split = last or nxt is None or (named and nxt.channel != word.channel) or nxt.start_s - word.end_s > PAUSE_S \
            or word.text.rstrip().endswith((".", "?", "!")) or nxt.end_s - words[first].start_s > MAX_CUE_S \
            or nxt.char_end - words[first].char_start > MAX_CUE_CHARS
        if split:
            out.append(_cue(part, first, i, f"Channel {word.channel + 1}" if named else ""))
            first = i + 1
    return out


def _cue(part: ChannelAnalysis, first: int, last: int, speaker: str) -> Cue:
    words = part.transcript.words
    start, end = words[first].char_start, words[last].char_end
    text = placeholder_text(part.transcript.text[start:end], list(part.marks), offset=start)
    return Cue(words[first].start_s, max(words[last].end_s, words[first].start_s + 0.2), speaker, text)


def _clock(time_s: float, separator: str) -> str:
    ms = int(round(time_s * 1000))
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{separator}{ms % 1000:03d}"


def render(analysis: Analysis, fmt: str) -> str:
    """The transcript in ``fmt`` (srt, vtt or txt).

    >>> from anonymizer.types import PiiSpan, Transcript
    >>> t = Transcript.from_words([(" Hi,", 0.5, 0.8, 1), (" Anna.", 0.9, 1.4, 1), (" Bye", 3.0, 3.3, 1)], "en")
    >>> a = Analysis(4.0, 1, (ChannelAnalysis(None, (), t, (), (), (PiiSpan(4, 9, "PERSON", 0.9, "r"),)),))
    >>> print(render(a, "srt"), end="")
    1
    00:00:00,500 --> 00:00:01,400
    Hi, [PERSON]
    <BLANKLINE>
    2
    00:00:03,000 --> 00:00:03,300
    Bye
    <BLANKLINE>
    """
    items = cues(analysis)
    if fmt == "srt":
        return "".join(f"{n}\n{_clock(c.start_s, ',')} --> {_clock(c.end_s, ',')}\n"
                       f"{f'{c.speaker}: ' if c.speaker else ''}{c.text}\n\n" for n, c in enumerate(items, 1))
    if fmt == "vtt":
        return "WEBVTT\n\n" + "".join(f"{_clock(c.start_s, '.')} --> {_clock(c.end_s, '.')}\n"
                                      f"{f'<v {c.speaker}>' if c.speaker else ''}{c.text}\n\n" for c in items)
    if fmt == "txt":
        return "".join(f"[{_clock(c.start_s, '.')[3:-2]}] {f'{c.speaker}: ' if c.speaker else ''}{c.text}\n"
                       for c in items)
    raise ValueError(f"unknown transcript format {fmt!r}; one of {', '.join(FORMATS)}")
