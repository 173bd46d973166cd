"""Review before publishing, without a browser: the kept analysis, the edits format, apply (a re-render
without a model), the server's routes (Starlette's TestClient), subtitles and the evidence page."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from anonymizer import keep
from anonymizer.audio import decode
from anonymizer.cli import cli
from anonymizer.config import load_config
from anonymizer.edits import EditsError, apply_edits, parse_edits
from anonymizer.pipeline import Pipeline
from anonymizer.review.apply import apply_review
from tests.fakes import FakeDetector, FakeTranscriber, FakeWorkers
from tests.helpers import sine, voiced, write_audio

WORDS = [("Hello", 0.3, 0.6), ("Anna", 0.8, 1.1), ("calls", 1.6, 2.0), ("about", 2.2, 2.5), ("0151", 3.0, 3.4),
         ("thanks", 4.2, 4.6)]
CONFIG = load_config(None, {"voice": {"seed": 5}})  # the default voice chain, seeded


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ANONYMIZER_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def run(tmp_path):
    """A run with fake engines: outputs in out/, the analysis kept in the private cache."""
    wav = write_audio(tmp_path / "call.wav", voiced(5.0, 16000))
    pipeline = Pipeline(CONFIG, FakeTranscriber(WORDS), FakeDetector(r"\d{4,}|Anna"))
    result = pipeline.run(wav, tmp_path / "out")
    assert result.ok, result.error
    return wav, result, pipeline


def edits_file(tmp_path: Path, wav_sha: str, **changes) -> Path:
    path = tmp_path / "edits.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "input_sha256": wav_sha, **changes}))
    return path


def test_the_analysis_is_kept_privately_and_reads_back(run):
    wav, result, pipeline = run
    kept = keep.load(json.loads(result.report_path.read_text())["input"]["sha256"])
    assert kept is not None and kept.analysis.redactions == result.redactions
    assert kept.voice_seed == 5 and kept.outputs.audio == result.output_path.resolve()
    path = pipeline.kept_path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700 == stat.S_IMODE(keep.cache_dir().stat().st_mode)
    assert "Anna" in path.read_text() and "Anna" not in result.report_path.read_text()  # raw text: cache only
    assert CliRunner().invoke(cli, ["cache", "clear"]).output.startswith("deleted 1 kept analysis")
    assert keep.load(kept.input_sha256) is None


def test_no_cache_keeps_nothing(tmp_path):
    wav = write_audio(tmp_path / "call.wav", sine())
    result = CliRunner().invoke(cli, ["run", str(wav), "--no-cache"], obj=FakeWorkers())
    assert result.exit_code == 0 and list(keep.entries()) == []


def test_an_empty_review_reproduces_the_run_byte_for_byte(run, tmp_path):
    wav, result, _ = run
    original = result.output_path.read_bytes()
    sha = json.loads(result.report_path.read_text())["input"]["sha256"]
    applied = apply_review(wav, parse_edits({"input_sha256": sha}), tmp_path / "again")
    assert applied.result.ok and applied.result.output_path.read_bytes() == original


def test_apply_removes_retypes_and_adds(run, tmp_path):
    wav, result, _ = run
    report = json.loads(result.report_path.read_text())
    ids = {r["entity_type"] + str(round(r["start_s"])): r["id"] for r in report["redactions"]}
    anna, number = ids["PERSON1"], ids["PERSON3"]  # FakeDetector calls both PERSON
    edits = edits_file(tmp_path, report["input"]["sha256"], remove=[anna], retype=[{"id": number, "type":
                       "PHONE_NUMBER"}], add=[{"start_s": 2.1, "end_s": 2.6, "type": "PERSON"},
                                              {"words": [5, 5], "type": "OTHER"}])
    out = CliRunner().invoke(cli, ["apply", str(wav), "--edits", str(edits), "--transcript", "txt"])
    assert out.exit_code == 0, out.output
    assert out.output.startswith(f"ok: {wav} -> ") and "1 kept audible, 1 retyped, 2 added" in out.output
    after = json.loads(result.report_path.read_text())
    assert after["review"]["reviewed"] is True
    assert [r["id"] for r in after["review"]["removed"]] == [anna]
    assert [(r["id"], r["from"], r["entity_type"]) for r in after["review"]["retyped"]] == [
        (number, "PERSON", "PHONE_NUMBER")]
    assert [r["id"] for r in after["redactions"]].count(anna) == 0
    assert {r["id"]: r["entity_type"] for r in after["redactions"]}[number] == "PHONE_NUMBER"
    assert after["transcript_redacted"] == "Hello Anna calls [PERSON] [PHONE_NUMBER] [OTHER]"
    assert "Anna" not in json.dumps(after["review"])  # the record holds ids, times and types
    text = result.report_path.with_name("call.anon.txt").read_text()
    assert "[PHONE_NUMBER]" in text and "Anna" in text  # kept audible: in the audio and the transcript


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"remove": ["r99"]}, "no finding 'r99' in this input's analysis (ids: r0-r1)"),
        ({"add": [{"start_s": 4.0, "end_s": 9.0}]}, "add[0]: 4-9 s is not a span inside the file (0-5.000 s)"),
        ({"add": [{"start_s": 1.0, "end_s": 2.0, "channel": 3}]}, "add[0]: channel 3, but the input has 1 channel(s)"),
        ({"add": [{"words": [2, 99]}]}, "add[0]: words 2-99, but the transcript has words 0-5"),
        ({"retype": [{"id": "r0", "type": "NAME"}]}, "unknown type 'NAME'"),
        ({"remvoe": ["r0"]}, "remvoe: Extra inputs are not permitted"),
    ],
)
def test_bad_edits_are_one_line_exit_2_and_write_nothing(run, tmp_path, changes, message):
    wav, result, _ = run
    before = {p.name: p.read_bytes() for p in result.output_path.parent.iterdir()}
    sha = json.loads(result.report_path.read_text())["input"]["sha256"]
    out = CliRunner().invoke(cli, ["apply", str(wav), "--edits", str(edits_file(tmp_path, sha, **changes))])
    assert out.exit_code == 2 and len(out.output.splitlines()) == 1 and message in out.output, out.output
    assert {p.name: p.read_bytes() for p in result.output_path.parent.iterdir()} == before


def test_edits_for_another_input_or_a_broken_file_are_refused(run, tmp_path):
    wav, result, _ = run
    other = CliRunner().invoke(cli, ["apply", str(wav), "--edits", str(edits_file(tmp_path, "0" * 64))])
    assert other.exit_code == 2 and "these edits are for another input" in other.output
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"\xff\xfe[[")
    out = CliRunner().invoke(cli, ["apply", str(wav), "--edits", str(broken)])
    assert out.exit_code == 2 and "not a YAML edits file" in out.output
    unknown = write_audio(tmp_path / "never-run.wav", sine(330.0))
    out = CliRunner().invoke(cli, ["apply", str(unknown), "--edits", str(broken)])
    assert out.exit_code == 2  # the edits file is read first


def test_apply_without_a_kept_analysis_says_what_to_do(tmp_path):
    wav = write_audio(tmp_path / "never-run.wav", sine(330.0))
    edits = edits_file(tmp_path, "0" * 64)
    out = CliRunner().invoke(cli, ["apply", str(wav), "--edits", str(edits)])
    assert out.exit_code == 1
    assert out.output.strip() == (f"error: {wav}: no kept analysis for this file; run `anonymizer run {wav}` first "
                                  "(without --no-cache)")


def test_a_removed_finding_is_audible_again_and_an_added_span_is_silenced(tmp_path):
    wav = write_audio(tmp_path / "call.wav", voiced(5.0, 16000))
    config = load_config(None, {"voice": {"chain": []}, "redaction": {"method": "silence", "uncertain": False}})
    result = Pipeline(config, FakeTranscriber(WORDS), FakeDetector(r"Anna")).run(wav, tmp_path / "out")
    (anna,) = result.redactions
    sha = json.loads(result.report_path.read_text())["input"]["sha256"]
    applied = apply_review(wav, parse_edits({"input_sha256": sha, "remove": ["r0"],
                                             "add": [{"start_s": 3.0, "end_s": 3.5}]}))
    source, out = decode(wav).samples[:, 0], decode(applied.result.output_path).samples[:, 0]
    inside = slice(int(anna.start_s * 16000) + 100, int(anna.end_s * 16000) - 100)
    assert np.abs(out[inside] - source[inside]).max() < 1e-3  # the original speech again
    assert not out[int(3.0 * 16000) + 100 : int(3.5 * 16000) - 100].any()  # the added span is silent


def test_word_range_additions_use_the_finding_rules(run):
    wav, result, _ = run
    kept = keep.load(json.loads(result.report_path.read_text())["input"]["sha256"])
    edited, applied = apply_edits(kept.analysis, parse_edits({"input_sha256": kept.input_sha256,
                                                              "add": [{"words": [2, 3], "type": "PERSON"}]}),
                                  kept.input_sha256, kept.config.redaction)
    ((rid, added),) = applied.added
    assert rid == "a0" and added.start_s <= 1.6 - 0.15 + 1e-6 and added.end_s >= 2.5  # padded like a finding
    with pytest.raises(EditsError, match="give a time span or a word range, not both"):
        apply_edits(kept.analysis, parse_edits({"input_sha256": kept.input_sha256, "add": [
            {"words": [2, 3], "start_s": 1.0, "end_s": 2.0}]}), kept.input_sha256, kept.config.redaction)


def test_subtitles_and_evidence_hold_no_raw_personal_data(tmp_path):
    wav = write_audio(tmp_path / "call.wav", voiced(5.0, 16000))
    out = CliRunner().invoke(cli, ["run", str(wav), "-o", str(tmp_path / "out"), "--transcript", "srt",
                                   "--transcript", "vtt", "--transcript", "txt", "--html"],
                             obj=FakeWorkers([(w, s, e) for w, s, e in WORDS]))
    assert out.exit_code == 0, out.output
    folder = tmp_path / "out"
    srt, vtt = (folder / "call.anon.srt").read_text(), (folder / "call.anon.vtt").read_text()
    assert srt.startswith("1\n00:00:00,300 --> ") and "[PERSON]" in srt
    assert vtt.startswith("WEBVTT\n\n00:00:00.300 --> ")
    page = (folder / "call.anon.html").read_text()
    for text in (srt, vtt, (folder / "call.anon.txt").read_text(), page):
        assert "Anna" not in text and "0151" not in text
    assert "<svg" in page and "r0" in page and "PERSON" in page
    assert "src=" not in page and "href=" not in page and "@import" not in page  # nothing fetched



def test_the_server_serves_only_this_review_under_its_token(run, tmp_path):
    from starlette.testclient import TestClient

    from anonymizer.review.server import ReviewSession, create_app

    wav, result, _ = run
    session = ReviewSession.open(wav)
    client = TestClient(create_app(session), base_url="http://127.0.0.1:8765")
    token = session.token
    assert client.get("/").status_code == 404 and client.get("/wrong/data.json").status_code == 404
    assert client.get(f"/{token}/data.json", headers={"Host": "evil.example"}).status_code == 400  # rebinding
    assert client.get(f"/{token}/static/../../keep.py").status_code == 404
    page = client.get(f"/{token}/")
    assert page.status_code == 200 and "static/review.js" in page.text and "http" not in page.text
    state = client.get(f"/{token}/data.json").json()
    assert [f["id"] for f in state["findings"]] == ["r0", "r1"] and state["reviewed"] is False
    assert [w["text"] for w in state["transcripts"][0]["words"]][:2] == ["Hello", "Anna"]  # raw: local only
    assert client.get(f"/{token}/audio/anonymized").content == result.output_path.read_bytes()
    assert client.get(f"/{token}/audio/original").content == wav.read_bytes()
    assert client.get(f"/{token}/audio/other").status_code == 404
    bad = client.post(f"/{token}/apply", json={"remove": ["r7"]})
    assert bad.status_code == 400 and "no finding 'r7'" in bad.json()["error"]
    applied = client.post(f"/{token}/apply", json={"remove": ["r0"], "add": [{"start_s": 2.1, "end_s": 2.6,
                                                                              "type": "PERSON"}]}).json()
    assert applied["reviewed"] is True and applied["audio_version"] == 1
    assert {f["id"]: f["state"] for f in applied["findings"]} == {"r0": "removed", "r1": "kept", "a0": "added"}
    saved = yaml.safe_load(result.report_path.with_name("call.anon.edits.yaml").read_text())
    assert saved["remove"] == ["r0"] and saved["add"][0]["type"] == "PERSON"  # the page writes the edits format
    assert ReviewSession.open(wav).edits["remove"] == ["r0"]  # and a review goes on where it stopped
    assert client.post(f"/{token}/close").json() == {"closed": True} and session.closed.is_set()


def test_the_server_listens_on_loopback_only_and_stops_when_idle(run):
    import socket
    import urllib.request

    from anonymizer.review.server import ReviewSession, serve_until_closed, start

    wav, _, _ = run
    running = start(ReviewSession.open(wav, idle_timeout_s=1.0))
    assert running.url.startswith("http://127.0.0.1:")
    assert running.server.servers[0].sockets[0].getsockname()[0] == "127.0.0.1"
    with urllib.request.urlopen(running.url + "data.json", timeout=10) as response:
        assert json.loads(response.read())["input"]["name"] == "call.wav"
    with socket.socket() as probe:  # nothing on the machine's other addresses
        probe.settimeout(1)
        assert probe.connect_ex(("127.0.0.2", running.port)) != 0
    assert serve_until_closed(running, poll_s=0.1) == "idle"
    assert not running.thread.is_alive()
