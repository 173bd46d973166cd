"""The ``synthetic`` voice level: the speakers' words re-spoken by a synthetic voice, word by word in
their original places ("Stimme nachgesprochen").

Each speaker (a channel, or a mono call's speaker from ``diarize``) gets a synthetic voice of its own —
Piper's neural voice where one for the language is installed (the first speaker at its own pitch, each
further one shifted from the run's secret seed), else an espeak-ng variant drawn from the seed
(``voice.tts``) — independent of how the speaker sounds, so nothing of the original voice decides what
is heard. The words are those of the
transcript that no redaction touches (a redacted word's text is never synthesized); they are spoken in
phrases (words less than ``PHRASE_GAP_S`` apart; faster where the synthesizer's own pace would overrun the
phrase's slots), each word cut from the phrase at the synthesizer's word starts, stretched or squeezed into
its original slot, at the original word's loudness. Everything else —
pauses, unrecognized speech, breathing, background — becomes silence; the bleeps are drawn afterwards on
their spans as with every level.

Rendering is deterministic for a given seed and the same phrase is rendered the same in every block
that holds it, so blocks cross-fade onto identical samples.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from anonymizer.diarize import SpeakerTurn, speakers_at
from anonymizer.spans import Intervals
from anonymizer.types import TimeSpan, Word

PHRASE_GAP_S = 0.35  # words closer than this are spoken together
MIN_SLOT_S = 0.04
MAX_STRETCH = 4.0  # a word is stretched or squeezed at most this much (a stretched-out "und" stays a word)
DEFAULT_RATE_WPM = 175
MAX_PACE = 1.5  # a phrase longer at the synthesizer's own pace than its slots is spoken up to this much faster
FADE_S = 0.005
SILENT_RMS = 1e-4
ESPEAK_LANGUAGES = {"de": "de", "en": "en-us"}  # Whisper's code -> espeak-ng's voice
VARIANTS = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5")
# the variants Whisper base understands, where some are far worse than others (docs/VOICE.md: sentences written for
# the test, not the evaluation clips, at pitches 35/50/65 — German WER 26-31 % for these five, 43-96 % for the rest)
CLEAR_VARIANTS: dict[str, tuple[str, ...]] = {"de": ("m1", "m2", "m3", "m6", "m7")}
PITCH_RANGE = (35, 65)  # espeak-ng's pitch parameter, 0-99 (Piper: 50 +- 15 is +- 3 semitones)
MIN_PITCH_STEP = 10  # two speakers of one call in the same Piper voice: at least 2 semitones apart
PIPER_OWN_PITCH = 50  # Piper's voice unshifted (the pitch parameter's middle)


@dataclass(frozen=True)
class SyntheticVoice:
    """A synthesizer's voice (an espeak-ng voice with a variant, or ``piper:<voice>``) and a pitch."""

    voice: str
    pitch: int

    @staticmethod
    def draw(seed: int, file_key: str, channel: int, language: str, engine: str = "espeak") -> SyntheticVoice:
        """The voice of one speaker (a channel of a file), from the run's secret seed. ``engine``: espeak
        (espeak-ng, a variant and a pitch), piper (a Piper voice of the language, when one is installed,
        at a drawn pitch; else espeak) or auto (piper where it can, else espeak).

        >>> SyntheticVoice.draw(7, "abc", 0, "de") == SyntheticVoice.draw(7, "abc", 0, "de")
        True
        >>> SyntheticVoice.draw(7, "abc", 0, "de").voice.startswith("de+")
        True
        """
        digest = hashlib.sha256(f"synthetic:{seed}:{file_key}:{channel}".encode()).digest()
        rng = np.random.default_rng(np.frombuffer(digest, dtype=np.uint32))
        base = ESPEAK_LANGUAGES.get(language.split("-")[0], "en-us")
        variants = variants_for(base)
        variant = variants[int(rng.integers(len(variants)))]
        pitch = int(rng.integers(PITCH_RANGE[0], PITCH_RANGE[1] + 1))
        if engine != "espeak":
            from anonymizer.tts import piper_voice_for

            piper = piper_voice_for(language)
            if piper is not None:
                return SyntheticVoice(piper, pitch)
        return SyntheticVoice(f"{base}+{variant}", pitch)


def kept_words(words: Sequence[Word], redacted: Sequence[TimeSpan]) -> list[Word]:
    """The words no redaction touches (sorted by time); only these are ever synthesized.

    >>> w = [Word("Anna", 1.0, 1.4, 0.9, 0, 4), Word("hallo", 2.0, 2.4, 0.9, 5, 10)]
    >>> [x.text for x in kept_words(w, [TimeSpan(1.3, 1.8)])]
    ['hallo']
    """
    spans = Intervals(redacted)
    out = []
    for word in sorted(words, key=lambda w: w.start_s):
        if any(s.end_s > word.start_s and s.start_s < word.end_s
               for s in spans.overlapping(word.start_s, word.end_s)):
            continue
        if word.text.strip(" ,.;:!?-"):
            out.append(word)
    return out


def phrases(words: Sequence[Word]) -> list[list[Word]]:
    """Runs of words less than ``PHRASE_GAP_S`` apart."""
    out: list[list[Word]] = []
    for word in words:
        if out and word.start_s - out[-1][-1].end_s < PHRASE_GAP_S:
            out[-1].append(word)
        else:
            out.append([word])
    return out


def _slots(phrase: Sequence[Word]) -> list[tuple[float, float]]:
    """Where each word of a phrase is spoken: from its start to the next word's start (its end for the
    last), at least ``MIN_SLOT_S``."""
    out = []
    for k, word in enumerate(phrase):
        end = phrase[k + 1].start_s if k + 1 < len(phrase) else word.end_s
        out.append((word.start_s, max(word.start_s + MIN_SLOT_S, end)))
    return out


class ChannelSpeaker:
    """Renders one channel's kept words with one synthetic voice, phrase by phrase (cached)."""

    def __init__(self, words: Sequence[Word], voice: SyntheticVoice, rate_hz: int, tts: object | None = None) -> None:
        self.phrases = phrases(words)
        self._starts = [p[0].start_s for p in self.phrases]
        self.voice, self.rate_hz = voice, rate_hz
        self._tts: Any = tts
        self._cache: dict[int, tuple[int, np.ndarray]] = {}

    def _engine(self) -> Any:
        if self._tts is None:
            from anonymizer.tts import Espeak, Piper

            name = self.voice.voice
            self._tts = Piper.shared(name[len("piper:"):]) if name.startswith("piper:") else Espeak.shared()
        return self._tts

    def _speak(self, text: str, rate_wpm: int) -> Any:
        return self._engine().speak(text, self.voice.voice, rate_wpm=rate_wpm, pitch=self.voice.pitch)

    def _phrase(self, index: int) -> tuple[int, np.ndarray]:
        """The phrase's samples at ``rate_hz`` (before loudness) and the sample where they start."""
        if index in self._cache:
            return self._cache[index]
        from pedalboard import time_stretch
        from pedalboard.io import StreamResampler

        phrase = self.phrases[index]
        offsets: list[int] = []
        parts: list[str] = []
        for word in phrase:
            offsets.append(sum(len(p) + 1 for p in parts))
            parts.append(word.text.strip())
        slots = _slots(phrase)
        # a phrase the synthesizer would speak longer than its slots is spoken faster (up to ``MAX_PACE``):
        # less to synthesize and less squeezing; never slower (speaking every phrase at the original's pace
        # did not help: 27.4 % WER against 27.4 % on 12 LibriSpeech utterances, espeak-ng; nor did leaving
        # words within 12 % of their slot unstretched: 29.2 %)
        text = " ".join(parts)
        natural_s = self._engine().natural_s(text)
        pace = float(np.clip(natural_s / max(MIN_SLOT_S, slots[-1][1] - slots[0][0]), 1.0, MAX_PACE))
        speech = self._speak(text, int(round(DEFAULT_RATE_WPM * pace)))
        samples, tts_rate = speech.samples, speech.sample_rate_hz
        # each word's synthesized samples: from its first word event to the next word's, cut and stretched at the
        # synthesizer's rate (at the output rate espeak-ng's German lost far more words: docs/VOICE.md)
        first_sample: dict[int, int] = {}
        for char, sample in speech.word_starts:
            k = max(0, bisect.bisect_right(offsets, char) - 1)
            first_sample.setdefault(k, sample)
        bounds = sorted(first_sample.items())
        start_s = slots[0][0]
        out = np.zeros(int(round((slots[-1][1] - start_s) * tts_rate)) + 1, np.float32)
        for n, (k, a) in enumerate(bounds):
            b = bounds[n + 1][1] if n + 1 < len(bounds) else len(samples)
            last_word = bounds[n + 1][0] - 1 if n + 1 < len(bounds) else len(phrase) - 1
            slot_a, slot_b = slots[k][0], slots[last_word][1]
            piece = samples[a:b]
            want = max(1, int(round((slot_b - slot_a) * tts_rate)))
            if len(piece) < 16:
                continue
            factor = float(np.clip(len(piece) / want, 1 / MAX_STRETCH, MAX_STRETCH))
            stretched = time_stretch(piece[None, :], tts_rate, stretch_factor=factor)[0][:want]
            at = int(round((slot_a - start_s) * tts_rate))
            stretched = stretched[: len(out) - at]
            out[at : at + len(stretched)] += _faded(stretched, tts_rate)
        resampler = StreamResampler(tts_rate, self.rate_hz, 1)
        resampled = np.concatenate([resampler.process(out[None, :])[0], resampler.process(None)[0]])
        result = (int(round(start_s * self.rate_hz)), resampled.astype(np.float32))
        self._cache[index] = result
        return result

    def _loudness(self, index: int, begin: int, samples: np.ndarray, reference: np.ndarray,
                  reference_start: int) -> np.ndarray:
        """The phrase with each word at the loudness of the original word (where ``reference`` holds it)."""
        out = samples.copy()
        for slot_a, slot_b in _slots(self.phrases[index]):
            a, b = int(round(slot_a * self.rate_hz)) - begin, int(round(slot_b * self.rate_hz)) - begin
            ra, rb = a + begin - reference_start, b + begin - reference_start
            target = _rms(reference[max(0, ra) : max(0, rb)]) if rb > 0 and ra < len(reference) else 0.0
            got = _rms(out[a:b])
            out[a:b] *= (target / got) if got > SILENT_RMS and target > SILENT_RMS else 0.0
        return np.clip(out, -1.0, 1.0)

    def render(self, n_samples: int, start_sample: int, reference: np.ndarray) -> np.ndarray:
        """The channel's synthetic speech over ``[start_sample, start_sample + n_samples)``; ``reference``
        (the original channel over the same range) gives each word's loudness."""
        out = np.zeros(n_samples, np.float32)
        lo_s, hi_s = start_sample / self.rate_hz, (start_sample + n_samples) / self.rate_hz
        first = max(0, bisect.bisect_right(self._starts, lo_s) - 1)
        for done in [k for k in self._cache if k < first]:  # blocks go forward: memory stays flat
            del self._cache[done]
        for index in range(first, len(self.phrases)):
            phrase = self.phrases[index]
            if phrase[0].start_s >= hi_s:
                break
            if max(w.end_s for w in phrase) < lo_s:
                continue
            # a phrase is synthesized whole and the same in every block; each word gets its original's loudness
            begin, samples = self._phrase(index)
            samples = self._loudness(index, begin, samples, reference, start_sample)
            a, b = max(begin, start_sample), min(begin + len(samples), start_sample + n_samples)
            if b > a:
                out[a - start_sample : b - start_sample] += samples[a - begin : b - begin]
        return out


def _faded(samples: np.ndarray, rate_hz: int) -> np.ndarray:
    n = min(len(samples) // 2, int(FADE_S * rate_hz))
    if n:
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        samples = samples.copy()
        samples[:n] *= ramp
        samples[-n:] *= ramp[::-1]
    return samples


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0


class Resynthesis:
    """The synthetic voice of every channel of a file; a mono recording with speaker ``turns`` (``diarize``)
    gets a voice per speaker, each different from the others."""

    def __init__(self, words: Mapping[int, Sequence[Word]], redacted: Mapping[int | None, Sequence[TimeSpan]],
                 languages: Mapping[int, str], seed: int, file_key: str, rate_hz: int,
                 tts: object | None = None, turns: Sequence[SpeakerTurn] = (), engine: str = "espeak") -> None:
        everywhere = list(redacted.get(None, ()))
        self.speakers: dict[int, list[ChannelSpeaker]] = {}
        voices: list[SyntheticVoice] = []  # every speaker of the file: no two share a voice
        for channel, channel_words in words.items():
            kept = kept_words(channel_words, [*everywhere, *redacted.get(channel, ())])
            language = languages.get(channel, "en")
            if not turns or len(words) > 1:
                voices.append(_distinct(SyntheticVoice.draw(seed, file_key, channel, language, engine), voices))
                self.speakers[channel] = [ChannelSpeaker(kept, voices[-1], rate_hz, tts)]
                continue
            by_speaker: dict[int, list[Word]] = {}
            for word, speaker in zip(kept, speakers_at(turns, [(w.start_s + w.end_s) / 2 for w in kept]),
                                     strict=True):
                by_speaker.setdefault(int(speaker), []).append(word)
            first = len(voices)
            for speaker in sorted({t.speaker for t in turns}):
                voices.append(_distinct(SyntheticVoice.draw(seed, file_key, speaker, language, engine), voices))
            self.speakers[channel] = [ChannelSpeaker(by_speaker.get(k, []), voice, rate_hz, tts)
                                      for k, voice in enumerate(voices[first:])]

    def block(self, original: np.ndarray, start_sample: int) -> np.ndarray:
        """The synthetic speech of a block ``(n, n_channels)`` of the original starting at ``start_sample``."""
        out = np.zeros_like(original, dtype=np.float32)
        for channel in range(original.shape[1]):
            for speaker in self.speakers.get(channel, ()):
                out[:, channel] += speaker.render(len(original), start_sample, original[:, channel])
        return out


def _distinct(voice: SyntheticVoice, taken: Sequence[SyntheticVoice]) -> SyntheticVoice:
    """``voice``, or the next variant not yet taken (two speakers of one call never share a voice). A Piper
    voice (one per language): the first speaker in it speaks at Piper's own pitch (a pitch shift costs a point
    of WER: docs/VOICE.md), every further one at a pitch at least ``MIN_PITCH_STEP`` from the others'.

    >>> first = _distinct(SyntheticVoice("piper:x", 57), [])
    >>> first.pitch, abs(_distinct(SyntheticVoice("piper:x", 53), [first]).pitch - 50) >= MIN_PITCH_STEP
    (50, True)
    """
    if voice.voice.startswith("piper:"):
        same = [t.pitch for t in taken if t.voice == voice.voice]
        if not same:
            return SyntheticVoice(voice.voice, PIPER_OWN_PITCH)
        free = [p for p in (voice.pitch, *range(PITCH_RANGE[0], PITCH_RANGE[1] + 1, MIN_PITCH_STEP // 2))
                if all(abs(p - q) >= MIN_PITCH_STEP for q in same)]
        return SyntheticVoice(voice.voice, free[0] if free else voice.pitch)
    name, variant = voice.voice.split("+")
    variants = variants_for(name)
    k = variants.index(variant) if variant in variants else 0
    while any(t.voice == f"{name}+{variants[k]}" for t in taken) and len(taken) < len(variants):
        k = (k + 1) % len(variants)
    return SyntheticVoice(f"{name}+{variants[k]}", voice.pitch)


def variants_for(espeak_voice: str) -> tuple[str, ...]:
    """The espeak-ng variants a voice of this language is drawn from ("de", "en-us").

    >>> variants_for("de"), len(variants_for("en-us"))
    (('m1', 'm2', 'm3', 'm6', 'm7'), 12)
    """
    return CLEAR_VARIANTS.get(espeak_voice.split("-")[0], VARIANTS)
