"""A reference transcript for real speech that has none: the consensus of several hearings of the original.

Whisper's transcript of an utterance moves whenever its samples change at all (white noise at -80 dBFS,
which nobody hears, moves 2-3 % of the words of LibriSpeech test-other). Measured against the original's
own transcript, every processing seems to cost those words and the original seems perfect. Here the
reference of an utterance is the medoid of several hearings of the original, each with its own inaudible
noise: the hearing that differs least, word by word, from the others. The original's clean transcript is
not among them, so it is scored against the reference like any processed version, and what a voice level
costs is its error against the reference minus the original's.

>>> consensus([["a b c", "x y"], ["a b d", "x y"], ["a b c", "x z"]])
['a b c', 'x y']
>>> [round(x, 1) for x in errors(["a b c"], ["a c"])]
[33.3, 33.3]
"""

from __future__ import annotations

from collections import Counter

HEARINGS = 5  # noise draws of the original whose medoid is the reference


def word_distance(a: list[str], b: list[str]) -> int:
    """Word-level edit distance (substitutions, insertions, deletions)."""
    previous = list(range(len(b) + 1))
    for i, word in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other)))
        previous = current
    return previous[-1]


def medoid(hearings: list[str]) -> str:
    """The hearing with the smallest summed word distance to all the others (the first of equals)."""
    words = [h.split() for h in hearings]
    best = min(range(len(words)), key=lambda i: (sum(word_distance(words[i], w) for w in words), i))
    return hearings[best]


def consensus(hearings_per_draw: list[list[str]]) -> list[str]:
    """Per utterance, the medoid of its hearings (``hearings_per_draw[draw][utterance]``)."""
    return [medoid(list(column)) for column in zip(*hearings_per_draw, strict=True)]


def errors(references: list[str], hypotheses: list[str]) -> tuple[float, float]:
    """Word error rate and the share of the references' words (as a bag per utterance) missing, in %."""
    total = distance = lost = 0
    for reference, hypothesis in zip(references, hypotheses, strict=True):
        ref, hyp = reference.split(), hypothesis.split()
        total += len(ref)
        distance += word_distance(ref, hyp)
        lost += sum((Counter(ref) - Counter(hyp)).values())
    return 100 * distance / max(1, total), 100 * lost / max(1, total)
