"""Who speaks when on a mono recording of a call: speaker turns for the voice stage. Pure numpy, no model.

A mono call holds two voices on one channel; the voice stage gives each speaker their own parameters (or
synthetic voice) only when it knows which is which. The recording is read once in blocks; for every
``WINDOW_S`` of speech (hop ``HOP_S``) the mean telephone-band MFCCs (100–3800 Hz, so 8 kHz calls and
wide-band files are described alike) make one vector; the vectors are standardized and split in two by
k-means, and each 10 ms of speech takes the vote of the windows over it. Then ``RESEGMENT_ROUNDS`` times a
full-covariance Gaussian is fitted to each side and every frame goes to the side that explains the
``WINDOW_S`` around it better (a last round over ``BORDER_S`` sharpens the borders). The split counts as
two speakers only when two Gaussians describe the frames much better than one (``MIN_GAIN_NATS`` per frame: one voice
split by what it says gains little) and the smaller side holds at least ``MIN_SHARE`` of the speech —
otherwise the file has one speaker and nothing changes. Turns shorter than ``MIN_TURN_S`` join their
neighbours, and a change of speaker falls in the middle of the pause between them.

Measured by ``benchmarks/eval_diarize.py`` (two-speaker mixes of LibriSpeech speakers, and one-speaker
files, at 16 kHz and in the telephone band); the thresholds were set on the tune speakers only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from anonymizer.stream import AudioSource
from anonymizer.types import TimeSpan

FRAME_S = 0.025
HOP_FRAME_S = 0.010
WINDOW_S = 1.5
HOP_S = 0.75
MIN_WINDOW_SPEECH_S = 0.5
N_MELS = 26
N_MFCC = 14  # c1..c13 (c0, the level, says nothing about who speaks)
BAND_HZ = (100.0, 3800.0)
MIN_GAIN_NATS = 0.62  # per frame: two speakers (see likelihood_gain); set on the tune speakers
MIN_SHARE = 0.1
MIN_TURN_S = 1.0
MIN_WINDOWS = 8  # fewer windows of speech (about 6 s): one speaker
RESEGMENT_ROUNDS = 3
CHUNK_FRAMES = 60_000  # 10 minutes of frames at a time in the statistics
BORDER_S = 0.5  # the last resegmentation looks this far around a frame (earlier rounds: WINDOW_S)


@dataclass(frozen=True)
class SpeakerTurn:
    """``[start_s, end_s)`` belongs to speaker ``speaker`` (0, 1, … in order of first appearance)."""

    start_s: float
    end_s: float
    speaker: int


def speaker_turns(source: AudioSource, speech: Sequence[TimeSpan], two: bool = False) -> tuple[SpeakerTurn, ...]:
    """The turns of a mono recording's speakers; ``()`` when it has one speaker (or too little speech).
    ``two``: the caller knows there are two; split whenever a split can be made."""
    frames = _mfcc_frames(source)
    return turns_from_features(frames, speech, source.duration_s, two)


def turns_from_features(frames: np.ndarray, speech: Sequence[TimeSpan], duration_s: float, two: bool = False,
                        ) -> tuple[SpeakerTurn, ...]:
    """Turns from per-frame MFCCs ``(n_frames, N_MFCC - 1)`` at ``HOP_FRAME_S`` and the speech regions."""
    labels, gain = frame_labels(frames, speech)
    if labels is None:
        return ()
    spoken = labels[labels >= 0]
    if not two and (gain < MIN_GAIN_NATS or min(np.mean(spoken == 0), np.mean(spoken == 1)) < MIN_SHARE):
        return ()
    runs = _merged_runs(_runs(labels))
    if len({label for _, _, label in runs}) < 2:
        return ()
    return _turns(runs, duration_s)


def frame_labels(frames: np.ndarray, speech: Sequence[TimeSpan]) -> tuple[np.ndarray | None, float]:
    """The best split of the speech frames in two (label 0/1 per frame, -1 outside speech) and its
    ``likelihood_gain``: k-means on window vectors, then ``RESEGMENT_ROUNDS`` rounds of one full-covariance
    Gaussian per side, each frame going to the side that explains the ``WINDOW_S`` around it better."""
    in_speech = _speech_mask(len(frames), speech)
    starts, vectors = _windows(frames, in_speech)
    if len(vectors) < MIN_WINDOWS:
        return None, 0.0
    window_labels = split_in_two(np.asarray(vectors))
    if window_labels is None:
        return None, 0.0
    votes = np.zeros((len(frames), 2), np.int16)
    step = int(round(WINDOW_S / HOP_FRAME_S))
    for start, label in zip(starts, window_labels, strict=True):
        votes[start : start + step, label] += 1
    labels = np.where(in_speech & (votes.sum(axis=1) > 0), np.argmax(votes, axis=1), -1).astype(np.int8)
    del votes
    for _ in range(RESEGMENT_ROUNDS):
        labels = _resegmented(frames, labels, in_speech, step)
    if min(np.sum(labels == 0), np.sum(labels == 1)) <= frames.shape[1]:
        return None, 0.0
    gain = likelihood_gain(frames, labels)
    labels = _resegmented(frames, labels, in_speech, int(round(BORDER_S / HOP_FRAME_S)))  # sharper borders
    first = labels[labels >= 0][0]
    labels = np.where(labels >= 0, labels if first == 0 else 1 - labels, -1)  # 0: the speaker heard first
    return labels, gain


def _resegmented(frames: np.ndarray, labels: np.ndarray, in_speech: np.ndarray, smooth: int) -> np.ndarray:
    """Each speech frame to the side whose Gaussian explains the ``smooth`` frames around it better."""
    sides = [_gaussian(frames, labels == k) for k in (0, 1)]
    if any(g is None or g[0] <= 4 * frames.shape[1] for g in sides):
        return labels
    ratio = np.zeros(len(frames), np.float32)
    for a in range(0, len(frames), CHUNK_FRAMES):
        chunk = frames[a : a + CHUNK_FRAMES]
        ratio[a : a + len(chunk)] = _log_likelihood(chunk, sides[0]) - _log_likelihood(chunk, sides[1])  # type: ignore[arg-type]
    ratio[~in_speech] = 0.0
    smoothed = np.convolve(ratio, np.ones(smooth, np.float32), mode="same")
    return np.where(labels >= 0, (smoothed < 0).astype(np.int8), -1).astype(np.int8)


def _log_likelihood(frames: np.ndarray, gaussian: tuple[int, np.ndarray, np.ndarray]) -> np.ndarray:
    """Each frame's log density under ``gaussian`` (count, mean, covariance; constants dropped)."""
    _, mean, cov = gaussian
    cov = cov + 1e-6 * np.eye(len(mean))
    centred = frames - mean
    return -0.5 * (np.einsum("ij,jk,ik->i", centred, np.linalg.inv(cov), centred) + np.linalg.slogdet(cov)[1])


def _mfcc_frames(source: AudioSource) -> np.ndarray:
    """MFCCs c1..c13 of the mono mix, one row per ``HOP_FRAME_S``, read block by block."""
    rate = source.sample_rate_hz
    frame, hop = int(round(FRAME_S * rate)), int(round(HOP_FRAME_S * rate))
    n_fft = 1 << (frame - 1).bit_length()
    bank = _mel_bank(rate, n_fft)
    dct = _dct_matrix(N_MELS, N_MFCC)[1:]
    window = np.hamming(frame).astype(np.float32)
    # one array filled in place (its size from the duration, grown if a codec's duration was short): a
    # list of blocks' rows concatenated at the end held every frame twice (4 h: 75 MB more at the peak)
    frames = np.zeros((int(source.duration_s / HOP_FRAME_S) + 16, N_MFCC - 1), np.float32)
    filled = 0
    carry = np.zeros(0, np.float32)
    for block in source.blocks():
        mono = np.concatenate([carry, block.mean(axis=1, dtype=np.float32)])
        n = max(0, (len(mono) - frame) // hop + 1)
        if n:
            index = np.arange(frame)[None, :] + hop * np.arange(n)[:, None]
            spectrum = np.abs(np.fft.rfft(mono[index] * window, n_fft)) ** 2
            if filled + n > len(frames):
                frames = np.concatenate([frames, np.zeros((max(n, len(frames) // 8), frames.shape[1]), np.float32)])
            frames[filled : filled + n] = np.log(spectrum @ bank.T + 1e-10) @ dct.T
            filled += n
        carry = mono[n * hop :]
    return frames[:filled]


def _mel_bank(rate_hz: int, n_fft: int) -> np.ndarray:
    def mel(hz: np.ndarray | float) -> np.ndarray:
        return 2595 * np.log10(1 + np.asarray(hz) / 700)

    low, high = BAND_HZ[0], min(BAND_HZ[1], rate_hz / 2 - 100)
    edges_hz = 700 * (10 ** (np.linspace(mel(low), mel(high), N_MELS + 2) / 2595) - 1)
    bins_hz = np.fft.rfftfreq(n_fft, 1 / rate_hz)
    bank = np.zeros((N_MELS, len(bins_hz)))
    for m in range(N_MELS):
        a, b, c = edges_hz[m : m + 3]
        bank[m] = np.clip(np.minimum((bins_hz - a) / (b - a), (c - bins_hz) / (c - b)), 0, None)
    return bank


def _dct_matrix(n_in: int, n_out: int) -> np.ndarray:
    k, n = np.arange(n_out)[:, None], np.arange(n_in)[None, :]
    return np.cos(np.pi * k * (2 * n + 1) / (2 * n_in))


def _speech_mask(n_frames: int, speech: Iterable[TimeSpan]) -> np.ndarray:
    mask = np.zeros(n_frames, bool)
    for span in speech:
        mask[int(span.start_s / HOP_FRAME_S) : int(np.ceil(span.end_s / HOP_FRAME_S))] = True
    return mask


def _windows(frames: np.ndarray, in_speech: np.ndarray) -> tuple[list[int], list[np.ndarray]]:
    """One vector per window with enough speech: the mean MFCCs of its speech frames."""
    step, hop = int(round(WINDOW_S / HOP_FRAME_S)), int(round(HOP_S / HOP_FRAME_S))
    least = int(MIN_WINDOW_SPEECH_S / HOP_FRAME_S)
    starts, vectors = [], []
    for start in range(0, max(0, len(frames) - least + 1), hop):
        picked = frames[start : start + step][in_speech[start : start + step]]
        if len(picked) >= least:
            starts.append(start)
            vectors.append(picked.mean(axis=0))
    return starts, vectors


def likelihood_gain(frames: np.ndarray, labels: np.ndarray) -> float:
    """How much better two full-covariance Gaussians describe the labelled frames than one, in nats per
    frame (the BIC of speaker change detection without its penalty): one voice split by what it says
    gains little, two voices much more."""
    sides = [_gaussian(frames, labels == k) for k in (0, 1)]
    if any(g is None for g in sides):
        return 0.0
    both = _gaussian(frames, labels >= 0)
    assert both is not None
    return (_weighted_logdet(both) - sum(_weighted_logdet(g) for g in sides if g is not None)) / (2 * both[0])


def _weighted_logdet(gaussian: tuple[int, np.ndarray, np.ndarray]) -> float:
    n, _, cov = gaussian
    return n * float(np.linalg.slogdet(cov)[1])


def _gaussian(frames: np.ndarray, chosen: np.ndarray) -> tuple[int, np.ndarray, np.ndarray] | None:
    """Count, mean and covariance of the chosen frames, summed in chunks (memory stays small for hours);
    None for fewer frames than a covariance needs."""
    n, dims = int(np.sum(chosen)), frames.shape[1]
    if n <= dims:
        return None
    total, outer = np.zeros(dims), np.zeros((dims, dims))
    for a in range(0, len(frames), CHUNK_FRAMES):
        x = frames[a : a + CHUNK_FRAMES][chosen[a : a + CHUNK_FRAMES]].astype(np.float64)
        total += x.sum(axis=0)
        outer += x.T @ x
    mean = total / n
    return n, mean, (outer - n * np.outer(mean, mean)) / (n - 1)


def split_in_two(vectors: np.ndarray) -> np.ndarray | None:
    """k-means in two on standardized vectors (deterministic: it starts from the vector farthest from
    the mean and the one farthest from that); None when one side ends up empty."""
    scale = vectors.std(axis=0)
    x = (vectors - vectors.mean(axis=0)) / np.where(scale > 1e-9, scale, 1.0)
    a = int(np.argmax(np.sum(x**2, axis=1)))
    b = int(np.argmax(np.sum((x - x[a]) ** 2, axis=1)))
    centres = x[[a, b]].copy()
    labels = np.full(len(x), -1)
    for _ in range(50):
        new = np.argmin(np.linalg.norm(x[:, None, :] - centres[None, :, :], axis=2), axis=1)
        if min(np.sum(new == 0), np.sum(new == 1)) == 0:
            return None
        centres = np.stack([x[new == k].mean(axis=0) for k in (0, 1)])
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _runs(labels: np.ndarray) -> list[tuple[int, int, int]]:
    """``(first, end, label)`` of each run of frames with one speaker label (-1: no speech, skipped)."""
    out: list[tuple[int, int, int]] = []
    start = 0
    for k in range(1, len(labels) + 1):
        if k == len(labels) or labels[k] != labels[start]:
            if labels[start] >= 0:
                out.append((start, k, int(labels[start])))
            start = k
    return out


def _merged_runs(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Runs of one label joined across pauses; a turn shorter than ``MIN_TURN_S`` joins its longer neighbour."""
    shortest = int(MIN_TURN_S / HOP_FRAME_S)
    merged = _join_same(runs)
    while len(merged) > 1:
        lengths = [end - first for first, end, _ in merged]
        k = int(np.argmin(lengths))
        if lengths[k] >= shortest:
            break
        first, end, _ = merged[k]
        left = merged[k - 1] if k > 0 else None
        right = merged[k + 1] if k + 1 < len(merged) else None
        neighbour = left if right is None or (left is not None and left[1] - left[0] >= right[1] - right[0]) else right
        assert neighbour is not None
        merged[k] = (first, end, neighbour[2])
        merged = _join_same(merged)
    return merged


def _join_same(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for first, end, label in runs:
        if out and out[-1][2] == label:
            out[-1] = (out[-1][0], end, label)
        else:
            out.append((first, end, label))
    return out


def _turns(runs: list[tuple[int, int, int]], duration_s: float) -> tuple[SpeakerTurn, ...]:
    """Turns covering the whole recording: a change of speaker in the middle of the pause between runs."""
    order: dict[int, int] = {}
    for _, _, label in runs:
        order.setdefault(label, len(order))
    turns = []
    start_s = 0.0
    for k, (_, end, label) in enumerate(runs):
        end_s = duration_s if k + 1 == len(runs) else (end + runs[k + 1][0]) / 2 * HOP_FRAME_S
        turns.append(SpeakerTurn(round(start_s, 3), round(min(end_s, duration_s), 3), order[label]))
        start_s = end_s
    return tuple(turns)


def speakers_at(turns: Sequence[SpeakerTurn], times_s: Sequence[float] | np.ndarray) -> np.ndarray:
    """The speaker of the turn holding each time (turns are in order and cover the recording; before the
    first or after the last: theirs; 0 without turns)."""
    if not turns:
        return np.zeros(len(times_s), int)
    index = np.searchsorted([t.start_s for t in turns], np.asarray(times_s, float), side="right") - 1
    return np.array([t.speaker for t in turns])[np.clip(index, 0, None)]


def speaker_at(turns: Sequence[SpeakerTurn], time_s: float) -> int:
    """``speakers_at`` for one time."""
    return int(speakers_at(turns, [time_s])[0])
