"""The one straight road: decode -> analyze (vad, transcribe, detect, align) -> render (redact, voice) -> write.

``Pipeline`` wires the stages; the CLI, the batch runner and the Python API all call it. Engines are
injected (fakes in unit tests); ``Pipeline.from_config`` builds the real ones once, so one pipeline
serves many files. The slow half is ``analysis.analyze``, the fast half ``outputs.write_outputs``.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Callable
from pathlib import Path

from anonymizer.analysis import Analysis, analyze
from anonymizer.config import Config
from anonymizer.console import describe_bug, shown
from anonymizer.detect import Detector
from anonymizer.errors import AnonymizerError, LanguageMismatchError, ModelUnavailableError
from anonymizer.hearing import DEFAULT_BLOCKS
from anonymizer.keep import Kept, keep, now_s
from anonymizer.outputs import OutputPaths, Source, write_outputs
from anonymizer.report import sha256_file
from anonymizer.stream import FileSource
from anonymizer.timing import Progress, StageTimer
from anonymizer.transcribe import Transcriber, one_blas_thread
from anonymizer.types import FileResult, FileStatus
from anonymizer.verify import Verifier
from anonymizer.voice import Step, new_secret_seed

log = logging.getLogger(__name__)

__all__ = ["OutputPaths", "Pipeline", "anonymize"]


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
        # evaluation tools may look at the transcripts and findings (in memory; never written or logged)
        self.on_analysis: Callable[[Path, Analysis], None] | None = None
        self.progress: Progress | None = None  # what a long run shows while it works (the CLI's bar)
        self.kept_path: Path | None = None  # where the last analysis was kept (private cache)
        self.blocks = DEFAULT_BLOCKS  # how much of a recording is in memory at once

    @classmethod
    def from_config(cls, config: Config) -> Pipeline:
        """The real engines (faster-whisper, Presidio), offline, as the config says: the models are found
        now (a missing one raises here) and loaded when first needed (``load`` for at once)."""
        from anonymizer.detect.engine import DeferredDetector, PresidioDetector, check_spacy_models, import_presidio
        from anonymizer.models import locate_whisper
        from anonymizer.transcribe import FasterWhisperTranscriber

        tc = config.transcription
        if not tc.allow_download:
            _offline_environment()
        check_spacy_models(config.detection, tc.allow_download)
        located = locate_whisper(tc.model, tc.allow_download)
        # Presidio + spaCy load on a thread while Whisper loads and the first file is transcribed: their
        # imports from the moment Whisper's model starts loading, the language's part once it is known.
        detector = DeferredDetector(lambda: PresidioDetector(config.detection, tc.allow_download, tc.forced_language),
                                    imports=import_presidio)
        transcriber = FasterWhisperTranscriber(located, tc.compute_type, tc.cpu_threads, tc.beam_size, tc.device,
                                               on_load=detector.start)
        return cls(config, transcriber, detector)

    def load(self) -> None:
        """Load Whisper's model now instead of at the first file (batch workers; a no-op for engines
        that load nothing)."""
        load = getattr(self.transcriber, "load", None)
        if load is not None:
            load()

    def config_with_seed(self) -> Config:
        """The config with this run's secret voice seed (for the private kept analysis only)."""
        return self.config.model_copy(update={"voice": self.config.voice.model_copy(update={"seed": self._voice_seed})})

    def verifier(self) -> Verifier:
        """Checks outputs with this pipeline's engines (``run --verify``)."""
        cfg = self.config
        return Verifier(self.transcriber, self.detector, cfg.vad, cfg.transcription.forced_language,
                        cfg.transcription.per_channel)

    def run(self, input_path: str | Path, output_dir: str | Path | None = None, overwrite: bool = False,
            verify: bool = False) -> FileResult:
        """Anonymize one file. Never raises for a bad input: the result says ``failed`` and why.

        Fail closed: when any stage fails, no output audio (and no report) is left behind.
        """
        input_path = Path(input_path)
        out_dir = Path(output_dir) if output_dir is not None else None
        paths = OutputPaths.for_input(input_path, out_dir, self.config.output.format)
        try:
            with one_blas_thread():
                return self._run(input_path, paths, overwrite, verify)
        except (LanguageMismatchError, ModelUnavailableError) as exc:  # raised where the file's name is unknown
            log.info("%s: failed: %s", shown(input_path), exc)
            return FileResult(input_path, FileStatus.FAILED, error=f"{input_path}: {exc}")
        except AnonymizerError as exc:
            log.info("%s: failed: %s", shown(input_path), exc)
            return FileResult(input_path, FileStatus.FAILED, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug in a stage must not leave an output that looks done
            bug = describe_bug(exc)  # never the exception's message: it may quote the transcript
            log.error("%s: unexpected failure: %s", shown(input_path), bug)
            log.debug("where (frames only):\n%s", "".join(traceback.format_tb(exc.__traceback__)))
            return FileResult(input_path, FileStatus.FAILED, error=f"{input_path}: internal error: {bug}")

    def _run(self, input_path: Path, paths: OutputPaths, overwrite: bool, verify: bool) -> FileResult:
        paths.check(input_path, overwrite)
        progress = self.progress
        timer = StageTimer(progress.stage if progress is not None else None)
        with timer.stage("decode"):  # a first pass: length, channels; later passes decode again, block by block
            source = Source(input_path, FileSource(input_path), sha256_file(input_path))
        if progress is not None:
            progress.start(input_path.name, source.audio.duration_s)
        log.info("%s: %.1f s, %d channel(s) at %d Hz", shown(input_path), source.audio.duration_s,
                 source.audio.n_channels, source.audio.sample_rate_hz)
        analysis = analyze(source.audio, self.config, self.transcriber, self.detector, timer.stage, progress,
                           self.blocks)
        models = (self.transcriber.model_info, *self.detector.model_infos)
        if self.config.output.keep_analysis:  # privately: review and apply re-render from it without a model
            self.kept_path = keep(Kept(input_path.resolve(), source.sha256, self.config_with_seed(), analysis,
                                       paths.resolved(), models, now_s()))
        result, analysis = write_outputs(source, analysis, self.config, self._voice_chain, self._voice_seed, paths,
                                         models, timer, self.verifier().verify if verify else None,
                                         blocks=self.blocks)
        if self.on_analysis is not None:
            self.on_analysis(input_path, analysis)
        return result


def anonymize(input_path: str | Path, output_dir: str | Path | None = None, config: str | Config | None = None,
              overwrite: bool = False) -> FileResult:
    """One call for one file: load the engines, run, return the result."""
    from anonymizer.config import load_config

    cfg = config if isinstance(config, Config) else load_config(config)
    return Pipeline.from_config(cfg).run(input_path, output_dir, overwrite)
