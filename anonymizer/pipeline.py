"""The one straight road: decode -> vad -> transcribe -> detect -> align -> redact -> voice -> write.

``Pipeline`` wires the stages; the CLI, the batch runner and the Python API all call it. Engines are
injected (fakes in unit tests); ``Pipeline.from_config`` builds the real ones once, so one pipeline
serves many files.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anonymizer import audio as audio_io
from anonymizer.align import align
from anonymizer.config import Config
from anonymizer.detect import Detector
from anonymizer.errors import AnonymizerError, OutputExistsError
from anonymizer.redact import redact
from anonymizer.report import FileFacts, Report, redacted_text, sha256_file
from anonymizer.spans import merge
from anonymizer.transcribe import Transcriber
from anonymizer.types import FileResult, StageTiming, TimeSpan, Transcript
from anonymizer.vad import pauses, speech_regions
from anonymizer.voice import Step, new_secret_seed, transform

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutputPaths:
    audio: Path
    report: Path

    @staticmethod
    def for_input(input_path: Path, output_dir: Path | None, output_format: str | None) -> OutputPaths:
        """``<stem>.anon.<ext>`` and ``<stem>.anon.json`` beside the input or in ``output_dir``.

        >>> OutputPaths.for_input(Path("calls/a.b.wav"), None, None)
        OutputPaths(audio=PosixPath('calls/a.b.anon.wav'), report=PosixPath('calls/a.b.anon.json'))
        >>> OutputPaths.for_input(Path("a.m4a"), Path("out"), "flac").audio
        PosixPath('out/a.anon.flac')
        """
        directory = output_dir if output_dir is not None else input_path.parent
        stem = input_path.name[: -len(input_path.suffix)] if input_path.suffix else input_path.name
        extension = audio_io.output_extension(input_path, output_format)
        return OutputPaths(directory / f"{stem}.anon{extension}", directory / f"{stem}.anon.json")


class _Timer:
    """Wall time per stage; a stage entered twice adds up."""

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self._seconds[name] = self._seconds.get(name, 0.0) + time.perf_counter() - start

    @property
    def timings(self) -> tuple[StageTiming, ...]:
        return tuple(StageTiming(name, seconds) for name, seconds in self._seconds.items())


def _offline_environment() -> None:
    """No model hub, no telemetry, unless the user allowed downloads (set before the libraries load)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class Pipeline:
    """Anonymize files with one set of loaded engines."""

    def __init__(self, config: Config, transcriber: Transcriber, detector: Detector) -> None:
        self.config = config
        self.transcriber = transcriber
        self.detector = detector
        # the run's secret: voice parameters per speaker derive from it (never reported or logged)
        self._voice_seed = config.voice.seed if config.voice.seed is not None else new_secret_seed()
        self._voice_chain = tuple(Step(s.transform, s.range[0], s.range[1], s.either_sign)
                                  for s in config.voice.chain)

    @classmethod
    def from_config(cls, config: Config) -> Pipeline:
        """Load the real engines (faster-whisper, Presidio) offline, as the config says."""
        from anonymizer.detect.engine import DeferredDetector, PresidioDetector, check_spacy_models
        from anonymizer.models import locate_whisper
        from anonymizer.transcribe import FasterWhisperTranscriber

        tc = config.transcription
        if not tc.allow_download:
            _offline_environment()
        check_spacy_models(config.detection, tc.allow_download)
        located = locate_whisper(tc.model, tc.allow_download)
        # Presidio + spaCy load on a thread while Whisper loads and the first file is transcribed.
        language = None if tc.language == "auto" else tc.language
        detector = DeferredDetector(lambda: PresidioDetector(config.detection, tc.allow_download, language))
        transcriber = FasterWhisperTranscriber(located, tc.compute_type, tc.cpu_threads, tc.beam_size, tc.device)
        return cls(config, transcriber, detector)

    def run(self, input_path: str | Path, output_dir: str | Path | None = None, overwrite: bool = False) -> FileResult:
        """Anonymize one file. Never raises for a bad input: the result says ``failed`` and why.

        Fail closed: when any stage fails, no output audio (and no report) is left behind.
        """
        input_path = Path(input_path)
        out_dir = Path(output_dir) if output_dir is not None else None
        paths = OutputPaths.for_input(input_path, out_dir, self.config.output.format)
        try:
            return self._run(input_path, paths, overwrite)
        except AnonymizerError as exc:
            log.info("%s: failed: %s", input_path, exc)
            return FileResult(input_path, "failed", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug in a stage must not leave an output that looks done
            log.exception("%s: unexpected failure", input_path)
            return FileResult(input_path, "failed", error=f"{input_path}: internal error: {exc!r}")

    def _run(self, input_path: Path, paths: OutputPaths, overwrite: bool) -> FileResult:
        cfg = self.config
        if not overwrite:
            for existing in (paths.audio, paths.report):
                if existing.exists():
                    raise OutputExistsError(f"{existing}: output exists; pass --overwrite to replace it")
        if paths.audio.resolve() == input_path.resolve():
            raise OutputExistsError(f"{input_path}: output would overwrite the input")
        timer = _Timer()
        with timer.stage("decode"):
            source = audio_io.decode(input_path)
            input_sha = sha256_file(input_path)
        with timer.stage("vad"):
            mono = audio_io.to_mono_16k(source)
            speech = speech_regions(mono, cfg.vad.aggressiveness, cfg.vad.frame_ms, cfg.vad.speech_pad_ms,
                                    cfg.vad.min_silence_ms)
        with timer.stage("transcribe"):
            language = None if cfg.transcription.language == "auto" else cfg.transcription.language
            transcript = self.transcriber.transcribe(mono, speech, language, on_language=self.detector.prepare)
        with timer.stage("detect"):
            pii = self.detector.detect(transcript)
        with timer.stage("align"):
            rc = cfg.redaction
            redactions = align(transcript, pii, source.duration_s, rc.pad_before_ms / 1000, rc.pad_after_ms / 1000,
                               rc.min_duration_ms / 1000, pauses(mono) if pii else [], rc.snap_max_ms / 1000)
            to_render = merge((r.span for r in redactions), collar_s=rc.merge_gap_ms / 1000)
        # Personal data is muted before the voice transform (it never enters it); the bleep is
        # rendered after it, on the exact spans, at the level of the original speech.
        with timer.stage("redact"):
            muted = redact(source, to_render, "silence", rc.fade_ms, rc.tone_hz)
        with timer.stage("voice"):
            voiced = transform(muted, self._voice_chain, self._voice_seed, input_sha)
        with timer.stage("redact"):
            rendered = redact(voiced, to_render, rc.method, rc.fade_ms, rc.tone_hz, reference=source)
        with timer.stage("write"):
            paths.audio.parent.mkdir(parents=True, exist_ok=True)
            audio_io.write_atomic(rendered, paths.audio, audio_io.output_format_for(source, cfg.output.format))
        try:
            report = Report(
                input=FileFacts(input_path, input_sha, source.duration_s, source.sample_rate_hz, source.n_channels),
                output=FileFacts(paths.audio, sha256_file(paths.audio), rendered.duration_s, rendered.sample_rate_hz,
                                 rendered.n_channels),
                config=_config_for_report(cfg),
                config_hash=cfg.hash(),
                models=(self.transcriber.model_info, *self.detector.model_infos),
                language=transcript.language,
                language_probability=transcript.language_probability,
                redactions=tuple(redactions),
                transcript_redacted=redacted_text(transcript, pii),
                timings=timer.timings,
                voice_transform=tuple(step.transform for step in self._voice_chain),
                transcript_raw=transcript.text if cfg.output.include_text else None,
                redaction_texts=(tuple(transcript.text[r.char_start : r.char_end] for r in redactions)
                                 if cfg.output.include_text else None),
                warnings=_warnings(transcript, speech),
            )
            audio_io.write_bytes_atomic(report.to_bytes(), paths.report)
        except BaseException:
            with suppress(FileNotFoundError):
                paths.audio.unlink()  # fail closed: no audio without its report
            raise
        log.info("%s: %d redactions -> %s", input_path, len(redactions), paths.audio)
        return FileResult(input_path, "ok", paths.audio, paths.report, None, tuple(redactions), timer.timings)


def _config_for_report(cfg: Config) -> dict[str, Any]:
    """The effective config, with the deny/allow phrases (names the user typed) replaced by counts and
    the voice seed hidden."""
    data = cfg.model_dump(mode="json")
    data["voice"]["seed"] = "set (not shown)" if cfg.voice.seed is not None else "secret, per run"
    for key in ("deny", "allow"):
        data["detection"][key] = f"{len(data['detection'][key])} phrase(s), not shown"
    return data


def _warnings(transcript: Transcript, speech: list[TimeSpan]) -> tuple[str, ...]:
    warnings = []
    if not speech:
        warnings.append("no speech detected; nothing was redacted")
    elif not transcript.words:
        warnings.append("speech detected but the transcript is empty; review the output")
    return tuple(warnings)


def anonymize(input_path: str | Path, output_dir: str | Path | None = None, config: str | Config | None = None,
              overwrite: bool = False) -> FileResult:
    """One call for one file: load the engines, run, return the result."""
    from anonymizer.config import load_config

    cfg = config if isinstance(config, Config) else load_config(config)
    return Pipeline.from_config(cfg).run(input_path, output_dir, overwrite)
