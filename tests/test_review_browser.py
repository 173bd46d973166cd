"""The review page in a real browser (Debian's chromium, headless, driven by Playwright — no browser
download): open it for a shipped sample anonymized by the real pipeline, keep one finding audible, drag
a new region, apply; then check the re-rendered audio's samples, the report's edit record and a screenshot."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from anonymizer.audio import decode
from anonymizer.config import load_config
from anonymizer.pipeline import Pipeline
from anonymizer.review.server import ReviewSession, start
from anonymizer.spans import merge
from anonymizer.types import TimeSpan
from tests.helpers import SAMPLES

pytestmark = pytest.mark.e2e
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def tone_share(samples: np.ndarray, rate: int, tone_hz: float = 1000.0) -> float:
    """How much of the energy of ``samples`` is at ``tone_hz`` (a bleep: ~1)."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples)))) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    return float(spectrum[np.abs(freqs - tone_hz) < 30].sum() / spectrum.sum())


def test_review_page_keeps_a_finding_adds_a_region_and_applies(tmp_path):
    from playwright.sync_api import sync_playwright

    config = load_config("en", {"transcription": {"model": "tiny.en"}, "voice": {"chain": []}})
    result = Pipeline.from_config(config).run(SAMPLES / "call_en.wav", tmp_path / "out")
    assert result.ok, result.error
    report = json.loads(result.report_path.read_text())
    spans = merge((r.span for r in result.redactions), collar_s=0.2)  # as rendered
    # the finding to keep audible: one alone under its merged span; the region to add: 1.5 s without any
    ids = {r["id"]: TimeSpan(r["start_s"], r["end_s"]) for r in report["redactions"]}
    keep_id = next(i for i, s in ids.items() if s in spans and sum(s.overlaps(o) for o in ids.values()) == 1)
    gap = next(TimeSpan(a.end_s + 0.5, b.start_s - 0.5) for a, b in zip(spans, spans[1:], strict=False)
               if b.start_s - a.end_s >= 2.5)
    add = TimeSpan(gap.start_s, gap.start_s + 1.2)

    running = start(ReviewSession.open(SAMPLES / "call_en.wav"))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(running.url)
            page.wait_for_selector("body[data-ready=true]", timeout=60_000)
            assert page.locator("#finding-table tbody tr").count() == len(ids)
            page.check(f'#finding-table tr[data-id="{keep_id}"] input.keep')
            waveform = page.locator("#waveform").bounding_box()
            assert waveform is not None
            duration_s = report["input"]["duration_s"]

            def x(time_s: float) -> float:
                return waveform["x"] + time_s / duration_s * waveform["width"]

            y = waveform["y"] + waveform["height"] / 2
            page.mouse.move(x(add.start_s), y)
            page.mouse.down()
            page.mouse.move(x(add.end_s), y, steps=12)
            page.mouse.up()
            page.wait_for_selector('#finding-table tr[data-id="+0"]')
            page.click("#apply")
            page.wait_for_selector("body[data-applied='1']", timeout=60_000)
            page.wait_for_selector("body[data-ready=true]")
            assert page.locator("#status").inner_text() == "reviewed"
            regions = page.evaluate("document.querySelector('#waveform > div').shadowRoot"
                                    ".querySelectorAll('[part~=region]').length")
            assert regions >= len(ids)
            screenshot = tmp_path / "review.png"
            page.screenshot(path=str(screenshot))
            assert screenshot.stat().st_size > 20_000 and errors == []
            if target := os.environ.get("ANONYMIZER_REVIEW_SCREENSHOT"):  # for the README (docs/review.png)
                shutil.copyfile(screenshot, target)
            browser.close()
    finally:
        running.stop()

    after = json.loads(result.report_path.read_text())
    assert after["review"]["reviewed"] is True
    assert [r["id"] for r in after["review"]["removed"]] == [keep_id]
    (added,) = after["review"]["added"]
    assert added["entity_type"] == "PERSON" and abs(added["start_s"] - add.start_s) < 0.25 \
        and abs(added["end_s"] - add.end_s) < 0.25
    source, out = decode(SAMPLES / "call_en.wav"), decode(result.output_path)
    rate = source.sample_rate_hz
    kept = ids[keep_id]
    inside = slice(int(kept.start_s * rate) + 200, int(kept.end_s * rate) - 200)
    assert np.abs(out.samples[inside, 0] - source.samples[inside, 0]).max() < 1e-3  # audible again (no voice stage)
    bleeped = slice(int(added["start_s"] * rate) + 200, int(added["end_s"] * rate) - 200)
    assert tone_share(out.samples[bleeped, 0], rate) > 0.9 > tone_share(source.samples[bleeped, 0], rate)
