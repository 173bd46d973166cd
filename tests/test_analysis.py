"""The analysis of stereo calls: per channel, and both sides in time order (the dialogue pass), with fakes."""

import json

import numpy as np

from anonymizer.audio import channels_by_mode, decode
from anonymizer.config import load_config
from anonymizer.pipeline import Pipeline
from anonymizer.types import Audio, PiiSpan, Transcript
from tests.fakes import FakeDetector, FakeTranscriber
from tests.helpers import sine, write_audio


def stereo(left: Audio, right: Audio) -> Audio:
    return Audio(np.concatenate([left.samples, right.samples], axis=1), left.sample_rate_hz)

def test_channels_by_mode():
    same = sine(220.0, 1.0, 8000, n_channels=2)
    different = stereo(sine(220.0, 1.0, 8000), sine(330.0, 1.0, 8000))
    assert channels_by_mode(sine(220.0, 1.0, 8000), "always") == [None]  # mono stays mono
    assert channels_by_mode(same, "auto") == [None]  # dual mono: one transcript
    assert channels_by_mode(different, "auto") == [0, 1]
    assert channels_by_mode(different, "never") == [None]
    six = Audio(np.zeros((800, 6), np.float32), 8000)
    assert channels_by_mode(six, "auto") == [None] and channels_by_mode(six, "always") == list(range(6))

class PerChannelTranscriber(FakeTranscriber):
    """Channel 0 (220 Hz) says the agent's words, channel 1 (330 Hz) the customer's."""

    def __init__(self, by_channel):
        super().__init__([])
        self.by_channel = by_channel

    def transcribe(self, mono_16k, speech, language, on_language=None, on_progress=None):
        spectrum = np.abs(np.fft.rfft(mono_16k[:16000]))
        channel = 0 if np.argmax(spectrum) < 275 else 1
        self.calls.append((len(mono_16k), speech, language))
        words = self.by_channel[channel]
        return Transcript.from_words([(w, s, e, p) for w, s, e, p in words], language or "en")

AGENT = [("Your", 0.2, 0.4, 0.9), ("IBAN?", 0.5, 0.9, 0.9)]

CUSTOMER = [("It", 1.2, 1.3, 0.9), ("is", 1.3, 1.4, 0.9), ("secret", 1.5, 2.0, 0.9), ("thanks", 2.4, 2.7, 0.9)]

class ContextDetector(FakeDetector):
    """Flags "secret" only when "IBAN?" came before it: context that crosses channels."""

    def detect(self, transcript):
        if "IBAN?" in transcript.text and "secret" in transcript.text:
            start = transcript.text.index("secret")
            return [PiiSpan(start, start + 6, "IBAN_CODE", 0.6, "ContextDetector")]
        return []

def test_stereo_per_channel_with_a_dialogue_pass(tmp_path):
    path = write_audio(tmp_path / "call.wav", stereo(sine(220.0, 3.0, 16000, amplitude=0.3),
                                                     sine(330.0, 3.0, 16000, amplitude=0.3)))
    transcriber = PerChannelTranscriber({0: [(w, s, e, p) for w, s, e, p in AGENT],
                                         1: [(w, s, e, p) for w, s, e, p in CUSTOMER]})
    cfg = load_config(None, {"voice": {"chain": []}, "redaction": {"method": "silence", "uncertain": False}})
    result = Pipeline(cfg, transcriber, ContextDetector()).run(path, tmp_path / "out")
    assert result.status == "ok", result.error
    assert len(transcriber.calls) == 2  # one transcription per channel
    [finding] = result.redactions
    assert (finding.entity_type, finding.channel) == ("IBAN_CODE", 1)
    assert finding.recognizer.endswith("+dialogue")
    report = json.loads(result.report_path.read_text())
    assert [c["channel"] for c in report["channels"]] == [0, 1]
    assert report["transcript_redacted"] == "Your IBAN? It is [IBAN_CODE] thanks"
    out = decode(result.output_path)
    middle = int((finding.start_s + finding.end_s) / 2 * 16000)
    assert not out.samples[middle - 100 : middle + 100].any()  # redacted on both channels (crosstalk)
