"""Property tests (hypothesis) for the time-span algebra and alignment: invariants over generated inputs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from anonymizer.align import AlignSettings, align, time_span_of, words_for_span
from anonymizer.spans import Intervals, clip, ensure_min_duration, merge, pad, snap_to_pauses, total_duration_s
from anonymizer.types import PiiSpan, TimeSpan, Transcript

times = st.floats(min_value=0.0, max_value=600.0, allow_nan=False, allow_infinity=False)
lengths = st.floats(min_value=0.0, max_value=20.0, allow_nan=False, allow_infinity=False)
EPS = 1e-9


@st.composite
def spans(draw: st.DrawFn) -> TimeSpan:
    start = draw(times)
    return TimeSpan(start, start + draw(lengths))


def covered(inner: TimeSpan, outer: list[TimeSpan]) -> bool:
    return any(o.start_s - EPS <= inner.start_s and inner.end_s <= o.end_s + EPS for o in outer)


@given(st.lists(spans(), max_size=30), st.floats(min_value=0.0, max_value=2.0))
def test_merge_is_sorted_disjoint_and_covers_every_input(items, collar_s):
    merged = merge(items, collar_s=collar_s)
    assert all(a.end_s + collar_s < b.start_s for a, b in zip(merged, merged[1:], strict=False))  # apart
    assert all(covered(span, merged) for span in items)
    assert all(any(abs(m.start_s - s.start_s) < EPS for s in items) for m in merged)  # edges are input edges
    assert all(any(abs(m.end_s - s.end_s) < EPS for s in items) for m in merged)
    assert merge(merged, collar_s=collar_s) == merged  # idempotent
    if collar_s == 0:
        assert total_duration_s(items) <= sum(s.duration_s for s in items) + EPS


@given(spans(), st.floats(min_value=0.0, max_value=5.0), st.floats(min_value=0.0, max_value=5.0),
       st.floats(min_value=0.1, max_value=700.0))
def test_pad_then_clip_stays_in_the_file_and_keeps_the_span(span, before_s, after_s, duration_s):
    padded = pad(span, before_s, after_s)
    assert padded.start_s <= span.start_s and padded.end_s >= span.end_s
    clipped = clip(padded, duration_s)
    if clipped is None:
        assert padded.end_s <= 0 or padded.start_s >= duration_s or padded.duration_s == 0
    else:
        assert 0.0 <= clipped.start_s < clipped.end_s <= duration_s
        inside = clip(span, duration_s)
        assert inside is None or clipped.contains(inside)


@given(spans(), st.floats(min_value=0.0, max_value=3.0))
def test_min_duration_grows_symmetrically(span, min_s):
    grown = ensure_min_duration(span, min_s)
    assert grown.contains(span)
    assert grown.duration_s >= min(min_s, max(min_s, span.duration_s)) - EPS
    assert abs((grown.start_s + grown.end_s) - (span.start_s + span.end_s)) < 1e-6


@given(spans(), st.lists(spans(), max_size=10), st.floats(min_value=0.0, max_value=1.0), st.booleans())
def test_snapping_only_widens_and_never_beyond_its_reach(span, pauses, max_shift_s, extend):
    snapped = snap_to_pauses(span, pauses, max_shift_s, extend)
    assert snapped.contains(span)
    assert span.start_s - snapped.start_s <= max_shift_s + EPS
    assert snapped.end_s - span.end_s <= max_shift_s + EPS


@st.composite
def transcripts(draw: st.DrawFn) -> Transcript:
    n = draw(st.integers(min_value=1, max_value=25))
    pieces, cursor = [], 0.0
    for _ in range(n):
        cursor += draw(st.floats(min_value=0.0, max_value=1.5))
        length = draw(st.floats(min_value=0.0, max_value=2.5))
        text = draw(st.sampled_from(["ist", "D8", "-9", "Anna", "Schneider.", "0151,", "und", "Berlin?", "null"]))
        pieces.append((" " + text, round(cursor, 3), round(cursor + length, 3),
                       draw(st.floats(min_value=0.0, max_value=1.0))))
        cursor += length
    return Transcript.from_words(pieces, "de")


@st.composite
def align_settings(draw: st.DrawFn) -> AlignSettings:
    ms = st.floats(min_value=0.0, max_value=1.0)
    # a minimum length above 0 (the config's is 300 ms): a word Whisper timed at no length still gets a span
    return AlignSettings(draw(ms), draw(ms), draw(st.floats(min_value=0.01, max_value=1.0)),
                         draw(st.floats(min_value=0.05, max_value=1.0)), draw(ms), draw(st.booleans()), draw(ms),
                         draw(ms))


@settings(max_examples=300)
@given(transcripts(), st.data(), align_settings(), st.lists(spans(), max_size=8))
def test_every_findings_words_lie_inside_its_redaction(transcript, data, config, pauses):
    length = len(transcript.text)
    starts = data.draw(st.lists(st.integers(min_value=0, max_value=length - 1), min_size=1, max_size=4))
    findings = [PiiSpan(s, data.draw(st.integers(min_value=s + 1, max_value=length)), "PERSON", 0.8, "r")
                for s in starts]
    findings = [f for f in findings if words_for_span(transcript, f)]  # a span over no word has no time
    duration_s = max(w.end_s for w in transcript.words) + data.draw(st.floats(min_value=0.0, max_value=5.0))
    duration_s = max(duration_s, 0.01)
    redactions = align(transcript, findings, duration_s, config, sorted(pauses))
    assert len(redactions) == len(findings)
    for r in redactions:
        assert 0.0 <= r.start_s <= r.end_s <= duration_s + EPS
        finding = next(f for f in findings if (f.char_start, f.char_end) == (r.char_start, r.char_end))
        words = time_span_of(words_for_span(transcript, finding))
        inside = clip(words, duration_s)
        if inside is not None:
            assert r.start_s <= inside.start_s + 1e-3 and inside.end_s <= r.end_s + 1e-3  # rounded to ms


@given(st.lists(spans(), max_size=40), times, lengths)
def test_intervals_find_what_a_scan_finds_in_the_same_order(items, low_s, length_s):
    found = Intervals(items)
    high_s = low_s + length_s
    assert found.overlapping(low_s, high_s) == [i for i in items if i.end_s >= low_s and i.start_s <= high_s]
    assert found.at(low_s) == [i for i in items if i.start_s < low_s < i.end_s]


@given(st.lists(st.tuples(st.text("ab", min_size=1, max_size=4), lengths), max_size=30), st.data())
def test_word_range_is_the_words_a_scan_finds(words, data):
    t = Transcript.from_words([(" " + w, 0.0, d, 0.9) for w, d in words], "en")
    start = data.draw(st.integers(0, len(t.text) + 2))
    end = data.draw(st.integers(start, len(t.text) + 3))
    first, last = t.word_range(start, end)
    assert list(range(first, last)) == [k for k, w in enumerate(t.words) if w.char_start < end and start < w.char_end]
