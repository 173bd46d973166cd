"""Frame-based LPC pole warping: the McAdams transform and formant shifting (numpy only).

The VoicePrivacy Challenge's signal-processing baseline (B2): each 20 ms frame (10 ms hop, Hann window,
which sums to a constant at 50 % overlap) is split by LPC into a spectral envelope (poles) and a residual
(excitation, which keeps the pitch); the angles of the complex poles are warped — McAdams: φ -> φ^α,
formant shift: a bilinear warp ≈ r·φ at low frequencies — and the residual is filtered through the
warped envelope. Overlap-add of the windowed frames gives a continuous signal: no clicks at frame joins.
(Formant shifting uses the bilinear warp of vocal-tract-length normalisation rather than a linear r·φ,
which would push poles past π, where they ring.)

Analysis is vectorized over frames (autocorrelation by FFT, Levinson-Durbin, batched eigenvalues of
companion matrices); only the two short IIR filters run per frame.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

FRAME_MS = 20.0
HOP_MS = 10.0
LPC_ORDER_MAX = 24
MAX_ANGLE = np.pi * 0.995
MAX_RADIUS = 0.998


def _frames(signal: np.ndarray, frame: int, hop: int) -> tuple[np.ndarray, int]:
    n_frames = max(1, int(np.ceil((len(signal) + frame) / hop)))
    padded = np.zeros((n_frames - 1) * hop + frame + frame, dtype=np.float64)
    padded[frame : frame + len(signal)] = signal  # one frame of padding in front: the first samples get full OLA
    index = np.arange(frame)[None, :] + hop * np.arange(n_frames)[:, None]
    return padded[index], len(padded)


def _levinson(autocorr: np.ndarray, order: int) -> np.ndarray:
    """LPC polynomials ``[1, a1, …, ap]`` for each row of autocorrelations (vectorized Levinson-Durbin)."""
    n = autocorr.shape[0]
    a = np.zeros((n, order + 1))
    a[:, 0] = 1.0
    error = autocorr[:, 0].copy()
    for i in range(1, order + 1):
        acc = autocorr[:, i] + np.einsum("nj,nj->n", a[:, 1:i], autocorr[:, i - 1 : 0 : -1])
        k = -acc / np.maximum(error, 1e-12)
        a_prev = a[:, 1:i].copy()
        a[:, 1:i] = a_prev + k[:, None] * a_prev[:, ::-1]
        a[:, i] = k
        error = error * (1.0 - k * k)
    return a


def _roots(polys: np.ndarray) -> np.ndarray:
    """Roots of each monic polynomial row (eigenvalues of the companion matrices, batched)."""
    n, p1 = polys.shape
    p = p1 - 1
    companion = np.zeros((n, p, p))
    companion[:, 0, :] = -polys[:, 1:]
    companion[:, np.arange(1, p), np.arange(p - 1)] = 1.0
    return np.linalg.eigvals(companion)


def _poly(roots: np.ndarray) -> np.ndarray:
    """Monic polynomial coefficients from each row of roots (real part; roots come in conjugate pairs)."""
    n, p = roots.shape
    coeffs = np.zeros((n, p + 1), dtype=complex)
    coeffs[:, 0] = 1.0
    for j in range(p):
        coeffs[:, 1 : j + 2] = coeffs[:, 1 : j + 2] - roots[:, j : j + 1] * coeffs[:, : j + 1]
    return coeffs.real


def _fir(frames: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Residual of each frame through its own inverse filter ``A(z)`` (zero initial state)."""
    order = a.shape[1] - 1
    padded = np.pad(frames, ((0, 0), (order, 0)))
    out = np.zeros_like(frames)
    for k in range(order + 1):
        out += a[:, k : k + 1] * padded[:, order - k : order - k + frames.shape[1]]
    return out


def _iir(residual: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Each frame through its own all-pole filter ``1/A(z)`` (zero initial state), all frames at once."""
    n, length = residual.shape
    order = a.shape[1] - 1
    y = np.zeros((n, length + order))
    feedback = a[:, :0:-1]  # a_p … a_1, to dot with y[t-p … t-1]
    for t in range(length):
        y[:, order + t] = residual[:, t] - np.einsum("nk,nk->n", feedback, y[:, t : t + order])
    return y[:, order:]


def lpc_order(sample_rate_hz: int) -> int:
    """LPC order by the usual rule (about one pole pair per kHz, plus a few): 12 at 8 kHz, 20 at 16 kHz.

    >>> lpc_order(8000), lpc_order(16000), lpc_order(48000)
    (12, 20, 24)
    """
    return int(np.clip(round(sample_rate_hz / 1000) + 4, 10, LPC_ORDER_MAX))


def warp_poles(
    signal: np.ndarray, sample_rate_hz: int, warp: Callable[[np.ndarray], np.ndarray], order: int | None = None
) -> np.ndarray:
    """Warp the angles of the LPC poles of ``signal`` (1-D float) with ``warp``; same length out."""
    order = order or lpc_order(sample_rate_hz)
    frame = int(round(sample_rate_hz * FRAME_MS / 1000))
    hop = frame // 2
    window = np.hanning(frame + 1)[:-1]  # periodic Hann: overlap-adds to a constant at 50 %
    frames, padded_len = _frames(signal.astype(np.float64), frame, hop)
    frames = frames * window
    energy = np.einsum("nt,nt->n", frames, frames)
    active = energy > 1e-10 * frame  # silent frames pass through unchanged
    out_frames = frames.copy()
    if active.any():
        voiced = frames[active]
        spectrum = np.fft.rfft(voiced, n=2 * frame)
        autocorr = np.fft.irfft(np.abs(spectrum) ** 2)[:, : order + 1]
        autocorr[:, 0] *= 1.0 + 1e-9  # white-noise correction keeps near-silent frames well-conditioned
        a = _levinson(autocorr, order)
        poles = _roots(a)
        angles = np.angle(poles)
        is_complex = np.abs(poles.imag) > 1e-8
        warped = np.sign(angles) * np.clip(warp(np.abs(angles)), 0.0, MAX_ANGLE)
        radius = np.minimum(np.abs(poles), MAX_RADIUS)  # a pole on the unit circle would make 1/A(z) unstable
        new_a = _poly(radius * np.exp(1j * np.where(is_complex, warped, angles)))
        synthesized = _iir(_fir(voiced, a), new_a)
        finite = np.isfinite(synthesized).all(axis=1)
        synthesized[~finite] = voiced[~finite]  # never emit inf/NaN; an unwarped frame is the safe fallback
        out_frames[np.flatnonzero(active)] = synthesized
    out = np.zeros(padded_len)
    for index in range(out_frames.shape[0]):  # overlap-add
        out[index * hop : index * hop + frame] += out_frames[index]
    return out[frame : frame + len(signal)]


def mcadams(signal: np.ndarray, sample_rate_hz: int, alpha: float) -> np.ndarray:
    """McAdams transform: pole angle φ -> φ^α (α < 1 spreads the formants, changing the timbre)."""
    return warp_poles(signal, sample_rate_hz, lambda phi: np.power(phi, alpha))


def bilinear_warp(phi: np.ndarray, ratio: float) -> np.ndarray:
    """The bilinear (all-pass) frequency warp used for vocal-tract-length normalisation: maps [0, π]
    onto itself, monotonic, scaling low frequencies by ``ratio`` and compressing towards Nyquist (a
    plain φ·ratio would pile poles up at π, where they ring).

    >>> round(float(bilinear_warp(np.array([0.01]), 1.2)[0] / 0.01), 3), float(bilinear_warp(np.array([np.pi]), 1.2)[0])
    (1.2, 3.141592653589793)
    """
    lam = (ratio - 1.0) / (ratio + 1.0)
    return phi + 2.0 * np.arctan2(lam * np.sin(phi), 1.0 - lam * np.cos(phi))


def formant_shift(signal: np.ndarray, sample_rate_hz: int, ratio: float) -> np.ndarray:
    """Formant shift: pole angles bilinearly warped (ratio > 1 raises the formants; the pitch stays)."""
    return warp_poles(signal, sample_rate_hz, lambda phi: bilinear_warp(phi, ratio))
