"""How well do the voice transforms hide who is speaking, and what do they cost in intelligibility?

Speakers: ../shared/data/speakers/librispeech_test-other (6 speakers x 10 utterances, real speech).
Speaker embeddings: resemblyzer (its weights ship in the PyPI package). For each method (a voice chain
with per-speaker parameters drawn from a seed, as the pipeline does) it prints the equal error rate of
utterance-vs-utterance trials (cosine similarity) for:
  orig      enrollment original, trials original (sanity: low)
  ignorant  enrollment original, trials anonymized
  lazy      enrollment anonymized with the same method and fresh random parameters, trials anonymized
  inverse   the attacker undoes the published default (midpoint of each range; both signs tried where
            the sign is random, the better score kept), enrollment original
and the word error rate of faster-whisper base on the anonymized utterances against its transcript of
the originals (so the original's own WER on that reference is 0: the number is the increase).

Setup (once): .venv/bin/pip install -e ".[eval]" && .venv/bin/pip install --no-deps resemblyzer==0.1.4
(--no-deps: resemblyzer's webrtcvad dependency would overwrite webrtcvad-wheels' module.)
Run: .venv/bin/python benchmarks/eval_voice.py [--methods default,pitch,…] [--no-wer]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anonymizer.audio import decode, to_mono_16k  # noqa: E402
from anonymizer.voice import Step, apply_values, speaker_parameters  # noqa: E402

SPEAKERS_DIR = ROOT.parent / "shared" / "data" / "speakers" / "librispeech_test-other"

METHODS: dict[str, list[Step]] = {
    "pitch": [Step("pitch", 2.0, 4.0, either_sign=True)],
    "formant": [Step("formant", 1.12, 1.22)],
    "mcadams": [Step("mcadams", 0.7, 0.85)],
    "mcadams+pitch": [Step("mcadams", 0.7, 0.85), Step("pitch", 2.0, 4.0, either_sign=True)],
    "formant+pitch": [Step("formant", 1.12, 1.22), Step("pitch", 2.0, 4.0, either_sign=True)],
    "mcadams+formant+pitch": [Step("mcadams", 0.7, 0.85), Step("formant", 1.08, 1.15),
                              Step("pitch", 2.0, 4.0, either_sign=True)],
    "formant±": [Step("formant", 1.12, 1.22, either_sign=True)],
    "formant±+pitch": [Step("formant", 1.12, 1.22, either_sign=True), Step("pitch", 2.0, 4.0, either_sign=True)],
    "mcadams±+formant±+pitch": [Step("mcadams", 0.75, 0.9, either_sign=True),
                                Step("formant", 1.1, 1.2, either_sign=True), Step("pitch", 2.0, 4.0, either_sign=True)],
}


def default_chain() -> list[Step]:
    from anonymizer.config import Config

    return [Step(s.transform, s.range[0], s.range[1], s.either_sign) for s in Config().voice.chain]


def load_utterances() -> tuple[list[np.ndarray], list[str]]:
    if not SPEAKERS_DIR.is_dir():
        raise SystemExit(f"{SPEAKERS_DIR}: not found (the shared evaluation data lives beside the project)")
    wavs, speakers = [], []
    for speaker_dir in sorted(p for p in SPEAKERS_DIR.iterdir() if p.is_dir()):
        for path in sorted(speaker_dir.glob("*.flac")):
            wavs.append(to_mono_16k(decode(path)))
            speakers.append(speaker_dir.name)
    return wavs, speakers


def anonymize(wavs: list[np.ndarray], speakers: list[str], chain: list[Step], seed: int) -> list[np.ndarray]:
    """Each speaker gets one parameter draw (as one channel of one file would)."""
    return [apply_values(w, 16000, chain, speaker_parameters(chain, seed, s, 0))
            for w, s in zip(wavs, speakers, strict=True)]


def inverse_variants(chain: list[Step]) -> list[list[tuple[Step, float]]]:
    """The published-default inverses: midpoints undone in reverse order, every sign combination."""
    variants: list[list[tuple[Step, float]]] = [[]]
    for step in reversed(chain):
        mid = (step.low + step.high) / 2
        # pitch: shift back; mcadams: (φ^α)^(1/α) = φ; formant: (r·φ)/r = φ — both directions when drawn
        inverse = -mid if step.transform == "pitch" else 1.0 / mid
        options = [inverse, -inverse if step.transform == "pitch" else mid] if step.either_sign else [inverse]
        variants = [v + [(Step(step.transform, value, value), value)] for v in variants for value in options]
    return variants


def embed(encoder, wavs: list[np.ndarray]) -> np.ndarray:  # type: ignore[no-untyped-def]
    from resemblyzer import preprocess_wav

    return np.stack([encoder.embed_utterance(preprocess_wav(w, source_sr=16000)) for w in wavs])


def eer(scores: np.ndarray, speakers: list[str]) -> float:
    """Equal error rate over all utterance pairs (i != j) of a score matrix (enrollment x trial)."""
    labels = np.array(speakers)[:, None] == np.array(speakers)[None, :]
    mask = ~np.eye(len(speakers), dtype=bool)
    s, y = scores[mask], labels[mask]
    order = np.argsort(-s)
    y = y[order]
    far = np.cumsum(~y) / max(1, (~y).sum())  # accepted non-targets, threshold just below each score
    frr = 1 - np.cumsum(y) / max(1, y.sum())  # rejected targets
    index = int(np.argmin(np.abs(far - frr)))
    return float((far[index] + frr[index]) / 2)


_TRANSCRIBER: list = []  # type: ignore[type-arg]


def transcribe_all(wavs: list[np.ndarray]) -> list[str]:
    from anonymizer.models import locate_whisper
    from anonymizer.transcribe import FasterWhisperTranscriber
    from anonymizer.types import TimeSpan

    if not _TRANSCRIBER:
        _TRANSCRIBER.append(FasterWhisperTranscriber(locate_whisper("base")))
    return [_TRANSCRIBER[0].transcribe(w, [TimeSpan(0.0, len(w) / 16000)], "en").text for w in wavs]


def normalize(text: str) -> str:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--methods", default="default," + ",".join(METHODS))
    parser.add_argument("--no-wer", action="store_true")
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()
    import jiwer
    from resemblyzer import VoiceEncoder

    methods = {name: (default_chain() if name == "default" else METHODS[name]) for name in args.methods.split(",")}
    wavs, speakers = load_utterances()
    print(f"{len(set(speakers))} speakers, {len(wavs)} utterances, {sum(len(w) for w in wavs) / 16000 / 60:.1f} min")
    encoder = VoiceEncoder("cpu", verbose=False)
    original = embed(encoder, wavs)
    references = None if args.no_wer else [normalize(t) for t in transcribe_all(wavs)]
    print(f"{'method':<24} {'orig':>6} {'ignorant':>9} {'lazy':>6} {'inverse':>8} {'WER+':>6}  chain")
    rng = np.random.default_rng(args.seed)
    for name, chain in methods.items():
        run_seed, attacker_seed = (int(x) for x in rng.integers(0, 2**63 - 1, size=2))
        start = time.perf_counter()
        anonymized = anonymize(wavs, speakers, chain, run_seed)
        anonymized_emb = embed(encoder, anonymized)
        lazy_enroll = embed(encoder, anonymize(wavs, speakers, chain, attacker_seed))
        inverse_scores = []
        for variant in inverse_variants(chain):
            steps = [step for step, _ in variant]
            inverted = [apply_values(w, 16000, steps, [v for _, v in variant]) for w in anonymized]
            inverse_scores.append(original @ embed(encoder, inverted).T)
        # per trial, the attacker keeps the best of its sign hypotheses
        inverse_eer = eer(np.max(np.stack(inverse_scores), axis=0), speakers)
        wer = float("nan")
        if references is not None:
            hypotheses = [normalize(t) for t in transcribe_all(anonymized)]
            wer = jiwer.wer(references, hypotheses) * 100
        chain_text = " -> ".join(f"{s.transform}[{s.low:g},{s.high:g}]{'±' if s.either_sign else ''}" for s in chain)
        eers = [eer(original @ original.T, speakers), eer(original @ anonymized_emb.T, speakers),
                eer(lazy_enroll @ anonymized_emb.T, speakers), inverse_eer]
        print(f"{name:<24} {eers[0] * 100:6.1f} {eers[1] * 100:9.1f} {eers[2] * 100:6.1f} {eers[3] * 100:8.1f} "
              f"{wer:6.1f}  {chain_text}   ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
