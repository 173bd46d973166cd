"""What must be redacted in a file: transcribe and detect per channel, and across both sides of a call.

``analyze`` runs VAD, transcription, detection and alignment for each channel that is transcribed on
its own (or for the mix), then, for a stereo call, detection once more over both sides in time order,
and returns a typed ``Analysis``. It is the slow half of a run (the models); rendering (``render.py``)
needs nothing else, and ``Verifier`` uses the same per-channel steps.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from anonymizer import audio as audio_io
from anonymizer.align import AlignSettings, align, to_first_speaker, widen_skipped, words_for_span
from anonymizer.config import Config, VadConfig
from anonymizer.detect import Detector
from anonymizer.detect.windows import detect_windowed
from anonymizer.hearing import DEFAULT_BLOCKS, Blocks, Heard, hear
from anonymizer.report import GENERIC_ENTITIES, redacted_text
from anonymizer.spans import Intervals, merge
from anonymizer.stream import AudioSource, as_source
from anonymizer.timing import Progress, Stage, untimed
from anonymizer.transcribe import Transcriber
from anonymizer.types import Audio, PiiSpan, Redaction, TimeSpan, Transcript, Word, interleave
from anonymizer.uncertain import uncertain_words
from anonymizer.vad import speech_regions

# a channel this much of whose speech went unheard (and so was redacted) is worth a user's look
UNHEARD_WARN_SHARE = 0.25
UNHEARD_WARN_MIN_S = 5.0
HEAR_BETTER = "a larger model (--model small --allow-download) may hear it; review the output"

log = logging.getLogger(__name__)  # counts and times only: never words
DIALOGUE_ONLY = frozenset({"AnswerToQuestion"})  # findings that need both sides of a call


@dataclass(frozen=True)
class ChannelAnalysis:
    """What one transcript (a channel, or the mix when ``channel`` is None) says must be redacted.

    ``marks`` are the character spans the placeholder transcript shows as ``[ENTITY]``: the findings,
    and the words whose audio a redaction covers.
    """

    channel: int | None
    speech: tuple[TimeSpan, ...]
    transcript: Transcript
    pii: tuple[PiiSpan, ...]
    redactions: tuple[Redaction, ...]
    marks: tuple[PiiSpan, ...]

    @property
    def redacted_text(self) -> str:
        return redacted_text(self.transcript, list(self.marks))

    def warnings(self) -> tuple[str, ...]:
        where = f"channel {self.channel}: " if self.channel is not None else ""
        if not self.speech:
            return (f"{where}no speech detected; nothing was redacted",)
        if not self.transcript.words:
            return (f"{where}speech detected but the transcript is empty; {HEAR_BETTER}",)
        speech_s = sum(s.duration_s for s in self.speech)
        unheard_s = sum(r.span.duration_s for r in self.redactions if r.entity_type == "UNTRANSCRIBED_SPEECH")
        if unheard_s >= UNHEARD_WARN_MIN_S and unheard_s >= UNHEARD_WARN_SHARE * speech_s:
            return (f"{where}{unheard_s:.0f} s of {speech_s:.0f} s of speech could not be transcribed and were "
                    f"redacted; {HEAR_BETTER}",)
        return ()


@dataclass(frozen=True)
class Analysis:
    """Everything transcription and detection found in one file.

    ``channels``: one analysis per channel transcribed on its own, or one of the mix (channel None).
    ``dialogue``: a stereo call's both sides in time order (findings only the dialogue reveals).
    """

    duration_s: float
    n_channels: int
    channels: tuple[ChannelAnalysis, ...]
    dialogue: ChannelAnalysis | None = None

    @property
    def parts(self) -> tuple[ChannelAnalysis, ...]:
        """The channels, then the dialogue (when there is one)."""
        return self.channels + ((self.dialogue,) if self.dialogue is not None else ())

    @property
    def main(self) -> ChannelAnalysis:
        """The transcript a report shows: the dialogue of a call, else the one transcript."""
        return self.dialogue if self.dialogue is not None else self.channels[0]

    @property
    def redactions(self) -> tuple[Redaction, ...]:
        return tuple(sorted((r for part in self.parts for r in part.redactions), key=lambda r: (r.start_s, r.end_s)))

    @property
    def speech_by_channel(self) -> dict[int, tuple[TimeSpan, ...]]:
        return {a.channel: a.speech for a in self.channels if a.channel is not None}

    def warnings(self) -> tuple[str, ...]:
        return tuple(w for a in self.channels for w in a.warnings())

    def finding_text(self, redaction: Redaction) -> str:
        """The transcript text behind a finding (``--include-text`` only: it is personal data)."""
        if redaction.char_start < 0:
            return ""
        if redaction.recognizer.endswith("+dialogue") and self.dialogue is not None:
            source = self.dialogue
        else:
            source = next((a for a in self.channels if a.channel == redaction.channel), self.channels[0])
        return source.transcript.text[redaction.char_start : redaction.char_end]


def transcribe_channel(audio: Audio, vad: VadConfig, language: str | None, transcriber: Transcriber,
                       on_language: Callable[[str], None] | None = None, stage: Stage = untimed,
                       on_progress: Callable[[float], None] | None = None,
                       ) -> tuple[np.ndarray, list[TimeSpan], Transcript]:
    """VAD and transcription of ``audio`` mixed to mono: the 16 kHz samples, speech regions and words."""
    with stage("vad"):
        mono = audio_io.to_mono_16k(audio)
        speech = speech_regions(mono, vad.aggressiveness, vad.frame_ms, vad.speech_pad_ms, vad.min_silence_ms)
    with stage("transcribe"):
        transcript = transcriber.transcribe(mono, speech, language, on_language=on_language, on_progress=on_progress)
    return mono, speech, transcript


def detect_channel(detector: Detector, transcript: Transcript, channel: int | None,
                   blocks: Blocks = DEFAULT_BLOCKS) -> list[PiiSpan]:
    """Findings in one transcript; one side of a call holds no answers to its own questions."""
    spans = detect_windowed(detector, transcript, blocks.detect_words, blocks.detect_overlap_words)
    return spans if channel is None else [s for s in spans if s.recognizer not in DIALOGUE_ONLY]


def analyze(source: Audio | AudioSource, config: Config, transcriber: Transcriber, detector: Detector,
            stage: Stage = untimed, progress: Progress | None = None, blocks: Blocks = DEFAULT_BLOCKS) -> Analysis:
    """Transcribe and detect each channel (per ``transcription.per_channel``), then the dialogue; the
    recording is read in blocks (``hearing``), never held whole."""
    src = as_source(source)
    settings = AlignSettings.from_config(config.redaction)
    channels = src.transcribed_channels(config.transcription.per_channel)
    heard, mix_gaps = hear(src, channels, config, transcriber, detector.prepare, stage, progress, blocks)
    parts = [_analyze_channel(h, src.duration_s, config, settings, detector, stage, blocks) for h in heard]
    if len(parts) == 1:
        return Analysis(src.duration_s, src.n_channels, tuple(parts))
    dialogue = _analyze_dialogue(src.duration_s, parts, settings, detector, stage, mix_gaps, blocks)
    return Analysis(src.duration_s, src.n_channels, tuple(_mark_dialogue_findings(a, dialogue) for a in parts),
                    dialogue)


def _analyze_channel(heard: Heard, duration_s: float, config: Config, settings: AlignSettings, detector: Detector,
                     stage: Stage, blocks: Blocks) -> ChannelAnalysis:
    """Detection and alignment for one channel (or the mix) heard by ``hearing.hear``."""
    rc, channel, transcript, speech = config.redaction, heard.channel, heard.transcript, heard.speech
    with stage("detect"):
        pii = detect_channel(detector, transcript, channel, blocks)
        found = list(pii)
        if rc.uncertain:
            found += uncertain_words(transcript, pii, rc.uncertain_probability, config.detection.by_meaning)
    with stage("align"):
        unheard = heard.unheard if rc.uncertain else []
        gaps = heard.gaps if found or unheard else []
        redactions = align(transcript, found, duration_s, settings, gaps)
        for r in unheard:
            span = widen_skipped(r.span, transcript, gaps, settings)
            redactions.append(dataclasses.replace(r, start_s=round(span.start_s, 3),
                                                  end_s=round(min(span.end_s, duration_s), 3)))
            # a word the widened stretch silenced ("19." before a skipped "Februar 1941") is redacted in
            # the transcript too, so that it stays aligned with the audio
            found += [PiiSpan(w.char_start, w.char_end, r.entity_type, r.score, r.recognizer)
                      for w in transcript.words if span.start_s <= (w.start_s + w.end_s) / 2 <= span.end_s]
        redactions = [dataclasses.replace(r, channel=channel) for r in redactions]
    log.debug("channel %s: %d speech region(s), %d words, language %s (%.2f), %d finding(s), %d redaction(s)",
              "mix" if channel is None else channel, len(speech), len(transcript.words), transcript.language,
              transcript.language_probability, len(found), len(redactions))
    return ChannelAnalysis(channel, tuple(speech), transcript, tuple(found), tuple(redactions), tuple(found))


def _analyze_dialogue(duration_s: float, parts: list[ChannelAnalysis], settings: AlignSettings, detector: Detector,
                      stage: Stage, mix_gaps: list[TimeSpan], blocks: Blocks) -> ChannelAnalysis:
    """Detection on both sides of the call in time order (context crosses channels); keeps only the
    findings the per-channel passes did not already cover."""
    dialogue = interleave([(a.channel, a.transcript) for a in parts if a.channel is not None])
    with stage("detect"):
        # a finding is one side's words (an answer is by construction): interleaving put the other
        # side's words inside a cue's rest
        pii = [to_first_speaker(dialogue, span)
               for span in detect_windowed(detector, dialogue, blocks.detect_words, blocks.detect_overlap_words)]
    covered = merge(r.span for a in parts for r in a.redactions)
    with stage("align"):
        found = align(dialogue, pii, duration_s, settings, mix_gaps if pii else [])
    new = []
    covering = Intervals(covered)
    for r in found:
        if any(span.contains(r.span) for span in covering.overlapping(r.start_s, r.end_s)):
            continue
        channels = {w.channel for w in dialogue.words[slice(*dialogue.word_range(r.char_start, r.char_end))]}
        new.append(dataclasses.replace(r, channel=channels.pop() if len(channels) == 1 else None,
                                       recognizer=f"{r.recognizer}+dialogue"))
    # the dialogue text marks the per-channel findings too
    by_word: dict[tuple[int | None, float, str], Word] = {(w.channel, w.start_s, w.text): w for w in dialogue.words}
    marked = list(pii)
    for a in parts:
        for span in a.pii:
            words = [by_word[(a.channel, w.start_s, w.text)] for w in words_for_span(a.transcript, span)]
            if words:
                marked.append(dataclasses.replace(span, char_start=min(w.char_start for w in words),
                                                  char_end=max(w.char_end for w in words)))
    log.debug("dialogue: %d finding(s), %d not covered by a channel's", len(pii), len(new))
    return ChannelAnalysis(None, (), dialogue, tuple(pii), tuple(new), tuple(marked))


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
    return dataclasses.replace(analysis, marks=(*analysis.marks, *extra)) if extra else analysis


def mark_redacted_words(analysis: Analysis, to_render: dict[int | None, list[TimeSpan]]) -> Analysis:
    """Every part's placeholder transcript marks each word whose audio is redacted (its middle lies in a
    span rendered on its channel), not only the findings' words: padding, snapping and the other side's
    findings silence neighbours too, and a transcript must match its audio ("[ADDRESS] Berlin" under a
    bleep was a city in the text that nobody could hear)."""
    redactions = analysis.redactions
    one_mix = len(to_render) == 1

    def mark(part: ChannelAnalysis) -> ChannelAnalysis:
        extra = list(_redacted_words(part, to_render, redactions, one_mix))
        return dataclasses.replace(part, marks=(*part.marks, *extra)) if extra else part

    return dataclasses.replace(analysis, channels=tuple(mark(a) for a in analysis.channels),
                               dialogue=mark(analysis.dialogue) if analysis.dialogue is not None else None)


def _redacted_words(part: ChannelAnalysis, to_render: dict[int | None, list[TimeSpan]],
                    redactions: tuple[Redaction, ...], one_mix: bool) -> Iterator[PiiSpan]:
    def spans_on(channel: int | None) -> list[TimeSpan]:
        if channel is None:
            return merge(span for spans in to_render.values() for span in spans)
        return merge([*to_render.get(None, []), *to_render.get(channel, [])])

    by_channel: dict[int | None, Intervals[TimeSpan]] = {}
    found = Intervals(redactions)
    for word in part.transcript.words:
        channel = part.channel if part.channel is not None or one_mix else word.channel
        spans = by_channel.setdefault(channel, Intervals(spans_on(channel)))
        middle_s = (word.start_s + word.end_s) / 2
        if not spans.at(middle_s):
            continue
        covering = found.at(middle_s) or list(redactions)
        best = max(covering, key=lambda r: (r.entity_type not in GENERIC_ENTITIES, r.score))
        yield PiiSpan(word.char_start, word.char_end, best.entity_type, best.score, "redacted_audio")
