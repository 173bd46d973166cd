"""The fast half of a run: from a file's ``Analysis`` to the anonymized audio and its report on disk.

No model is needed here — only the source audio, the analysis and the config — so a run and a
re-render of a kept analysis give the same bytes. Fail closed: audio and report are written to temp
files and renamed, the report after the audio, and the audio is removed again when anything after
it fails (no audio without its report; a FAIL from ``--verify`` removes it too).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anonymizer import audio as audio_io
from anonymizer import evidence, transcripts
from anonymizer.analysis import Analysis, mark_redacted_words
from anonymizer.config import Config, voice_level
from anonymizer.console import shown
from anonymizer.errors import OutputExistsError
from anonymizer.evidence import EnvelopeBuilder, Waveform
from anonymizer.files import check_writable, write_bytes_atomic
from anonymizer.hearing import DEFAULT_BLOCKS, Blocks
from anonymizer.redact import spans_to_render
from anonymizer.render import render_blocks
from anonymizer.report import ChannelTranscript, FileFacts, Report, config_for_report, sha256_file
from anonymizer.stream import AudioSource, MemorySource
from anonymizer.timing import StageTimer
from anonymizer.types import Audio, FileResult, FileStatus, ModelInfo, TimeSpan, Verdict, VerifyStatus
from anonymizer.voice import Step

if TYPE_CHECKING:
    from anonymizer.diarize import SpeakerTurn
    from anonymizer.synthetic import Resynthesis

log = logging.getLogger(__name__)
Verify = Callable[[Path, Path, Report], Verdict]


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

    def resolved(self) -> OutputPaths:
        return OutputPaths(self.audio.resolve(), self.report.resolve())

    def check(self, input_path: Path, overwrite: bool) -> None:
        """Before the work: ``OutputExistsError`` when an output exists (without ``overwrite``) or is the
        input; ``OutputWriteError`` when the folder cannot take them (not writable, no space for about
        the input's size)."""
        if not overwrite:
            for existing in (self.audio, self.report):
                if existing.exists():
                    raise OutputExistsError(f"{existing}: output exists; pass --overwrite to replace it")
        if self.audio.resolve() == input_path.resolve():
            raise OutputExistsError(f"{input_path}: output would overwrite the input")
        size = input_path.stat().st_size if input_path.is_file() else 0
        check_writable(self.audio.parent, need_bytes=size + 1_000_000)


@dataclass(frozen=True)
class Source:
    """The input, read in blocks (an ``Audio`` in memory is served as blocks too), and what identifies it."""

    path: Path
    audio: AudioSource
    sha256: str

    def __post_init__(self) -> None:
        if isinstance(self.audio, Audio):
            object.__setattr__(self, "audio", MemorySource(self.audio))

    def warnings(self) -> tuple[str, ...]:
        if not self.audio.non_finite_samples:
            return ()
        return (f"{self.audio.non_finite_samples} NaN/Inf samples in the input were set to 0 (a corrupt float "
                "file?); listen to the output",)


def render_plan(analysis: Analysis, config: Config) -> dict[int | None, list[TimeSpan]]:
    """The spans to redact on each channel (key None: every channel)."""
    rc = config.redaction
    return spans_to_render(analysis.redactions, analysis.n_channels, analysis.speech_by_channel, rc.all_channels,
                           rc.merge_gap_ms / 1000)


def marked_analysis(analysis: Analysis, config: Config) -> Analysis:
    """``analysis`` with every word whose audio would be redacted marked, without rendering any audio."""
    return mark_redacted_words(analysis, render_plan(analysis, config))


def extra_paths(paths: OutputPaths, config: Config) -> list[Path]:
    """The outputs besides audio and report the config asks for: transcripts, the evidence page."""
    stem = paths.report.name[: -len(".json")]
    names = [f"{stem}.{fmt}" for fmt in config.output.transcript] + ([f"{stem}.html"] if config.output.html else [])
    return [paths.report.with_name(name) for name in names]


def speaker_turns_for(source: Source, analysis: Analysis, config: Config,
                      chain: tuple[Step, ...]) -> tuple[SpeakerTurn, ...]:
    """A mono (or dual-mono) recording's speaker turns when its voices are changed (``voice.speakers``);
    else ``()``."""
    mode = config.voice.speakers
    if not _voiced_as_mono(source.audio, config) or mode == "one" or not (chain or config.voice.synthetic):
        return ()
    from anonymizer.diarize import speaker_turns

    speech = analysis.channels[0].speech
    turns = speaker_turns(source.audio, speech, two=mode == "two")
    log.info("%s: %d speaker(s) on the mono channel", shown(source.path), len({t.speaker for t in turns}) or 1)
    return turns


def _voiced_as_mono(audio: AudioSource, config: Config) -> bool:
    """Mono, or dual mono voiced by the transforms as its mix (the synthetic voice speaks each channel's
    own words in its own voice)."""
    return audio.n_channels == 1 or (audio.one_signal and not config.voice.synthetic)


def _resynthesis(analysis: Analysis, to_render: Mapping[int | None, Sequence[TimeSpan]], seed: int, file_key: str,
                 rate_hz: int, turns: Sequence[SpeakerTurn] = (), engine: str = "espeak") -> Resynthesis:
    """The synthetic voice of every channel: a channel's own transcript, else the one of the mix."""
    from anonymizer.synthetic import Resynthesis

    own = {a.channel: a for a in analysis.channels if a.channel is not None}
    mix = next((a for a in analysis.channels if a.channel is None), analysis.main)
    parts = {c: own.get(c, mix) for c in range(analysis.n_channels)}
    return Resynthesis({c: a.transcript.words for c, a in parts.items()}, to_render,
                       {c: a.transcript.language for c, a in parts.items()}, seed, file_key, rate_hz, turns=turns,
                       engine=engine)


def write_outputs(source: Source, analysis: Analysis, config: Config, chain: tuple[Step, ...], seed: int,
                  paths: OutputPaths, models: tuple[ModelInfo, ...], timer: StageTimer,
                  verify: Verify | None = None, ids: tuple[str, ...] | None = None,
                  review: Mapping[str, Any] | None = None,
                  blocks: Blocks = DEFAULT_BLOCKS) -> tuple[FileResult, Analysis]:
    """Render the analysis, write the audio, (verify it,) write the transcripts and evidence page the
    config asks for, and last the report. Returns the result and the analysis with every redacted word
    marked in its placeholder transcripts. ``ids`` and ``review``: a reviewed result's finding ids and
    what the review did."""
    rc, audio = config.redaction, source.audio
    to_render = render_plan(analysis, config)
    analysis = mark_redacted_words(analysis, to_render)
    for warning in (*source.warnings(), *analysis.warnings()):
        log.warning("%s: %s", shown(source.path), warning)
    waveform = EnvelopeBuilder(audio.n_samples, audio.n_channels) if config.output.html else None
    with timer.stage("voice"):
        turns = speaker_turns_for(source, analysis, config, chain)
    resynthesis = _resynthesis(analysis, to_render, seed, source.sha256, audio.sample_rate_hz, turns,
                               config.voice.tts) \
        if config.voice.synthetic else None
    rendered = render_blocks(audio, to_render, rc.method, rc.fade_ms, rc.tone_hz, chain, seed, source.sha256,
                             timer.stage, blocks.render_s, resynthesis=resynthesis, turns=turns)
    # the blocks are rendered as the encoder asks for them: "write" is the rest (decoding, encoding)
    inner = timer.seconds("redact") + timer.seconds("voice")
    with timer.stage("write"):
        audio_io.write_blocks_atomic(waveform.tap(rendered) if waveform is not None else rendered,
                                     audio.sample_rate_hz, audio.n_channels, paths.audio,
                                     audio_io.output_format_for(audio, config.output.format))
    timer.add("write", inner - timer.seconds("redact") - timer.seconds("voice"))
    verdict: Verdict | None = None
    extras = extra_paths(paths, config)
    try:
        report = _report(source, analysis, config, chain, paths.audio, models, timer, turns)
        report = dataclasses.replace(report, redaction_ids=ids, review=review)
        if verify is not None:
            verdict = verify(source.path, paths.audio, report)
            report = dataclasses.replace(report, verification=verdict)
            if verdict.status is VerifyStatus.FAIL:
                report = dataclasses.replace(report, status=FileStatus.FAILED)
                paths.audio.unlink()  # fail closed; the report says why
        for path in extras:
            text = (evidence.page(report, Waveform(audio.duration_s, audio.n_channels, waveform.result()), report.ids)
                    if path.suffix == ".html" and waveform is not None
                    else transcripts.render(analysis, path.suffix[1:]))
            write_bytes_atomic(text.encode("utf-8"), path)
        write_bytes_atomic(report.to_bytes(), paths.report)
    except BaseException:
        for path in (paths.audio, *extras):  # fail closed: no audio without its report
            with suppress(FileNotFoundError):
                path.unlink()
        raise
    result = FileResult(source.path, FileStatus.OK, paths.audio, paths.report, None, analysis.redactions,
                        timer.timings, verdict.status if verdict is not None else None, report.output.sha256,
                        source.audio.duration_s, models)
    if verdict is not None and verdict.status is VerifyStatus.FAIL:
        reasons = "; ".join(f"{f.entity_type or 'file'} {f.start_s:.1f}-{f.end_s:.1f} s: {f.reason}"
                            for f in verdict.findings if f.level is VerifyStatus.FAIL)
        result = dataclasses.replace(result, status=FileStatus.FAILED, output_path=None,
                                     error=f"{source.path}: verification failed, audio removed: {reasons}")
    log.info("%s: %d redactions -> %s", shown(source.path), len(analysis.redactions), shown(paths.audio))
    return result, analysis


def _report(source: Source, analysis: Analysis, config: Config, chain: tuple[Step, ...], output_path: Path,
            models: tuple[ModelInfo, ...], timer: StageTimer, turns: Sequence[SpeakerTurn] = ()) -> Report:
    audio, main = source.audio, analysis.main
    voiced = bool(chain) or config.voice.synthetic
    include_text = config.output.include_text
    redactions = analysis.redactions
    return Report(
        input=FileFacts(source.path, source.sha256, audio.duration_s, audio.sample_rate_hz, audio.n_channels),
        output=FileFacts(output_path, sha256_file(output_path), audio.duration_s, audio.sample_rate_hz,
                         audio.n_channels),  # rendering keeps length, rate and channels
        config=config_for_report(config),
        config_hash=config.hash(),
        models=models,
        language=analysis.channels[0].transcript.language,
        language_probability=analysis.channels[0].transcript.language_probability,
        redactions=redactions,
        transcript_redacted=main.redacted_text,
        timings=timer.timings,
        voice_transforms=("synthetic",) if config.voice.synthetic else tuple(step.transform for step in chain),
        voice_level=voice_level(config.voice.chain, config.voice.synthetic),
        voice_speakers=(len({t.speaker for t in turns}) if turns else 1 if _voiced_as_mono(audio, config)
                        else audio.n_channels) if voiced else 0,
        transcript_raw=main.transcript.text if include_text else None,
        redaction_texts=tuple(analysis.finding_text(r) for r in redactions) if include_text else None,
        warnings=(*source.warnings(), *analysis.warnings()),
        channels=(tuple(ChannelTranscript(a.channel, a.transcript.language, a.redacted_text)
                        for a in analysis.channels if a.channel is not None) if analysis.dialogue is not None else ()),
    )
