"""A recording longer than several blocks, with the real engines: a dictated number split by a block
border is redacted whole, and every item of every copy of the call lies inside a redaction."""

from __future__ import annotations

import json

import numpy as np
import pytest

from anonymizer.audio import decode, to_mono_16k
from anonymizer.config import load_config
from anonymizer.hearing import Blocks
from anonymizer.pipeline import Pipeline
from anonymizer.spans import merge
from anonymizer.types import Audio, TimeSpan
from anonymizer.vad import pauses, speech_regions
from tests.helpers import SAMPLES, write_audio
from tests.leaks import leaked

pytestmark = pytest.mark.e2e
PAUSE_S = 2.5


class Recording:
    """Wraps the real transcriber and notes the length of each block it is given."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.block_s: list[float] = []

    @property
    def model_info(self):
        return self.inner.model_info

    def transcribe(self, mono, speech, language, **kwargs):
        self.block_s.append(len(mono) / 16000)
        return self.inner.transcribe(mono, speech, language, **kwargs)


def test_a_number_split_by_a_block_border_is_redacted_whole(tmp_path):
    call = decode(SAMPLES / "call_en.wav")
    truth = json.loads((SAMPLES / "call_en.truth.json").read_text())["pii"]
    phone = next(item for item in truth if item["label"] == "PHONE_NUMBER")
    # a pause between two groups of the dictated number ("… five five five, two six seven one")
    inside = [g for g in pauses(to_mono_16k(call)) if phone["start_s"] + 0.5 < g.start_s < phone["end_s"] - 0.5]
    split_s = max(inside, key=lambda g: g.duration_s).start_s + 0.02
    split = int(split_s * call.sample_rate_hz)
    rng = np.random.default_rng(0)

    def quiet(seconds: float) -> np.ndarray:
        return rng.normal(0, 0.001, (int(seconds * call.sample_rate_hz), 1)).astype(np.float32)

    # the call with a long pause inside the number, then the whole call again: three blocks or more
    samples = np.concatenate([call.samples[:split], quiet(PAUSE_S), call.samples[split:], quiet(2.0), call.samples])
    path = write_audio(tmp_path / "long.wav", Audio(samples, call.sample_rate_hz))
    second_s = call.duration_s + PAUSE_S + 2.0

    pipeline = Pipeline.from_config(load_config("default", {"voice": {"seed": 5}}))
    ears = Recording(pipeline.transcriber)
    pipeline.transcriber = ears
    # the first block's target lies in the pause inside the number
    pipeline.blocks = Blocks(transcribe_s=split_s + PAUSE_S / 2, render_s=15.0, detect_words=80,
                             detect_overlap_words=30)
    result = pipeline.run(path, tmp_path / "out")
    assert result.status == "ok", result.error
    assert len(ears.block_s) >= 3
    assert split_s <= ears.block_s[0] <= split_s + PAUSE_S, "the first border falls inside the number"

    spans = merge(r.span for r in result.redactions)
    number = TimeSpan(phone["start_s"], phone["end_s"] + PAUSE_S)
    assert any(s.contains(number) for s in spans), "the number is redacted whole, across the border"

    def moved(item: dict, offset_s: float) -> TimeSpan:
        start, end = item["start_s"], item["end_s"]
        shift = PAUSE_S if start >= split_s else 0.0
        return TimeSpan(start + offset_s + shift, end + offset_s + (PAUSE_S if end > split_s else 0.0))

    items = [moved(item, 0.0) for item in truth] + [TimeSpan(i["start_s"] + second_s, i["end_s"] + second_s)
                                                     for i in truth]
    assert [i for i in items if not any(s.contains(i) for s in spans)] == []

    # heard again, the output gives the number away nowhere
    output = to_mono_16k(decode(result.output_path))
    heard = pipeline.transcriber.inner.transcribe(output, speech_regions(output), "en")
    assert leaked("PHONE_NUMBER", phone["value"], heard.text) == []
