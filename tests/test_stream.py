"""Reading, hearing and rendering a recording in blocks: the same as the whole file, and no seams."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anonymizer.audio import channels_by_mode, decode, to_mono_16k
from anonymizer.config import load_config
from anonymizer.detect.windows import detect_windowed
from anonymizer.evidence import envelope
from anonymizer.hearing import Blocks, hear
from anonymizer.redact import noise_floor
from anonymizer.render import CROSSFADE_S, block_cuts, render, render_blocks
from anonymizer.stream import FileSource, MemorySource, Mono16k
from anonymizer.types import Audio, PiiSpan, TimeSpan, Transcript
from anonymizer.voice import Step
from tests.helpers import SAMPLES, sine, write_audio

DEFAULT_CHAIN = tuple(Step(s.transform, s.range[0], s.range[1], s.either_sign)
                      for s in load_config("default").voice.chain)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200_000), st.integers(0, 40_000)), min_size=1, max_size=12))
def test_ranges_are_the_slices_of_the_recording_in_one_pass(spans):
    """Export cuts its clips in one pass over the blocks (overlapping, unordered, past the end too)."""
    rng = np.random.default_rng(7)
    audio = Audio(rng.uniform(-0.5, 0.5, (150_000, 2)).astype(np.float32), 8000)
    wanted = [(start, start + length) for start, length in spans]
    got = dict(MemorySource(audio).ranges(wanted))
    assert sorted(got) == list(range(len(wanted)))
    for k, (start, end) in enumerate(wanted):
        assert np.array_equal(got[k], audio.samples[start:end])


def test_a_file_source_gives_the_decoded_samples_and_facts():
    path = SAMPLES / "call_de_stereo.flac"
    whole, source = decode(path), FileSource(path)
    assert np.array_equal(np.concatenate(list(source.blocks())), whole.samples)
    assert (source.n_samples, source.sample_rate_hz, source.n_channels) == (whole.n_samples, 8000, 2)
    assert source.transcribed_channels("auto") == channels_by_mode(whole, "auto") == [0, 1]
    assert np.array_equal(source.noise_floor, noise_floor(whole.samples, 8000))
    # read twice: every pass decodes anew
    assert sum(len(b) for b in source.blocks()) == whole.n_samples
    assert not source.one_signal  # agent and customer on their own channels


def test_one_signal_is_two_channels_of_one_recording():
    tone = sine(220.0, 1.0, 8000, amplitude=0.3).samples[:, 0]
    assert MemorySource(Audio(np.stack([tone, 0.98 * tone], axis=1), 8000)).one_signal
    assert not MemorySource(Audio(np.stack([tone, np.zeros_like(tone)], axis=1), 8000)).one_signal
    assert not MemorySource(Audio(tone[:, None], 8000)).one_signal


@pytest.mark.parametrize("block", [1000, 4096, 77_777])
def test_mono_16k_fed_in_blocks_is_the_whole_file_resampled(block):
    whole = decode(SAMPLES / "call_de_stereo.flac")
    for channel in (None, 1):
        stream = Mono16k(channel, whole.sample_rate_hz, whole.n_samples)
        pieces = [stream.feed(whole.samples[i : i + block]) for i in range(0, whole.n_samples, block)]
        streamed = np.concatenate([*pieces, stream.finish()])
        expected = to_mono_16k(whole.channel(channel))
        assert len(streamed) == len(expected)
        assert np.max(np.abs(streamed - expected)) < 1e-5


def test_block_borders_never_fall_inside_a_redaction():
    rate = 8000
    spans = [TimeSpan(t, t + 2.5) for t in np.arange(5.0, 600.0, 7.0)]
    cuts = block_cuts(600 * rate, spans, rate, 60.0, guard=int(0.3 * rate))
    assert cuts[0] == 0 and cuts[-1] == 600 * rate and len(cuts) > 5
    for cut in cuts[1:-1]:
        assert not any(s.start_s - 0.3 <= cut / rate <= s.end_s + 0.3 for s in spans)
    assert max(b - a for a, b in zip(cuts, cuts[1:], strict=False)) <= 90 * rate


@pytest.mark.parametrize("method", ["bleep", "noise", "silence"])
def test_rendering_in_blocks_without_a_voice_is_the_whole_file_rendering(method):
    audio = decode(SAMPLES / "call_de_stereo.flac")
    spans = {None: [TimeSpan(3.0, 4.2), TimeSpan(20.1, 21.0)], 1: [TimeSpan(35.0, 38.5), TimeSpan(49.9, 50.3)]}
    whole = render(audio, spans, method, 5.0, 1000.0, (), 1, "key")
    in_blocks = np.concatenate(list(render_blocks(MemorySource(audio), spans, method, 5.0, 1000.0, (), 1, "key",
                                                  block_s=10.0)))
    assert np.array_equal(in_blocks, whole.samples)


def _levels_db(samples: np.ndarray, frame: int) -> np.ndarray:
    n = len(samples) // frame
    return 20 * np.log10(np.sqrt(np.mean(samples[: n * frame].reshape(n, frame) ** 2, axis=1)) + 1e-9)


def test_a_steady_tone_through_the_voice_in_blocks_has_no_click_or_level_step():
    rate, frame = 16000, 320  # 20 ms frames
    tone = sine(220.0, 40.0, rate, amplitude=0.3)
    # the pitch shifter's own output of a pure tone beats (a few dB, every ~1.7 s): the one-block
    # rendering is the reference for the level
    whole = np.concatenate(list(render_blocks(MemorySource(tone), {}, "bleep", 5.0, 1000.0, DEFAULT_CHAIN, 3, "k",
                                              block_s=100.0)))[:, 0]
    out = np.concatenate(list(render_blocks(MemorySource(tone), {}, "bleep", 5.0, 1000.0, DEFAULT_CHAIN, 3, "k",
                                            block_s=8.0)))[:, 0]
    assert len(out) == len(whole) == tone.n_samples
    cuts = block_cuts(tone.n_samples, [], rate, 8.0, 0)[1:-1]
    assert len(cuts) == 4
    reference = _levels_db(whole, frame)[50:-50]
    around = int(CROSSFADE_S * rate)
    for cut in cuts:
        levels = _levels_db(out[cut - around : cut + around], frame)
        assert reference.min() - 1.0 <= levels.min() and levels.max() <= reference.max() + 1.0, \
            f"a level step or dip at the border at {cut / rate:.1f} s"
    # a click is a sample-to-sample jump larger than the one-block rendering ever makes
    jumps = np.abs(np.diff(out))
    near = np.concatenate([jumps[c - around : c + around] for c in cuts])
    assert near.max() <= 1.05 * np.abs(np.diff(whole[rate:-rate])).max(), "a click at a block border"


def test_the_evidence_envelope_of_blocks_is_the_whole_one():
    audio = decode(SAMPLES / "call_de.wav")
    from anonymizer.evidence import EnvelopeBuilder

    builder = EnvelopeBuilder(audio.n_samples, audio.n_channels)
    list(builder.tap(MemorySource(audio).blocks()))
    assert np.array_equal(builder.result(), envelope(audio))


class _Digits:
    def detect(self, transcript: Transcript) -> list[PiiSpan]:
        return [PiiSpan(w.char_start, w.char_end, "N", 1.0, "d") for w in transcript.words if w.text.isdigit()]


def test_windowed_detection_finds_each_item_once_in_the_transcripts_characters():
    words = [(str(i) if i % 7 == 0 else "word", i * 0.5, i * 0.5 + 0.4, 0.9) for i in range(500)]
    transcript = Transcript.from_words(words, "en")
    found = detect_windowed(_Digits(), transcript, window_words=60, overlap_words=10)
    assert [transcript.text[s.char_start : s.char_end] for s in found] == [str(i) for i in range(0, 500, 7)]


class _BlockEars:
    """A transcriber that hears one word per speech region and notes each block it was given."""

    model_info = None

    def __init__(self) -> None:
        self.blocks: list[tuple[float, str | None, bool]] = []

    def transcribe(self, mono, speech, language, on_language=None, on_progress=None, check_language=True):
        self.blocks.append((len(mono) / 16000, language, check_language))
        if on_language is not None:
            on_language("de")
        return Transcript.from_words([(f"w{round(s.start_s * 10)}", s.start_s + 0.1, s.start_s + 0.3, 0.9)
                                      for s in speech], "de", 0.9)


def _bursts(rate: int, total_s: float, gap_at_s: float) -> Audio:
    """Speech-like tone bursts (0.8 s on, 0.4 s off) with a 2.5 s pause at ``gap_at_s``."""
    t = np.arange(int(total_s * rate)) / rate
    on = ((t % 1.2) < 0.8) & ~((t >= gap_at_s) & (t < gap_at_s + 2.5))
    carrier = 0.3 * np.sin(2 * np.pi * 180 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))
    return Audio((carrier * on).astype(np.float32)[:, None], rate)


def test_hearing_cuts_blocks_in_pauses_and_keeps_one_timeline():
    audio = _bursts(8000, 200.0, gap_at_s=41.0)
    ears = _BlockEars()
    config = load_config("default", {"vad": {"min_silence_ms": 1500}})
    heard, _ = hear(MemorySource(audio), [None], config, ears, blocks=Blocks(transcribe_s=42.0))
    assert len(ears.blocks) >= 3
    first_s = ears.blocks[0][0]
    assert 41.0 <= first_s <= 43.5, "the first block ends in the long pause nearest its target"
    # the first block detects the language; later ones are given it, unchecked
    assert ears.blocks[0][1:] == (None, True) and all(b[1:] == ("de", False) for b in ears.blocks[1:])
    words = heard[0].transcript.words
    assert [w.start_s for w in words] == sorted(w.start_s for w in words)
    # times are on the recording's timeline: the last block's words lie after the blocks before it
    assert words[-1].start_s >= sum(length for length, *_ in ears.blocks[:-1])
    assert heard[0].blocks == len(ears.blocks)


def test_a_short_recording_is_one_block(tmp_path):
    ears = _BlockEars()
    path = write_audio(tmp_path / "short.wav", _bursts(16000, 30.0, gap_at_s=10.0))
    hear(FileSource(path), [None], load_config("default"), ears)
    assert len(ears.blocks) == 1 and ears.blocks[0][0] == pytest.approx(30.0, abs=0.01)


class _ChannelEars:
    """Hears the loud channel as German (0.95) and the quiet one as ``quiet_language`` when left to detect it."""

    model_info = None

    def __init__(self, quiet_language: str, quiet_probability: float) -> None:
        self.quiet = (quiet_language, quiet_probability)
        self.calls: list[tuple[bool, str | None]] = []

    def transcribe(self, mono, speech, language, on_language=None, on_progress=None, check_language=True):
        loud = float(np.abs(mono).max()) > 0.2
        self.calls.append((loud, language))
        heard, probability = (language, 1.0) if language else (("de", 0.95) if loud else self.quiet)
        words = [(" Hallo" if heard == "de" else " lorem", s.start_s + 0.1, s.start_s + 0.3, 0.9) for s in speech]
        return Transcript.from_words(words, heard, probability)


def _stereo(total_s: float, gap_at_s: float) -> Audio:
    loud = _bursts(8000, total_s, gap_at_s).samples[:, 0]
    return Audio(np.stack([0.3 * loud, loud], axis=1), 8000)


def test_a_channel_unsure_of_another_language_hears_the_call_in_the_surer_channels():
    """A customer channel of short answers heard as Latin in a German call: its block again, in German."""
    ears = _ChannelEars("la", 0.45)
    config = load_config("default", {"vad": {"min_silence_ms": 1500}})
    heard, _ = hear(MemorySource(_stereo(200.0, 41.0)), [0, 1], config, ears, blocks=Blocks(transcribe_s=42.0))
    assert [h.language for h in heard] == ["de", "de"]
    assert all(w.text.strip() == "Hallo" for h in heard for w in h.transcript.words)
    quiet = [language for loud, language in ears.calls if not loud]
    assert quiet[:2] == [None, "de"] and set(quiet[2:]) == {"de"}, "its first block heard again, the rest in German"
    assert heard[1].blocks >= 3 and len(ears.calls) == heard[0].blocks + heard[1].blocks + 1, "one block heard again"
    words = heard[0].transcript.words
    assert [w.start_s for w in words] == sorted(w.start_s for w in words), "one timeline, no block twice"
    assert len(words) == len(heard[1].transcript.words)


@pytest.mark.parametrize(("language", "probability"), [("en", 0.9), ("de", 0.4)])
def test_a_channel_sure_of_its_language_or_agreeing_is_heard_once(language, probability):
    """A bilingual call keeps each channel's language; a channel that agrees is not heard again."""
    ears = _ChannelEars(language, probability)
    heard, _ = hear(MemorySource(_stereo(30.0, 10.0)), [0, 1], load_config("default"), ears)
    assert [h.language for h in heard] == [language, "de"] and len(ears.calls) == 2


def test_a_configured_language_is_never_second_guessed():
    ears = _ChannelEars("la", 0.45)
    heard, _ = hear(MemorySource(_stereo(30.0, 10.0)), [0, 1], load_config("default", {"transcription": {
        "language": "en"}}), ears)
    assert [language for _, language in ears.calls] == ["en", "en"] and [h.language for h in heard] == ["en", "en"]
