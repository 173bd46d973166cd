"""Stereo calls per channel, --redact-uncertain and verify, with fake engines."""

import json

import numpy as np
import pytest

from anonymizer.audio import channels_by_mode, decode
from anonymizer.config import load_config
from anonymizer.pipeline import Pipeline, redact_channels
from anonymizer.types import Audio, PiiSpan, TimeSpan, Transcript
from anonymizer.uncertain import uncertain_words, unheard_speech
from anonymizer.verify import Verifier, recovered, value_keys
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


def test_redact_channels_own_channel_only():
    audio = stereo(sine(220.0, 1.0, 8000, amplitude=0.3), sine(330.0, 1.0, 8000, amplitude=0.3))
    out = redact_channels(audio, {1: [TimeSpan(0.2, 0.6)]}, "silence", 0.0, 1000.0)
    assert not out.samples[1700:4700, 1].any()
    assert np.array_equal(out.samples[:, 0], audio.samples[:, 0])
    everywhere = redact_channels(audio, {None: [TimeSpan(0.2, 0.6)]}, "silence", 0.0, 1000.0)
    assert not everywhere.samples[1700:4700].any()


class PerChannelTranscriber(FakeTranscriber):
    """Channel 0 (220 Hz) says the agent's words, channel 1 (330 Hz) the customer's."""

    def __init__(self, by_channel):
        super().__init__([])
        self.by_channel = by_channel

    def transcribe(self, mono_16k, speech, language, on_language=None):
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


def test_unheard_speech_and_uncertain_words():
    t = Transcript.from_words([(" my", 0.5, 0.7, 0.9), (" number", 0.8, 1.1, 0.9), (" is", 1.2, 1.3, 0.9),
                               (" four", 1.4, 1.6, 0.3), (" one", 1.7, 1.75, 0.95), (" five", 1.75, 1.8, 0.95),
                               (" two", 1.8, 1.9, 0.95),
                               (" bye", 5.0, 5.3, 0.9)], "en")
    gaps = unheard_speech(t, [TimeSpan(0.4, 5.4)], min_s=1.0)
    assert [(g.start_s, g.end_s, g.entity_type) for g in gaps] == [(2.2, 4.7, "UNTRANSCRIBED_SPEECH")]
    assert unheard_speech(t, [TimeSpan(0.4, 2.0)], min_s=1.0) == []
    # "four" is unsure and inside a digit run: redacted even though no recognizer fired
    assert [t.text[s.char_start : s.char_end] for s in uncertain_words(t, [], 0.5)] == ["four"]
    assert uncertain_words(t, [], 0.2) == []
    # a lone short number ("12 months") is no dictated number: an unsure "12" stays
    t = Transcript.from_words([(" for", 0.0, 0.2, 0.9), (" 12", 0.3, 0.5, 0.2), (" months", 0.6, 0.9, 0.9)], "en")
    assert uncertain_words(t, [], 0.5) == []


def test_uncertain_chain_reaches_a_broken_off_digit():
    # "zwei eins, vier acht, …" heard as "2 times 48 ,749": the unsure "2" two words before the finding is its number
    words = [(" ist", 0.0, 0.2, 0.9), (" 2", 0.2, 0.6, 0.17), (" times", 0.6, 0.9, 0.1), (" 48", 0.9, 1.5, 0.6),
             (" ,749.", 1.5, 2.9, 0.7)]
    t = Transcript.from_words(words, "de")
    number = PiiSpan(t.text.index("48"), len(t.text), "NUMBER_SEQUENCE", 0.6, "r")
    assert [t.text[s.char_start : s.char_end] for s in uncertain_words(t, [number], 0.5)] == ["2", "times"]
    # a sure neighbour ends the chain, and so does a word without a digit
    sure = Transcript.from_words([words[0], (" 2", 0.2, 0.6, 0.17), (" times", 0.6, 0.9, 0.9), *words[3:]], "de")
    assert uncertain_words(sure, [number], 0.5) == []
    wordy = Transcript.from_words([words[0], (" zwar", 0.2, 0.6, 0.17), *words[2:]], "de")
    number = PiiSpan(wordy.text.index("48"), len(wordy.text), "NUMBER_SEQUENCE", 0.6, "r")
    assert [wordy.text[s.char_start : s.char_end] for s in uncertain_words(wordy, [number], 0.5)] == ["times"]


def test_redact_uncertain_flag_changes_the_output(tmp_path):
    path = write_audio(tmp_path / "call.wav", sine(220.0, 3.0, 16000, amplitude=0.3))
    words = [("code", 0.3, 0.6), ("seven", 1.0, 1.3), ("one", 1.4, 1.6), ("one", 1.7, 1.9), ("two", 2.0, 2.2)]

    class Unsure(FakeTranscriber):
        def transcribe(self, mono_16k, speech, language, on_language=None):
            return Transcript.from_words([(w, s, e, 0.2) for w, s, e in words], "en")

    def run(uncertain):
        cfg = load_config(None, {"voice": {"chain": []}, "redaction": {"uncertain": uncertain}})
        return Pipeline(cfg, Unsure([]), FakeDetector(r"nothing")).run(path, tmp_path / str(uncertain))

    assert {r.entity_type for r in run(True).redactions} >= {"UNCERTAIN"}
    assert "UNCERTAIN" not in {r.entity_type for r in run(False).redactions}


@pytest.mark.parametrize(
    ("found", "heard", "leaks"),
    [
        ("Martina Schneider", "thanks martina", True),
        ("Martina Schneider", "thanks [bleep] bye", False),
        ("null eins fünf eins zwei drei", "ja 0151 23 genau", True),
        ("null eins fünf eins zwei drei", "ja 15 genau", False),
        ("4711", "vier sieben eins eins", True),
    ],
)
def test_recovered(found, heard, leaks):
    assert recovered(found, "de", Transcript.from_words([(" " + w, 0, 1, 1) for w in heard.split()], "de")) is leaks


def test_value_keys_ignore_short_words():
    assert value_keys("Frau Li", "de") == ({"frau"}, [])


def test_verifier_pass_and_fail(tmp_path):
    from anonymizer.config import VadConfig

    original = write_audio(tmp_path / "call.wav", sine(220.0, 3.0, 16000, amplitude=0.3))
    words = [("call", 0.2, 0.5), ("Anna", 1.0, 1.4), ("please", 2.0, 2.4)]
    pipeline = Pipeline(load_config(None, {"voice": {"chain": []}, "redaction": {"uncertain": False}}),
                        FakeTranscriber(words), FakeDetector())
    result = pipeline.run(original, tmp_path / "out")
    report = json.loads(result.report_path.read_text())

    class Hears(FakeTranscriber):  # what the "anonymized" audio sounds like to the verifier
        def __init__(self, after):
            super().__init__(words)
            self.after, self.n = after, 0

        def transcribe(self, mono_16k, speech, language, on_language=None):
            self.n += 1
            chosen = self.words if self.n % 2 else self.after
            return Transcript.from_words([(w, s, e, 0.9) for w, s, e in chosen], "en")

    clean = Verifier(Hears([("call", 0.2, 0.5), ("please", 2.0, 2.4)]), FakeDetector(), VadConfig(), "en")
    assert clean.verify(original, result.output_path, report).status == "PASS"
    leaky = Verifier(Hears(words), FakeDetector(), VadConfig(), "en")
    verdict = leaky.verify(original, result.output_path, report)
    assert verdict.status == "FAIL"
    assert [(f.entity_type, f.reason) for f in verdict.findings] == [
        ("PERSON", "value recoverable from the output's transcript")]
    assert "Anna" not in json.dumps(verdict.to_json())  # findings carry types and times, not text
    tampered = clean.verify(original, original, report)
    assert tampered.status == "FAIL" and "modified" in tampered.findings[0].reason
    assert clean.verify(original, result.output_path, None).status == "REVIEW"


def test_a_channels_finding_spares_the_other_side_where_its_channel_is_silent():
    """The customer's finding (channel 1) stretches over a pause in which the agent talked: the
    customer's channel is redacted in full, the agent's only where the customer had speech."""
    from anonymizer.types import Redaction

    pipeline = Pipeline(load_config(None, {"voice": {"chain": []}, "redaction": {"merge_gap_ms": 0}}),
                        FakeTranscriber([]), FakeDetector())
    speech = {0: [TimeSpan(2.0, 4.0)], 1: [TimeSpan(0.0, 2.1), TimeSpan(3.9, 6.0)]}
    customer = Redaction(1.5, 4.5, "ADDRESS", 0.6, "r", channel=1)
    both = Redaction(5.0, 5.5, "EMAIL_ADDRESS", 0.5, "r+dialogue", channel=None)
    rendered = pipeline.spans_to_render([customer, both], 2, speech)
    assert rendered[1] == [TimeSpan(1.5, 4.5), TimeSpan(5.0, 5.5)]
    assert rendered[0] == [TimeSpan(1.5, 2.1), TimeSpan(3.9, 4.5), TimeSpan(5.0, 5.5)]
    # mono (no per-channel speech) and --own-channel keep their rules
    assert pipeline.spans_to_render([customer], 1, {}) == {None: [TimeSpan(1.5, 4.5)]}
    own = Pipeline(load_config(None, {"voice": {"chain": []}, "redaction": {"all_channels": False}}),
                   FakeTranscriber([]), FakeDetector())
    assert own.spans_to_render([customer], 2, speech) == {1: [TimeSpan(1.5, 4.5)]}
