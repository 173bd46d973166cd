"""Progress of a long run: what the pipeline reports, and what the terminal bar shows (fake engines)."""

from __future__ import annotations

import io

from anonymizer.config import load_config
from anonymizer.pipeline import Pipeline
from anonymizer.run_progress import RichRunProgress, for_terminal
from tests.fakes import FakeDetector, FakeTranscriber
from tests.helpers import sine, write_audio


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def start(self, name, duration_s):
        self.events.append(("start", name, round(duration_s)))

    def stage(self, name):
        self.events.append(("stage", name))

    def transcribed(self, fraction):
        self.events.append(("transcribed", fraction))

    def finish(self):
        self.events.append(("finish",))


def test_the_pipeline_reports_stages_and_transcription_progress(tmp_path):
    path = write_audio(tmp_path / "call.wav", sine(220.0, 90.0, 8000, n_channels=2))
    pipeline = Pipeline(load_config("default", {"voice": {"chain": []}}), FakeTranscriber([("Hi", 0.1, 0.3)]),
                        FakeDetector())
    pipeline.progress = recorder = Recorder()
    assert pipeline.run(path, tmp_path / "out").ok
    events = recorder.events
    assert events[0] == ("stage", "decode") and events[1] == ("start", "call.wav", 90)
    stages = [e[1] for e in events if e[0] == "stage"]
    assert {"vad", "transcribe", "detect", "align", "write"} <= set(stages)
    shares = [e[1] for e in events if e[0] == "transcribed"]
    assert shares == sorted(shares) and shares[-1] == 1.0  # two channels: each half of the file's share
    assert 0.5 in shares


def test_the_bar_shows_audio_time_and_speed_and_only_for_long_files():
    from rich.console import Console

    out = io.StringIO()
    bar = RichRunProgress(console=Console(file=out, force_terminal=True, width=120))
    bar.start("short.wav", 10.0)
    bar.stage("transcribe")
    bar.finish()
    assert out.getvalue() == ""  # a short file: no bar
    bar.start("long.wav", 3600.0)
    bar.stage("transcribe")
    bar.transcribed(0.5)
    bar._bar.refresh()
    shown = out.getvalue()
    bar.finish()
    assert "long.wav: transcribe" in shown and "0:30:00 / 1:00:00" in shown and "real time" in shown


def test_no_bar_off_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert for_terminal() is None
