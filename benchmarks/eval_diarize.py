"""Speaker turns on mono calls (``anonymizer.diarize``): does a two-speaker mono call get two voices?

Builds mono "calls" from the real LibriSpeech speakers in ../shared/data (not shipped with the project):
two speakers taking turns (1.5–7 s each, pauses of 0.2–1.2 s, about 70 s), and one-speaker files built the
same way, each at 16 kHz and in the telephone band (300–3400 Hz, 8 kHz, a little noise). Speakers are split
by the same seeded draw as ``eval_voice.py`` (``--split-seed``): the thresholds in ``diarize.py`` were set on
the ``tune`` speakers' pairs only; ``heldout`` pairs were never looked at while tuning.

Prints per condition: how many two-speaker files were split in two, the share of speech given to the right
speaker (best of the two labelings; a file not split scores its larger speaker's share), and how many
one-speaker files were wrongly split. With ``--show-gain`` also each file's likelihood gain.

Run: ``python benchmarks/eval_diarize.py [--speakers tune|heldout] [--files-per-pair 4] [--seed 7]``
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from eval_voice import SPEAKERS_DIR, split_speakers  # noqa: E402

from anonymizer.audio import decode, to_mono_16k  # noqa: E402
from anonymizer.diarize import (  # noqa: E402
    HOP_FRAME_S,
    _mfcc_frames,
    frame_labels,
    speakers_at,
    turns_from_features,
)
from anonymizer.stream import MemorySource  # noqa: E402
from anonymizer.types import Audio  # noqa: E402
from anonymizer.vad import speech_regions  # noqa: E402

RATE = 16_000


def load() -> dict[str, list[np.ndarray]]:
    if not SPEAKERS_DIR.is_dir():
        raise SystemExit(f"{SPEAKERS_DIR}: not found (the shared evaluation data lives beside the project)")
    return {d.name: [to_mono_16k(decode(p)) for p in sorted(d.glob("*.flac"))]
            for d in sorted(p for p in SPEAKERS_DIR.iterdir() if p.is_dir())}


def build_call(voices: list[list[np.ndarray]], rng: np.random.Generator, total_s: float = 70.0,
               ) -> tuple[np.ndarray, np.ndarray]:
    """Samples and the true speaker per sample (-1 in pauses): the voices take turns."""
    parts, truth = [], []
    k = 0
    length = 0
    while length < total_s * RATE:
        speaker = k % len(voices)
        clip = voices[speaker][int(rng.integers(len(voices[speaker])))]
        n = int(rng.uniform(1.5, 7.0) * RATE)
        start = int(rng.integers(0, max(1, len(clip) - n)))
        piece = clip[start : start + n]
        pause = np.zeros(int(rng.uniform(0.2, 1.2) * RATE), np.float32)
        parts += [piece, pause]
        truth += [np.full(len(piece), speaker), np.full(len(pause), -1)]
        length += len(piece) + len(pause)
        k += 1
    return np.concatenate(parts).astype(np.float32), np.concatenate(truth)


def telephone(samples: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """300–3400 Hz, 8 kHz, noise at about -45 dBFS."""
    spectrum = np.fft.rfft(samples)
    freqs = np.fft.rfftfreq(len(samples), 1 / RATE)
    spectrum[(freqs < 300) | (freqs > 3400)] = 0
    narrow = np.fft.irfft(spectrum, len(samples))[::2]
    return (narrow + rng.normal(0, 0.005, len(narrow))).astype(np.float32), RATE // 2


def score(samples: np.ndarray, rate: int, truth: np.ndarray) -> tuple[bool, float, float, float]:
    """(split in two?, share of speech given the right speaker, the same with ``--speakers two``, the
    likelihood gain of the split). A file not split gives its larger speaker's share."""
    audio = Audio(samples[:, None], rate)
    speech = speech_regions(to_mono_16k(audio))
    frames = _mfcc_frames(MemorySource(audio))
    duration_s = len(samples) / rate
    turns = turns_from_features(frames, speech, duration_s)
    forced = turns_from_features(frames, speech, duration_s, two=True)
    _, gain = frame_labels(frames, speech)
    step = int(HOP_FRAME_S * rate)
    times = np.arange(0, len(samples), step)
    true = truth[(times * (RATE // rate)).clip(0, len(truth) - 1)]
    spoken = true >= 0

    def right(found: tuple) -> float:
        said = speakers_at(found, times / rate)
        return float(max(np.mean(said[spoken] == true[spoken]), np.mean(said[spoken] == 1 - true[spoken])))

    return bool(turns), right(turns), right(forced), gain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--speakers", choices=["tune", "heldout"], default="tune")
    parser.add_argument("--files-per-pair", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--split-seed", type=int, default=2026)
    parser.add_argument("--show-gain", action="store_true")
    args = parser.parse_args()
    voices = load()
    tune, heldout = split_speakers(sorted(voices), args.split_seed)
    chosen = sorted(tune if args.speakers == "tune" else heldout)
    print(f"speakers: tune {sorted(tune)}, held out {sorted(heldout)}; measured on {args.speakers} {chosen}")
    rng = np.random.default_rng(args.seed)
    results: dict[tuple[str, str], list[tuple[bool, float, float, float]]] = {}
    for condition in ("16k", "phone"):
        for a, b in itertools.combinations(chosen, 2):
            for _ in range(args.files_per_pair):
                samples, truth = build_call([voices[a], voices[b]], rng)
                rate = RATE
                if condition == "phone":
                    samples, rate = telephone(samples, rng)
                results.setdefault((condition, "two"), []).append(score(samples, rate, truth))
        for a in chosen:
            for _ in range(args.files_per_pair):
                samples, truth = build_call([voices[a]], rng)
                truth = np.where(truth >= 0, 0, -1)
                rate = RATE
                if condition == "phone":
                    samples, rate = telephone(samples, rng)
                results.setdefault((condition, "one"), []).append(score(samples, rate, truth))
    print(f"\n{'condition':<10}{'2-speaker files split':>22}{'right (split ones)':>20}{'right (--speakers two)':>24}"
          f"{'1-speaker files split':>23}")
    for condition in ("16k", "phone"):
        two, one = results[(condition, "two")], results[(condition, "one")]
        split = [r for s, r, _, _ in two if s]
        print(f"{condition:<10}{sum(s for s, *_ in two):>16} of {len(two):<3}"
              f"{(f'{statistics.median(split):.1%}' if split else '-'):>20}"
              f"{statistics.median(f for _, _, f, _ in two):>24.1%}"
              f"{sum(s for s, *_ in one):>17} of {len(one):<3}")
        if args.show_gain:
            print("   two:", sorted(round(x, 2) for *_, x in two))
            print("   one:", sorted(round(x, 2) for *_, x in one))
    print("(right: the share of speech given to the right speaker, median over files; a file not split scores "
          "its larger speaker's share)")


if __name__ == "__main__":
    main()
