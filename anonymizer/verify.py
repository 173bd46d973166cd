"""Check an anonymized file against its original: ``anonymizer verify`` and ``run --verify``.

The original is transcribed and searched for personal data again; the anonymized file is
transcribed (per channel, like the pipeline) with the models in the install, offline. Then:

- FAIL: a value found in the original (a name's words, a number's digits) can be read in the
  output's transcript near where it was said; a finding in the original lies outside every
  redaction; the output or input does not match the report (hash, duration, channels).
- REVIEW: a recognizer finds personal data in the output's transcript, outside the redactions, that the
  original's transcript also says there (the detection of the run missed it); a finding of the original
  is only partly inside the redactions; the report warns (speech without words); there is no report.
  What the output's transcript alone says (the disguised voice misheard: "Bank, Frau Windung" for
  "Bankverbindung") and what the answer rule marks after a question are no evidence.
- PASS: none of these.

Findings carry entity types and times, never the text (the report is PII-free).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from anonymizer.align import time_span_of, words_for_span
from anonymizer.analysis import detect_channel, transcribe_channel
from anonymizer.config import Config, RedactionConfig, TranscriptionConfig, VadConfig
from anonymizer.detect import Detector
from anonymizer.detect.digits import digit_runs
from anonymizer.detect.lexicon import stop_words
from anonymizer.hearing import DEFAULT_BLOCKS, Blocks, hear
from anonymizer.report import Report, sha256_file
from anonymizer.spans import merge
from anonymizer.stream import AudioSource, FileSource
from anonymizer.transcribe import Transcriber, one_blas_thread
from anonymizer.types import Audio, Finding, TimeSpan, Transcript, Verdict, VerifyStatus

LEAK_WINDOW_S = 2.0
MIN_WORD_CHARS = 4
DIGIT_GRAM = 5
IGNORED_ENTITIES = {"UNCERTAIN", "UNTRANSCRIBED_SPEECH"}
# in the output, the answer rule only says that a question for personal data was asked (it still is): what
# follows it is the bleep or the next sentence; a recognizer must find the data itself to raise REVIEW
NOT_EVIDENCE_IN_OUTPUT = {"AnswerToQuestion"}
# a finding this much inside the redactions is redacted (word times of another model may be off by ~0.5 s);
# less than half inside is FAIL
COVERED_SHARE, UNCOVERED_SHARE = 0.9, 0.5
FAIL, REVIEW = VerifyStatus.FAIL, VerifyStatus.REVIEW


def value_keys(text: str, language: str) -> tuple[set[str], list[str]]:
    """What would reveal a finding if heard again: its words of 4+ letters, and its digits
    (5-digit windows of a long number, the whole number when it has 4 digits).

    >>> sorted(value_keys("Martina Schneider", "de")[0])
    ['martina', 'schneider']
    >>> sorted(value_keys("Sarah that Johnson at example .com", "en")[0])  # function words reveal nothing
    ['example', 'johnson', 'sarah']
    >>> value_keys("null eins fünf eins, zwei drei", "de")
    (set(), ['01512', '15123'])
    """
    _, runs = digit_runs(text, language)
    digits = "".join(run.digits for run in runs)
    number_chars = {i for run in runs for i in range(run.start, run.end)}
    rest = "".join(ch if i not in number_chars else " " for i, ch in enumerate(text))
    words = {w for w in re.findall(r"[^\W\d_]+", rest.lower())
             if len(w) >= MIN_WORD_CHARS and w not in _function_words()}
    if len(digits) > DIGIT_GRAM:
        grams = sorted({digits[i : i + DIGIT_GRAM] for i in range(len(digits) - DIGIT_GRAM + 1)})
    else:
        grams = [digits] if len(digits) >= 4 else []
    return words, grams


@cache
def _function_words() -> frozenset[str]:
    """Function words of both languages ("that", "also", "eine"): hearing them again reveals nothing."""
    return stop_words("de") | stop_words("en")


def recovered(text: str, language: str, window: Transcript) -> bool:
    """Whether ``window`` (the output's words near the finding) reveals ``text``."""
    words, grams = value_keys(text, language)
    heard = window.text
    heard_words = {w.lower() for w in re.findall(r"[^\W\d_]+", heard)}
    _, runs = digit_runs(heard, language)
    heard_digits = "".join(run.digits for run in runs)
    return bool(words & heard_words) or any(g in heard_digits for g in grams)


def _window(transcript: Transcript, span: TimeSpan) -> Transcript:
    words = [(" " + w.text, w.start_s, w.end_s, w.probability) for w in transcript.words
             if w.end_s >= span.start_s - LEAK_WINDOW_S and w.start_s <= span.end_s + LEAK_WINDOW_S]
    return Transcript.from_words(words, transcript.language)


class Verifier:
    """Runs the checks with loaded engines (the pipeline's, or ones built for ``verify``)."""

    def __init__(self, transcriber: Transcriber, detector: Detector, vad: VadConfig, language: str | None,
                 per_channel: str = "auto", blocks: Blocks = DEFAULT_BLOCKS) -> None:
        self.transcriber = transcriber
        self.detector = detector
        self.vad = vad
        self.language = language
        self.per_channel = per_channel
        self.blocks = blocks
        # how the run hears a recording (``hearing.hear``: in blocks, never whole), without its redaction rules
        self._hearing = Config(vad=vad, transcription=TranscriptionConfig(language=language or "auto",
                                                                          per_channel=per_channel),
                               redaction=RedactionConfig(uncertain=False))

    def transcribe(self, audio: Audio) -> Transcript:
        """One transcript of a whole ``audio`` held in memory (evaluations of short calls)."""
        return transcribe_channel(audio, self.vad, self.language, self.transcriber, self.detector.prepare)[2]

    def _hear(self, source: AudioSource, channels: list[int | None]) -> list[Transcript]:
        heard, _ = hear(source, channels, self._hearing, self.transcriber, self.detector.prepare, blocks=self.blocks)
        return [h.transcript for h in heard]

    def verify(self, original_path: Path, anonymized_path: Path, report: Report | None) -> Verdict:
        with one_blas_thread():  # the numerics of the pipeline's run: the same transcripts
            return self._verify(original_path, anonymized_path, report)

    def _verify(self, original_path: Path, anonymized_path: Path, report: Report | None) -> Verdict:
        findings: list[Finding] = []
        original, anonymized = FileSource(original_path), FileSource(anonymized_path)
        model = self.transcriber.model_info.name
        if abs(original.duration_s - anonymized.duration_s) > 0.05 or original.n_channels != anonymized.n_channels:
            findings.append(Finding(FAIL, f"output is {anonymized.duration_s:.2f} s x {anonymized.n_channels} ch, "
                                          f"original {original.duration_s:.2f} s x {original.n_channels} ch"))
            return Verdict.of(findings, 0, model)
        redacted: list[TimeSpan] = []
        if report is None:
            findings.append(Finding(REVIEW, "no report: redactions unknown, only leaks were checked"))
        else:
            if report.output.sha256 != sha256_file(anonymized_path):
                findings.append(Finding(FAIL, "the output's sha256 differs from the report's: modified afterwards"))
            if report.input.sha256 != sha256_file(original_path):
                findings.append(Finding(FAIL, "the report belongs to a different input (sha256 differs)"))
            redacted = merge(r.span for r in report.redactions)
            findings += [Finding(REVIEW, f"report warns: {w}") for w in report.warnings]
        checked = 0
        channels = original.transcribed_channels(self.per_channel)
        for channel, before, after in zip(channels, self._hear(original, channels), self._hear(anonymized, channels),
                                          strict=True):
            for span in detect_channel(self.detector, before, channel):
                if span.entity_type in IGNORED_ENTITIES:
                    continue
                words = words_for_span(before, span)
                if not words:
                    continue
                checked += 1
                when = time_span_of(words)
                text = before.text[span.char_start : span.char_end]
                where = (span.entity_type, round(when.start_s, 2), round(when.end_s, 2), channel)
                share = _covered_share(when, redacted)
                if recovered(text, before.language, _window(after, when)):
                    findings.append(Finding(FAIL, "value recoverable from the output's transcript", *where))
                elif report is not None and share < UNCOVERED_SHARE:
                    findings.append(Finding(FAIL, "personal data in the original outside every redaction", *where))
                elif report is not None and share < COVERED_SHARE:
                    findings.append(Finding(REVIEW, f"personal data in the original only {share:.0%} inside the "
                                                    "redactions; listen to the edges", *where))
            for span in detect_channel(self.detector, after, channel):
                words = words_for_span(after, span)
                if not words or span.entity_type in IGNORED_ENTITIES or span.recognizer in NOT_EVIDENCE_IN_OUTPUT:
                    continue
                when = time_span_of(words)
                if _covered_share(when, redacted) >= UNCOVERED_SHARE:
                    continue  # the bleep itself, transcribed as something
                if not recovered(after.text[span.char_start : span.char_end], after.language, _window(before, when)):
                    continue  # not what the original says there: the disguised voice misheard ("Frau Windung")
                findings.append(Finding(REVIEW, f"{span.recognizer} finds {span.entity_type} in the output outside "
                                                "the redactions, which the original did not have there; listen",
                                        span.entity_type, round(when.start_s, 2), round(when.end_s, 2), channel))
        return Verdict.of(_dedupe(findings), checked, model)


def _covered_share(span: TimeSpan, redacted: list[TimeSpan]) -> float:
    """The share of ``span`` inside ``redacted`` (merged, disjoint); a span of no length: 1 or 0."""
    if span.duration_s <= 0:
        return 1.0 if any(r.start_s <= span.start_s <= r.end_s for r in redacted) else 0.0
    return sum((r & span).duration_s for r in redacted if r.overlaps(span)) / span.duration_s


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[Any, ...]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.level, f.reason, f.entity_type, f.start_s, f.end_s, f.channel)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def report_path_for(anonymized_path: Path) -> Path:
    """``x.anon.wav`` -> ``x.anon.json`` (where ``run`` writes it)."""
    return anonymized_path.with_suffix(".json")
