"""Batch: discovery, resume, evidence — with fake engines (fast); test_batch_e2e runs the real ones."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from anonymizer.batch import BatchOptions, run_batch
from anonymizer.batch.discover import discover
from anonymizer.batch.progress import PlainReporter, QuietReporter
from anonymizer.config import load_config
from anonymizer.errors import ConfigError
from tests.fakes import FakeWorkers
from tests.helpers import sine, write_audio

CONFIG = load_config(None, {"voice": {"chain": []}})


@pytest.fixture
def fake_workers():
    """Workers build a pipeline with fake engines (the in-process executor, --jobs 1)."""
    return FakeWorkers()


@pytest.fixture
def tree(tmp_path):
    src = tmp_path / "in"
    (src / "a" / "b").mkdir(parents=True)
    write_audio(src / "one.wav", sine(220.0, 1.0, 8000))
    write_audio(src / "a" / "two.flac", sine(220.0, 1.0, 16000), "flac")
    write_audio(src / "a" / "b" / "three.mp3", sine(220.0, 1.0, 16000), "mp3")
    (src / "a" / "readme.txt").write_text("not audio")
    return src


def batch(workers, src, out, **kwargs):
    return run_batch(BatchOptions(src, out, **kwargs), CONFIG, QuietReporter(), pipeline_factory=workers)


def audit_events(out):
    return [json.loads(line) for line in (out / "audit.jsonl").read_text().splitlines() if line.strip()]


def test_discovery_mirrors_tree_and_filters(tree, tmp_path):
    jobs, skipped = discover(tree, tmp_path / "out")
    assert [j.relative for j in jobs] == ["one.wav", "a/two.flac", "a/b/three.mp3"]
    three = next(j for j in jobs if j.relative.endswith("three.mp3"))
    assert three.audio_out == (tmp_path / "out" / "a" / "b" / "three.anon.mp3").resolve()
    assert three.report_out.name == "three.anon.json"
    assert skipped == []
    jobs, _ = discover(tree, tmp_path / "out", include=("*.flac",))
    assert [j.relative for j in jobs] == ["a/two.flac"]
    jobs, _ = discover(tree, tmp_path / "out", exclude=("a/b/*",))
    assert sorted(j.relative for j in jobs) == ["a/two.flac", "one.wav"]


def test_symlinks_out_of_the_tree_are_not_followed(tree, tmp_path):
    outside = tmp_path / "secret"
    outside.mkdir()
    write_audio(outside / "private.wav", sine())
    (tree / "link.wav").symlink_to(outside / "private.wav")
    (tree / "linkdir").symlink_to(outside)
    (tree / "inside.wav").symlink_to(tree / "one.wav")
    jobs, skipped = discover(tree, tmp_path / "out")
    relatives = {j.relative for j in jobs}
    assert "link.wav" not in relatives and not any(r.startswith("linkdir") for r in relatives)
    assert "inside.wav" in relatives
    assert {s.relative for s in skipped} == {"link.wav", "linkdir"}


@pytest.mark.parametrize("where", ["same", "inside"])
def test_output_inside_input_is_refused(tree, where):
    out = tree if where == "same" else tree / "a" / "out"
    with pytest.raises(ConfigError, match="must not be the input directory or inside it"):
        discover(tree, out)


def test_batch_does_everything_once_then_skips(fake_workers, tree, tmp_path):
    out = tmp_path / "out"
    first = batch(fake_workers, tree, out)
    assert first.count("done") == 3 and first.exit_code == 0
    assert (out / "a" / "b" / "three.anon.mp3").is_file() and (out / "a" / "b" / "three.anon.json").is_file()
    second = batch(fake_workers, tree, out)
    assert second.count("skipped (done before)") == 3 and second.exit_code == 0
    assert len(fake_workers) == 1  # the second run loaded no models
    done_events = [e for e in audit_events(out) if e["event"] == "file"]
    assert sorted(e["input"] for e in done_events) == ["a/b/three.mp3", "a/two.flac", "one.wav"]


def test_changed_input_and_changed_config_are_redone(fake_workers, tree, tmp_path):
    out = tmp_path / "out"
    batch(fake_workers, tree, out)
    write_audio(tree / "one.wav", sine(330.0, 1.5, 8000))  # new content
    summary = batch(fake_workers, tree, out)
    assert [r.relative for r in summary.rows if r.status == "done"] == ["one.wav"]
    assert [r.detail for r in summary.rows if r.status == "done"] == ["changed"]
    changed = run_batch(BatchOptions(tree, out), load_config(None, {"voice": {"chain": []},
                        "redaction": {"method": "silence"}}), QuietReporter(), pipeline_factory=fake_workers)
    assert changed.count("done") == 3


def test_failures_are_recorded_and_retried_on_request(fake_workers, tree, tmp_path):
    out = tmp_path / "out"
    (tree / "broken.wav").write_text("not audio")
    first = batch(fake_workers, tree, out)
    assert first.exit_code == 1
    assert [r.relative for r in first.rows if r.status == "failed"] == ["broken.wav"]
    assert not (out / "broken.anon.wav").exists() and not (out / "broken.anon.json").exists()
    again = batch(fake_workers, tree, out)
    assert [r.status for r in again.rows if r.relative == "broken.wav"] == ["failed (not retried)"]
    assert again.exit_code == 1
    write_audio(tree / "broken.wav", sine())  # fixed: new content is a new key, so it is redone
    fixed = batch(fake_workers, tree, out)
    assert [r.status for r in fixed.rows if r.relative == "broken.wav"] == ["done"]
    assert fixed.exit_code == 0


def test_retry_failed(fake_workers, tree, tmp_path, monkeypatch):
    out = tmp_path / "out"
    (tree / "broken.wav").write_text("not audio")
    batch(fake_workers, tree, out)
    retried = batch(fake_workers, tree, out, retry_failed=True)
    assert [r.status for r in retried.rows if r.relative == "broken.wav"] == ["failed"]
    failed_events = [e for e in audit_events(out) if e.get("input") == "broken.wav"]
    assert len(failed_events) == 2  # tried twice, both recorded


def test_summary_csv_and_audit_log_hold_no_pii(fake_workers, tree, tmp_path):
    out = tmp_path / "out"
    batch(fake_workers, tree, out)
    rows = list(csv.DictReader((out / "summary.csv").open()))
    assert {r["input"] for r in rows} == {"one.wav", "a/two.flac", "a/b/three.mp3"}
    assert all(r["status"] == "done" and r["redactions"] == "1" for r in rows)
    text = (out / "audit.jsonl").read_text()
    assert "Anna" not in text
    event = next(e for e in audit_events(out) if e.get("input") == "one.wav")
    assert set(event) >= {"time", "input_sha256", "output_sha256", "config_hash", "model", "redactions", "status",
                          "tool_version"}
    assert event["redactions"] == {"PERSON": 1}


def test_torn_audit_line_from_a_killed_run_is_tolerated(fake_workers, tree, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "audit.jsonl").write_text('{"event": "file", "inp')  # a SIGKILL mid-write
    batch(fake_workers, tree, out)
    lines = (out / "audit.jsonl").read_text().splitlines()
    assert lines[0] == '{"event": "file", "inp'
    assert all(json.loads(line) for line in lines[1:])


def test_outputs_complete_on_disk_are_adopted_not_redone(fake_workers, tree, tmp_path):
    """Killed after the outputs were renamed into place but before the state was saved."""
    out = tmp_path / "out"
    batch(fake_workers, tree, out)
    (out / ".anonymizer-state.sqlite").unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(out / ".anonymizer-state.sqlite") + suffix).unlink(missing_ok=True)
    stamp = (out / "one.anon.wav").stat().st_mtime_ns
    summary = batch(fake_workers, tree, out)
    assert summary.count("done") == 3 and all(r.detail.startswith("outputs complete") for r in summary.rows)
    assert (out / "one.anon.wav").stat().st_mtime_ns == stamp


def test_interrupted_file_is_redone_and_stale_output_removed(fake_workers, tree, tmp_path):
    out = tmp_path / "out"
    batch(fake_workers, tree, out)
    (out / "one.anon.json").unlink()  # audio without its report: not a complete result
    summary = batch(fake_workers, tree, out)
    assert [r.relative for r in summary.rows if r.status == "done"] == ["one.wav"]
    assert (out / "one.anon.json").is_file()


def test_a_killed_writes_temp_files_go_when_the_file_is_redone(fake_workers, tree, tmp_path):
    """SIGKILL mid-write leaves ``.NAME.*.part`` beside the output (seen in the kill-and-resume e2e test)."""
    out = tmp_path / "out"
    batch(fake_workers, tree, out)
    (out / "one.anon.json").unlink()  # killed while writing the report
    parts = [out / ".one.anon.wav.k1ll3d.part", out / ".one.anon.json.x7.part"]
    for part in parts:
        part.write_bytes(b"half")
    kept = out / "a" / ".two.anon.flac.other.part"  # another file's (complete, not redone): left alone
    kept.write_bytes(b"half")
    summary = batch(fake_workers, tree, out)
    assert [r.relative for r in summary.rows if r.status == "done"] == ["one.wav"]
    assert not any(part.exists() for part in parts) and kept.exists()


def test_dry_run_changes_nothing(fake_workers, tree, tmp_path):
    out = tmp_path / "out"
    summary = batch(fake_workers, tree, out, dry_run=True)
    assert {r.status for r in summary.rows} == {"would do"}
    assert not out.exists()
    assert fake_workers == []


def test_unreadable_file_is_reported(fake_workers, tree, tmp_path, monkeypatch):
    locked = tree / "locked.wav"
    write_audio(locked, sine())
    locked.chmod(0)
    real_access = os.access
    # root reads anything: answer for the locked file as the kernel would for an ordinary user
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode))
    summary = batch(fake_workers, tree, tmp_path / "out")
    assert [(r.relative, r.status) for r in summary.rows if r.status == "failed"] == [("locked.wav", "failed")]
    assert "permission denied" in next(r.detail for r in summary.rows if r.relative == "locked.wav")


def test_plain_progress_lines(fake_workers, tree, tmp_path):
    import io

    stream = io.StringIO()
    run_batch(BatchOptions(tree, tmp_path / "out"), CONFIG, PlainReporter(stream), pipeline_factory=fake_workers)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "processing 3 file(s)"
    assert lines[-1].startswith("[3/3] ok ")
    assert "h audio" in lines[-1] and "x realtime" in lines[-1] and "ETA" in lines[-1] and "failed 0" in lines[-1]
