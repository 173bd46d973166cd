"""The report as a typed value both ways: what ``run`` writes, ``Report.from_json`` reads back, validated."""

from __future__ import annotations

import dataclasses
import json

import pytest

from anonymizer.config import load_config
from anonymizer.errors import ReportError
from anonymizer.pipeline import Pipeline
from anonymizer.report import REPORT_SCHEMA_VERSION, Report, read_report
from anonymizer.types import FileStatus, Finding, Verdict, VerifyStatus
from tests.fakes import FakeDetector, FakeTranscriber
from tests.helpers import sine, write_audio

WORDS = [("Hello", 0.3, 0.6), ("Anna", 0.8, 1.1), ("call", 1.3, 1.5), ("0151", 1.6, 2.0), ("thanks", 2.4, 2.7)]


@pytest.fixture
def written(tmp_path):
    wav = write_audio(tmp_path / "call.wav", sine(220.0, 3.0, 8000, n_channels=2, amplitude=0.3))
    config = load_config(None, {"voice": {"chain": []}, "output": {"include_text": True}})
    return Pipeline(config, FakeTranscriber(WORDS), FakeDetector()).run(wav, tmp_path / "out")


def test_a_written_report_reads_back_as_the_same_value(written):
    report = read_report(written.report_path)
    assert report is not None and report.status is FileStatus.OK
    assert report.output.sha256 == written.output_sha256 and report.input.duration_s == written.duration_s
    assert [(r.start_s, r.end_s, r.entity_type) for r in report.redactions] == [
        (r.start_s, r.end_s, r.entity_type) for r in written.redactions]
    assert report.redaction_texts == ("Anna", "0151")
    # to_json(from_json(x)) == x: nothing is lost on the way
    data = json.loads(written.report_path.read_text())
    assert Report.from_json(data).to_json() == data


def test_the_report_names_the_math_kernels_the_transcript_came_from(written, tmp_path, monkeypatch):
    """The same audio can be transcribed differently on another CPU (machine.py): the report says which."""
    from anonymizer.machine import cpu_isa, math_kernels

    data = json.loads(written.report_path.read_text())
    assert data["tool"]["math_kernels"] == math_kernels() and data["tool"]["math_kernels"].split()[0]
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu sse4_2 avx avx2 avx512f avx512_bf16\n\n"
                    "processor\t: 1\nflags\t\t: fpu sse4_2 avx avx2 avx512f avx512_bf16\n")
    assert cpu_isa.__wrapped__(info).split()[1:] == ["AVX512", "BF16"]
    info.write_text("processor\t: 0\nflags\t\t: fpu sse4_2 avx avx2\n")
    assert cpu_isa.__wrapped__(info).split()[1:] == ["AVX2"]
    assert len(cpu_isa.__wrapped__(tmp_path / "missing").split()) == 1  # not Linux: the machine alone
    monkeypatch.setenv("CT2_FORCE_CPU_ISA", "AVX2")
    assert math_kernels().endswith(" CT2_FORCE_CPU_ISA=AVX2")


def test_a_verdict_travels_in_the_report(written):
    report = read_report(written.report_path)
    verdict = Verdict.of([Finding(VerifyStatus.REVIEW, "listen", "PERSON", 0.8, 1.1, None)], 2, "fake")
    again = Report.from_json(dataclasses.replace(report, verification=verdict).to_json())
    assert again.verification == verdict and again.verification.status is VerifyStatus.REVIEW


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.pop("redactions"), "redactions: missing or not list"),
        (lambda d: d["input"].update(sha256=7), "input.sha256: missing or not str"),
        (lambda d: d["redactions"][0].update(end_s=-1.0), "redactions[0]: end_s before start_s"),
        (lambda d: d.update(schema_version=REPORT_SCHEMA_VERSION + 1), "schema_version"),
        (lambda d: d.update(status="maybe"), "'maybe' is not a valid FileStatus"),
    ],
)
def test_an_invalid_report_is_one_clear_error(written, change, problem):
    data = json.loads(written.report_path.read_text())
    change(data)
    with pytest.raises(ReportError, match="x.json: invalid report") as raised:
        Report.from_json(data, "x.json")
    assert problem in str(raised.value)


def test_reading_a_missing_or_broken_report(tmp_path):
    assert read_report(tmp_path / "none.json") is None
    (tmp_path / "bad.json").write_bytes(b"\xff\xfe not json")
    with pytest.raises(ReportError, match="bad.json: not a JSON report"):
        read_report(tmp_path / "bad.json")
    (tmp_path / "list.json").write_text("[]")
    with pytest.raises(ReportError, match="list.json: not a report"):
        read_report(tmp_path / "list.json")
