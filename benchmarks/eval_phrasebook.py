"""Detection on hand-written call snippets nobody wrote a rule against: text only, no audio.

The two corpus generators (``make_privacy_corpus.py``, ``make_calls_v2.py``) each have their own phrasings,
and rules found on one transfer little to the other. ``benchmarks/phrasebook/`` holds snippets written
separately, by a helper that did not read the detector's code or lexicons (2026-12-05): as Whisper would
write calls — numbers in digits and words, disfluencies, corrections, data volunteered unasked, items split
across turns, read-backs, spellings, ASR slips — with every piece of personal data and every harmless
number, product, tariff, company and place marked as an exact substring. ``tune.jsonl`` may be read and
tuned on; ``heldout.jsonl`` is scored in aggregate only (``--show`` refuses it). A second round (2026-12-05,
another helper that read neither the code nor the first round: new dialogue structures — outbound calls,
voicemails, third parties, reading from letters and IVR prompts, corrections, refusals and example numbers,
look-alike places, companies and security answers, device models and error codes kept too) is
``tune2.jsonl`` / ``heldout2.jsonl``, 120 snippets each, split per language by a seeded draw (seed 2612).

Per language and split it prints the PII items covered (≥ 90 % of their letters and digits inside a
finding), partly covered and missed, per label; the harmless items kept (< 50 % inside a finding), per
category; and the share of the other words found (text over-redaction). The detector is the pipeline's
(``Detector.detect``, default settings); the transcript has one word per token, evenly timed.

Run: ``python benchmarks/eval_phrasebook.py --split tune --show`` (``--split heldout`` for the held-back file).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from anonymizer.config import load_config  # noqa: E402
from anonymizer.detect.engine import Detector, PresidioDetector  # noqa: E402
from anonymizer.types import Transcript  # noqa: E402

HERE = Path(__file__).resolve().parent / "phrasebook"
COVERED = 0.9  # share of an item's letters and digits inside findings
KEPT = 0.5  # a harmless item with less than this inside findings is kept


def occurrences(text: str, part: str) -> list[tuple[int, int]]:
    """Every place ``part`` stands in ``text``.

    >>> occurrences("ab ab", "ab")
    [(0, 2), (3, 5)]
    """
    out, start = [], text.find(part)
    while start >= 0:
        out.append((start, start + len(part)))
        start = text.find(part, start + 1)
    return out


def inside(text: str, span: tuple[int, int], found: list[bool]) -> float:
    """The share of the letters and digits of ``text[span]`` inside a finding (``found``: per character)."""
    chars = [k for k in range(*span) if text[k].isalnum()]
    return sum(found[k] for k in chars) / len(chars) if chars else 1.0


def transcript_of(text: str, language: str) -> Transcript:
    words = [(" " + w, i * 0.4, i * 0.4 + 0.35, 0.9) for i, w in enumerate(text.split())]
    return Transcript.from_words(words, language)


def score(snippet: dict, detector: Detector) -> dict:
    transcript = transcript_of(snippet["text"], snippet["language"])
    text = transcript.text
    found = [False] * len(text)
    spans = detector.detect(transcript)
    for s in spans:
        for k in range(s.char_start, s.char_end):
            found[k] = True
    pii = [(item["label"], item["text"], inside(text, where, found))
           for item in snippet["pii"] for where in occurrences(text, item["text"])]
    keep = [(item["category"], item["text"], inside(text, where, found))
            for item in snippet["keep"] for where in occurrences(text, item["text"])]
    in_pii = [False] * len(text)
    for item in snippet["pii"]:
        for a, b in occurrences(text, item["text"]):
            for k in range(a, b):
                in_pii[k] = True
    other = [(t.start, t.end) for t in _tokens(text) if not any(in_pii[t.start:t.end])]
    other_found = sum(any(found[a:b]) for a, b in other)
    return {"pii": pii, "keep": keep, "other_words": len(other), "other_found": other_found,
            "findings": [(s.entity_type, s.recognizer, text[s.char_start:s.char_end]) for s in spans]}


def _tokens(text: str):
    from anonymizer.detect.tokens import tokenize

    return tokenize(text)


def report(name: str, results: list[dict]) -> None:
    pii = [p for r in results for p in r["pii"]]
    keep = [k for r in results for k in r["keep"]]
    if not pii and not keep:
        return
    covered = sum(share >= COVERED for _, _, share in pii)
    partly = sum(0 < share < COVERED for _, _, share in pii)
    kept = sum(share < KEPT for _, _, share in keep)
    words = sum(r["other_words"] for r in results)
    print(f"\n{name}: {len(results)} snippets — PII covered {covered}/{len(pii)} ({covered / max(1, len(pii)):.1%}), "
          f"partly {partly}, missed {len(pii) - covered - partly}; harmless kept {kept}/{len(keep)} "
          f"({kept / max(1, len(keep)):.1%}); other words found {sum(r['other_found'] for r in results)}/{words} "
          f"({sum(r['other_found'] for r in results) / max(1, words):.1%})")
    by_label: dict[str, Counter] = defaultdict(Counter)
    for label, _, share in pii:
        by_label[label]["n"] += 1
        by_label[label]["covered"] += share >= COVERED
    print("   PII:      " + ", ".join(f"{k} {v['covered']}/{v['n']}" for k, v in sorted(by_label.items())))
    by_category: dict[str, Counter] = defaultdict(Counter)
    for category, _, share in keep:
        by_category[category]["n"] += 1
        by_category[category]["kept"] += share < KEPT
    print("   harmless: " + ", ".join(f"{k} {v['kept']}/{v['n']}" for k, v in sorted(by_category.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "heldout", "tune2", "heldout2"), default="tune")
    parser.add_argument("--show", action="store_true", help="print each miss and each lost harmless item (tune only)")
    parser.add_argument("--file", type=Path, help="another snippet file (JSON lines) instead of the split's")
    args = parser.parse_args()
    if args.show and args.split.startswith("heldout") and args.file is None:
        parser.error("--show reads the held-back snippets one by one: tune on them and they are held back no longer")
    path = args.file or HERE / f"{args.split}.jsonl"
    snippets = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    detector = PresidioDetector(load_config(None, {}).detection)
    results = []
    for snippet in snippets:
        result = score(snippet, detector)
        results.append((snippet, result))
        if args.show:
            misses = [(label, text, share) for label, text, share in result["pii"] if share < COVERED]
            lost = [(category, text, share) for category, text, share in result["keep"] if share >= KEPT]
            if misses or lost:
                print(f"== {snippet['id']}: {snippet['text']}")
                for label, text, share in misses:
                    print(f"   MISSED {label} {text!r} ({share:.0%})")
                for category, text, share in lost:
                    print(f"   LOST {category} {text!r} ({share:.0%})")
                print(f"   findings: {result['findings']}")
    for language in ("de", "en", None):
        report(f"{args.split} {language or 'all'}",
               [r for s, r in results if language is None or s["language"] == language])


if __name__ == "__main__":
    main()
