"""The pipeline with fake engines: naming, fail-closed, no overwrite, input untouched, report."""

import json
import tempfile
from pathlib import Path

import numpy as np
import pytest

from anonymizer.audio import decode
from anonymizer.config import DEFAULT_VOICE_CHAIN, load_config
from anonymizer.pipeline import Pipeline
from anonymizer.report import validate_report
from tests.fakes import ExplodingDetector, FakeDetector, FakeTranscriber
from tests.helpers import sine, voiced, write_audio

WORDS = [("Hello", 0.3, 0.6), ("Anna", 0.8, 1.1), ("call", 1.3, 1.5), ("0151", 1.6, 2.0), ("thanks", 2.4, 2.7)]


def make_pipeline(detector=None, **overrides):
    cfg = load_config(None, {"voice": {"chain": []}, **overrides})
    return Pipeline(cfg, FakeTranscriber(WORDS), detector or FakeDetector())


@pytest.fixture
def wav(tmp_path):
    return write_audio(tmp_path / "call.wav", sine(220.0, 3.0, 8000, n_channels=2, amplitude=0.3))


def test_outputs_next_to_input_with_anon_names(wav):
    result = make_pipeline().run(wav)
    assert result.status == "ok", result.error
    assert result.output_path == wav.with_name("call.anon.wav")
    assert result.report_path == wav.with_name("call.anon.json")
    assert sorted(p.name for p in wav.parent.iterdir()) == ["call.anon.json", "call.anon.wav", "call.wav"]


def test_output_keeps_rate_channels_duration(wav):
    result = make_pipeline().run(wav)
    src, out = decode(wav), decode(result.output_path)
    assert (out.sample_rate_hz, out.n_channels, out.n_samples) == (src.sample_rate_hz, src.n_channels, src.n_samples)


def test_output_dir_and_format(wav, tmp_path):
    result = make_pipeline(output={"format": "flac"}).run(wav, tmp_path / "out" / "nested")
    assert result.output_path == tmp_path / "out" / "nested" / "call.anon.flac"
    assert decode(result.output_path).container == "flac"


def test_redacted_ranges_are_bleeped_on_all_channels(wav):
    result = make_pipeline(redaction={"method": "silence", "snap_max_ms": 0, "next_word_reach_ms": 0}).run(wav)
    out = decode(result.output_path)
    for r in result.redactions:
        inner = out.samples[int(r.start_s * 8000) + 80 : int(r.end_s * 8000) - 80]
        assert not inner.any()
    # Anna (0.8-1.1) and 0151 (1.6-2.0), padded by 150 ms before and 250 ms after
    assert [(r.start_s, r.end_s) for r in result.redactions] == [(0.65, 1.35), (1.45, 2.25)]


def test_input_is_never_modified(wav):
    before = (wav.read_bytes(), wav.stat().st_mtime_ns)
    make_pipeline().run(wav)
    assert (wav.read_bytes(), wav.stat().st_mtime_ns) == before


def test_existing_output_not_overwritten_without_flag(wav):
    pipeline = make_pipeline()
    first = pipeline.run(wav)
    stamp = first.output_path.stat().st_mtime_ns
    second = pipeline.run(wav)
    assert second.status == "failed"
    assert second.error == f"{first.output_path}: output exists; pass --overwrite to replace it"
    assert first.output_path.stat().st_mtime_ns == stamp
    assert pipeline.run(wav, overwrite=True).status == "ok"


def test_fail_closed_when_a_stage_crashes(wav):
    result = make_pipeline(detector=ExplodingDetector()).run(wav)
    assert result.status == "failed"
    # the exception's type and where, never its message (a message may quote the transcript)
    assert "internal error: RuntimeError at anonymizer/detect/windows.py:" in result.error
    assert "detector crashed" not in result.error
    assert sorted(p.name for p in wav.parent.iterdir()) == ["call.wav"]  # no audio, no report, no temp file


def test_fail_closed_when_report_cannot_be_written(wav):
    (wav.parent / "call.anon.json").mkdir()  # the report's place is taken by a folder: its write fails
    result = make_pipeline().run(wav, overwrite=True)
    assert result.status == "failed"
    assert "call.anon.json: cannot write the output" in result.error
    # no audio, no temp file (the folder was there before)
    assert sorted(p.name for p in wav.parent.iterdir()) == ["call.anon.json", "call.wav"]


def test_bad_input_fails_with_file_named(tmp_path):
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    result = make_pipeline().run(bad)
    assert result.status == "failed"
    assert result.error.startswith(f"{bad}: not a recognized audio file")


def test_report_contents(wav):
    result = make_pipeline().run(wav)
    report = json.loads(result.report_path.read_text())
    assert validate_report(report) == []
    assert report["status"] == "ok"
    assert report["input"]["channels"] == 2 and report["input"]["sample_rate_hz"] == 8000
    assert report["output"]["duration_s"] == report["input"]["duration_s"] == 3.0
    # "call" lies in the 100 ms between two findings, which rendering merges: its audio is silenced too
    assert report["transcript_redacted"] == "Hello [PERSON] [PERSON] [PERSON] thanks"
    assert {"decode", "vad", "transcribe", "detect", "align", "redact", "voice", "write"} == set(report["timings_s"])
    assert report["models"][0] == {"name": "fake", "source": "test", "location": "tests/fakes.py"}
    assert report["config_hash"] == load_config(None, {"voice": {"chain": []}}).hash()


def test_report_has_no_raw_text_unless_asked(wav, tmp_path):
    report = json.loads(make_pipeline().run(wav).report_path.read_text())
    del report["timings_s"]  # numbers that may hold "0151" by chance (a stage of 0.0151 s)
    report_text = json.dumps(report)
    assert "Anna" not in report_text and "0151" not in report_text
    result = make_pipeline(output={"include_text": True}).run(wav, tmp_path / "with_text")
    report = json.loads(result.report_path.read_text())
    assert report["transcript_raw"] == "Hello Anna call 0151 thanks"
    assert [r["text"] for r in report["redactions"]] == ["Anna", "0151"]


def test_language_passed_to_transcriber(wav):
    pipeline = make_pipeline(transcription={"language": "de"})
    pipeline.run(wav)
    assert pipeline.transcriber.calls[0][2] == "de"
    auto = make_pipeline()
    auto.run(wav, overwrite=True)
    assert auto.transcriber.calls[0][2] is None


def test_silence_only_file(tmp_path):
    from anonymizer.types import Audio

    path = write_audio(tmp_path / "quiet.wav", Audio(np.zeros((16000, 1), np.float32), 16000))
    pipeline = Pipeline(load_config(None, {"voice": {"chain": []}}), FakeTranscriber([]), FakeDetector())
    result = pipeline.run(path)
    assert result.status == "ok"
    report = json.loads(result.report_path.read_text())
    assert report["redactions"] == [] and report["warnings"] == ["no speech detected; nothing was redacted"]
    assert pipeline.transcriber.calls[0][1] == []  # no speech regions were sent to the model


def test_much_unheard_speech_is_reported(tmp_path, caplog):
    # 12 s of speech, words only in its first 2 s: the rest is redacted (fail closed), and the user is told
    path = write_audio(tmp_path / "mumbled.wav", voiced(12.0))
    words = [(" hello", 0.2, 0.6), (" there", 0.7, 1.1), (" so", 1.3, 1.6)]
    pipeline = Pipeline(load_config(None, {"voice": {"chain": []}}), FakeTranscriber(words), FakeDetector())
    with caplog.at_level("WARNING"):
        result = pipeline.run(path)
    report = json.loads(result.report_path.read_text())
    assert report["redacted_seconds"] > 9
    [warning] = report["warnings"]
    assert "could not be transcribed and were redacted" in warning and "--model small" in warning
    assert warning in caplog.text and "mumbled.wav" in caplog.text
    # heard throughout: no warning
    heard = [(f" w{k}", k * 0.5, k * 0.5 + 0.4) for k in range(24)]
    result = Pipeline(load_config(None, {"voice": {"chain": []}}), FakeTranscriber(heard), FakeDetector()).run(
        path, tmp_path / "heard")
    assert json.loads(result.report_path.read_text())["warnings"] == []


def test_deny_list_phrases_stay_out_of_the_report(wav):
    lists = {"deny": ["Quirin Zabel"], "allow": ["Nordwind"]}
    result = make_pipeline(detection=lists).run(wav)
    text = result.report_path.read_text()
    assert "Quirin" not in text and "Nordwind" not in text
    report = json.loads(text)
    assert report["config"]["detection"]["deny"] == "1 phrase(s), not shown"
    assert report["config_hash"] == make_pipeline(detection=lists).config.hash()


def test_bleep_tone_is_exact_after_the_voice_transform(tmp_path):
    """PII is muted before the pitch shift and the bleep rendered after it: the tone stays at tone_hz."""
    wav = write_audio(tmp_path / "call.wav", sine(220.0, 3.0, 16000, amplitude=0.3))
    cfg = load_config(None, {"voice": {"chain": [{"transform": "pitch", "range": [-3.0, -3.0]}]}})
    result = Pipeline(cfg, FakeTranscriber(WORDS), FakeDetector()).run(wav)
    out = decode(result.output_path)
    r = result.redactions[0]
    inner = out.samples[int((r.start_s + 0.05) * 16000) : int((r.end_s - 0.05) * 16000), 0]
    peak_hz = np.argmax(np.abs(np.fft.rfft(inner))) * 16000 / len(inner)
    assert peak_hz == pytest.approx(1000.0, abs=5.0)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.wav", "wav"), ("a.flac", "flac"), ("a.mp3", "mp3"), ("a.ogg", "ogg"), ("a.opus", "ogg"), ("a.m4a", "m4a"),
     ("a.aac", "aac"), ("a.oga", "vorbis")],
)
def test_output_keeps_the_input_container(tmp_path, name, fmt):
    from anonymizer.audio import FORMATS, OutputFormat, write_atomic

    audio = sine(220.0, 2.0, 48000 if fmt in ("ogg", "vorbis") else 16000, n_channels=2, amplitude=0.3)
    vorbis = OutputFormat(".oga", "ogg", "vorbis", (("strict", "experimental"),))
    target = vorbis if fmt == "vorbis" else FORMATS[fmt]
    write_atomic(audio, tmp_path / name, target)
    source = decode(tmp_path / name)
    result = make_pipeline().run(tmp_path / name)
    assert result.status == "ok", result.error
    assert result.output_path.name == "a.anon" + (tmp_path / name).suffix
    out = decode(result.output_path)
    assert (out.codec, out.sample_rate_hz, out.n_channels) == (source.codec, source.sample_rate_hz, source.n_channels)
    assert out.duration_s == pytest.approx(source.duration_s, abs=0.07)
    assert out.container == source.container


def test_voice_parameters_are_secret_per_run_and_never_reported(tmp_path):
    wav = write_audio(tmp_path / "call.wav", sine(220.0, 2.0, 16000, n_channels=2, amplitude=0.3))
    cfg = load_config(None)  # the default chain, no seed: a fresh secret per pipeline (run)
    first = Pipeline(cfg, FakeTranscriber(WORDS), FakeDetector()).run(wav, tmp_path / "a")
    second = Pipeline(cfg, FakeTranscriber(WORDS), FakeDetector()).run(wav, tmp_path / "b")
    assert sha256_of(first.output_path) != sha256_of(second.output_path)  # different secret, different voice
    report = json.loads(first.report_path.read_text())
    assert report["voice_transforms"] == [step.transform for step in DEFAULT_VOICE_CHAIN]
    assert report["voice_level"] == "disguise" and report["voice_measured_eer_pct"]["see"] == "docs/VOICE.md"
    assert report["config"]["voice"]["seed"] == "secret, per run"
    assert report["config_hash"] == json.loads(second.report_path.read_text())["config_hash"]
    seeded = load_config(None, {"voice": {"seed": 1234567}})
    third = Pipeline(seeded, FakeTranscriber(WORDS), FakeDetector()).run(wav, tmp_path / "c")
    fourth = Pipeline(seeded, FakeTranscriber(WORDS), FakeDetector()).run(wav, tmp_path / "d")
    assert sha256_of(third.output_path) == sha256_of(fourth.output_path)  # a set seed reproduces
    text = third.report_path.read_text()
    assert "1234567" not in text and json.loads(text)["config"]["voice"]["seed"] == "set (not shown)"
    assert seeded.hash() == load_config(None, {"voice": {"seed": 7}}).hash()  # the seed is not in the hash


def sha256_of(path):
    from anonymizer.report import sha256_file

    return sha256_file(path)


def test_a_word_a_skipped_stretch_takes_in_is_redacted_in_the_transcript_too(tmp_path):
    # VAD hears speech throughout; Whisper gave up after "19." of a dictated birth date
    wav = write_audio(tmp_path / "call.wav", voiced(4.0, 16000))
    words = [("born", 0.2, 0.5), ("19.", 0.6, 0.9), ("thanks", 3.2, 3.6)]
    pipeline = Pipeline(load_config(None, {"voice": {"chain": []}}), FakeTranscriber(words), FakeDetector(r"nothing"))
    seen = {}
    pipeline.on_analysis = lambda path, analysis: seen.update(analysis=analysis)
    result = pipeline.run(wav, tmp_path / "out")
    [skipped] = [r for r in result.redactions if r.entity_type == "UNTRANSCRIBED_SPEECH"]
    assert skipped.start_s <= 0.6 and skipped.end_s >= 2.9  # the stretch took in "19." (a digit at its edge)
    text = seen["analysis"].main.redacted_text
    assert "19" not in text and "born" in text and "thanks" in text


def test_a_batch_worker_loads_the_model_before_any_file_and_run_names_the_file_a_model_failed():
    from anonymizer.batch.executors import build_pipeline
    from anonymizer.errors import ModelUnavailableError

    loaded = []

    class Unloadable(FakeTranscriber):
        def load(self):
            loaded.append(True)
            raise ModelUnavailableError("whisper model 'fake' could not be loaded: broken")

        def transcribe(self, *args, **kwargs):
            self.load()

    config = load_config(None, {"voice": {"chain": []}})
    with pytest.raises(ModelUnavailableError):  # a batch stops before marking any file failed
        build_pipeline(lambda cfg: Pipeline(cfg, Unloadable(WORDS), FakeDetector()), config.model_dump_json())
    assert loaded == [True]
    wav = write_audio(Path(tempfile.mkdtemp()) / "call.wav", voiced(2.0))
    result = Pipeline(config, Unloadable(WORDS), FakeDetector()).run(wav)  # `run` loads at its first file
    assert result.status == "failed"
    assert result.error == f"{wav}: whisper model 'fake' could not be loaded: broken"
    assert not wav.with_name("call.anon.wav").exists()
