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
the originals (so the original's own WER on that reference is 0: the number is the increase), in English
(the LibriSpeech utterances) and German (the Thorsten-Voice and other German clips of
../shared/data/clips/de), with the share of the original transcript's words lost ("ret-"), averaged over
``--draws`` parameter draws. That reference makes the original perfect and any change of the samples a
cost, so the ``c.`` columns measure against the consensus of five hearings of the original instead, each
with its own inaudible noise (``consensus_reference.py``), and subtract the original's own error against it:
what the level costs beyond Whisper's instability (``noise-floor`` comes to about 0 there). ``--eer-draws N``
pools the trials of N parameter draws (fresh secret seeds, for the anonymized and the attacker's enrollment
alike) into each EER.

Methods: the chains of ``METHODS``, ``default`` (the config's chain) and ``synthetic`` (the words of
Whisper base's transcript of each utterance re-spoken by ``anonymizer.synthetic``, one voice per speaker).
``pitch±0.05`` and ``psola±0.05`` are the two pitch shifters at a shift nobody hears, and ``noise-floor``
adds white noise at -80 dBFS: how far Whisper's transcript moves when nothing audible changes (it is not
zero: decoding is deterministic, but any change of the samples can flip a beam).

Speakers are split by a seeded draw (``--split-seed``) into 3 tune and 3 held-out speakers; ``--speakers``
says which the EERs are measured on (choose chains on ``tune``; ``heldout`` was never tuned on). A second
attacker that is not resemblyzer (``mfcc``): per utterance the mean and standard deviation of 19 MFCCs
and their deltas, whitened by the within-speaker covariance learned on the tune speakers' original
utterances (WCCN, an i-vector-style back end), scored by cosine.

Setup (once): .venv/bin/pip install -e ".[eval]" && .venv/bin/pip install --no-deps resemblyzer==0.1.4
(--no-deps: resemblyzer's webrtcvad dependency would overwrite webrtcvad-wheels' module.)
Run: .venv/bin/python benchmarks/eval_voice.py [--methods default,pitch,…] [--no-wer] [--no-eer]
     [--speakers tune|heldout|all] [--draws 3] [--eer-draws 1] [--per-draw] [--hearings-cache DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consensus_reference import HEARINGS, consensus, errors  # noqa: E402  (beside this script)

from anonymizer.audio import decode, to_mono_16k  # noqa: E402
from anonymizer.files import replace_atomically  # noqa: E402
from anonymizer.machine import math_kernels  # noqa: E402
from anonymizer.voice import RATIO_TRANSFORMS, Step, apply_values, speaker_parameters  # noqa: E402

SPEAKERS_DIR = ROOT.parent / "shared" / "data" / "speakers" / "librispeech_test-other"
GERMAN_DIR = ROOT.parent / "shared" / "data" / "clips" / "de"

METHODS: dict[str, list[Step]] = {
    "none": [],
    "pitch±0.05": [Step("pitch", 0.05, 0.05, either_sign=True)],  # the shifter itself: the floor of any level
    "pitch±0.5-1": [Step("pitch", 0.5, 1.0, either_sign=True)],
    "pitch±1-2": [Step("pitch", 1.0, 2.0, either_sign=True)],
    "pitch±1.5-3": [Step("pitch", 1.5, 3.0, either_sign=True)],
    "formant±1.04-1.08+pitch±1-2": [Step("formant", 1.04, 1.08, either_sign=True),
                                   Step("pitch", 1.0, 2.0, either_sign=True)],
    "formant±1.06-1.12+pitch±1.5-3": [Step("formant", 1.06, 1.12, either_sign=True),
                                     Step("pitch", 1.5, 3.0, either_sign=True)],
    "pitch": [Step("pitch", 2.0, 4.0, either_sign=True)],
    "psola±0.05": [Step("psola", 0.05, 0.05, either_sign=True)],  # the PSOLA shifter's own floor
    "psola±0.5-1": [Step("psola", 0.5, 1.0, either_sign=True)],
    "psola±1-2": [Step("psola", 1.0, 2.0, either_sign=True)],
    "psola±1.5-3": [Step("psola", 1.5, 3.0, either_sign=True)],
    "psola±2-4": [Step("psola", 2.0, 4.0, either_sign=True)],
    "formant±1.04-1.08+psola±1-2": [Step("formant", 1.04, 1.08, either_sign=True),
                                   Step("psola", 1.0, 2.0, either_sign=True)],
    "formant±1.06-1.12+psola±1.5-3": [Step("formant", 1.06, 1.12, either_sign=True),
                                     Step("psola", 1.5, 3.0, either_sign=True)],
    "formant±1.12-1.22+psola±2-4": [Step("formant", 1.12, 1.22, either_sign=True),
                                   Step("psola", 2.0, 4.0, either_sign=True)],
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


def load_german() -> tuple[list[np.ndarray], list[str]]:
    """The German clips; the Thorsten-Voice ones (``sample0N-gt``) are one speaker."""
    paths = sorted(GERMAN_DIR.glob("*.wav")) if GERMAN_DIR.is_dir() else []
    return ([to_mono_16k(decode(p)) for p in paths],
            ["thorsten" if p.stem.startswith("sample") else p.stem[:8] for p in paths])


def split_speakers(speakers: list[str], seed: int) -> tuple[set[str], set[str]]:
    """Three tune and three held-out speakers, by a seeded draw."""
    names = sorted(set(speakers))
    heldout = {str(x) for x in np.random.default_rng(seed).choice(names, size=len(names) // 2, replace=False)}
    return set(names) - heldout, heldout


SYNTHETIC = [Step("synthetic", 0.0, 0.0)]  # markers: not chains (the config's synthesizer, or the one named)
SYNTHETIC_ESPEAK = [Step("synthetic", 0.0, 0.0)]
SYNTHETIC_PIPER = [Step("synthetic", 0.0, 0.0)]
SYNTHESIZERS = {id(SYNTHETIC): "auto", id(SYNTHETIC_ESPEAK): "espeak", id(SYNTHETIC_PIPER): "piper"}
NOISE_FLOOR = [Step("noise", 0.0, 0.0)]  # marker: white noise at NOISE_FLOOR_DBFS, a change nobody hears
NOISE_FLOOR_DBFS = -80.0
CONSENSUS_SEED = 7_000_000  # the consensus reference's noise draws (other seeds than the methods')


def with_noise_floor(wavs: list[np.ndarray], seed: int) -> list[np.ndarray]:
    """Each utterance plus white noise at ``NOISE_FLOOR_DBFS`` (about three steps of 16-bit audio): what
    Whisper's transcript moves by when nothing audible changes."""
    rng = np.random.default_rng(seed % 2**32)
    return [(w + rng.normal(0.0, 10 ** (NOISE_FLOOR_DBFS / 20), len(w))).astype(np.float32) for w in wavs]


def anonymize(wavs: list[np.ndarray], speakers: list[str], chain: list[Step], seed: int,
              language: str = "en") -> list[np.ndarray]:
    """Each speaker gets one parameter draw (as one channel of one file would)."""
    if chain is NOISE_FLOOR:
        return with_noise_floor(wavs, seed)
    if id(chain) in SYNTHESIZERS:
        return resynthesize(wavs, speakers, seed, language, SYNTHESIZERS[id(chain)])
    return [apply_values(w, 16000, chain, speaker_parameters(chain, seed, s, 0))
            for w, s in zip(wavs, speakers, strict=True)]


def inverse_variants(chain: list[Step]) -> list[list[tuple[Step, float]]]:
    """The published-default inverses: midpoints undone in reverse order, every sign combination."""
    variants: list[list[tuple[Step, float]]] = [[]]
    for step in reversed(chain):
        mid = (step.low + step.high) / 2
        # a shift (pitch, psola): shift back; mcadams: (φ^α)^(1/α) = φ; formant: (r·φ)/r = φ — both
        # directions when drawn (as Step.draw does)
        ratio = step.transform in RATIO_TRANSFORMS
        inverse = 1.0 / mid if ratio else -mid
        options = [inverse, mid if ratio else -inverse] if step.either_sign else [inverse]
        variants = [v + [(Step(step.transform, value, value), value)] for v in variants for value in options]
    return variants


def embed(encoder, wavs: list[np.ndarray]) -> np.ndarray:  # type: ignore[no-untyped-def]
    from resemblyzer import preprocess_wav

    return np.stack([encoder.embed_utterance(preprocess_wav(w, source_sr=16000)) for w in wavs])


def trials(scores: np.ndarray, speakers: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The scores of all utterance pairs (i != j) of a score matrix (enrollment x trial), and whether each
    pair is one speaker (a target trial)."""
    labels = np.array(speakers)[:, None] == np.array(speakers)[None, :]
    mask = ~np.eye(len(speakers), dtype=bool)
    return scores[mask], labels[mask]


def eer(scores: np.ndarray | list[np.ndarray], speakers: list[str]) -> float:
    """Equal error rate over all utterance pairs (i != j) of a score matrix (enrollment x trial), or of
    several (one per parameter draw) pooled into one set of trials."""
    pooled = [trials(m, speakers) for m in (scores if isinstance(scores, list) else [scores])]
    s, y = np.concatenate([p[0] for p in pooled]), np.concatenate([p[1] for p in pooled])
    order = np.argsort(-s)
    y = y[order]
    far = np.cumsum(~y) / max(1, (~y).sum())  # accepted non-targets, threshold just below each score
    frr = 1 - np.cumsum(y) / max(1, y.sum())  # rejected targets
    index = int(np.argmin(np.abs(far - frr)))
    return float((far[index] + frr[index]) / 2)


def mfcc(wav: np.ndarray, rate: int = 16000, n_mels: int = 40, n_coefficients: int = 20) -> np.ndarray:
    """MFCCs (frames x 19, c0 dropped, mean-normalized): 25 ms Hamming frames every 10 ms, 512-point FFT."""
    frame, hop, n_fft = int(0.025 * rate), int(0.010 * rate), 512
    n = 1 + max(0, (len(wav) - frame) // hop)
    index = np.arange(frame)[None, :] + hop * np.arange(n)[:, None]
    frames = np.pad(wav, (0, frame))[index] * np.hamming(frame)
    power = np.abs(np.fft.rfft(frames, n_fft)) ** 2
    mel = lambda f: 2595 * np.log10(1 + f / 700)  # noqa: E731
    edges = 700 * (10 ** (np.linspace(mel(20), mel(rate / 2), n_mels + 2) / 2595) - 1)
    bins = np.fft.rfftfreq(n_fft, 1 / rate)
    filters = np.maximum(0, np.minimum((bins[None, :] - edges[:-2, None]) / (edges[1:-1, None] - edges[:-2, None]),
                                       (edges[2:, None] - bins[None, :]) / (edges[2:, None] - edges[1:-1, None])))
    log_mel = np.log(power @ filters.T + 1e-10)
    k = np.arange(n_mels)
    dct = np.cos(np.pi / n_mels * (k[None, :] + 0.5) * np.arange(n_coefficients)[:, None])
    coefficients = (log_mel @ dct.T)[:, 1:]
    return coefficients - coefficients.mean(axis=0)


def mfcc_stats(wavs: list[np.ndarray]) -> np.ndarray:
    """Per utterance: mean and standard deviation of the MFCCs and their deltas (76 values)."""
    out = []
    for w in wavs:
        c = mfcc(w)
        d = np.gradient(c, axis=0)
        out.append(np.concatenate([c.mean(0), c.std(0), d.mean(0), d.std(0)]))
    return np.stack(out)


class MfccAttacker:
    """The second attacker: MFCC statistics whitened by the within-speaker covariance (WCCN) learned on
    the tune speakers, cosine scoring."""

    def __init__(self, stats: np.ndarray, speakers: list[str]) -> None:
        self.mean = stats.mean(axis=0)
        centered = stats - self.mean
        within = np.zeros((stats.shape[1], stats.shape[1]))
        for name in set(speakers):
            rows = centered[[s == name for s in speakers]]
            within += np.cov(rows - rows.mean(0), rowvar=False) * (len(rows) - 1)
        within = within / max(1, len(stats) - len(set(speakers))) + 1e-3 * np.eye(stats.shape[1])
        self.whiten = np.linalg.cholesky(np.linalg.inv(within))

    def embed(self, stats: np.ndarray) -> np.ndarray:
        x = (stats - self.mean) @ self.whiten
        return x / np.linalg.norm(x, axis=1, keepdims=True)


_TRANSCRIBER: list = []  # type: ignore[type-arg]


def transcripts_of(wavs: list[np.ndarray], language: str = "en") -> list:  # type: ignore[type-arg]
    from anonymizer.models import locate_whisper
    from anonymizer.transcribe import FasterWhisperTranscriber
    from anonymizer.types import TimeSpan

    if not _TRANSCRIBER:
        _TRANSCRIBER.append(FasterWhisperTranscriber(locate_whisper("base")))
    return [_TRANSCRIBER[0].transcribe(w, [TimeSpan(0.0, len(w) / 16000)], language) for w in wavs]


def transcribe_all(wavs: list[np.ndarray], language: str = "en") -> list[str]:
    return [t.text for t in transcripts_of(wavs, language)]


_WORDS: dict[int, tuple] = {}  # type: ignore[type-arg]  # id of the utterance list -> its transcripts' words


def resynthesize(wavs: list[np.ndarray], speakers: list[str], seed: int, language: str,
                 engine: str = "auto") -> list[np.ndarray]:
    """The ``synthetic`` level: each utterance's words (Whisper base on the original) re-spoken, one synthetic
    voice per speaker (the speaker is the "file" the voice is drawn for)."""
    from anonymizer.synthetic import Resynthesis

    if id(wavs) not in _WORDS:
        _WORDS[id(wavs)] = tuple(t.words for t in transcripts_of(wavs, language))
    return [Resynthesis({0: words}, {}, {0: language}, seed, speaker, 16000, engine=engine).block(w[:, None], 0)[:, 0]
            for w, speaker, words in zip(wavs, speakers, _WORDS[id(wavs)], strict=True)]


def normalize(text: str) -> str:
    return re.sub(r"[^a-z0-9äöüß' ]+", " ", text.lower()).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--methods", default="default," + ",".join(METHODS))
    parser.add_argument("--no-wer", action="store_true")
    parser.add_argument("--no-eer", action="store_true", help="intelligibility only (no resemblyzer needed)")
    parser.add_argument("--speakers", choices=["tune", "heldout", "all"], default="tune")
    parser.add_argument("--draws", type=int, default=3, help="parameter draws the WER is averaged over")
    parser.add_argument("--hearings-cache", type=Path, default=None,
                        help="a folder to keep the original's hearings (its transcript and the consensus's five) "
                             "between runs: ~14 minutes each run otherwise; keyed by the audio, the model "
                             "runtime's versions and the math kernels")
    parser.add_argument("--per-draw", action="store_true",
                        help="also print each draw's c.WER+ and c.lost (the scatter behind a mean)")
    parser.add_argument("--eer-draws", type=int, default=1,
                        help="parameter draws whose trials are pooled into each EER (a level that draws a voice per "
                             "speaker, like synthetic, scatters widely with one draw of six speakers)")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--split-seed", type=int, default=2026)
    args = parser.parse_args()
    methods = {name: (default_chain() if name == "default"
                    else {"noise-floor": NOISE_FLOOR, "synthetic": SYNTHETIC, "synthetic-espeak": SYNTHETIC_ESPEAK,
                          "synthetic-piper": SYNTHETIC_PIPER}.get(name) or METHODS[name])
               for name in args.methods.split(",")}
    wavs, speakers = load_utterances()
    tune, heldout = split_speakers(speakers, args.split_seed)
    chosen = {"tune": tune, "heldout": heldout, "all": tune | heldout}[args.speakers]
    print(f"{len(set(speakers))} speakers, {len(wavs)} utterances, {sum(len(w) for w in wavs) / 16000 / 60:.1f} min; "
          f"tune {sorted(tune)}, held out {sorted(heldout)}; EERs on {args.speakers}; math kernels {math_kernels()}")
    german, german_speakers = load_german()
    pick = [k for k, s in enumerate(speakers) if s in chosen]
    eer_wavs, eer_speakers = [wavs[k] for k in pick], [speakers[k] for k in pick]
    encoder = None
    if not args.no_eer:
        from resemblyzer import VoiceEncoder

        encoder = VoiceEncoder("cpu", verbose=False)
        original = embed(encoder, eer_wavs)
        tune_pick = [k for k, s in enumerate(speakers) if s in tune]
        mfcc_attacker = MfccAttacker(mfcc_stats([wavs[k] for k in tune_pick]), [speakers[k] for k in tune_pick])
        original_mfcc = mfcc_attacker.embed(mfcc_stats(eer_wavs))
    references, consensus_refs, original_errors = {}, {}, {}
    if not args.no_wer:
        def hearings(language: str, audio: list[np.ndarray]) -> tuple[list[str], list[str]]:
            """The original's transcripts and the consensus of its noisy hearings, from the cache when there."""
            cached = None
            if args.hearings_cache is not None:
                import ctranslate2
                import faster_whisper

                # the audio, the consensus's draws, and what decodes it: a new model runtime hears differently
                digest = hashlib.sha256()
                for wav in audio:
                    digest.update(wav.tobytes())
                key = digest.hexdigest()[:16]
                runtime = f"ct2-{ctranslate2.__version__}-fw-{faster_whisper.__version__}"
                kernels = math_kernels().replace(" ", "_")
                cached = args.hearings_cache / f"{language}-{key}-{HEARINGS}-{CONSENSUS_SEED}-{runtime}-{kernels}.json"
                if cached.exists():
                    return tuple(json.loads(cached.read_text(encoding="utf-8")))
            value = ([normalize(t) for t in transcribe_all(audio, language)],
                     consensus([[normalize(t) for t in transcribe_all(with_noise_floor(audio, CONSENSUS_SEED + k),
                                                                      language)] for k in range(HEARINGS)]))
            if cached is not None:  # whole or not at all: a stopped run leaves no half-written cache file
                cached.parent.mkdir(parents=True, exist_ok=True)
                replace_atomically(cached, lambda out: out.write(json.dumps(value).encode("utf-8")))
            return value

        for language, audio in (("en", wavs), ("de", german)):
            if len(audio):
                references[language], consensus_refs[language] = hearings(language, audio)
        for language, refs in references.items():
            original_errors[language] = errors(consensus_refs[language], refs)
            print(f"{language}: the original against the consensus of {HEARINGS} hearings: WER "
                  f"{original_errors[language][0]:.1f} %, words lost {original_errors[language][1]:.1f} %")
    print(f"{'method':<30} {'orig':>5} {'ign.':>5} {'lazy':>5} {'inv.':>5} {'mfcc':>5} {'m.ign':>5} {'m.lazy':>6} "
          f"{'WER+en':>6} {'ret-en':>6} {'WER+de':>6} {'ret-de':>6} {'c.WER+en':>8} {'c.ret-en':>8} {'c.WER+de':>8} "
          f"{'c.ret-de':>8}  chain")
    rng = np.random.default_rng(args.seed)
    for name, chain in methods.items():
        run_seed, attacker_seed = (int(x) for x in rng.integers(0, 2**63 - 1, size=2))
        start = time.perf_counter()
        eers = [float("nan")] * 7
        if encoder is not None:
            # one score matrix per attacker and draw (the first draw: the run's seeds), pooled into one EER
            scores: list[list[np.ndarray]] = [[] for _ in range(6)]
            for draw in range(args.eer_draws):
                anonymized = anonymize(eer_wavs, eer_speakers, chain, run_seed + draw)
                anonymized_emb = embed(encoder, anonymized)
                lazy = anonymize(eer_wavs, eer_speakers, chain, attacker_seed + draw)
                lazy_enroll = embed(encoder, lazy)
                inverse_scores = []
                for variant in ([] if id(chain) in SYNTHESIZERS or chain is NOISE_FLOOR
                                else inverse_variants(chain)):
                    steps = [step for step, _ in variant]
                    inverted = [apply_values(w, 16000, steps, [v for _, v in variant]) for w in anonymized]
                    inverse_scores.append(original @ embed(encoder, inverted).T)
                anonymized_mfcc, lazy_mfcc = mfcc_attacker.embed(mfcc_stats(anonymized)), mfcc_attacker.embed(
                    mfcc_stats(lazy))
                # per trial, the attacker keeps the best of its sign hypotheses
                for k, matrix in enumerate([original @ anonymized_emb.T, lazy_enroll @ anonymized_emb.T,
                                            np.max(np.stack(inverse_scores), axis=0) if inverse_scores else None,
                                            original_mfcc @ anonymized_mfcc.T, lazy_mfcc @ anonymized_mfcc.T]):
                    if matrix is not None:
                        scores[k].append(matrix)
            eers = [eer(original @ original.T, eer_speakers), eer(scores[0], eer_speakers),
                    eer(scores[1], eer_speakers), eer(scores[2], eer_speakers) if scores[2] else float("nan"),
                    eer(original_mfcc @ original_mfcc.T, eer_speakers), eer(scores[3], eer_speakers),
                    eer(scores[4], eer_speakers)]
        costs = {"en": [float("nan")] * 4, "de": [float("nan")] * 4}
        for language, refs in references.items():
            audio, who = (wavs, speakers) if language == "en" else (german, german_speakers)
            draws = []
            for draw in range(args.draws):
                hypotheses = [normalize(t) for t in transcribe_all(
                    anonymize(audio, who, chain, run_seed + draw, language), language)]
                against_original = errors(refs, hypotheses)
                against_consensus = errors(consensus_refs[language], hypotheses)
                draws.append((*against_original, against_consensus[0] - original_errors[language][0],
                              against_consensus[1] - original_errors[language][1]))
            costs[language] = [float(np.mean([d[k] for d in draws])) for k in range(4)]
            if args.per_draw:
                print(f"  {name} {language} per draw, c.WER+ / c.lost: "
                      + "  ".join(f"{d[2]:.1f} / {d[3]:.1f}" for d in draws), flush=True)
        chain_text = " -> ".join(f"{s.transform}[{s.low:g},{s.high:g}]{'±' if s.either_sign else ''}" for s in chain)
        print(f"{name:<30} " + " ".join(f"{e * 100:5.1f}" for e in eers[:6]) + f" {eers[6] * 100:6.1f} "
              f"{costs['en'][0]:6.1f} {costs['en'][1]:6.1f} {costs['de'][0]:6.1f} {costs['de'][1]:6.1f} "
              f"{costs['en'][2]:8.1f} {costs['en'][3]:8.1f} {costs['de'][2]:8.1f} {costs['de'][3]:8.1f}  {chain_text}"
              f"   ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
