"""Where do the redacted seconds go, and what would other redaction settings change? Audio-level, no
re-transcription: fast enough to compare settings on a corpus split.

Each call of a corpus v2 split (``make_calls_v2.py``) is heard once (VAD + faster-whisper, the slow half)
and the result is kept in a private cache folder; then detection and alignment run again for each
``--variant`` (config overrides of the ``redaction`` or ``detection`` section — not of what hearing
uses: VAD, transcription, ``uncertain``, ``unheard_speech_min_ms``). Against the generator's exact
times it prints, per variant:

- items covered: the share of true items whose audio is ≥ 95 % redacted (what is not covered may be
  audible), and the PII seconds left unredacted;
- over-redaction (redacted ÷ PII seconds) split by where the seconds are: inside items, "margin" (in a
  redaction that reaches an item: padding, snapping, a sentence's reach, unsure neighbours) and false
  alarms (redactions that touch no item);
- the non-PII speech seconds redacted, and the distractors whose audio is kept (< 50 % redacted).

This measures audio, not what a listener or Whisper makes of it: a variant that covers as many items
with less margin still has to pass ``eval_privacy.py``'s re-transcription before it is trusted.

A variant may also set ``sweep.unheard_min_ms`` (see ``with_unheard``) or ``sweep.trim_to_speech=true``
(see ``trimmed_to_speech``); ``--text-oracle`` adds each variant with a perfect text detector in place of
the real one: what the alignment and the safety nets cost with detection taken out of the question.

Run: ``python benchmarks/sweep_redaction.py --corpus /work/corpus_v2 --split tune \\
--variant base: --variant nopad:redaction.pad_after_ms=0,redaction.pad_before_ms=0``
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pickle
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_privacy import assign_words, item_channel, over_redaction_by_cause  # noqa: E402

from anonymizer.align import AlignSettings  # noqa: E402
from anonymizer.analysis import Analysis, _analyze_channel, _analyze_dialogue, _mark_dialogue_findings  # noqa: E402
from anonymizer.config import load_config  # noqa: E402
from anonymizer.hearing import DEFAULT_BLOCKS, hear  # noqa: E402
from anonymizer.pipeline import Pipeline  # noqa: E402
from anonymizer.redact import spans_to_render  # noqa: E402
from anonymizer.spans import merge, total_duration_s  # noqa: E402
from anonymizer.stream import FileSource, as_source  # noqa: E402
from anonymizer.timing import untimed  # noqa: E402
from anonymizer.types import PiiSpan, TimeSpan, Transcript  # noqa: E402

COVERED = 0.95


def parse_variant(text: str) -> tuple[str, dict]:
    """``name:section.key=value,section.key=value`` -> (name, overrides)."""
    name, _, settings = text.partition(":")
    overrides: dict = {}
    for setting in filter(None, settings.split(",")):
        key, _, value = setting.partition("=")
        section, _, field = key.partition(".")
        overrides.setdefault(section, {})[field] = yaml.safe_load(value)
    return name, overrides


def heard_of(path: Path, pipeline: Pipeline, cache: Path) -> tuple[list, list, float, int]:
    """The call heard once (VAD + transcription), from the private cache when it is there."""
    cached = cache / f"{path.name}.heard.pickle"
    if cached.exists():
        return pickle.loads(cached.read_bytes())
    src = as_source(FileSource(path))
    channels = src.transcribed_channels(pipeline.config.transcription.per_channel)
    heard, mix_gaps = hear(src, channels, pipeline.config, pipeline.transcriber, pipeline.detector.prepare)
    value = (heard, mix_gaps, src.duration_s, src.n_channels)
    cached.write_bytes(pickle.dumps(value))
    cached.chmod(0o600)
    return value


@dataclasses.dataclass(frozen=True)
class TextOracle:
    """A perfect text detector for one channel's transcript (``Detector.detect``'s interface): the words of
    each true item, as ``eval_privacy`` assigns them, one finding per run of words of the same item. With no
    ``truth`` it finds nothing (the dialogue pass: the channels found every item)."""

    truth: dict | None
    channel: int | None = None
    stereo: bool = False

    def detect(self, transcript: Transcript) -> list[PiiSpan]:
        if self.truth is None:
            return []
        spans: list[PiiSpan] = []
        last = None
        owners = assign_words(transcript.words, self.truth, self.channel, self.stereo)
        for word, owner in zip(transcript.words, owners, strict=True):
            if owner is None or owner[0] != "pii":
                last = None
                continue
            if last == owner[1] and spans:
                spans[-1] = PiiSpan(spans[-1].char_start, word.char_end, spans[-1].entity_type, 1.0, "oracle")
            else:
                label = self.truth["pii"][owner[1]]["label"]
                spans.append(PiiSpan(word.char_start, word.char_end, label, 1.0, "oracle"))
            last = owner[1]
        return spans


def with_unheard(heard: tuple, sweep: dict) -> tuple:
    """``sweep.unheard_min_ms``: keep only the unheard stretches at least this long (a hearing setting, so
    applied to the kept stretches here: 0 keeps them all, a huge value drops the rule)."""
    if "unheard_min_ms" not in sweep:
        return heard
    min_s = sweep["unheard_min_ms"] / 1000
    channels = [dataclasses.replace(h, unheard=[r for r in h.unheard if r.span.duration_s >= min_s]) for h in heard[0]]
    return (channels, *heard[1:])


def trimmed_to_speech(analysis: Analysis, heard: list) -> Analysis:
    """``sweep.trim_to_speech``: each redaction cut to its channel's speech regions (VAD, padded; a finding
    of no single channel: any channel's), kept whole where they hold none of it."""
    speech = {h.channel: h.speech for h in heard}
    every = merge(s for h in heard for s in h.speech)

    def cut(part):
        out = []
        for r in part.redactions:
            regions = speech.get(r.channel, every)
            pieces = [r.span & s for s in regions if r.span.overlaps(s)] or [r.span]
            out += [dataclasses.replace(r, start_s=p.start_s, end_s=p.end_s) for p in pieces]
        return dataclasses.replace(part, redactions=tuple(out))

    return dataclasses.replace(analysis, channels=tuple(cut(a) for a in analysis.channels),
                               dialogue=cut(analysis.dialogue) if analysis.dialogue is not None else None)


def analysis_of(heard: list, mix_gaps: list, duration_s: float, n_channels: int, pipeline: Pipeline,
                config, truth: dict | None = None) -> Analysis:
    """``analysis.analyze`` after hearing, with ``config``'s redaction and detection settings; with ``truth``,
    a perfect text detector instead of the real one (the pipeline's safety nets and alignment unchanged)."""
    stereo = len(heard) > 1

    def detector(channel: int | None = None, dialogue: bool = False):
        return pipeline.detector if truth is None else TextOracle(None if dialogue else truth, channel, stereo)

    settings = AlignSettings.from_config(config.redaction)
    parts = [_analyze_channel(h, duration_s, config, settings, detector(h.channel), untimed, DEFAULT_BLOCKS)
             for h in heard]
    if len(parts) == 1:
        return Analysis(duration_s, n_channels, tuple(parts))
    dialogue = _analyze_dialogue(duration_s, parts, settings, detector(dialogue=True), untimed, mix_gaps,
                                 DEFAULT_BLOCKS)
    return Analysis(duration_s, n_channels, tuple(_mark_dialogue_findings(a, dialogue) for a in parts), dialogue)


def score(analysis: Analysis, truth: dict, heard: list, config) -> dict:
    """Items covered, non-PII speech and distractors redacted: on a stereo call per channel, as the output is
    rendered (``redact.spans_to_render``: a finding on one channel reaches the other only where its own
    channel has speech), so the agent's words under the customer's redaction count as kept."""
    redactions = analysis.redactions
    redacted = merge(r.span for r in redactions)
    stereo = truth["n_channels"] == 2 and len(analysis.channels) > 1
    on: dict[int | None, list[TimeSpan]] = {None: redacted}  # the redacted spans per item_channel
    if stereo:
        rc = config.redaction
        plan = spans_to_render(list(redactions), 2, {h.channel: h.speech for h in heard if h.channel is not None},
                               rc.all_channels, rc.merge_gap_ms / 1000)
        on = {c: merge([*plan.get(None, []), *plan.get(c, [])]) for c in (0, 1)}

    def under_of(x: dict) -> float:
        span = TimeSpan(x["start_s"], x["end_s"])
        return total_duration_s([s & span for s in on[item_channel(truth, x, stereo)] if s.overlaps(span)])

    items = []
    for item in truth["pii"]:
        span = TimeSpan(item["start_s"], item["end_s"])
        under = under_of(item)
        items.append((item["label"], under / span.duration_s, span.duration_s - under))
    pii = merge(TimeSpan(i["start_s"], i["end_s"]) for i in truth["pii"])
    speech_s = sum(p["end_s"] - p["start_s"] for p in truth["phrases"])  # phrases hold no item
    non_pii_redacted_s = sum(under_of(p) for p in truth["phrases"])
    distractors = []
    for d in truth.get("distractors", []):
        span = TimeSpan(d["start_s"], d["end_s"])
        distractors.append((d["category"], under_of(d) < 0.5 * span.duration_s))
    by = over_redaction_by_cause(redactions, truth["pii"])
    assert abs(sum(by.values()) - total_duration_s(redacted)) < 0.01 * (1 + len(redacted)), "parts must add up"
    return {"items": items, "pii_s": total_duration_s(pii), "redacted_s": total_duration_s(redacted), "by": by,
            "speech_s": speech_s, "non_pii_redacted_s": non_pii_redacted_s, "distractors": distractors,
            "language": truth["language"]}


def report(name: str, calls: list[dict], baseline: list[dict] | None) -> None:
    items = [i for c in calls for i in c["items"]]
    pii_s = sum(c["pii_s"] for c in calls)
    by: Counter = Counter()
    for c in calls:
        by.update(c["by"])
    false_s = sum(v for k, v in by.items() if k.startswith("false:"))
    covered = sum(cov >= COVERED for _, cov, _ in items)
    audible_s = sum(left for _, _, left in items)
    distractors = [kept for c in calls for _, kept in c["distractors"]]
    line = (f"{name:<14} covered {covered}/{len(items)}  audible PII {audible_s:6.1f} s  over-red. "
            f"{sum(c['redacted_s'] for c in calls) / pii_s:.3f}x (item {by['item'] / pii_s:.3f}, margin "
            f"{by['margin'] / pii_s:.3f}, false {false_s / pii_s:.3f})  non-PII speech redacted "
            f"{sum(c['non_pii_redacted_s'] for c in calls) / sum(c['speech_s'] for c in calls):.1%}  distractors' "
            f"audio kept {sum(distractors) / max(1, len(distractors)):.1%}")
    print(line, flush=True)
    if baseline is not None:  # items this variant covers less than the first one does
        worse = [(label, round(b, 2), round(v, 2)) for cv, cb in zip(calls, baseline, strict=True)
                 for (label, v, _), (_, b, _) in zip(cv["items"], cb["items"], strict=True) if v < b - 0.01]
        if worse:
            print(f"{'':<14} covered less than the first variant: {worse}")


def main() -> None:
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--split", choices=["all", "tune", "heldout"], default="tune")
    parser.add_argument("--model", default="base")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "anonymizer-sweep-cache",
                        help="private folder for the calls' transcripts (synthetic personal data)")
    parser.add_argument("--text-oracle", action="store_true",
                        help="also each variant with a perfect text detector (the true items' words) in place of "
                             "the real one: what alignment and the safety nets cost on their own")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME:SECTION.KEY=VALUE,...",
                        help="a set of overrides to compare (the first is the baseline); repeatable")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    os.chmod(args.cache, 0o700)
    variants = [parse_variant(v) for v in args.variant] or [("default", {})]
    if args.text_oracle:
        variants += [(f"{name}+oracle", overrides) for name, overrides in variants]
    base = {"transcription": {"model": args.model}, "voice": {"chain": []}}
    pipeline = Pipeline.from_config(load_config(None, base))
    files = sorted(p for p in args.corpus.iterdir() if ".truth." not in p.name
                   and p.suffix in (".wav", ".flac", ".mp3", ".ogg"))
    truths = {p: json.loads(p.with_name(p.name.split(".")[0] + ".truth.json").read_text(encoding="utf-8"))
              for p in files}
    files = [p for p in files if args.split == "all" or truths[p].get("split") == args.split]
    results: dict[str, list[dict]] = {name: [] for name, _ in variants}
    for path in files:
        heard = heard_of(path, pipeline, args.cache)
        for name, overrides in variants:
            overrides = dict(overrides)
            sweep = overrides.pop("sweep", {})
            config = load_config(None, {**base, **{k: {**base.get(k, {}), **v} for k, v in overrides.items()}})
            oracle = truths[path] if name.endswith("+oracle") else None
            analysis = analysis_of(*with_unheard(heard, sweep), pipeline, config, oracle)
            if sweep.get("trim_to_speech"):
                analysis = trimmed_to_speech(analysis, heard[0])
            results[name].append(score(analysis, truths[path], heard[0], config))
    first = None
    for language in ("de", "en", None):
        if not any(language is None or c["language"] == language for c in results[variants[0][0]]):
            continue  # a corpus of one language
        print(f"\n{language or 'all'} ({args.split} split, {len(files)} calls)")
        for name, _ in variants:
            calls = [c for c in results[name] if language is None or c["language"] == language]
            report(name, calls, first)
            first = calls if name == variants[0][0] else first
        first = None


if __name__ == "__main__":
    main()
