"""How names look in one-line console messages."""

from __future__ import annotations

from pathlib import Path


def shown(path: str | Path) -> str:
    """``path`` as one printable line: control characters (a newline in a file name could fake a line of
    output) are escaped the way Python writes them; anything else is left as it is.

    >>> shown("calls/a.wav"), shown("evil\\nok: x.wav"), shown("tab\\there")
    ('calls/a.wav', 'evil\\\\nok: x.wav', 'tab\\\\there')
    """
    text = str(path)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
