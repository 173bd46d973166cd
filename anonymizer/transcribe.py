"""Speech to words with timestamps: the ``Transcriber`` protocol and its faster-whisper adapter.

Only the speech regions found by VAD are sent to the model (concatenated, like faster-whisper's own
``vad_filter``); word times are mapped back to the original timeline.
"""

from __future__ import annotations

import bisect
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from anonymizer.audio import ASR_SAMPLE_RATE_HZ as SAMPLE_RATE_HZ
from anonymizer.errors import ConfigError, LanguageMismatchError, ModelUnavailableError
from anonymizer.models import LocatedModel
from anonymizer.types import ModelInfo, TimeSpan, Transcript

SAMPLING_SEED = 20240517
# a configured language fails the file when Whisper hears another this surely, in this much speech at least
LANGUAGE_MISMATCH_PROBABILITY = 0.8
MIN_LANGUAGE_CHECK_S = 5.0
# an English-only model's words on other languages: median probability ~0.2-0.35 (English: ~0.98)
MIN_ENGLISH_MEDIAN_PROBABILITY = 0.5
MIN_ENGLISH_CHECK_WORDS = 20


def check_sounds_like_english(model_name: str, probabilities: list[float]) -> None:
    """An English-only model's transcript of what is not English: words it is unsure of, most of them.

    >>> check_sounds_like_english("tiny.en", [0.9] * 30)
    >>> check_sounds_like_english("tiny.en", [0.2] * 30)
    Traceback (most recent call last):
    ...
    anonymizer.errors.LanguageMismatchError: model 'tiny.en' is English-only and this speech does not sound \
like English (median word probability 0.20); personal data would stay audible: use a multilingual model \
(--model base) and --language auto
    """
    if len(probabilities) < MIN_ENGLISH_CHECK_WORDS:
        return
    median = float(np.median(probabilities))
    if median < MIN_ENGLISH_MEDIAN_PROBABILITY:
        raise LanguageMismatchError(
            f"model {model_name!r} is English-only and this speech does not sound like English (median word "
            f"probability {median:.2f}); personal data would stay audible: use a multilingual model (--model base) "
            "and --language auto")


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread while a file is transcribed (the pipeline and ``verify`` use it).

    OpenBLAS sums in another order with another thread count: Whisper's features (a matrix product in
    numpy) then differ in the last bits, and a word time by 20 ms — so a file gave other bytes in a Ray
    actor (OMP_NUM_THREADS=1) than in a local run. The products are small; one thread costs nothing
    measurable, and the output no longer depends on the machine's core count or the executor.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


class Transcriber(Protocol):
    """Anything that turns 16 kHz mono audio into a word-timed transcript."""

    @property
    def model_info(self) -> ModelInfo: ...

    def transcribe(
        self,
        mono_16k: np.ndarray,
        speech: list[TimeSpan],
        language: str | None,
        on_language: Callable[[str], None] | None = None,
        on_progress: Callable[[float], None] | None = None,
        check_language: bool = True,
    ) -> Transcript:
        """Transcribe the ``speech`` regions; ``language`` None means detect it.

        ``on_language`` is called with the language as soon as it is known, before the words are
        decoded, so later stages can get ready meanwhile; ``on_progress`` with the share of the speech
        transcribed so far (0-1), as the words come. ``check_language`` False: a given ``language`` was
        already checked against the speech (a later block of the same recording).
        """
        ...


@dataclass(frozen=True)
class ChunkMap:
    """Maps times in the concatenation of speech chunks back to the original file.

    >>> m = ChunkMap.from_spans([TimeSpan(1.0, 2.0), TimeSpan(5.0, 6.0)])
    >>> m.to_original(0.5), m.to_original(1.25)
    (1.5, 5.25)
    >>> m.to_original(1.0, chunk=0)  # a word ending at the join stays in its chunk
    2.0
    """

    chunk_starts_s: tuple[float, ...]  # start of each chunk in the concatenation
    original_starts_s: tuple[float, ...]
    durations_s: tuple[float, ...]

    @staticmethod
    def from_spans(spans: list[TimeSpan]) -> ChunkMap:
        starts, pos = [], 0.0
        for span in spans:
            starts.append(pos)
            pos += span.duration_s
        return ChunkMap(tuple(starts), tuple(s.start_s for s in spans), tuple(s.duration_s for s in spans))

    def chunk_of(self, time_s: float) -> int:
        return max(0, bisect.bisect_right(self.chunk_starts_s, time_s) - 1)

    def to_original(self, time_s: float, chunk: int | None = None) -> float:
        index = self.chunk_of(time_s) if chunk is None else chunk
        offset_s = min(max(0.0, time_s - self.chunk_starts_s[index]), self.durations_s[index])
        return round(self.original_starts_s[index] + offset_s, 3)


class _SamplingWatch:
    """A CTranslate2 Whisper model that notes whether ``generate`` sampled (temperature > 0).

    faster-whisper decodes with beam search at temperature 0, which draws no random numbers, and only
    samples when it falls back to a higher temperature.
    """

    def __init__(self, model: Any) -> None:
        self._model = model
        self.sampled = False

    def generate(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("sampling_temperature", 0) > 0:
            self.sampled = True
        return self._model.generate(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


def concat_speech(mono_16k: np.ndarray, speech: list[TimeSpan]) -> tuple[np.ndarray, ChunkMap]:
    """The speech regions of ``mono_16k`` back to back, and the map to undo it."""
    pieces = []
    spans = []
    for span in speech:
        start, end = int(span.start_s * SAMPLE_RATE_HZ), int(span.end_s * SAMPLE_RATE_HZ)
        pieces.append(mono_16k[start:end])
        spans.append(TimeSpan(start / SAMPLE_RATE_HZ, end / SAMPLE_RATE_HZ))
    audio = np.concatenate(pieces) if pieces else np.zeros(0, np.float32)
    return audio.astype(np.float32), ChunkMap.from_spans(spans)


class FasterWhisperTranscriber:
    """faster-whisper with word timestamps. Load once, transcribe many files.

    The model loads when the first file is transcribed (after that file's decoding and VAD), and
    ``on_load`` is called just before: CTranslate2 reads and sets up the weights mostly without the GIL,
    so the pipeline starts the detector's imports there (``DeferredDetector.start``). A model that fails
    to load fails each file with ``ModelUnavailableError``.
    """

    def __init__(
        self, located: LocatedModel, compute_type: str = "int8", cpu_threads: int = 0, beam_size: int = 5,
        device: str = "auto", on_load: Callable[[], None] | None = None,
    ) -> None:
        self._info = located.info
        self._beam_size = beam_size
        self._located = located
        self._settings = (device, compute_type, cpu_threads or (os.cpu_count() or 1))
        self._on_load = on_load
        self._model: Any = None
        self._load_error: ModelUnavailableError | None = None
        self.encoder_calls = 0  # how often the encoder really ran (benchmarks and tests read it)
        self.model_reloads = 0  # how often a fresh sampler was needed (benchmarks and tests read it)

    def load(self) -> None:
        """Load the model now (``Pipeline.load``)."""
        self._whisper()

    def _whisper(self) -> Any:
        """The faster-whisper model, loaded on first use."""
        if self._model is not None:
            return self._model
        if self._load_error is not None:  # tried once: every later file fails the same way, at once
            raise ModelUnavailableError(str(self._load_error))
        if self._on_load is not None:
            self._on_load()
        from faster_whisper import WhisperModel

        device, compute_type, threads = self._settings
        try:
            files = self._located.read_files()
            model = WhisperModel(self._located.path, device=device, compute_type=compute_type, cpu_threads=threads,
                                 files=files)
        except (OSError, RuntimeError, ValueError) as exc:
            self._load_error = ModelUnavailableError(f"whisper model {self._info.name!r} could not be loaded: {exc}")
            raise self._load_error from exc
        self._load_args = (self._located.path, device, compute_type, threads, files)
        model.model = _SamplingWatch(model.model)
        self._model = model
        self._reuse_last_encoding()
        return model

    def _fresh_sampler(self) -> None:
        """Make the next transcription independent of what this process decoded before.

        Whisper's temperature fallback samples. CTranslate2's random generator lives in the model's
        worker thread and is seeded once, when it is first used: ``set_random_seed`` later does not
        reset it (CTranslate2#1757). So after a file whose decoding sampled, the next file would sample
        from another state, and come out differently in a batch than alone (measured: the same channel
        three ways). A freshly loaded model has a fresh worker thread, seeded with ``SAMPLING_SEED`` at
        its first sample. Loading ``base`` takes ~0.6 s and is needed only after a file that sampled.
        """
        import ctranslate2

        ctranslate2.set_random_seed(SAMPLING_SEED)
        watch = self._model.model
        if not watch.sampled:
            return
        path, device, compute_type, threads, files = self._load_args
        self._model.model = None  # free the old weights first: one copy in memory at a time
        del watch
        self._model.model = _SamplingWatch(ctranslate2.models.Whisper(
            path, device=device, compute_type=compute_type, intra_threads=threads, files=files
        ))
        self.model_reloads += 1

    def _reuse_last_encoding(self) -> None:
        """Run the encoder once per distinct window.

        faster-whisper (1.2) encodes the first 30 s window twice when it detects the language: once to
        detect it, once to decode the window. The encoder is deterministic, so the second call gets the
        first call's output (keyed on the exact features). On a file shorter than 30 s the two windows
        differed by one frame (detection took every frame, decoding all but the last): language detection
        now sees the frames decoding sees, so the window is encoded once there too (an 11 s clip: ~0.4 s
        less). If a later faster-whisper stops calling ``encode`` twice, this simply never hits.
        """
        encode = self.encode_uncached = self._model.encode
        last: dict[str, Any] = {}

        def encode_once(features: np.ndarray) -> Any:
            array = np.ascontiguousarray(features)
            key = (array.shape, array.dtype.str, hashlib.blake2b(array.data, digest_size=16).digest())
            if last.get("key") != key:
                self.encoder_calls += 1
                last["key"], last["output"] = key, encode(features)
            return last["output"]

        self._model.encode = encode_once
        detect = self._model.detect_language

        def detect_on_content(audio: np.ndarray | None = None, features: np.ndarray | None = None,
                              **options: Any) -> Any:
            if audio is None and features is not None and features.shape[-1] > 1:
                # decoding sees ``features.shape[-1] - 1`` frames (faster-whisper's content_frames); so
                # does the language: on a file shorter than 30 s the window is then the same (and reused)
                features = features[..., :-1]
            return detect(audio=audio, features=features, **options)

        self._model.detect_language = detect_on_content

    @property
    def model_info(self) -> ModelInfo:
        return self._info

    @property
    def is_multilingual(self) -> bool:
        return bool(self._whisper().model.is_multilingual)

    def transcribe(
        self,
        mono_16k: np.ndarray,
        speech: list[TimeSpan],
        language: str | None,
        on_language: Callable[[str], None] | None = None,
        on_progress: Callable[[float], None] | None = None,
        check_language: bool = True,
    ) -> Transcript:
        if language is not None and language != "en" and not self.is_multilingual:
            raise ConfigError(
                f"model {self._info.name!r} is English-only; language {language!r} needs a multilingual model "
                "(e.g. --model base)"
            )
        if not speech:
            return Transcript("", (), language or "unknown", 0.0)
        audio, chunk_map = concat_speech(mono_16k, speech)
        self._whisper()
        self._fresh_sampler()  # the fallback's samples depend on this file alone
        if language is not None and self.is_multilingual and check_language:
            self._check_spoken_language(audio, language)
        segments, info = self._model.transcribe(
            audio,
            language=language,
            word_timestamps=True,
            beam_size=self._beam_size,
            vad_filter=False,
            condition_on_previous_text=False,
        )
        if on_language is not None:
            on_language(info.language)  # known now; the segments below are decoded lazily
        words: list[tuple[str, float, float, float]] = []
        for segment in segments:
            for word in segment.words or ():
                # A word straddling a join maps to a span that covers the removed pause: wider is safer.
                start_s = chunk_map.to_original(word.start)
                end_s = max(start_s, chunk_map.to_original(word.end))
                words.append((word.word, start_s, end_s, float(word.probability)))
            if on_progress is not None and len(audio):
                on_progress(min(1.0, segment.end * SAMPLE_RATE_HZ / len(audio)))
        if language is not None and not self.is_multilingual:  # every block: cheap
            check_sounds_like_english(self._info.name, [p for *_, p in words])
        return Transcript.from_words(words, info.language, float(info.language_probability))

    def _check_spoken_language(self, audio: np.ndarray, language: str) -> None:
        """A forced language that Whisper hears as another fails the file (``LanguageMismatchError``).

        Forced to the wrong language, Whisper translates or garbles the speech, and the detector looks for
        the wrong language's personal data: a German call run with ``--language en`` left 7 of 8 items
        audible. One encoder pass on the first 30 s (~0.7 s with ``base``), only when the language is set.
        """
        if len(audio) < MIN_LANGUAGE_CHECK_S * SAMPLE_RATE_HZ:
            return  # too little speech to tell
        extractor = self._model.feature_extractor
        if len(audio) <= extractor.n_samples:  # the features decoding will see: its window is reused
            heard, probability, _ = self._model.detect_language(features=extractor(audio))
        else:
            heard, probability, _ = self._model.detect_language(audio)
        if heard != language and probability >= LANGUAGE_MISMATCH_PROBABILITY:
            raise LanguageMismatchError(
                f"the speech sounds like {heard!r} (Whisper: {probability:.0%}), not {language!r} as configured; "
                f"in the wrong language personal data stays audible: pass --language {heard} or --language auto")
