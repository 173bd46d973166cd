"""VAD and transcription of a recording in blocks cut at pauses, so that memory does not grow with length.

Each transcribed channel (or the mix) is resampled to 16 kHz as the source decodes; once a block's worth
(``Blocks.transcribe_s``) and a minute more are in, VAD runs on them and the block is cut in the pause
nearest its target length — never inside a speech region when there is a pause to cut at — and
transcribed; the rest waits for the next block. Word times are moved to the recording's timeline and
the blocks' words become one transcript, so detection sees context across every border (a question at
the end of one block, its answer in the next). The first block's language holds for the rest.

A call's channels share its language: a channel Whisper heard in another language than a surer channel
(its probability under ``SURE_LANGUAGE``) hears its first block again in that one — a customer's channel
of short answers was heard as Latin or Thai in a German call, its words then nonsense that counted as heard.

Per block, too: the pauses redactions snap to, and the stretches VAD heard but Whisper did not
(``uncertain.unheard_speech``, loud like the block's words). A recording of up to 1.5 blocks is one
block: exactly the whole-file transcription.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from anonymizer.audio import ASR_SAMPLE_RATE_HZ as RATE_HZ
from anonymizer.config import Config
from anonymizer.stream import AudioSource, Mono16k
from anonymizer.timing import Progress, Stage, untimed
from anonymizer.transcribe import Transcriber
from anonymizer.types import Redaction, TimeSpan, Transcript
from anonymizer.uncertain import foreground, unheard_speech
from anonymizer.vad import pauses, speech_regions

log = logging.getLogger(__name__)  # counts and times only
LOOKAHEAD_S = 60.0  # decoded past a block's target, to find the pause to cut at
CUT_GRID = 480  # cuts on the 30 ms VAD frame grid (and the 10 ms pause grid): the frames stay the recording's
SURE_LANGUAGE = 0.8  # a channel's language this probable stands even if another channel heard another one


@dataclass(frozen=True)
class Blocks:
    """How much of a recording is in memory at once (seconds of audio; words of transcript)."""

    transcribe_s: float = 300.0
    render_s: float = 60.0
    detect_words: int = 2000
    detect_overlap_words: int = 200


DEFAULT_BLOCKS = Blocks()

@dataclass
class Heard:
    """One channel (or the mix) of a recording: speech regions, words, pauses, unheard stretches."""

    channel: int | None
    speech: list[TimeSpan] = field(default_factory=list)
    words: list[tuple[str, float, float, float]] = field(default_factory=list)
    gaps: list[TimeSpan] = field(default_factory=list)
    unheard: list[Redaction] = field(default_factory=list)
    language: str = "unknown"
    language_probability: float = 0.0
    sure: bool = False  # the language was heard in words (not only guessed from no speech)
    blocks: int = 0

    @property
    def transcript(self) -> Transcript:
        return Transcript.from_words(self.words, self.language, self.language_probability)


def hear(source: AudioSource, channels: list[int | None], config: Config, transcriber: Transcriber,
         on_language: Callable[[str], None] | None = None, stage: Stage = untimed,
         progress: Progress | None = None, blocks: Blocks = DEFAULT_BLOCKS) -> tuple[list[Heard], list[TimeSpan]]:
    """Each of ``channels`` heard block by block; and the pauses of the mix (for a call's both sides)."""
    rc = config.redaction
    total_s = max(source.duration_s, 1e-9)
    done_s: dict[int | None, float] = {}

    def report(key: int | None, share_s: float) -> None:
        if progress is not None:
            done_s[key] = max(share_s, done_s.get(key, 0.0))  # a block heard again does not go back
            progress.transcribed(min(1.0, sum(done_s.values()) / (len(channels) * total_s)))

    language_found: list[str] = []

    def first_language(language: str) -> None:
        if not language_found:
            language_found.append(language)
            if on_language is not None:
                on_language(language)

    rate, n = source.sample_rate_hz, source.n_samples
    listeners = [_Listener(Mono16k(c, rate, n), config, transcriber, blocks, rc.uncertain, stage, first_language,
                           report) for c in channels]
    mix = _MixPauses(Mono16k(None, rate, n), blocks) if len(channels) > 1 else None
    agree = len(listeners) > 1 and config.transcription.forced_language is None
    for listener in listeners:
        listener.keep_first = agree
    decoded = source.blocks()
    while True:
        with stage("decode"):
            block = next(decoded, None)
        if block is None:
            break
        for listener in listeners:
            listener.feed(block)
        if agree and all(listener.heard.blocks for listener in listeners):
            _agree_on_language(listeners)
            agree = False
        if mix is not None:
            mix.feed(block)
    for listener in listeners:
        listener.finish()
    if agree:
        _agree_on_language(listeners)
    heard = [listener.heard for listener in listeners]
    log.debug("heard %d channel(s) in %s block(s)", len(heard), [h.blocks for h in heard])
    return heard, (mix.finish() if mix is not None else [])


def _agree_on_language(listeners: list[_Listener]) -> None:
    """Each channel heard in another language than the surest channel, and less sure of it than
    ``SURE_LANGUAGE``, hears its first block again in the surest channel's language."""
    heard = [listener for listener in listeners if listener.heard.sure] or listeners
    surest = max(heard, key=lambda listener: listener.heard.language_probability).heard
    for listener in listeners:
        own = listener.heard
        if (listener.first is not None and own.blocks == 1 and own.language != surest.language
                and own.language_probability < min(SURE_LANGUAGE, surest.language_probability)):
            log.debug("channel %s: language %s (%.2f) heard again as %s (%.2f, another channel's)", own.channel,
                      own.language, own.language_probability, surest.language, surest.language_probability)
            listener.hear_again(surest.language, surest.language_probability)
    for listener in listeners:
        listener.first = None


class _Listener:
    def __init__(self, stream: Mono16k, config: Config, transcriber: Transcriber, blocks: Blocks, uncertain: bool,
                 stage: Stage, on_language: Callable[[str], None], report: Callable[[int | None, float], None]) -> None:
        self.stream, self.config, self.transcriber = stream, config, transcriber
        self.uncertain, self.stage, self.on_language, self.report = uncertain, stage, on_language, report
        self.heard = Heard(stream.channel)
        self.block_n = max(CUT_GRID, int(blocks.transcribe_s * RATE_HZ) // CUT_GRID * CUT_GRID)
        self.lookahead_n = int(LOOKAHEAD_S * RATE_HZ)
        self.pending: list[np.ndarray] = []
        self.held = 0
        self.offset = 0  # of the pending samples, at 16 kHz
        self.keep_first = False  # keep the first block until the call's channels agree on its language
        self.first: tuple[np.ndarray, list[TimeSpan]] | None = None

    def feed(self, block: np.ndarray) -> None:
        with self.stage("vad"):
            self._add(self.stream.feed(block))
        while self.held >= self.block_n + self.lookahead_n:
            self._next_block(final=False)

    def finish(self) -> None:
        with self.stage("vad"):
            self._add(self.stream.finish())
        while self.held > self.block_n + self.block_n // 2:
            self._next_block(final=False)
        if self.held or not self.heard.blocks:
            self._next_block(final=True)

    def _add(self, samples: np.ndarray) -> None:
        if len(samples):
            self.pending.append(samples)
            self.held += len(samples)

    def _next_block(self, final: bool) -> None:
        vad = self.config.vad
        buffer = np.concatenate(self.pending) if self.pending else np.zeros(0, np.float32)
        with self.stage("vad"):
            regions = speech_regions(buffer, vad.aggressiveness, vad.frame_ms, vad.speech_pad_ms, vad.min_silence_ms)
            cut = len(buffer) if final else self._cut(buffer, regions)
        block = buffer[:cut]
        self.pending, self.held = ([buffer[cut:]], len(buffer) - cut) if cut < len(buffer) else ([], 0)
        cut_s = cut / RATE_HZ
        speech = [TimeSpan(r.start_s, min(r.end_s, cut_s)) for r in regions if r.start_s < cut_s]
        if self.keep_first and not self.heard.blocks:
            self.first = (block, speech)
        self._transcribe(block, speech)
        self.offset += cut

    def hear_again(self, language: str, probability: float) -> None:
        """The first (and so far only) block once more, in ``language``."""
        assert self.first is not None
        block, speech = self.first
        offset, self.offset = self.offset, 0
        self.heard = Heard(self.heard.channel, language=language, language_probability=probability, sure=True)
        self._transcribe(block, speech)
        self.offset = offset

    def _cut(self, buffer: np.ndarray, regions: list[TimeSpan]) -> int:
        """Where to end the block: the middle of the pause nearest the target length, from half of it on
        (VAD's pauses between regions, else the quiet between words), on the frame grid."""
        target_s, earliest_s = self.block_n / RATE_HZ, self.block_n / RATE_HZ / 2
        gaps = [TimeSpan(a.end_s, b.start_s) for a, b in zip(regions, regions[1:], strict=False)]
        if regions and regions[-1].end_s < len(buffer) / RATE_HZ:
            gaps.append(TimeSpan(regions[-1].end_s, len(buffer) / RATE_HZ))
        if not regions:
            gaps.append(TimeSpan(0.0, len(buffer) / RATE_HZ))
        candidates = [g for g in gaps if (g.start_s + g.end_s) / 2 >= earliest_s]
        if not candidates:
            candidates = [g for g in pauses(buffer) if (g.start_s + g.end_s) / 2 >= earliest_s]
        if not candidates:
            return self.block_n
        middle_s = min(((g.start_s + g.end_s) / 2 for g in candidates), key=lambda m: abs(m - target_s))
        return max(CUT_GRID, int(middle_s * RATE_HZ) // CUT_GRID * CUT_GRID)

    def _transcribe(self, block: np.ndarray, speech: list[TimeSpan]) -> None:
        heard, offset_s = self.heard, self.offset / RATE_HZ
        # the language heard first holds for the rest (a configured one was checked on the first block)
        language = heard.language if heard.sure else self.config.transcription.forced_language
        extra = {"check_language": False} if heard.sure else {}
        start_s, length_s = offset_s, len(block) / RATE_HZ

        def progress(done: float) -> None:
            self.report(heard.channel, start_s + done * length_s)

        with self.stage("transcribe"):
            transcript = self.transcriber.transcribe(block, speech, language, on_language=self.on_language,
                                                     on_progress=progress, **extra)
        self.report(heard.channel, start_s + length_s)
        if not heard.sure and (transcript.words or heard.blocks == 0):
            heard.language, heard.language_probability = transcript.language, transcript.language_probability
            heard.sure = bool(transcript.words)
        heard.blocks += 1

        def moved(time_s: float) -> float:
            return time_s if offset_s == 0 else round(time_s + offset_s, 3)

        heard.speech += [TimeSpan(moved(s.start_s), moved(s.end_s)) for s in speech]
        heard.words += [(w.text, moved(w.start_s), moved(w.end_s), w.probability) for w in transcript.words]
        heard.gaps += [TimeSpan(moved(g.start_s), moved(g.end_s)) for g in pauses(block)]
        if self.uncertain:
            min_s = self.config.redaction.unheard_speech_min_ms / 1000
            heard.unheard += [dataclasses.replace(r, start_s=moved(r.start_s), end_s=moved(r.end_s))
                              for r in foreground(unheard_speech(transcript, speech, min_s), transcript, block)]


class _MixPauses:
    """The pauses of the mix of all channels, block by block (fixed blocks: they only feed snapping)."""

    def __init__(self, stream: Mono16k, blocks: Blocks) -> None:
        self.stream = stream
        self.block_n = max(CUT_GRID, int(blocks.transcribe_s * RATE_HZ) // CUT_GRID * CUT_GRID)
        self.pending: list[np.ndarray] = []
        self.held = 0
        self.offset = 0
        self.gaps: list[TimeSpan] = []

    def feed(self, block: np.ndarray) -> None:
        samples = self.stream.feed(block)
        if len(samples):
            self.pending.append(samples)
            self.held += len(samples)
        while self.held >= self.block_n * 2:
            self._take(self.block_n)

    def finish(self) -> list[TimeSpan]:
        tail = self.stream.finish()
        if len(tail):
            self.pending.append(tail)
            self.held += len(tail)
        if self.held > self.block_n + self.block_n // 2:
            self._take(self.block_n)
        if self.held:
            self._take(self.held)
        return self.gaps

    def _take(self, n: int) -> None:
        buffer = np.concatenate(self.pending)
        offset_s = self.offset / RATE_HZ
        self.gaps += [TimeSpan(round(g.start_s + offset_s, 3), round(g.end_s + offset_s, 3))
                      for g in pauses(buffer[:n])]
        self.pending, self.held = [buffer[n:]], len(buffer) - n
        self.offset += n
