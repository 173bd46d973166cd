"""``anonymizer export``: a training set from the outputs of ``run``/``batch`` — no model, no re-transcription.

For every report in the output folder: its kept analysis (with the review's edits, if any) says which
words are where and which stretches of the output are redacted. The output audio (anonymized, voice
transformed) is cut into utterances per channel; each clip's text is the redacted transcript of exactly
its audio (``segments``), by policy: ``drop`` clips with a redaction, ``tag`` them (``[PERSON]`` where
the tone is), or ``surrogate`` (fake values; audio redacted with silence or noise only). A leak check runs
detection over every text before anything of a call is written. Calls go to train/dev/test by a seeded
hash of their content (a call never in two splits; adding calls does not move the others). Each call's
clips and rows are recorded in ``DATASET_DIR/.export/``: a re-run with the same options reuses them
(idempotent, resumable); the manifests and the card are rewritten from those records at the end.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from anonymizer import __version__
from anonymizer import audio as audio_io
from anonymizer.analysis import Analysis
from anonymizer.console import shown
from anonymizer.errors import AnonymizerError
from anonymizer.export.segments import MAX_SEGMENT_S, Segment, segments, whole_channels
from anonymizer.export.surrogates import Surrogates
from anonymizer.files import write_bytes_atomic
from anonymizer.stream import FileSource
from anonymizer.types import Audio, PiiSpan, Transcript

log = logging.getLogger(__name__)  # counts only: never text
STATE_DIR = ".export"
SPLITS = ("train", "dev", "test")
TextPolicy = Literal["drop", "tag", "surrogate"]


class ExportError(AnonymizerError):
    """The export cannot be made as asked (options, or a call that does not fit)."""


@dataclass(frozen=True)
class ExportOptions:
    text: TextPolicy = "drop"
    segments: Literal["utterance", "file"] = "utterance"
    audio_format: Literal["flac", "wav"] = "flac"
    rate_hz: int | None = None  # None: the output's own rate
    formats: tuple[str, ...] = ("nemo", "hf")
    split: tuple[float, float, float] = (0.8, 0.1, 0.1)
    seed: int = 0
    roles: tuple[str, ...] = ()  # channel index -> role ("agent", "customer")
    leak_check: bool = True

    def key(self) -> str:
        """What decides a call's clips and rows (the manifest formats do not)."""
        data = {k: v for k, v in asdict(self).items() if k != "formats"}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Row:
    """One clip of the dataset (the manifests' line; no personal data)."""

    audio_filepath: str  # relative to the dataset folder
    duration: float
    text: str
    lang: str
    speaker: str
    channel: int
    source_sha256: str
    redacted: bool
    entities: tuple[str, ...]
    split: str
    offset_s: float  # where the clip starts in the anonymized output
    redaction: str = "bleep"  # how the redacted stretches sound: bleep, silence or noise


@dataclass
class CallRecord:
    """What one call gave the dataset (``.export/<sha>.json``)."""

    source_sha256: str
    output_sha256: str
    options_key: str
    language: str
    duration_s: float
    n_channels: int
    rows: list[Row]
    dropped_redacted: int = 0
    too_short: int = 0
    redactions: dict[str, int] = field(default_factory=dict)
    surrogate_values: int = 0


@dataclass
class ExportSummary:
    calls: list[CallRecord] = field(default_factory=list)
    reused: int = 0
    problems: list[str] = field(default_factory=list)  # one line each: file and why (no text)
    refused: list[str] = field(default_factory=list)  # the leak check: segment and type

    @property
    def exit_code(self) -> int:
        return 1 if self.problems or self.refused else 0


# ---- one call ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallSource:
    """A run's output and everything needed to cut it: found from its report."""

    report_path: Path
    output_path: Path
    input_sha256: str
    output_sha256: str
    analysis: Analysis  # marked: every word under a redaction is a placeholder
    plan: dict[int | None, list[Any]]
    redaction_method: str
    language: str
    config_hash: str


def split_of(source_sha256: str, seed: int, shares: tuple[float, float, float]) -> str:
    """The call's split, from a seeded hash of its content (stable when calls are added).

    >>> split_of("ab" * 32, 0, (1.0, 0.0, 0.0))
    'train'
    """
    value = int.from_bytes(hashlib.sha256(f"{seed}:{source_sha256}".encode()).digest()[:8], "big") / 2**64
    total = sum(shares)
    edge = 0.0
    for name, share in zip(SPLITS, shares, strict=True):
        edge += share / total
        if value < edge:
            return name
    return SPLITS[-1]


def text_of(segment: Segment, policy: TextPolicy, fakes: Surrogates | None) -> tuple[str, list[tuple[int, int]]]:
    """The segment's text by ``policy``, and the character ranges of surrogate values in it."""
    out: list[str] = []
    ranges: list[tuple[int, int]] = []
    length = 0
    for piece in segment.pieces:
        if piece.entity is None:
            word = piece.text
        elif policy == "surrogate" and fakes is not None:
            word = fakes.fake(piece.entity, piece.raw)
        else:
            word = f"[{piece.entity}]"
        if not word:
            continue
        start = length + (1 if out else 0)
        if piece.entity is not None and policy == "surrogate":
            ranges.append((start, start + len(word)))
        out.append(word)
        length = start + len(word)
    return " ".join(out), ranges


def clip_audio(samples: np.ndarray, rate: int, channel: int | None, rate_hz: int | None) -> Audio:
    """A segment's samples (all channels) as its channel's clip (a mono file: the mix), resampled to
    ``rate_hz`` if given."""
    mono = samples[:, channel] if channel is not None else samples.mean(axis=1)
    clip = Audio(np.ascontiguousarray(mono[:, None], dtype=np.float32), rate)
    if rate_hz is None or rate_hz == rate:
        return clip
    if rate_hz == audio_io.ASR_SAMPLE_RATE_HZ:
        return Audio(audio_io.to_mono_16k(clip)[:, None], rate_hz)
    raise ExportError(f"--rate {rate_hz}: only the original rate or {audio_io.ASR_SAMPLE_RATE_HZ} Hz")


def export_call(source: CallSource, dataset_dir: Path, options: ExportOptions,
                leak_check: Callable[[str, str], list[PiiSpan]] | None) -> tuple[CallRecord | None, list[str]]:
    """Cut, check and write one call. Returns its record, or None and the leak check's refusals (nothing of
    the call is written then)."""
    audio = FileSource(source.output_path)  # read in blocks: a call of hours is never held whole
    analysis = source.analysis
    if options.segments == "utterance":
        cut, too_short = segments(analysis, source.plan, audio.duration_s)
    else:
        cut, too_short = whole_channels(analysis, source.plan, audio.duration_s), 0
    call = source.input_sha256[:12]
    raw_values = [p.raw for segment in cut for p in segment.pieces if p.entity is not None]
    fakes = Surrogates(source.input_sha256, source.language, raw_values) if options.text == "surrogate" else None
    split = split_of(source.input_sha256, options.seed, options.split)
    record = CallRecord(source.input_sha256, source.output_sha256, options.key(), source.language,
                        audio.duration_s, audio.n_channels, [], too_short=too_short,
                        redactions=dict(Counter(r.entity_type for r in analysis.redactions)))
    planned: list[tuple[Segment, Row]] = []
    refusals: list[str] = []
    for n, segment in enumerate(cut):
        if segment.redacted and options.text == "drop":
            record.dropped_redacted += 1
            continue
        text, fake_ranges = text_of(segment, options.text, fakes)
        where = "m" if segment.channel is None else f"c{segment.channel}"
        name = f"{split}/{call}_{where}_{n:04d}.{options.audio_format}"
        if leak_check is not None:
            found = [s for s in leak_check(_without_placeholders(text), source.language)
                     if not any(a < s.char_end and s.char_start < b for a, b in fake_ranges)]
            if found:
                refusals.append(f"{shown(source.report_path)}: segment {name} ({segment.start_s:.1f}-"
                                f"{segment.end_s:.1f} s): the leak check found "
                                f"{', '.join(sorted({s.entity_type for s in found}))} in its text; review the call "
                                f"(`anonymizer review`) and export again")
                continue
        record.surrogate_values += len(fake_ranges)
        planned.append((segment, Row(name, 0.0, text, source.language, _speaker(call, segment.channel, options),
                                     _channel(segment.channel, audio.n_channels), source.input_sha256,
                                     segment.redacted, segment.entities,
                                     split, segment.start_s, source.redaction_method)))
    if refusals:
        return None, refusals
    rows: dict[int, Row] = {}
    fmt = audio_io.FORMATS[options.audio_format]
    rate = audio.sample_rate_hz
    wanted = [(audio_io.seconds_to_sample(segment.start_s, rate), audio_io.seconds_to_sample(segment.end_s, rate))
              for segment, _ in planned]
    for k, samples in audio.ranges(wanted):
        segment, row = planned[k]
        clip = clip_audio(samples, rate, segment.channel, options.rate_hz)
        path = dataset_dir / row.audio_filepath
        path.parent.mkdir(parents=True, exist_ok=True)
        audio_io.write_atomic(clip, path, fmt)
        rows[k] = Row(**{**asdict(row), "duration": round(clip.duration_s, 4), "entities": tuple(row.entities)})
    record.rows = [rows[k] for k in range(len(planned))]
    return record, []


def _channel(channel: int | None, n_channels: int) -> int:
    """The manifests' channel: the source channel; 0 for a mono file, -1 for the mix of a multi-channel one
    (one type in every row: Hugging Face refuses a column that is null in one split and a number in another)."""
    return channel if channel is not None else 0 if n_channels == 1 else -1


def _speaker(call: str, channel: int | None, options: ExportOptions) -> str:
    if channel is not None and channel < len(options.roles):
        return f"{call}-{options.roles[channel]}"
    return call if channel is None else f"{call}-c{channel}"


def _without_placeholders(text: str) -> str:
    return re.sub(r"\[[A-Z_]+\]", " ", text)


# ---- the whole dataset ---------------------------------------------------------------------------------


def write_manifests(dataset_dir: Path, calls: Iterable[CallRecord], options: ExportOptions) -> list[Row]:
    """The manifests the options ask for and the dataset card, from the call records (atomically)."""
    rows = sorted((r for c in calls for r in c.rows), key=lambda r: r.audio_filepath)
    if "nemo" in options.formats:
        def nemo(row: Row) -> str:
            data = {"audio_filepath": row.audio_filepath, "duration": row.duration, "text": row.text,
                    "lang": row.lang, "speaker": row.speaker, "channel": row.channel,
                    "source_sha256": row.source_sha256, "redacted": row.redacted, "redaction": row.redaction,
                    "split": row.split}
            return json.dumps(data, ensure_ascii=False) + "\n"

        write_bytes_atomic("".join(map(nemo, rows)).encode("utf-8"), dataset_dir / "manifest.jsonl")
        for split in SPLITS:
            write_bytes_atomic("".join(nemo(r) for r in rows if r.split == split).encode("utf-8"),
                               dataset_dir / f"manifest_{split}.jsonl")
    if "hf" in options.formats:  # audiofolder: one metadata.jsonl per split folder, file_name relative to it
        for split in SPLITS:
            lines = [json.dumps({"file_name": r.audio_filepath.split("/", 1)[1], "text": r.text, "lang": r.lang,
                                 "speaker": r.speaker, "channel": r.channel, "duration": r.duration,
                                 "source_sha256": r.source_sha256, "redacted": r.redacted,
                                 "redaction": r.redaction},
                                ensure_ascii=False) + "\n" for r in rows if r.split == split]
            if lines:
                write_bytes_atomic("".join(lines).encode("utf-8"), dataset_dir / split / "metadata.jsonl")
    return rows


def card(calls: list[CallRecord], rows: list[Row], options: ExportOptions, config_hashes: set[str],
         methods: set[str]) -> str:
    """The dataset card (README.md): what is in it and how it was anonymized. Counts only."""
    hours = sum(r.duration for r in rows) / 3600
    by_split = Counter(r.split for r in rows)
    calls_by_split = Counter(c.rows[0].split for c in calls if c.rows)
    redactions: Counter = Counter()
    for c in calls:
        redactions.update(c.redactions)
    lines = [
        "# Anonymized call dataset", "",
        f"Made by anonymizer {__version__} (`anonymizer export`), text policy `{options.text}`, "
        f"segments `{options.segments}`, audio {options.audio_format} at "
        f"{'the original rate' if options.rate_hz is None else f'{options.rate_hz} Hz'}.", "",
        "| | |", "|---|---:|",
        f"| hours of audio | {hours:.3f} |",
        f"| calls | {len(calls)} |",
        f"| segments | {len(rows)} |",
        *(f"| segments in {s} ({calls_by_split.get(s, 0)} calls) | {by_split.get(s, 0)} |" for s in SPLITS),
        f"| languages | {', '.join(sorted({c.language for c in calls})) or '-'} |",
        f"| speakers (call × channel) | {len({r.speaker for r in rows})} |",
        f"| segments with a redaction | {sum(r.redacted for r in rows)} |",
        f"| segments dropped for a redaction | {sum(c.dropped_redacted for c in calls)} |",
        f"| utterances under {1.0:.0f} s left out | {sum(c.too_short for c in calls)} |",
        f"| surrogate values in the text | {sum(c.surrogate_values for c in calls)} |", "",
        "Redactions by type (whole calls): " + (", ".join(f"{t} {n}" for t, n in sorted(redactions.items())) or "none"),
        "",
        "## How it was anonymized", "",
        f"Redaction method: {', '.join(sorted(methods))}; config hash(es): {', '.join(sorted(config_hashes))}. "
        "Personal data found in the transcript (names, numbers, addresses, …) was replaced in the audio; voices "
        "were transformed as the runs' reports say. Calls are split into train/dev/test by a seeded hash of "
        f"their content (seed {options.seed}): a call is never in two splits. Each segment's text is the "
        "redacted transcript of exactly its audio: "
        + {"drop": "segments with a redaction are left out.",
           "tag": "a redacted stretch is a placeholder such as `[PERSON]` where the audio has the tone.",
           "surrogate": "a redacted value is replaced by a realistic fake (Faker) in the text; the audio there "
                        "is silence or noise, not the fake."}[options.text],
        f" Segments are at most {MAX_SEGMENT_S:.0f} s. A leak check ran detection over every text"
        + (" and found nothing." if options.leak_check else " — no: it was switched off."),
        "", "Detection is not perfect: listen to a sample before you publish or train.", "",
        "Manifests: `manifest.jsonl` (NeMo style, all splits; `manifest_<split>.jsonl` per split) and "
        "`<split>/metadata.jsonl` (Hugging Face `audiofolder`; `dev` loads as `validation`).", "",
    ]
    return "\n".join(lines)


def read_record(path: Path) -> CallRecord | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = [Row(**{**r, "entities": tuple(r["entities"])}) for r in data.pop("rows")]
        return CallRecord(**data, rows=rows)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def write_record(dataset_dir: Path, record: CallRecord) -> None:
    folder = dataset_dir / STATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    data = asdict(record)
    write_bytes_atomic(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"),
                       folder / f"{record.source_sha256}.json")


def reusable(dataset_dir: Path, source_sha256: str, output_sha256: str, options: ExportOptions) -> CallRecord | None:
    """The call's record from an earlier export with the same options and output, if all its clips exist."""
    record = read_record(dataset_dir / STATE_DIR / f"{source_sha256}.json")
    if record is None or record.options_key != options.key() or record.output_sha256 != output_sha256:
        return None
    if not all((dataset_dir / r.audio_filepath).is_file() for r in record.rows):
        return None
    return record


def transcript_for_check(text: str, language: str) -> Transcript:
    """A transcript of ``text`` for the detector (word times do not matter to detection)."""
    pieces, position = [], 0.0
    for word in text.split():
        pieces.append((" " + word, position, position + 0.3, 1.0))
        position += 0.4
    return Transcript.from_words(pieces, language)
