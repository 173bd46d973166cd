"""``<stem>.anon.html``: evidence of what was done, as one self-contained page that opens from disk.

The waveform of the anonymized audio as an inline SVG with every redaction a coloured region on its
channel, the table of redactions (id, type, time, recognizer), the verify verdict and the report's facts.
Nothing is fetched (no script, no font, no link): it opens offline and can be archived or mailed. No raw
text unless the report holds it (``--include-text``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from anonymizer.report import Report
from anonymizer.spans import total_duration_s
from anonymizer.types import Audio, Redaction

WIDTH_PX, ROW_PX = 1000, 70
COLOURS = {  # one colour per entity type (the review page uses the same)
    "PERSON": "#e6194b", "SPELLED_OUT": "#f58231", "ADDRESS": "#3cb44b", "LOCATION": "#3cb44b",
    "PHONE_NUMBER": "#4363d8", "EMAIL_ADDRESS": "#911eb4", "IBAN_CODE": "#42d4f4", "CREDIT_CARD": "#42d4f4",
    "ID_NUMBER": "#f032e6", "NUMBER_SEQUENCE": "#9a6324", "DATE_OF_BIRTH": "#808000", "DATE_TIME": "#808000",
    "UNCERTAIN": "#a9a9a9", "UNTRANSCRIBED_SPEECH": "#a9a9a9",
}
DEFAULT_COLOUR = "#000075"


def colour(entity_type: str) -> str:
    return COLOURS.get(entity_type, DEFAULT_COLOUR)


def envelope(audio: Audio, columns: int = WIDTH_PX) -> np.ndarray:
    """Per channel and pixel column the (min, max) of the samples: shape ``(channels, columns, 2)``."""
    builder = EnvelopeBuilder(audio.n_samples, audio.n_channels, columns)
    builder.add(audio.samples)
    return builder.result()


@dataclass(frozen=True)
class Waveform:
    """What the page draws of the anonymized audio: its length, channels and envelope."""

    duration_s: float
    n_channels: int
    envelope: np.ndarray  # (channels, columns, 2)

    @staticmethod
    def of(audio: Audio) -> Waveform:
        return Waveform(audio.duration_s, audio.n_channels, envelope(audio))


class EnvelopeBuilder:
    """``envelope`` of audio that passes by in blocks (``tap``), never held whole."""

    def __init__(self, n_samples: int, n_channels: int, columns: int = WIDTH_PX) -> None:
        self._n = max(1, n_samples // columns)
        self._columns, self._channels = columns, n_channels
        self._low: list[np.ndarray] = []
        self._high: list[np.ndarray] = []
        self._done = 0
        self._carry = np.zeros((0, n_channels), np.float32)

    def add(self, block: np.ndarray) -> None:
        if self._done >= self._columns:
            return
        joined = np.concatenate([self._carry, block]) if len(self._carry) else block
        k = min(len(joined) // self._n, self._columns - self._done)
        if k:
            whole = joined[: k * self._n].reshape(k, self._n, self._channels)
            self._low.append(whole.min(axis=1))
            self._high.append(whole.max(axis=1))
            self._done += k
        self._carry = np.array(joined[k * self._n :], copy=True) if self._done < self._columns else joined[:0]

    def tap(self, blocks: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        for block in blocks:
            self.add(block)
            yield block

    def result(self) -> np.ndarray:
        low = np.concatenate(self._low) if self._low else np.zeros((0, self._channels), np.float32)
        high = np.concatenate(self._high) if self._high else np.zeros((0, self._channels), np.float32)
        missing = self._columns - len(low)  # a recording shorter than the page is wide: zeros after it
        if missing > 0:
            low = np.concatenate([low, np.zeros((missing, self._channels), low.dtype)])
            high = np.concatenate([high, np.zeros((missing, self._channels), high.dtype)])
        return np.stack([low.T, high.T], axis=-1)


def _svg(audio: Waveform, redactions: Sequence[Redaction], ids: Sequence[str]) -> str:
    duration_s = max(audio.duration_s, 1e-6)
    shapes = []
    env = audio.envelope
    for channel in range(audio.n_channels):
        top = channel * ROW_PX
        mid = top + ROW_PX / 2
        for rid, r in zip(ids, redactions, strict=True):
            if r.channel is not None and r.channel != channel and audio.n_channels > 1:
                continue
            x, w = r.start_s / duration_s * WIDTH_PX, max(1.0, (r.end_s - r.start_s) / duration_s * WIDTH_PX)
            shapes.append(f'<rect x="{x:.1f}" y="{top}" width="{w:.1f}" height="{ROW_PX}" '
                          f'fill="{colour(r.entity_type)}" fill-opacity="0.35"><title>{rid} '
                          f'{html.escape(r.entity_type)} {r.start_s:.2f}-{r.end_s:.2f} s</title></rect>')
        points = " ".join(f"{x},{mid - hi * ROW_PX / 2:.1f} {x},{mid - lo * ROW_PX / 2:.1f}"
                          for x, (lo, hi) in enumerate(env[channel]))
        shapes.append(f'<polyline points="{points}" fill="none" stroke="#333" stroke-width="1"/>')
    height = ROW_PX * audio.n_channels
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH_PX} {height}" width="100%" '
            f'role="img" aria-label="waveform with redactions">{"".join(shapes)}</svg>')


def page(report: Report, audio: Audio | Waveform, ids: Sequence[str]) -> str:
    """The evidence page for ``report`` and its anonymized ``audio`` (or its ``Waveform``)."""
    if isinstance(audio, Audio):
        audio = Waveform.of(audio)
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(i)}</td><td><span class=sw style='background:{colour(r.entity_type)}'></span>"
        f"{esc(r.entity_type)}</td><td>{r.start_s:.2f}</td><td>{r.end_s:.2f}</td>"
        f"<td>{'' if r.channel is None else r.channel + 1}</td><td>{esc(r.recognizer)}</td>"
        f"<td>{r.score:.2f}</td>{f'<td>{esc(text)}</td>' if report.redaction_texts else ''}</tr>"
        for i, r, text in zip(ids, report.redactions, report.redaction_texts or [""] * len(ids), strict=True))
    verdict = report.verification
    checked = ("<p>Not verified (run with <code>--verify</code> or <code>anonymizer verify</code>).</p>"
               if verdict is None else
               f"<p class=v-{esc(verdict.status.value)}>Verify: <b>{esc(verdict.status.value)}</b> "
               f"({verdict.checked_items} items checked, model {esc(verdict.model)})</p><ul>"
               + "".join(f"<li>{esc(f.level.value)} {esc(f.entity_type)} {f.start_s:.2f}-{f.end_s:.2f} s: "
                         f"{esc(f.reason)}</li>" for f in verdict.findings) + "</ul>")
    reviewed = "<p><b>Reviewed:</b> edits applied by a person (see the report's <code>review</code>).</p>" \
        if report.review else ""
    raw = (f"<h2>Raw transcript (contains personal data)</h2><p class=t>{esc(report.transcript_raw)}</p>"
           if report.transcript_raw is not None else "")
    facts = (f"<tr><th>input</th><td>{esc(report.input.path.name)}</td><td>sha256 {report.input.sha256}</td></tr>"
             f"<tr><th>output</th><td>{esc(report.output.path.name)}</td><td>sha256 {report.output.sha256}</td></tr>"
             f"<tr><th>audio</th><td>{report.input.duration_s:.2f} s, {report.input.n_channels} ch, "
             f"{report.input.sample_rate_hz} Hz</td><td>language {esc(report.language)}</td></tr>"
             f"<tr><th>tool</th><td>anonymizer {esc(report.tool_version)}</td><td>config {report.config_hash}, "
             f"models {esc(', '.join(m.name for m in report.models))}, voice "
             f"{esc(report.voice_level or 'custom')} ({esc(' + '.join(report.voice_transforms) or 'kept')}), "
             f"math kernels {esc(report.math_kernels or 'not recorded')}</td></tr>")
    text_head = "<th>text</th>" if report.redaction_texts else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(report.output.path.name)}: what was redacted</title>
<style>body{{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}}table{{border-collapse:collapse}}
td,th{{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left}}.sw{{display:inline-block;width:10px;
height:10px;margin-right:5px}}.v-PASS{{color:#070}}.v-REVIEW{{color:#a60}}.v-FAIL{{color:#c00}}.t{{white-space:pre-wrap}}
</style></head><body>
<h1>{esc(report.output.path.name)}</h1>
<p>{len(report.redactions)} redactions, {total_duration_s(r.span for r in report.redactions):.1f} s redacted;
status <b>{esc(report.status.value)}</b>. The shaded regions are redacted (channel by channel).</p>
{_svg(audio, report.redactions, ids)}
{reviewed}{checked}
<h2>Redactions</h2>
<table><tr><th>id</th><th>type</th><th>start s</th><th>end s</th><th>channel</th><th>recognizer</th><th>score</th>
{text_head}</tr>{rows}</table>
<h2>Transcript with placeholders</h2><p class=t>{esc(report.transcript_redacted)}</p>{raw}
<h2>Facts</h2><table>{facts}</table>
</body></html>
"""
