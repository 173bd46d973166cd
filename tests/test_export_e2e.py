"""``anonymizer export`` end to end: the shipped samples run with the real models, exported in both manifest
formats, loaded by the real consumers (Hugging Face ``datasets``; the NeMo manifest as JSON lines)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from anonymizer.audio import decode
from anonymizer.cli import cli
from tests.helpers import SAMPLES
from tests.leaks import leaked

pytestmark = pytest.mark.e2e
SAMPLE_FILES = ["call_de.wav", "call_en.wav", "call_de_stereo.flac"]
TONE_HZ = 1000.0


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The samples anonymized as a user would: bleeped (default), and call_en with comfort noise."""
    root = tmp_path_factory.mktemp("export")
    runner = CliRunner()
    bleeped, noised = root / "bleeped", root / "noised"
    result = runner.invoke(cli, ["run", *[str(SAMPLES / n) for n in SAMPLE_FILES], "-o", str(bleeped)])
    assert result.exit_code == 0, result.output
    # another input (the same call as FLAC): an input's kept analysis is its last run's
    flac = root / "call_en_copy.flac"
    from anonymizer.audio import FORMATS, write_atomic

    write_atomic(decode(SAMPLES / "call_en.wav"), flac, FORMATS["flac"])
    result = runner.invoke(cli, ["run", str(flac), "-o", str(noised), "--redaction", "noise"])
    assert result.exit_code == 0, result.output
    return {"root": root, "bleeped": bleeped, "noised": noised}


def _export(outputs, name: str, *args: str) -> tuple[Path, object]:
    dataset = outputs["root"] / name
    source = outputs["noised"] if "surrogate" in args else outputs["bleeped"]
    result = CliRunner().invoke(cli, ["export", str(source), "--dataset", str(dataset), *args])
    return dataset, result


def _rows(dataset: Path) -> list[dict]:
    return [json.loads(line) for line in (dataset / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def _truth_values() -> list[tuple[str, str]]:
    values = []
    for name in SAMPLE_FILES:
        truth = json.loads((SAMPLES / f"{name.split('.')[0]}.truth.json").read_text())
        values += [(item["label"], item["value"]) for item in truth["pii"]]
    return values


def _tone_seconds(samples: np.ndarray, rate_hz: int) -> float:
    """How long a pure tone at the bleep's pitch sounds in ``samples`` (50 ms frames, >80 % of the energy
    within 30 Hz of it)."""
    frame = int(0.05 * rate_hz)
    freqs = np.fft.rfftfreq(frame, 1 / rate_hz)
    near = np.abs(freqs - min(TONE_HZ, 0.45 * rate_hz)) <= 30
    seconds = 0.0
    for k in range(len(samples) // frame):
        chunk = samples[k * frame : (k + 1) * frame] * np.hanning(frame)
        power = np.abs(np.fft.rfft(chunk)) ** 2
        if power.sum() > 1e-7 * frame and power[near].sum() > 0.8 * power.sum():
            seconds += 0.05
    return seconds


@pytest.mark.parametrize("policy", ["tag", "drop"])
def test_export_loads_in_both_formats_and_matches_the_audio(outputs, policy, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")  # a local folder: nothing to fetch from the hub
    dataset, result = _export(outputs, f"ds_{policy}", "--text", policy, "--split", "0.5,0.25,0.25")
    assert result.exit_code == 0, result.output
    rows = _rows(dataset)
    assert rows and all({"audio_filepath", "duration", "text", "lang", "speaker", "channel", "source_sha256",
                         "redacted", "redaction"} <= set(r) for r in rows)  # NeMo manifest: plain JSON lines
    assert {r["redaction"] for r in rows} == {"bleep"}
    import datasets  # the real consumer

    loaded = datasets.load_dataset("audiofolder", data_dir=str(dataset))
    loaded = loaded.cast_column("audio", datasets.Audio(decode=False))
    hf_rows = [r for split in loaded.values() for r in split]
    assert len(hf_rows) == len(rows)
    assert set(loaded) <= {"train", "validation", "test"}
    by_file = {Path(r["audio_filepath"]).name: r for r in rows}
    for hf in hf_rows:
        assert hf["text"] == by_file[Path(hf["audio"]["path"]).name]["text"]
    values = _truth_values()
    calls_per_split: dict[str, set[str]] = {}
    for row in rows:
        clip = decode(dataset / row["audio_filepath"])
        assert abs(clip.duration_s - row["duration"]) < 0.01  # the manifest's duration is the file's
        assert 1.0 <= row["duration"] <= 30.0
        for label, value in values:
            assert leaked(label, value, row["text"]) == [], (row["audio_filepath"], label)
        calls_per_split.setdefault(row["source_sha256"], set()).add(row["split"])
        tone_s = _tone_seconds(clip.samples[:, 0], clip.sample_rate_hz)
        placeholders = len(re.findall(r"\[[A-Z_]+\]", row["text"]))
        if policy == "drop":
            assert not row["redacted"] and placeholders == 0 and tone_s < 0.1, row["audio_filepath"]
        elif placeholders:
            assert tone_s >= 0.1, row["audio_filepath"]  # a placeholder: its tone is in this clip
        else:
            assert tone_s < 0.1, row["audio_filepath"]  # no placeholder: no tone
    assert all(len(splits) == 1 for splits in calls_per_split.values())  # a call is in one split only
    assert (dataset / "README.md").read_text(encoding="utf-8").startswith("# Anonymized call dataset")
    if policy == "tag":
        assert any(r["redacted"] for r in rows)


def test_export_is_idempotent_and_resumable(outputs):
    dataset, first = _export(outputs, "ds_again", "--text", "tag")
    assert first.exit_code == 0, first.output

    def hashes() -> dict[str, str]:
        return {str(p.relative_to(dataset)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(dataset.rglob("*")) if p.is_file()}

    before = hashes()
    again = CliRunner().invoke(cli, ["export", str(outputs["bleeped"]), "--dataset", str(dataset), "--text", "tag"])
    assert again.exit_code == 0 and "(3 unchanged)" in again.output
    assert hashes() == before
    # a crash after one call: its clips and record gone; the export resumes and ends where it would have
    record = next((dataset / ".export").glob("*.json"))
    call = record.stem[:12]
    for clip in dataset.rglob(f"{call}_*"):
        clip.unlink()
    record.unlink()
    resumed = CliRunner().invoke(cli, ["export", str(outputs["bleeped"]), "--dataset", str(dataset), "--text", "tag"])
    assert resumed.exit_code == 0 and "(2 unchanged)" in resumed.output
    assert hashes() == before


def test_surrogates_only_over_silence_or_noise_and_consistent(outputs):
    dataset, result = _export(outputs, "ds_fake", "--text", "surrogate")
    assert result.exit_code == 0, result.output
    rows = _rows(dataset)
    assert any(r["redacted"] for r in rows) and {r["redaction"] for r in rows} == {"noise"}  # the manifest says which
    truth = json.loads((SAMPLES / "call_en.truth.json").read_text())  # the call exported (a fake may be
    for row in rows:  # another sample's name: "Sarah" is common)
        for item in truth["pii"]:
            assert leaked(item["label"], item["value"], row["text"]) == [], (row["audio_filepath"], item["label"])
        assert "[" not in row["text"]
        assert _tone_seconds(decode(dataset / row["audio_filepath"]).samples[:, 0], 16000) < 0.1  # noise, no tone
    bleeped = CliRunner().invoke(cli, ["export", str(outputs["bleeped"]), "--dataset",
                                       str(outputs["root"] / "ds_fake_bleep"), "--text", "surrogate"])
    assert bleeped.exit_code == 1 and "silence or noise" in bleeped.output


def test_a_leak_in_the_text_is_refused_and_named(outputs, tmp_path):
    """An output whose kept analysis says a number was kept audible (as a review that un-redacted it
    would): the export refuses it and names the segment."""
    import shutil

    import yaml

    from anonymizer.keep import load
    from anonymizer.report import read_report

    folder = tmp_path / "out"
    shutil.copytree(outputs["bleeped"], folder)
    report = read_report(folder / "call_en.anon.json")
    kept = load(report.input.sha256)
    redactions = kept.analysis.redactions
    phone = next(r for r in redactions if r.entity_type == "PHONE_NUMBER")
    under = [f"r{i}" for i, r in enumerate(redactions) if r.span.overlaps(phone.span)]
    edits = tmp_path / "edits.yaml"
    edits.write_text(yaml.safe_dump({"version": 1, "input_sha256": report.input.sha256,
                                     "remove": under}), encoding="utf-8")
    applied = CliRunner().invoke(cli, ["apply", str(SAMPLES / "call_en.wav"), "--edits", str(edits),
                                       "-o", str(folder)])
    assert applied.exit_code == 0, applied.output
    refused = CliRunner().invoke(cli, ["export", str(folder), "--dataset", str(tmp_path / "ds"), "--text", "tag"])
    assert refused.exit_code == 1
    assert "refused:" in refused.output and "segment" in refused.output and "PHONE_NUMBER" in refused.output


def test_an_output_whose_input_ran_again_with_another_config_is_named_not_exported(outputs, tmp_path, monkeypatch):
    import shutil

    from anonymizer.keep import cache_dir

    folder = tmp_path / "out"
    shutil.copytree(outputs["bleeped"], folder)
    shutil.copytree(cache_dir(), tmp_path / "cache")  # the other tests keep the samples' kept analyses
    monkeypatch.setenv("ANONYMIZER_CACHE_DIR", str(tmp_path / "cache"))
    again = CliRunner().invoke(cli, ["run", str(SAMPLES / "call_de.wav"), "-o", str(tmp_path / "other"),
                                     "--redaction", "silence"])
    assert again.exit_code == 0, again.output
    result = CliRunner().invoke(cli, ["export", str(folder), "--dataset", str(tmp_path / "ds")])
    assert result.exit_code == 1
    assert "call_de.anon.json: the kept analysis of its input is from another run" in result.output
    assert "2 calls" in result.output  # the others are exported
