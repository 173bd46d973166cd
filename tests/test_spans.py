import pytest

from anonymizer.spans import clip, ensure_min_duration, merge, pad, snap_to_pauses, total_duration_s
from anonymizer.types import TimeSpan


def test_pad_then_clip_stays_inside_file():
    assert clip(pad(TimeSpan(0.1, 9.9), 0.25, 0.25), 10.0) == TimeSpan(0.0, 10.0)


def test_clip_outside_file_is_none():
    assert clip(TimeSpan(10.0, 10.5), 10.0) is None


@pytest.mark.parametrize(
    ("spans", "collar_s", "expected"),
    [
        ([], 0.0, []),
        ([TimeSpan(0, 1)], 0.0, [TimeSpan(0, 1)]),
        ([TimeSpan(2, 3), TimeSpan(0, 1)], 0.0, [TimeSpan(0, 1), TimeSpan(2, 3)]),
        ([TimeSpan(0, 1), TimeSpan(1, 2)], 0.0, [TimeSpan(0, 2)]),  # touching spans merge
        ([TimeSpan(0, 1), TimeSpan(1.2, 2)], 0.1, [TimeSpan(0, 1), TimeSpan(1.2, 2)]),
        ([TimeSpan(0, 1), TimeSpan(1.2, 2)], 0.2, [TimeSpan(0, 2)]),
        ([TimeSpan(0, 5), TimeSpan(1, 2)], 0.0, [TimeSpan(0, 5)]),  # contained
    ],
)
def test_merge(spans, collar_s, expected):
    assert merge(spans, collar_s) == expected


def test_merge_result_is_disjoint_and_covers_inputs():
    spans = [TimeSpan(i * 0.37 % 5, i * 0.37 % 5 + 0.3) for i in range(40)]
    merged = merge(spans)
    assert all(a.end_s < b.start_s for a, b in zip(merged, merged[1:], strict=False))
    assert all(any(m.contains(s) for m in merged) for s in spans)
    assert total_duration_s(spans) == pytest.approx(sum(m.duration_s for m in merged))


def test_min_duration_grows_symmetrically():
    grown = ensure_min_duration(TimeSpan(1.0, 1.1), 0.5)
    assert grown.duration_s == pytest.approx(0.5)
    assert (grown.start_s + grown.end_s) / 2 == pytest.approx(1.05)


def test_snap_never_shrinks():
    pauses = [TimeSpan(0.5, 0.6), TimeSpan(3.0, 3.2)]
    for span in (TimeSpan(1, 2), TimeSpan(0.55, 3.1), TimeSpan(0.0, 0.2)):
        snapped = snap_to_pauses(span, pauses, 0.4)
        assert snapped.contains(span)


def test_invalid_span_rejected():
    with pytest.raises(ValueError, match="before start_s"):
        TimeSpan(2.0, 1.0)
