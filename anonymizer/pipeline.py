"""The one straight road: decode -> vad -> transcribe -> detect -> align -> redact -> voice -> write.

``Pipeline`` wires the stages; the CLI, the batch runner and the Python API all call it. Engines are
injected (fakes in unit tests); ``Pipeline.from_config`` builds the real ones once, so one pipeline
serves many files.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anonymizer import audio as audio_io
from anonymizer.align import align, to_first_speaker, widen_skipped, words_for_span
from anonymizer.config import Config
from anonymizer.detect import Detector
from anonymizer.errors import AnonymizerError, OutputExistsError
from anonymizer.redact import redact
from anonymizer.report import GENERIC_ENTITIES, FileFacts, Report, redacted_text, sha256_file
from anonymizer.spans import intersect, merge
from anonymizer.transcribe import Transcriber, one_blas_thread
from anonymizer.types import (
    Audio,
    FileResult,
    PiiSpan,
    Redaction,
    StageTiming,
    TimeSpan,
    Transcript,
    Word,
    interleave,
)
from anonymizer.uncertain import uncertain_words, unheard_speech
from anonymizer.vad import pauses, speech_regions
from anonymizer.verify import Verifier
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


DIALOGUE_ONLY = {"AnswerToQuestion"}  # findings that need both sides of a call


@dataclass(frozen=True)
class ChannelAnalysis:
    """What one transcript (a channel, or the mix when ``channel`` is None) says must be redacted."""

    channel: int | None
    speech: list[TimeSpan]
    transcript: Transcript
    pii: list[PiiSpan]
    redactions: list[Redaction]
    marks: tuple[PiiSpan, ...]  # the text shown as placeholders: the findings and the words their audio covers

    @property
    def redacted_text(self) -> str:
        return redacted_text(self.transcript, list(self.marks))


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
        self.on_analysis: Callable[[Path, list[ChannelAnalysis]], None] | None = None

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

    def verifier(self) -> Verifier:
        """Checks outputs with this pipeline's engines (``run --verify``)."""
        cfg = self.config
        language = None if cfg.transcription.language == "auto" else cfg.transcription.language
        return Verifier(self.transcriber, self.detector, cfg.vad, language, cfg.transcription.per_channel)

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
                result = self._run(input_path, paths, overwrite)
            return self._verify(result) if verify else result  # the verifier sets its own
        except AnonymizerError as exc:
            log.info("%s: failed: %s", input_path, exc)
            return FileResult(input_path, "failed", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug in a stage must not leave an output that looks done
            log.exception("%s: unexpected failure", input_path)
            return FileResult(input_path, "failed", error=f"{input_path}: internal error: {exc!r}")

    def _verify(self, result: FileResult) -> FileResult:
        """Re-check the written output; mark the report. A FAIL removes the audio (fail closed)."""
        assert result.output_path is not None and result.report_path is not None
        report = json.loads(result.report_path.read_bytes())
        verdict = self.verifier().verify(result.input_path, result.output_path, report)
        report["verification"] = verdict.to_json()
        if verdict.status == "FAIL":
            report["status"] = "failed"
            with suppress(FileNotFoundError):
                result.output_path.unlink()
        marked = (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        audio_io.write_bytes_atomic(marked, result.report_path)
        if verdict.status == "FAIL":
            reasons = "; ".join(f"{f.entity_type or 'file'} {f.start_s:.1f}-{f.end_s:.1f} s: {f.reason}"
                                for f in verdict.findings if f.level == "FAIL")
            return dataclasses.replace(result, status="failed", output_path=None, verification=verdict.status,
                                       error=f"{result.input_path}: verification failed, audio removed: {reasons}")
        return dataclasses.replace(result, verification=verdict.status)

    def _analyze(self, source: Audio, channel: int | None, timer: _Timer) -> ChannelAnalysis:
        """VAD, transcription, detection and alignment for one channel (or the mix)."""
        cfg, rc = self.config, self.config.redaction
        with timer.stage("vad"):
            mono = audio_io.to_mono_16k(source.channel(channel))
            speech = speech_regions(mono, cfg.vad.aggressiveness, cfg.vad.frame_ms, cfg.vad.speech_pad_ms,
                                    cfg.vad.min_silence_ms)
        with timer.stage("transcribe"):
            language = None if cfg.transcription.language == "auto" else cfg.transcription.language
            transcript = self.transcriber.transcribe(mono, speech, language, on_language=self.detector.prepare)
        with timer.stage("detect"):
            pii = self.detector.detect(transcript)
            if channel is not None:  # one side of a call holds no answers to its own questions
                pii = [span for span in pii if span.recognizer not in DIALOGUE_ONLY]
            found = list(pii)
            if rc.uncertain:
                found += uncertain_words(transcript, pii, rc.uncertain_probability)
        with timer.stage("align"):
            unheard = unheard_speech(transcript, speech, rc.unheard_speech_min_ms / 1000) if rc.uncertain else []
            gaps = pauses(mono) if found or unheard else []
            redactions = align(transcript, found, source.duration_s, rc.pad_before_ms / 1000,
                               rc.pad_after_ms / 1000, rc.min_duration_ms / 1000, gaps, rc.snap_max_ms / 1000,
                               rc.snap_without_pause == "extend", rc.sentence_end_reach_ms / 1000,
                               rc.sentence_gap_ms / 1000, rc.sentence_start_reach_ms / 1000)
            for r in unheard:
                span = widen_skipped(r.span, transcript, gaps, rc.sentence_start_reach_ms / 1000,
                                     rc.sentence_end_reach_ms / 1000, rc.sentence_gap_ms / 1000)
                redactions.append(dataclasses.replace(r, start_s=round(span.start_s, 3),
                                                      end_s=round(min(span.end_s, source.duration_s), 3)))
                # a word the widened stretch silenced ("19." before a skipped "Februar 1941") is redacted in
                # the transcript too, so that it stays aligned with the audio
                found += [PiiSpan(w.char_start, w.char_end, r.entity_type, r.score, r.recognizer)
                          for w in transcript.words if span.start_s <= (w.start_s + w.end_s) / 2 <= span.end_s]
            redactions = [dataclasses.replace(r, channel=channel) for r in redactions]
        return ChannelAnalysis(channel, speech, transcript, found, redactions, tuple(found))

    def _analyze_dialogue(self, source: Audio, analyses: list[ChannelAnalysis], timer: _Timer) -> ChannelAnalysis:
        """Detection on both sides of the call in time order (context crosses channels); keeps only the
        findings the per-channel passes did not already cover."""
        rc = self.config.redaction
        dialogue = interleave([(a.channel, a.transcript) for a in analyses if a.channel is not None])
        with timer.stage("detect"):
            # a finding is one side's words (an answer is by construction): interleaving put the other
            # side's words inside a cue's rest
            pii = [to_first_speaker(dialogue, span) for span in self.detector.detect(dialogue)]
        covered = merge(r.span for a in analyses for r in a.redactions)
        with timer.stage("align"):
            mono = audio_io.to_mono_16k(source) if pii else None
            found = align(dialogue, pii, source.duration_s, rc.pad_before_ms / 1000, rc.pad_after_ms / 1000,
                          rc.min_duration_ms / 1000, pauses(mono) if mono is not None else [], rc.snap_max_ms / 1000,
                          rc.snap_without_pause == "extend", rc.sentence_end_reach_ms / 1000, rc.sentence_gap_ms / 1000,
                          rc.sentence_start_reach_ms / 1000)
        new = []
        for r in found:
            if any(span.contains(r.span) for span in covered):
                continue
            channels = {w.channel for w in dialogue.words
                        if w.char_start < r.char_end and r.char_start < w.char_end}
            new.append(dataclasses.replace(r, channel=channels.pop() if len(channels) == 1 else None,
                                           recognizer=f"{r.recognizer}+dialogue"))
        # the dialogue text marks the per-channel findings too
        by_word: dict[tuple[int | None, float, str], Word] = {(w.channel, w.start_s, w.text): w for w in dialogue.words}
        marked = list(pii)
        for a in analyses:
            for span in a.pii:
                words = [by_word[(a.channel, w.start_s, w.text)] for w in words_for_span(a.transcript, span)]
                if words:
                    marked.append(dataclasses.replace(span, char_start=min(w.char_start for w in words),
                                                      char_end=max(w.char_end for w in words)))
        return ChannelAnalysis(None, [], dialogue, pii, new, tuple(marked))

    def spans_to_render(self, redactions: list[Redaction], n_channels: int,
                         speech: dict[int, list[TimeSpan]]) -> dict[int | None, list[TimeSpan]]:
        """The spans to render per channel (None: every channel).

        A finding on one channel of a call is redacted there in full. On the other channels (echo and
        crosstalk carry its audio) it is redacted where its channel has speech (VAD, padded): while that
        side is silent there is nothing of it to echo, and the other side's words stay — a finding's
        words can span the pauses in which the other side talked (Whisper only hears the speech regions,
        so every word's audio lies inside them). Findings of no single channel (the
        mix, or a dialogue finding with words on both sides) are redacted on every channel in full.
        """
        collar_s = self.config.redaction.merge_gap_ms / 1000
        if not self.config.redaction.all_channels:
            by_channel: dict[int | None, list[TimeSpan]] = {}
            for r in redactions:
                by_channel.setdefault(r.channel, []).append(r.span)
            return {c: merge(spans, collar_s=collar_s) for c, spans in by_channel.items()}
        if not speech or all(r.channel is None for r in redactions):
            return {None: merge((r.span for r in redactions), collar_s=collar_s)}
        rendered: dict[int | None, list[TimeSpan]] = {}
        for c in range(n_channels):
            spans: list[TimeSpan] = []
            for r in redactions:
                if r.channel is None or r.channel == c or r.channel not in speech:
                    spans.append(r.span)
                else:  # (no speech at all under it: VAD missed it, keep it whole)
                    spans += intersect(r.span, speech[r.channel]) or [r.span]
            rendered[c] = merge(spans, collar_s=collar_s)
        return rendered

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
        channels = audio_io.channels_by_mode(source, cfg.transcription.per_channel)
        analyses = [self._analyze(source, channel, timer) for channel in channels]
        if len(analyses) > 1:
            dialogue = self._analyze_dialogue(source, analyses, timer)
            analyses = [_mark_dialogue_findings(a, dialogue) for a in analyses] + [dialogue]
        redactions = sorted((r for a in analyses for r in a.redactions), key=lambda r: (r.start_s, r.end_s))
        rc = cfg.redaction
        speech = {a.channel: a.speech for a in analyses if a.channel is not None}
        to_render = self.spans_to_render(redactions, source.n_channels, speech)
        analyses = [_mark_words_under_redactions(a, to_render, redactions) for a in analyses]
        if self.on_analysis is not None:
            self.on_analysis(input_path, analyses)
        # Personal data is muted before the voice transform (it never enters it); the bleep is
        # rendered after it, on the exact spans, at the level of the original speech.
        with timer.stage("redact"):
            muted = redact_channels(source, to_render, "silence", rc.fade_ms, rc.tone_hz)
        with timer.stage("voice"):
            voiced = transform(muted, self._voice_chain, self._voice_seed, input_sha)
        with timer.stage("redact"):
            rendered = redact_channels(voiced, to_render, rc.method, rc.fade_ms, rc.tone_hz, reference=source)
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
                language=analyses[0].transcript.language,
                language_probability=analyses[0].transcript.language_probability,
                redactions=tuple(redactions),
                transcript_redacted=analyses[-1].redacted_text,
                timings=timer.timings,
                voice_transform=tuple(step.transform for step in self._voice_chain),
                transcript_raw=analyses[-1].transcript.text if cfg.output.include_text else None,
                redaction_texts=(tuple(_finding_text(analyses, r) for r in redactions)
                                 if cfg.output.include_text else None),
                warnings=tuple(w for a in analyses if a.channel is not None or len(analyses) == 1
                               for w in _warnings(a.transcript, a.speech, a.channel)),
                channel_transcripts=(tuple((a.channel, a.transcript.language, a.redacted_text) for a in analyses
                                           if a.channel is not None) if len(analyses) > 1 else ()),
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


def _warnings(transcript: Transcript, speech: list[TimeSpan], channel: int | None) -> tuple[str, ...]:
    where = f"channel {channel}: " if channel is not None else ""
    warnings = []
    if not speech:
        warnings.append(f"{where}no speech detected; nothing was redacted")
    elif not transcript.words:
        warnings.append(f"{where}speech detected but the transcript is empty; review the output")
    return tuple(warnings)


def _mark_dialogue_findings(analysis: ChannelAnalysis, dialogue: ChannelAnalysis) -> ChannelAnalysis:
    """Put the dialogue pass's findings into a channel's placeholder transcript too."""
    by_word = {(w.start_s, w.text): w for w in analysis.transcript.words}
    extra = []
    for span in dialogue.pii:
        words = [by_word[(w.start_s, w.text)] for w in words_for_span(dialogue.transcript, span)
                 if w.channel == analysis.channel and (w.start_s, w.text) in by_word]
        if words:
            extra.append(dataclasses.replace(span, char_start=min(w.char_start for w in words),
                                             char_end=max(w.char_end for w in words)))
    if not extra:
        return analysis
    return dataclasses.replace(analysis, marks=(*analysis.marks, *extra))


def _mark_words_under_redactions(analysis: ChannelAnalysis, to_render: dict[int | None, list[TimeSpan]],
                                 redactions: list[Redaction]) -> ChannelAnalysis:
    """The placeholder transcript marks every word whose audio is redacted (its middle lies in a span
    rendered on its channel), not only the findings' words: padding, snapping and the other side's
    findings silence neighbours too, and a transcript must match its audio ("[ADDRESS] Berlin" under
    a bleep was a city in the text that nobody could hear)."""
    def spans_on(channel: int | None) -> list[TimeSpan]:
        if channel is None:
            return merge(span for spans in to_render.values() for span in spans)
        return merge([*to_render.get(None, []), *to_render.get(channel, [])])

    by_channel: dict[int | None, list[TimeSpan]] = {}
    extra = []
    for word in analysis.transcript.words:
        channel = analysis.channel if analysis.channel is not None or len(to_render) == 1 else word.channel
        spans = by_channel.setdefault(channel, spans_on(channel))
        middle_s = (word.start_s + word.end_s) / 2
        if not any(span.start_s < middle_s < span.end_s for span in spans):
            continue
        covering = [r for r in redactions if r.start_s < middle_s < r.end_s] or redactions
        best = max(covering, key=lambda r: (r.entity_type not in GENERIC_ENTITIES, r.score))
        extra.append(PiiSpan(word.char_start, word.char_end, best.entity_type, best.score, "redacted_audio"))
    if not extra:
        return analysis
    return dataclasses.replace(analysis, marks=(*analysis.marks, *extra))


def _finding_text(analyses: list[ChannelAnalysis], redaction: Redaction) -> str:
    """The transcript text behind a finding (``--include-text`` only)."""
    if redaction.char_start < 0:
        return ""
    if redaction.recognizer.endswith("+dialogue"):
        source = analyses[-1]  # the dialogue pass comes last
    else:
        source = next((a for a in analyses if a.channel == redaction.channel), analyses[0])
    return source.transcript.text[redaction.char_start : redaction.char_end]


def redact_channels(audio: Audio, spans: dict[int | None, list[TimeSpan]], method: str, fade_ms: float,
                    tone_hz: float, reference: Audio | None = None) -> Audio:
    """Redact ``spans[None]`` on every channel and ``spans[c]`` on channel ``c`` only."""
    out = redact(audio, spans.get(None, []), method, fade_ms, tone_hz, reference=reference)
    own = {c: s for c, s in spans.items() if c is not None and s}
    if not own:
        return out
    samples = out.samples.copy()
    for channel, channel_spans in own.items():
        one = out.with_samples(samples[:, channel : channel + 1])
        ref = reference.channel(channel) if reference is not None else None
        samples[:, channel : channel + 1] = redact(one, channel_spans, method, fade_ms, tone_hz, reference=ref).samples
    return out.with_samples(samples)


def anonymize(input_path: str | Path, output_dir: str | Path | None = None, config: str | Config | None = None,
              overwrite: bool = False) -> FileResult:
    """One call for one file: load the engines, run, return the result."""
    from anonymizer.config import load_config

    cfg = config if isinstance(config, Config) else load_config(config)
    return Pipeline.from_config(cfg).run(input_path, output_dir, overwrite)
