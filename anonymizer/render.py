"""From the source audio and the spans to redact to the anonymized audio. Pure (no models).

Personal data is muted *before* the voice transform (it never enters it: no time-stretching window can
smear a name into its neighbours), and the bleep is rendered *after* it, on the exact spans, at the
level of the original speech — so the tone is exactly ``tone_hz``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from anonymizer.redact import redact_channels
from anonymizer.timing import Stage, untimed
from anonymizer.types import Audio, TimeSpan
from anonymizer.voice import Step, transform


def render(source: Audio, to_render: Mapping[int | None, Sequence[TimeSpan]], method: str, fade_ms: float,
           tone_hz: float, chain: Sequence[Step], seed: int, file_key: str, stage: Stage = untimed) -> Audio:
    """Mute ``to_render`` (per channel; None: every channel), transform the voices (each channel with its
    own parameters drawn from ``seed`` and ``file_key``), then fill the spans with ``method``."""
    with stage("redact"):
        muted = redact_channels(source, to_render, "silence", fade_ms, tone_hz)
    with stage("voice"):
        voiced = transform(muted, chain, seed, file_key)
    with stage("redact"):
        return redact_channels(voiced, to_render, method, fade_ms, tone_hz, reference=source)



