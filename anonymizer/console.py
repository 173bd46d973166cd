"""How names look in one-line console messages."""

from __future__ import annotations

import traceback
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


def describe_bug(exc: BaseException) -> str:
    """An unexpected exception as a line without its message: a message may quote a transcript (a
    ``KeyError`` of a word), and this line goes to the console, the summary and the audit log.

    >>> try:
    ...     {}["Anna"]
    ... except KeyError as exc:
    ...     print(describe_bug(exc))
    KeyError at <doctest anonymizer.console.describe_bug[0]>:2 (a bug; please report it with this line)
    """
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/anonymizer/" in f.filename.replace("\\", "/")] or frames
    where = ""
    if ours:
        frame = ours[-1]
        name = frame.filename.replace("\\", "/")
        name = name[name.rindex("/anonymizer/") + 1 :] if "/anonymizer/" in name else name
        where = f" at {name}:{frame.lineno}"
    return f"{type(exc).__name__}{where} (a bug; please report it with this line)"
