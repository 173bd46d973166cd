"""End to end with the real engines on the shipped samples (CI installs the models; nothing skips).

The whole run happens with internet sockets blocked: no model hub, no spaCy download, no suffix-list
fetch. Every ground-truth PII item must lie inside a redaction, and re-transcribing the output must
recover none of the PII values.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from anonymizer.audio import decode, to_mono_16k
from anonymizer.cli import cli
from anonymizer.config import load_config
from anonymizer.pipeline import Pipeline
from anonymizer.report import read_report, validate_report
from anonymizer.spans import merge
from anonymizer.types import TimeSpan
from anonymizer.vad import speech_regions
from tests.helpers import SAMPLES, median_f0_hz
from tests.leaks import leaked

pytestmark = pytest.mark.e2e
SAMPLE_FILES = ["call_de.wav", "call_en.wav", "call_de_stereo.flac"]


def _block_network(monkeypatch: pytest.MonkeyPatch, attempts: list[str]) -> None:
    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("network blocked by test")

    real_connect = socket.socket.connect

    def guarded(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            refuse(self, address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Load the real pipeline and anonymize every sample once, sockets blocked throughout."""
    out_dir = tmp_path_factory.mktemp("e2e")
    attempts: list[str] = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        _block_network(monkeypatch, attempts)
        # a set voice seed keeps these tests deterministic (the secret per-run seed is unit-tested)
        pipeline = Pipeline.from_config(load_config("default", {"voice": {"seed": 20261124}}))
        from tests.test_run_progress import Recorder

        progress: dict[str, list] = {}
        results = {}
        for name in SAMPLE_FILES:
            pipeline.progress = Recorder()
            results[name] = pipeline.run(SAMPLES / name, out_dir)
            progress[name] = pipeline.progress.events
        pipeline.progress = None
        retranscripts, originals = {}, {}
        for name, result in results.items():
            assert result.status == "ok", result.error
            for store, path in ((retranscripts, result.output_path), (originals, SAMPLES / name)):
                mono = to_mono_16k(decode(path))
                store[name] = pipeline.transcriber.transcribe(mono, speech_regions(mono), None)
        verdicts = {name: pipeline.verifier().verify(SAMPLES / name, results[name].output_path,
                                                     read_report(results[name].report_path))
                    for name in SAMPLE_FILES}
        # the input passed off as its own anonymized output: every value is audible
        tampered = pipeline.verifier().verify(SAMPLES / "call_en.wav", SAMPLES / "call_en.wav",
                                              read_report(results["call_en.wav"].report_path))
    return {"results": results, "retranscripts": retranscripts, "originals": originals, "attempts": attempts,
            "verdicts": verdicts, "tampered": tampered, "pipeline": pipeline, "progress": progress}


def truth(name: str) -> dict:
    return json.loads((SAMPLES / f"{name.split('.')[0]}.truth.json").read_text())


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_faster_whisper_reports_its_progress(runs, name):
    shares = [e[1] for e in runs["progress"][name] if e[0] == "transcribed"]
    assert len(shares) >= 2 and shares == sorted(shares) and shares[-1] > 0.9


def test_no_network_was_attempted(runs):
    assert runs["attempts"] == []


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_every_pii_item_lies_inside_a_redaction(runs, name):
    result = runs["results"][name]
    spans = merge(r.span for r in result.redactions)
    missed = [(item["label"], item["start_s"], item["end_s"]) for item in truth(name)["pii"]
              if not any(s.contains(TimeSpan(item["start_s"], item["end_s"])) for s in spans)]
    assert missed == []


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_retranscribing_the_output_recovers_no_pii(runs, name):
    text = runs["retranscripts"][name].text
    leaks = {item["label"]: leaked(item["label"], item["value"], text) for item in truth(name)["pii"]}
    assert {label: hits for label, hits in leaks.items() if hits} == {}


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_non_pii_speech_stays_intelligible(runs, name):
    """The non-PII words the model hears in the original, it mostly still hears in the output.

    A floor, not the target: bleeps cost context and the pitch shift costs some recognition on
    8 kHz audio (measured: de 18/26, en 37/39). The retention target (>= 90 %) is the privacy
    evaluation's, with tuned snapping and voice transforms.
    """
    import re

    words = {w for phrase in truth(name)["phrases"] for w in re.findall(r"\w{4,}", phrase["text"].lower())}

    def heard(transcript):
        return words & set(re.findall(r"\w+", transcript.text.lower()))

    baseline, kept = heard(runs["originals"][name]), heard(runs["retranscripts"][name])
    assert len(baseline) >= 0.8 * len(words)  # the model understands the sample at all
    assert len(kept & baseline) / len(baseline) >= 0.6


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_output_keeps_duration_rate_channels(runs, name):
    source, output = decode(SAMPLES / name), decode(runs["results"][name].output_path)
    assert output.n_samples == source.n_samples
    assert (output.sample_rate_hz, output.n_channels) == (source.sample_rate_hz, source.n_channels)
    assert output.container == source.container


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_report_validates_and_holds_no_pii(runs, name):
    result = runs["results"][name]
    report = json.loads(result.report_path.read_text())
    assert validate_report(report) == []
    assert report["language"] == truth(name)["language"]
    assert [m["source"] for m in report["models"]][0] == "package"
    raw = result.report_path.read_text().lower()
    for item in truth(name)["pii"]:
        assert leaked(item["label"], item["value"], report["transcript_redacted"]) == []
        for word in item["value"].lower().replace(",", " ").split():
            if len(word) >= 5:
                assert word not in raw, word


def test_inputs_untouched(runs):
    from anonymizer.report import sha256_file

    for name, result in runs["results"].items():
        report = json.loads(result.report_path.read_text())
        assert report["input"]["sha256"] == sha256_file(SAMPLES / name)


def test_cli_runs_real_pipeline_on_sample(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(SAMPLES / "call_en.wav"), "-o", str(tmp_path), "--model", "tiny.en",
                                      "--language", "en", "--format", "mp3"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "call_en.anon.mp3").is_file()
    report = json.loads((tmp_path / "call_en.anon.json").read_text())
    assert report["models"][0]["name"] == "tiny.en"
    assert report["redactions"]


def test_python_api_matches_cli(tmp_path):
    from anonymizer import anonymize

    config = load_config("en", {"transcription": {"model": "tiny.en"}})
    result = anonymize(SAMPLES / "call_en.wav", tmp_path, config=config)
    assert result.status == "ok"
    assert Path(result.output_path).name == "call_en.anon.wav"


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_voice_was_changed(runs, name):
    """The default level (disguise) shifts pitch by 0.5-1 semitone (up or down, drawn per speaker): measured
    outside the redactions, every channel's median F0 moved by more than 0.35 semitones."""
    import numpy as np

    source, output = decode(SAMPLES / name), decode(runs["results"][name].output_path)
    keep = np.ones(source.n_samples, dtype=bool)
    for r in runs["results"][name].redactions:
        keep[int((r.start_s - 0.1) * source.sample_rate_hz) : int((r.end_s + 0.1) * source.sample_rate_hz)] = False
    for channel in range(source.n_channels):
        before = median_f0_hz(source.samples[:, channel], source.sample_rate_hz, keep)
        after = median_f0_hz(output.samples[:, channel], output.sample_rate_hz, keep)
        assert abs(12 * np.log2(after / before)) > 0.35, (channel, before, after)


def test_stereo_call_is_transcribed_and_detected_per_channel(runs):
    result = runs["results"]["call_de_stereo.flac"]
    report = json.loads(result.report_path.read_text())
    assert [c["channel"] for c in report["channels"]] == [0, 1]
    channels = {r.channel for r in result.redactions}
    assert {0, 1} <= channels  # the agent says "Frau Schneider" on the left, the customer the rest on the right
    agent_words = {w.lower().strip(".,?") for w in report["channels"][0]["transcript_redacted"].split()}
    assert {"kundennummer", "adresse"} <= agent_words  # each channel's transcript holds its own speaker
    # every customer item was found on the customer's channel (or by the dialogue pass)
    for item in truth("call_de_stereo.flac")["pii"]:
        span = TimeSpan(item["start_s"], item["end_s"])
        own = [r for r in result.redactions if r.span.overlaps(span)]
        assert any(r.channel in (0 if item["speaker"] == "agent" else 1, None) for r in own), item["label"]


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_verify_passes_on_the_outputs(runs, name):
    """A check that cries wolf teaches users to ignore it: the tool's own output of every sample (default
    voice) is PASS — no finding outside the redactions, nothing the disguised voice was misheard as."""
    verdict = runs["verdicts"][name]
    assert verdict.status == "PASS", verdict.findings
    assert verdict.checked_items >= 6


def test_verify_fails_when_personal_data_is_audible(runs):
    verdict = runs["tampered"]
    assert verdict.status == "FAIL"
    reasons = {f.reason for f in verdict.findings}
    assert "value recoverable from the output's transcript" in reasons
    assert {"PERSON", "PHONE_NUMBER"} <= {f.entity_type for f in verdict.findings}


def test_cli_run_verify_and_verify_command(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["run", str(SAMPLES / "call_en.wav"), "-o", str(tmp_path), "--model", "tiny.en",
                                 "--language", "en", "--verify"])
    assert result.exit_code == 0, result.output
    assert "verify: PASS" in result.output or "verify: REVIEW" in result.output
    report = json.loads((tmp_path / "call_en.anon.json").read_text())
    assert report["verification"]["status"] in ("PASS", "REVIEW")
    assert validate_report(report) == []
    checked = runner.invoke(cli, ["verify", str(SAMPLES / "call_en.wav"), str(tmp_path / "call_en.anon.wav"),
                                  "--model", "tiny.en", "--language", "en", "--json"])
    assert checked.exit_code in (0, 3), checked.output
    assert json.loads(checked.stdout)["status"] == report["verification"]["status"], checked.output
    leaked_run = runner.invoke(cli, ["verify", str(SAMPLES / "call_en.wav"), str(SAMPLES / "call_en.wav"),
                                     "--report", str(tmp_path / "call_en.anon.json"), "--model", "tiny.en",
                                     "--language", "en"])
    assert leaked_run.exit_code == 1 and leaked_run.output.startswith("FAIL"), leaked_run.output


@pytest.mark.parametrize("seconds", [None, 11])
def test_language_detection_shares_the_first_encoding(runs, seconds):
    """faster-whisper encodes the first 30 s twice when it detects the language; the transcriber runs
    the encoder once for it, and the words are exactly those of the unshared encoder — on a whole call
    and on an 11 s clip (where faster-whisper's two windows differ by a frame)."""
    transcriber = runs["pipeline"].transcriber
    mono = to_mono_16k(decode(SAMPLES / "call_en.wav"))[: seconds and seconds * 16000]
    speech = speech_regions(mono)
    before = transcriber.encoder_calls
    shared = transcriber.transcribe(mono, speech, None)
    shared_calls = transcriber.encoder_calls - before
    unshared_calls = 0
    encode_once = transcriber._model.encode

    def count(features):
        nonlocal unshared_calls
        unshared_calls += 1
        return transcriber.encode_uncached(features)

    transcriber._model.encode = count
    try:
        unshared = transcriber.transcribe(mono, speech, None)
    finally:
        transcriber._model.encode = encode_once
    assert shared.language == unshared.language == "en"
    assert shared.words == unshared.words
    assert shared_calls == unshared_calls - 1


def test_a_transcript_does_not_depend_on_what_the_process_decoded_before(runs):
    """Speech played backwards makes Whisper fall back to sampling. CTranslate2 seeds its sampler once per
    worker thread, so without a fresh model the same audio came out differently the second time."""
    transcriber = runs["pipeline"].transcriber
    backwards = to_mono_16k(decode(SAMPLES / "call_en.wav"))[::-1][: 30 * 16000].copy()
    forwards = to_mono_16k(decode(SAMPLES / "call_de.wav"))
    speech = [TimeSpan(0.0, 30.0)]
    reloads = transcriber.model_reloads
    first = transcriber.transcribe(backwards, speech, "en")
    assert transcriber._model.model.sampled  # or this test could not fail
    transcriber.transcribe(forwards, speech_regions(forwards), None)
    again = transcriber.transcribe(backwards, speech, "en")
    assert first.words and again.words == first.words
    assert transcriber.model_reloads >= reloads + 1


@pytest.mark.parametrize("tts", ["piper", "espeak"])
def test_synthetic_voice_keeps_the_words_and_no_personal_data(tmp_path, tts):
    """--voice synthetic: the English sample re-spoken by Piper or espeak-ng; its personal data is not in it
    (verify PASS or REVIEW, no FAIL) and Whisper still hears most of the kept words."""
    runner = CliRunner()
    result = runner.invoke(cli, ["run", str(SAMPLES / "call_en.wav"), "-o", str(tmp_path), "--model", "tiny.en",
                                 "--language", "en", "--voice", "synthetic", "--tts", tts, "--verify"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "call_en.anon.json").read_text())
    assert report["voice_level"] == "synthetic" and report["verification"]["status"] in ("PASS", "REVIEW")
    from anonymizer.models import locate_whisper
    from anonymizer.transcribe import FasterWhisperTranscriber

    heard = FasterWhisperTranscriber(locate_whisper("tiny.en")).transcribe(
        to_mono_16k(decode(tmp_path / "call_en.anon.wav")), [TimeSpan(0.0, 56.0)], "en").text.lower()
    kept = [w for w in report["transcript_redacted"].lower().split() if w.isalpha() and len(w) > 3]
    assert sum(w in heard for w in kept) >= 0.6 * len(kept), heard
