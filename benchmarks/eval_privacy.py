"""Privacy evaluation: does anything leak, and what does redaction cost? Prints one table per run.

On the synthetic corpus of ``make_privacy_corpus.py`` (generated if missing), with exact ground truth:

- text recall per entity type: an item counts as found when every word Whisper wrote for it lies
  inside a finding (any type) — a word is the item's when its time overlaps the item more than any
  other phrase of the call (``assign_words``); an item Whisper wrote no words for counts as found when
  its audio is 95 % redacted (the unheard-speech rule); precision: findings that overlap a true item;
- leaks (audio level): the item's value can be read again in a re-transcription of the output
  (same model, per channel) within 1 s of where it was said — a name's words, 5-digit windows of a
  number, a birth year, a street/city/postcode, the user part of an e-mail;
- over-redaction: redacted seconds ÷ PII seconds;
- retention: the original transcript's non-PII words found again in the output's transcript. The
  words lost are split by cause: "redacted" (the word's middle lies inside a rendered redaction: the
  audio is gone) and "ASR drift" (the word's audio is untouched — with ``--voice none`` bit-identical —
  but Whisper transcribes it differently next to a bleep; the output is transcribed with the pipeline's
  numerics — one BLAS thread — since another thread count alone changes 2-3 % of the words of the same
  audio). "audio retention" counts only the first
  cause: the share of non-PII words whose audio the output keeps. "ret. (right)" is retention over
  the words Whisper got right in the original (the word is in the text of the phrase it was said in):
  a word it misheard in the original is no word of the call, and hearing it differently again next
  to a bleep is noise, not a loss.

Then the real clips in ../shared/data/clips (when present): negative controls must keep their words.

``--oracle`` redacts the true items at their exact times instead (same method, same encoder): the
retention a perfect detector would get — the floor that ASR drift alone sets.

Run: ``python benchmarks/eval_privacy.py [--corpus DIR] [--calls 40] [--model base] [--voice none|default]
[--set redaction.method=silence]``.
``--voice none`` (the default here) measures redaction alone: leaks are easier to hear without the voice
transform, and the voice's own cost to recognition is measured by eval_voice.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from anonymizer import audio as audio_io  # noqa: E402
from anonymizer.analysis import ChannelAnalysis  # noqa: E402
from anonymizer.config import load_config  # noqa: E402
from anonymizer.detect.digits import digit_runs  # noqa: E402
from anonymizer.machine import math_kernels  # noqa: E402
from anonymizer.pipeline import Pipeline  # noqa: E402
from anonymizer.redact import spans_to_render  # noqa: E402
from anonymizer.render import render  # noqa: E402
from anonymizer.report import sha256_file  # noqa: E402
from anonymizer.spans import merge, total_duration_s  # noqa: E402
from anonymizer.transcribe import one_blas_thread  # noqa: E402
from anonymizer.types import Audio, Redaction, TimeSpan, Transcript, Word  # noqa: E402

HERE = Path(__file__).resolve().parent
CLIPS = HERE.parent.parent / "shared" / "data" / "clips"
WINDOW_S = 1.0
ITEM_SLACK_S = 0.15
TIMING_ERROR_S = 0.7
GENERIC = {"straße", "strasse", "weg", "allee", "platz", "gasse", "ring", "street", "road", "avenue", "lane", "drive"}
SKIP_ENTITIES = {"UNCERTAIN", "UNTRANSCRIBED_SPEECH"}


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def _digits(text: str, language: str) -> str:
    return "".join(run.digits for run in digit_runs(text, language)[1])


def leaked(item: dict, heard: str, language: str, call_words: set[str]) -> bool:
    """Whether ``heard`` (the output's words near the item) reveals the item's value."""
    label, value = item["label"], item["value"]
    heard_words, heard_digits = set(_words(heard)), _digits(heard, language)
    if label == "SPELLED_NAME":
        spelled = [w for w in _words(item["text"]) if len(w) > 1 and w not in call_words | {"wie", "as", "in"}]
        hits = sum(w in heard_words for w in spelled)
        return value.lower() in heard_words or (len(spelled) > 0 and hits >= max(2, len(spelled) // 2))
    if label == "DATE_OF_BIRTH":
        year = re.sub(r"\D", "", value)[:4]
        return len(year) == 4 and year in heard_digits
    if label == "PIN":  # a short code, house or flat number: its digits said again near where it was said
        digits = re.sub(r"\D", "", value)
        return len(digits) >= 2 and digits in heard_digits
    digits = re.sub(r"\D", "", value)
    if label in ("EMAIL_ADDRESS",):
        keys = {w for w in _words(value.split("@")[0]) if len(w) >= 3}
    else:
        keys = {w for w in _words(value) if len(w) >= 3 and w not in GENERIC}
    keys -= call_words  # a word the call also says elsewhere ("Berlin" in the greeting) proves nothing
    if label in ("PHONE_NUMBER", "CUSTOMER_ID", "IBAN_CODE", "CREDIT_CARD", "ADDRESS") and len(digits) >= 4:
        size = 5 if len(digits) >= 5 else 4
        grams = {digits[i : i + size] for i in range(len(digits) - size + 1)}
        if label == "ADDRESS":
            grams = {g for g in grams if len(digits) >= 5}  # the postcode; a house number alone is not enough
        if any(g in heard_digits for g in grams):
            return True
    return bool(keys & heard_words)


def window(transcript: Transcript, span: TimeSpan) -> str:
    return " ".join(w.text for w in transcript.words
                    if w.end_s >= span.start_s - WINDOW_S and w.start_s <= span.end_s + WINDOW_S)


def item_channel(truth: dict, item: dict, stereo: bool) -> int | None:
    if not stereo:
        return None
    return 0 if item["speaker"] == "agent" else 1


def _covered_words(analyses: list[ChannelAnalysis]) -> set[tuple[int | None, float]]:
    covered = set()
    for a in analyses:
        for span in a.pii:
            for w in a.transcript.words:
                if w.char_start < span.char_end and span.char_start < w.char_end:
                    covered.add((a.channel if a.channel is not None else w.channel if len(analyses) > 1 else None,
                                 w.start_s))
    return covered


def evaluate_call(pipeline: Pipeline, path: Path, out_dir: Path, captured: dict,
                  with_oracle: bool = False) -> tuple[dict, dict | None]:
    """Score the pipeline's output of ``path``; with ``with_oracle`` also a perfect detector's on the same call:
    the true items redacted at their exact times, rendered with the same voice chain and seed and encoded as the
    pipeline's output is (the retention floor that ASR drift and the voice leave)."""
    truth = json.loads(path.with_name(path.name.split(".")[0] + ".truth.json").read_text(encoding="utf-8"))
    result = pipeline.run(path, out_dir, overwrite=True)
    if result.status != "ok":
        raise RuntimeError(f"{path}: {result.error}")
    analyses: list[ChannelAnalysis] = captured.pop(path)
    call = score_call(pipeline, path, truth, analyses, audio_io.decode(result.output_path), result.redactions)
    if not with_oracle:
        return call, None
    rc = pipeline.config.redaction
    source = audio_io.decode(path)
    spans = merge(TimeSpan(i["start_s"], i["end_s"]) for i in truth["pii"])
    turns: tuple = ()
    speakers = pipeline.config.voice.speakers
    if source.n_channels == 1 and pipeline._voice_chain and speakers != "one":  # the same voices as the run
        from anonymizer.diarize import speaker_turns
        from anonymizer.stream import MemorySource

        turns = speaker_turns(MemorySource(source), analyses[0].speech, two=speakers == "two")
    exact = render(source, {None: spans}, rc.method, rc.fade_ms, rc.tone_hz, pipeline._voice_chain,
                   pipeline._voice_seed, sha256_file(path), turns=turns)
    oracle_path = Path(out_dir) / f"oracle{result.output_path.suffix}"
    audio_io.write_atomic(exact, oracle_path, audio_io.output_format_for(source, pipeline.config.output.format))
    redactions = tuple(Redaction(s.start_s, s.end_s, "ORACLE", 1.0, "truth") for s in spans)
    return call, score_call(pipeline, path, truth, analyses, audio_io.decode(oracle_path), redactions)


def score_call(pipeline: Pipeline, path: Path, truth: dict, analyses: list[ChannelAnalysis], output: Audio,
               redactions: tuple[Redaction, ...]) -> dict:
    """Items found/leaked, retention and distractors of one output of ``path`` with these ``redactions``."""
    language = truth["language"]
    stereo = truth["n_channels"] == 2 and len(analyses) > 1
    by_channel = {a.channel: a for a in analyses if a.channel is not None or not stereo}
    verifier = pipeline.verifier()
    with one_blas_thread():  # the pipeline's numerics: other BLAS threads alone change 2-3 % of the words
        heard = {c: verifier.transcribe(output.channel(c)) for c in by_channel}
    covered = _covered_words(analyses)
    call_words = {w for p in truth["phrases"] for w in _words(p["text"])}
    owner = {channel: assign_words(a.transcript.words, truth, channel, stereo) for channel, a in by_channel.items()}
    items = []
    for index, item in enumerate(truth["pii"]):
        channel = item_channel(truth, item, stereo)
        span = TimeSpan(item["start_s"], item["end_s"])
        words = [w for w, o in zip(by_channel[channel].transcript.words, owner[channel], strict=True)
                 if o == ("pii", index)]
        redacted = total_duration_s([r.span & span for r in redactions if r.span.overlaps(span)])
        # an item Whisper wrote no words for is found when the unheard-speech rule redacted its audio
        found = all((channel, w.start_s) in covered for w in words) if words else redacted >= 0.95 * span.duration_s
        items.append({"label": item["label"], "found": found, "transcribed": bool(words),
                      "missed_words": [w.text for w in words if (channel, w.start_s) not in covered],
                      "coverage": redacted / span.duration_s,
                      "leaked": leaked(item, window(heard[channel], span), language, call_words)})
    # precision: findings (per-channel and dialogue) that overlap a true item
    findings = []
    truth_spans = [TimeSpan(i["start_s"] - ITEM_SLACK_S, i["end_s"] + ITEM_SLACK_S) for i in truth["pii"]]
    for r in redactions:
        if r.entity_type in SKIP_ENTITIES:
            continue
        findings.append((r.entity_type, any(r.span.overlaps(t) for t in truth_spans)))
    # retention: non-PII words of the original transcript heard again in the output
    kept = total = audio_kept = kept_right = total_right = 0
    phrase_words = [set(_words(x["text"])) for x in truth["phrases"]]
    lost_by: Counter = Counter()  # non-PII words under a rendered redaction, by the redaction's type
    lost_words: list[str] = []
    rc = pipeline.config.redaction
    plan = spans_to_render(list(redactions), output.n_channels,
                           {a.channel: a.speech for a in analyses if a.channel is not None}, rc.all_channels,
                           rc.merge_gap_ms / 1000)
    for channel, analysis in by_channel.items():
        rendered = plan.get(None, []) + plan.get(channel, [])
        tokens: list[tuple[str, bool]] = []  # each non-PII word's letters, and whether its audio is kept
        right: list[str] = []  # those Whisper got right in the original: in the text of the phrase they are from
        for w, o in zip(analysis.transcript.words, owner[channel], strict=True):
            if o is not None and o[0] == "pii":
                continue
            outside = not _in_any(w, rendered)
            letters = _words(w.text)
            tokens += [(token, outside) for token in letters]
            if o is not None:
                right += [token for token in letters if token in phrase_words[o[1]]]
            if not outside:
                middle = (w.start_s + w.end_s) / 2
                cause = "+".join(sorted({r.entity_type for r in redactions
                                         if r.start_s <= middle <= r.end_s})) or "other channel"
                lost_by[cause] += len(letters)
                lost_words.append(f"{cause}:{w.text.strip()}@{w.start_s:.1f}")
        again = Counter(w.lower() for w in _words(heard[channel].text))
        counts = Counter(token for token, _ in tokens)
        total += len(tokens)
        kept += sum(min(n, again[w]) for w, n in counts.items())
        total_right += len(right)
        kept_right += sum(min(n, again[w]) for w, n in Counter(right).items())
        audio_kept += sum(outside for _, outside in tokens)
    distractors = []  # harmless numbers and names (corpus v2): heard again, and their audio kept
    for d in truth.get("distractors", []):
        channel = item_channel(truth, d, stereo)
        span = TimeSpan(d["start_s"], d["end_s"])
        rendered = plan.get(None, []) + plan.get(channel, [])
        under = total_duration_s([s & span for s in rendered if s.overlaps(span)])
        distractors.append({"category": d["category"], "audio_kept": under < 0.5 * span.duration_s,
                            "kept": heard_again(d["text"], window(heard[channel], span), language)})
    pii_s = total_duration_s(TimeSpan(i["start_s"], i["end_s"]) for i in truth["pii"])
    redacted_s = total_duration_s(r.span for r in redactions)
    over_by = over_redaction_by_cause(redactions, truth["pii"])
    return {"file": path.name, "language": language, "items": items, "findings": findings, "kept": kept,
            "total": total, "audio_kept": audio_kept, "kept_right": kept_right,
            "total_right": total_right, "pii_s": pii_s, "redacted_s": redacted_s, "stereo": stereo,
            "rate_hz": truth["sample_rate_hz"], "verify": None, "lost_by": dict(lost_by),
            "lost_words": lost_words, "distractors": distractors, "split": truth.get("split", "all"),
            "over_by": over_by}


def over_redaction_by_cause(redactions: tuple[Redaction, ...], pii: list[dict]) -> dict[str, float]:
    """Where the redacted seconds go: "item" (inside a true item: needed), "margin" (beside an item, in a
    redaction that reaches one: padding, snapping, a sentence's reach) and, for redactions that touch no
    item, their finding types ("false:PERSON", "false:UNCERTAIN+UNTRANSCRIBED_SPEECH"). The parts add up
    to the call's redacted seconds."""
    items = merge(TimeSpan(i["start_s"], i["end_s"]) for i in pii)
    out: Counter = Counter()
    for piece in merge(r.span for r in redactions):
        inside = total_duration_s([piece & i for i in items if piece.overlaps(i)])
        out["item"] += inside
        if inside > 0:
            out["margin"] += piece.duration_s - inside
        else:
            types = sorted({r.entity_type for r in redactions if r.span.overlaps(piece)}) or ["?"]
            out["false:" + "+".join(types)] += piece.duration_s
    return {k: round(v, 3) for k, v in out.items()}


def heard_again(text: str, heard: str, language: str) -> bool:
    """Whether a harmless phrase ("neununddreißig Euro neunundneunzig", "Fiber Max 500") is heard again: half
    of its words and all of its digits (however ASR writes them) are in ``heard``."""
    words = [w for w in _words(text) if len(w) > 1 and not _digits(w, language)]
    digits = _digits(text, language)
    heard_words, heard_digits = set(_words(heard)), _digits(heard, language)
    words_ok = not words or sum(w in heard_words for w in words) >= len(words) / 2
    return words_ok and (not digits or digits in heard_digits)


def assign_words(words: tuple[Word, ...] | list[Word], truth: dict, channel: int | None,
                 stereo: bool) -> list[tuple[str, int] | None]:
    """Which truth segment each transcript word is: ("pii", i), ("phrase", i) or None (nothing near).

    A word belongs to the segment (on its channel) its time overlaps most; a word between segments to
    the nearest one within ``ITEM_SLACK_S``. So "is" before a name stays the phrase's even though
    Whisper's timestamps run early, and a name's word stays the name's. Whisper's times are off by up
    to ``TIMING_ERROR_S``: a word whose text one segment within that reach holds (and the one its time
    overlaps does not) is that segment's — "Ich" timed into an IBAN is the next phrase's "Ich". Not a
    single letter: the "E" of "Meine E -Bahn ist" is in the IBAN "D E, …" too.
    """
    segments = [(("pii", i), x) for i, x in enumerate(truth["pii"])]
    segments += [(("phrase", i), x) for i, x in enumerate(truth["phrases"])]
    segments = [(key, x["start_s"], x["end_s"], set(_words(x["text"]))) for key, x in segments
                if not stereo or item_channel(truth, x, stereo) == channel]
    owners: list[tuple[str, int] | None] = []
    for w in words:
        overlap = max(segments, key=lambda seg: min(w.end_s, seg[2]) - max(w.start_s, seg[1]), default=None)
        if overlap is not None and min(w.end_s, overlap[2]) - max(w.start_s, overlap[1]) > 0:
            text = _words(w.text)
            # a single letter says too little about its segment ("E" of "E -Bahn" is also in the IBAN "D E, …")
            if text and not set(text) <= overlap[3] and sum(map(len, text)) > 1:
                holders = [seg for seg in segments if set(text) <= seg[3]
                           and seg[1] - TIMING_ERROR_S <= w.end_s and w.start_s <= seg[2] + TIMING_ERROR_S]
                if len(holders) == 1:
                    owners.append(holders[0][0])
                    continue
            owners.append(overlap[0])
            continue
        gap = min(segments, key=lambda seg: max(seg[1] - w.end_s, w.start_s - seg[2]), default=None)
        near = gap is not None and max(gap[1] - w.end_s, w.start_s - gap[2]) <= ITEM_SLACK_S
        owners.append(gap[0] if near else None)
    return owners


def _in_any(word: Word, spans: list[TimeSpan]) -> bool:
    return any(s.start_s <= (word.start_s + word.end_s) / 2 <= s.end_s for s in spans)


def evaluate_clip(pipeline: Pipeline, path: Path, out_dir: Path, captured: dict) -> dict:
    result = pipeline.run(path, out_dir, overwrite=True)
    analyses = captured.pop(path, [])
    if result.status != "ok":
        return {"file": path.name, "error": result.error}
    verifier = pipeline.verifier()
    with one_blas_thread():
        heard = verifier.transcribe(audio_io.decode(result.output_path))
    original = Counter(w for a in analyses[:1] for w in _words(a.transcript.text))
    again = Counter(_words(heard.text))
    total = sum(original.values())
    return {"file": f"{path.parent.name}/{path.name}", "redactions": len(result.redactions),
            "redacted_s": round(total_duration_s(r.span for r in result.redactions), 2),
            "types": sorted({r.entity_type for r in result.redactions}),
            "spans": [(r.start_s, r.end_s) for r in result.redactions],
            "retention": round(sum(min(n, again[w]) for w, n in original.items()) / total, 3) if total else 1.0}


def print_table(calls: list[dict]) -> dict:
    per_type: dict[str, Counter] = defaultdict(Counter)
    for call in calls:
        for item in call["items"]:
            c = per_type[item["label"]]
            c["items"] += 1
            c["found"] += item["found"]
            c["leaked"] += item["leaked"]
            c["covered"] += item["coverage"] >= 0.95
    precision: dict[str, Counter] = defaultdict(Counter)
    for call in calls:
        for entity, hit in call["findings"]:
            precision[entity]["n"] += 1
            precision[entity]["tp"] += hit
    print(f"\n{'entity (truth)':<16}{'items':>6}{'text recall':>13}{'covered>=95%':>14}{'leaked':>8}")
    for label, c in sorted(per_type.items()):
        print(f"{label:<16}{c['items']:>6}{c['found'] / c['items']:>13.1%}{c['covered'] / c['items']:>14.1%}"
              f"{c['leaked']:>8}")
    totals = Counter()
    for c in per_type.values():
        totals.update(c)
    print(f"{'ALL':<16}{totals['items']:>6}{totals['found'] / totals['items']:>13.1%}"
          f"{totals['covered'] / totals['items']:>14.1%}{totals['leaked']:>8}")
    print(f"\n{'finding type':<18}{'n':>5}{'precision':>11}")
    for entity, c in sorted(precision.items()):
        print(f"{entity:<18}{c['n']:>5}{c['tp'] / c['n']:>11.1%}")
    lost: Counter = Counter()
    for call in calls:
        lost.update(call["lost_by"])
    all_words = sum(c["total"] for c in calls)
    over: Counter = Counter()
    for call in calls:
        over.update(call.get("over_by", {}))
    pii_total_s = sum(c["pii_s"] for c in calls)
    print(f"\nredacted seconds per PII second, by where they are ({pii_total_s:.0f} s of PII):")
    print("  " + ", ".join(f"{cause} {s / pii_total_s:.3f}" for cause, s in over.most_common()))
    print(f"\nnon-PII words under a redaction, by its type ({sum(lost.values())} of {all_words}):")
    print("  " + ", ".join(f"{cause} {n}" for cause, n in lost.most_common()))
    summary = {}
    for language in ("de", "en", None):
        subset = [c for c in calls if language is None or c["language"] == language]
        if not subset:
            continue
        items = [i for c in subset for i in c["items"]]
        summary[language or "all"] = {
            "calls": len(subset), "items": len(items),
            "text_recall": round(sum(i["found"] for i in items) / len(items), 4),
            "covered": round(sum(i["coverage"] >= 0.95 for i in items) / len(items), 4),
            "leaked": sum(i["leaked"] for i in items),
            "over_redaction": round(sum(c["redacted_s"] for c in subset) / sum(c["pii_s"] for c in subset), 3),
            "retention": round(sum(c["kept"] for c in subset) / max(1, sum(c["total"] for c in subset)), 4),
            "audio_retention": round(sum(c["audio_kept"] for c in subset) / max(1, sum(c["total"] for c in subset)),
                                     4),
            "retention_right": round(sum(c["kept_right"] for c in subset)
                                     / max(1, sum(c["total_right"] for c in subset)), 4),
        }
        distractors = [d for c in subset for d in c.get("distractors", [])]
        if distractors:
            summary[language or "all"]["distractors_kept"] = round(sum(d["kept"] for d in distractors)
                                                                   / len(distractors), 4)
            summary[language or "all"]["distractors_audio_kept"] = round(
                sum(d["audio_kept"] for d in distractors) / len(distractors), 4)
            summary[language or "all"]["distractors_by_category"] = {
                category: [round(sum(d["kept"] for d in group) / len(group), 4),
                           round(sum(d["audio_kept"] for d in group) / len(group), 4), len(group)]
                for category in sorted({d["category"] for d in distractors})
                for group in [[d for d in distractors if d["category"] == category]]}
    print(f"\n{'language':<10}{'calls':>6}{'items':>7}{'text recall':>13}{'covered':>9}{'leaked':>8}"
          f"{'over-red.':>11}{'retention':>11}{'audio ret.':>12}{'ret. (right)':>14}{'distractors':>13}")
    for language, s in summary.items():
        kept = f"{s['distractors_kept']:.1%}" if "distractors_kept" in s else "-"
        print(f"{language:<10}{s['calls']:>6}{s['items']:>7}{s['text_recall']:>13.1%}{s['covered']:>9.1%}"
              f"{s['leaked']:>8}{s['over_redaction']:>10.2f}x{s['retention']:>11.1%}{s['audio_retention']:>12.1%}"
              f"{s['retention_right']:>14.1%}{kept:>13}")
    if "distractors_by_category" in summary.get("all", {}):
        print(f"\n{'distractor':<12}{'n':>5}{'heard again':>13}{'audio kept':>12}")
        for category, (kept_share, audio_share, n) in summary["all"]["distractors_by_category"].items():
            print(f"{category:<12}{n:>5}{kept_share:>13.1%}{audio_share:>12.1%}")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "anonymizer-privacy-corpus")
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--model", default="base")
    parser.add_argument("--voice", choices=["none", "default"], default="none")
    parser.add_argument("--uncertain", choices=["on", "off"], default="on")
    parser.add_argument("--clips", type=Path, default=CLIPS)
    parser.add_argument("--json", type=Path, help="also write the per-item results here")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="a config override, e.g. redaction.method=silence (YAML value); repeatable")
    parser.add_argument("--with-oracle", action="store_true",
                        help="also score a perfect detector on the same calls: the true items' exact times "
                             "redacted, the same voice (the retention floor ASR drift and the voice leave)")
    parser.add_argument("--show-misses", action="store_true", help="print missed/leaked items (PII! local use)")
    parser.add_argument("--split", choices=["all", "tune", "heldout"], default="all",
                        help="corpus v2: only the calls of this split (heldout: never tuned on)")
    parser.add_argument("--keep-analyses", action="store_true",
                        help="keep the calls' analyses in the user's private cache (for offline study of the "
                             "tune split); by default they go to a temporary folder")
    args = parser.parse_args()
    if not args.keep_analyses:  # the corpus' analyses hold (synthetic) personal data: not in the user's cache
        os.environ["ANONYMIZER_CACHE_DIR"] = tempfile.mkdtemp(prefix="anonymizer-eval-cache-")
    if not any(args.corpus.glob("*.truth.json")):
        subprocess.run([sys.executable, str(HERE / "make_privacy_corpus.py"), str(args.corpus),
                        "--calls", str(args.calls)], check=True)
    overrides: dict = {"transcription": {"model": args.model},
                       "redaction": {"uncertain": args.uncertain == "on"}}
    if args.voice == "none":
        overrides["voice"] = {"chain": []}
    for setting in args.set:
        key, _, value = setting.partition("=")
        section, _, name = key.partition(".")
        overrides.setdefault(section, {})[name] = yaml.safe_load(value)
    pipeline = Pipeline.from_config(load_config(None, overrides))
    captured: dict = {}
    pipeline.on_analysis = lambda path, analysis: captured.__setitem__(path, list(analysis.parts))
    files = sorted(p for p in args.corpus.iterdir() if ".truth." not in p.name and p.suffix in (".wav", ".flac",
                                                                                                 ".mp3", ".ogg"))
    if args.split != "all":
        files = [p for p in files if json.loads(p.with_name(p.name.split(".")[0] + ".truth.json").read_text(
            encoding="utf-8")).get("split") == args.split]
    files = files[: args.calls]
    calls, oracles = [], []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        for path in files:
            c, oracle = evaluate_call(pipeline, path, Path(out), captured, args.with_oracle)
            calls.append(c)
            if oracle is not None:
                oracles.append(oracle)
                oracle.pop("lost_words")
                for item in oracle["items"]:
                    item.pop("missed_words")
            print(f"{path.name}: {sum(i['found'] for i in c['items'])}/{len(c['items'])} found, "
                  f"{sum(i['leaked'] for i in c['items'])} leaked, over-red. {c['redacted_s'] / c['pii_s']:.2f}x, "
                  f"retention {c['kept'] / max(1, c['total']):.0%} (audio {c['audio_kept'] / max(1, c['total']):.0%}, "
                  f"right {c['kept_right'] / max(1, c['total_right']):.0%} of {c['total_right']})",
                  flush=True)
            if args.show_misses:
                truth = json.loads(path.with_name(path.name.split(".")[0] + ".truth.json").read_text())
                for item, t in zip(c["items"], truth["pii"], strict=True):
                    if not item["found"] or item["leaked"]:
                        print(f"    {item} {t['text']!r}")
                print(f"    non-PII words under a redaction: {' '.join(c['lost_words'])}")
                for d, t in zip(c["distractors"], truth.get("distractors", []), strict=True):
                    if not d["kept"]:
                        print(f"    distractor lost: {t['category']} {t['text']!r} (audio kept {d['audio_kept']})")
            c.pop("lost_words")
            for item in c["items"]:
                item.pop("missed_words")  # PII: printed with --show-misses only, never written
        print(f"\n{len(calls)} calls, model {args.model}, voice {args.voice}, uncertain {args.uncertain}, "
              f"math kernels {math_kernels()}, "
              f"{time.perf_counter() - started:.0f} s, "
              f"{getattr(pipeline.transcriber, 'model_reloads', 0)} model reloads after a sampled decoding")
        summary = print_table(calls)
        oracle_summary = None
        if oracles:
            print("\n=== perfect detector on the same calls (same voice) ===")
            oracle_summary = print_table(oracles)
            for language, ours in summary.items():
                if language in oracle_summary:
                    best = oracle_summary[language]
                    print(f"{language}: retention {ours['retention'] / best['retention']:.1%} of the perfect "
                          f"detector's, audio {ours['audio_retention'] / best['audio_retention']:.1%}")
        clips = []
        if args.clips.is_dir():
            for path in sorted(p for p in args.clips.rglob("*") if p.suffix in (".wav", ".flac", ".mp3")):
                clips.append(evaluate_clip(pipeline, path, Path(out), captured))
            print(f"\n{'real clip':<44}{'redactions':>11}{'seconds':>9}{'retention':>11}  types")
            for c in clips:
                if "error" in c:
                    print(f"{c['file'][:43]:<44} error: {c['error']}")
                    continue
                print(f"{c['file'][:43]:<44}{c['redactions']:>11}{c['redacted_s']:>9.2f}{c['retention']:>11.0%}  "
                      f"{','.join(c['types'])} {c['spans'] if c['redactions'] else ''}")
        else:
            print(f"\n(real clips not found at {args.clips}; skipped)")
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "oracle": oracle_summary, "calls": calls,
                                         "oracle_calls": oracles, "clips": clips}, indent=1,
                                        default=lambda o: o.item() if hasattr(o, "item") else str(o)))


if __name__ == "__main__":
    # a run stopped with kill (SIGTERM) still removes its temporary cache: the analyses hold the corpus' data
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        main()
    finally:
        cache = os.environ.get("ANONYMIZER_CACHE_DIR", "")
        if Path(cache).name.startswith("anonymizer-eval-cache-"):
            import shutil

            shutil.rmtree(cache, ignore_errors=True)
