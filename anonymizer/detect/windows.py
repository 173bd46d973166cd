"""Detection over a long transcript in overlapping windows of words, so that memory stays flat.

Each window is a stretch of the transcript's own text (words are joined by one space), so a finding's
characters move back by the window's start. Windows overlap by ``overlap_words``: an item or a question
and its answer shorter than that lies whole in one of them, and the findings of all windows are joined.
A transcript of up to ``window_words`` words is one window: exactly ``detector.detect``.
"""

from __future__ import annotations

import dataclasses

from anonymizer.detect import Detector
from anonymizer.types import PiiSpan, Transcript


def detect_windowed(detector: Detector, transcript: Transcript, window_words: int = 2000,
                    overlap_words: int = 200) -> list[PiiSpan]:
    """``detector.detect`` over windows of ``transcript``; every finding once, in the transcript's characters.

    >>> class Digits:
    ...     def detect(self, t):
    ...         return [PiiSpan(w.char_start, w.char_end, "N", 1.0, "d") for w in t.words if w.text.isdigit()]
    >>> t = Transcript.from_words([(w, i, i + 1, 1.0) for i, w in enumerate("a 1 b 2 c 3".split())], "en")
    >>> [t.text[s.char_start : s.char_end] for s in detect_windowed(Digits(), t, 3, 1)]
    ['1', '2', '3']
    """
    words = transcript.words
    if len(words) <= window_words:
        return detector.detect(transcript)
    step = max(1, window_words - overlap_words)
    seen: set[tuple[int, int, str, str]] = set()
    found: list[PiiSpan] = []
    for first in range(0, len(words), step):
        chosen = words[first : first + window_words]
        shift = chosen[0].char_start
        window = Transcript(transcript.text[shift : chosen[-1].char_end],
                            tuple(dataclasses.replace(w, char_start=w.char_start - shift, char_end=w.char_end - shift)
                                  for w in chosen),
                            transcript.language, transcript.language_probability)
        for span in detector.detect(window):
            moved = dataclasses.replace(span, char_start=span.char_start + shift, char_end=span.char_end + shift)
            key = (moved.char_start, moved.char_end, moved.entity_type, moved.recognizer)
            if key not in seen:
                seen.add(key)
                found.append(moved)
        if first + window_words >= len(words):
            break
    return sorted(found, key=lambda s: (s.char_start, s.char_end))
