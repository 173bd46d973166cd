"""Whitespace tokens with character offsets: the unit our rule recognizers work on."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"\S+")
_EDGE_PUNCT = "\"'„“”‚‘’()[]{}<>«»!?;:"


@dataclass(frozen=True)
class Token:
    """``text`` without surrounding quotes/brackets/sentence punctuation; offsets of that core."""

    text: str
    start: int
    end: int
    raw: str  # the token as written, with punctuation

    @property
    def ends_sentence(self) -> bool:
        return self.raw.rstrip("\"'”’)").endswith((".", "?", "!"))


def sentence_first(tokens: Sequence[Token], index: int) -> int:
    """The index of the first token of the sentence ``tokens[index]`` is in.

    >>> sentence_first(tokenize("am drei. Die Zahlung ist da. Gut"), 4)
    2
    """
    while index > 0 and not tokens[index - 1].ends_sentence:
        index -= 1
    return index


def sentence_last(tokens: Sequence[Token], first: int) -> int:
    """The index of the last token of the sentence starting at ``first`` (or of the text).

    >>> sentence_last(tokenize("am drei. Die Zahlung ist da. Gut"), 2)
    5
    """
    last = first
    while last < len(tokens) - 1 and not tokens[last].ends_sentence:
        last += 1
    return last


def tokenize(text: str) -> list[Token]:
    """Split on whitespace; strip edge punctuation (keep inner dots, dashes, @).

    >>> [t.text for t in tokenize('Hi, "Anna"! 0151-23.')]
    ['Hi', 'Anna', '0151-23']
    """
    tokens = []
    for match in _TOKEN.finditer(text):
        raw = match.group()
        left = len(raw) - len(raw.lstrip(_EDGE_PUNCT))
        core = raw.strip(_EDGE_PUNCT).rstrip(".,")
        if not core:
            core, left = raw, 0
        start = match.start() + left
        tokens.append(Token(core, start, start + len(core), raw))
    return tokens
