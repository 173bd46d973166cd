"""The local review page: a few Starlette routes over the kept analysis, ``apply`` and the edits format.

Security: the server binds 127.0.0.1 on a random port; every route lives under a random token
(``http://127.0.0.1:PORT/TOKEN/``: anything else is 404); requests whose Host is not 127.0.0.1 or
localhost are refused (DNS rebinding); it serves only this input's audio, its output and the page's own
files, which ship in the package (no CDN). It stops when the page says "close", or after
``idle_timeout_s`` without a request. The page shows the raw transcript: it is the user's own machine.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anonymizer.config import ENTITY_TYPES
from anonymizer.edits import EditsError, apply_edits, parse_edits, redaction_ids
from anonymizer.evidence import COLOURS, DEFAULT_COLOUR
from anonymizer.keep import Kept
from anonymizer.outputs import marked_analysis
from anonymizer.report import read_report
from anonymizer.review.apply import apply_review, kept_for

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
EDITS_SUFFIX = ".edits.yaml"


def edits_path(kept: Kept) -> Path:
    """``<stem>.anon.edits.yaml`` beside the outputs: the review's record (ids, times, types; no text)."""
    return kept.outputs.report.with_name(kept.outputs.report.name[: -len(".json")] + EDITS_SUFFIX)


@dataclass
class ReviewSession:
    """One input under review: its kept analysis, the edits so far, and the server's life."""

    input_path: Path
    kept: Kept
    edits: dict[str, Any] = field(default_factory=dict)  # the page's last applied edits (the file's content)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    idle_timeout_s: float = 1800.0
    last_request_s: float = field(default_factory=time.monotonic)
    audio_version: int = 0
    closed: threading.Event = field(default_factory=threading.Event)

    @staticmethod
    def open(input_path: Path, idle_timeout_s: float = 1800.0) -> ReviewSession:
        kept = kept_for(input_path)
        session = ReviewSession(input_path, kept, idle_timeout_s=idle_timeout_s)
        saved = edits_path(kept)
        if saved.is_file():  # a review goes on where it stopped
            from anonymizer.edits import read_edits

            edits = read_edits(saved)
            if edits.input_sha256 == kept.input_sha256:
                session.edits = edits.model_dump(mode="json")
        return session

    def state(self) -> dict[str, Any]:
        """What the page shows: the findings (with what the edits did to them), each channel's words with
        their placeholder type, unsure words, verify findings."""
        kept = self.kept
        edits = parse_edits({"input_sha256": kept.input_sha256, **self.edits}, "edits")
        edited, applied = apply_edits(kept.analysis, edits, kept.input_sha256, kept.config.redaction)
        shown = marked_analysis(edited, kept.config)
        retyped = {i: old for i, old, _ in applied.retyped}
        findings = [{"id": i, "start_s": r.start_s, "end_s": r.end_s, "type": r.entity_type, "channel": r.channel,
                     "recognizer": r.recognizer, "score": r.score,
                     "state": "added" if i.startswith("a") else "retyped" if i in retyped else "kept",
                     "original_type": retyped.get(i)}
                    for i, r in zip(redaction_ids(edited, applied, kept.analysis), edited.redactions, strict=True)]
        findings += [{"id": i, "start_s": r.start_s, "end_s": r.end_s, "type": r.entity_type, "channel": r.channel,
                      "recognizer": r.recognizer, "score": r.score, "state": "removed", "original_type": None}
                     for i, r in applied.removed]
        threshold = kept.config.redaction.uncertain_probability
        transcripts = []
        for part in shown.channels:
            words = part.transcript.words
            labels = _labels(part)
            transcripts.append({
                "channel": part.channel,
                "label": "Transcript" if part.channel is None else f"Channel {part.channel + 1}",
                "words": [{"text": w.text, "start_s": w.start_s, "end_s": w.end_s, "type": labels[i],
                           "unsure": w.probability < threshold} for i, w in enumerate(words)]})
        report = read_report(kept.outputs.report) if kept.outputs.report.is_file() else None
        verdict = report.verification if report is not None else None
        return {
            "input": {"name": self.input_path.name, "duration_s": kept.analysis.duration_s,
                      "channels": kept.analysis.n_channels},
            "output": {"name": kept.outputs.audio.name, "exists": kept.outputs.audio.is_file()},
            "reviewed": bool(report is not None and report.review),
            "findings": sorted(findings, key=lambda f: (f["start_s"], f["id"])),
            "transcripts": transcripts,
            "verify": [] if verdict is None else [
                {"level": f.level.value, "type": f.entity_type, "start_s": f.start_s, "end_s": f.end_s,
                 "channel": f.channel, "reason": f.reason} for f in verdict.findings if f.start_s >= 0],
            "verdict": None if verdict is None else verdict.status.value,
            "edits": self.edits, "types": sorted(ENTITY_TYPES | {"OTHER"}),
            "colours": {**COLOURS, "OTHER": DEFAULT_COLOUR}, "audio_version": self.audio_version,
        }

    def apply(self, page_edits: Any) -> dict[str, Any]:
        """Validate the page's edits, write them beside the outputs, re-render. Raises ``EditsError``."""
        if not isinstance(page_edits, dict):
            raise EditsError("edits: a JSON object is expected")
        data = {"version": 1, "input_sha256": self.kept.input_sha256,
                **{k: page_edits.get(k, []) for k in ("remove", "retype", "add")}}
        edits = parse_edits(data, "edits")
        apply_edits(self.kept.analysis, edits, self.kept.input_sha256, self.kept.config.redaction)  # fits?
        path = edits_path(self.kept)
        from anonymizer.files import write_bytes_atomic

        write_bytes_atomic(edits.to_yaml().encode("utf-8"), path)
        applied = apply_review(self.input_path, edits, edits_name=path.name)
        if not applied.result.ok:
            raise EditsError(applied.result.error or "the re-render failed")
        self.edits = {k: v for k, v in edits.model_dump(mode="json").items() if k in ("remove", "retype", "add")}
        self.audio_version += 1
        return self.state()


def _labels(part: Any) -> list[str | None]:
    """Each word's placeholder type in ``part`` (None: the word is kept)."""
    from anonymizer.report import GENERIC_ENTITIES

    out: list[str | None] = []
    for w in part.transcript.words:
        over = [m for m in part.marks if m.char_start < w.char_end and w.char_start < m.char_end]
        best = max(over, key=lambda m: (m.entity_type not in GENERIC_ENTITIES, m.score), default=None)
        out.append(best.entity_type if best is not None else None)
    return out


def create_app(session: ReviewSession) -> Any:
    """The Starlette app: everything under ``/<token>/``, Host checked."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import FileResponse, JSONResponse, Response
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    no_store = {"Cache-Control": "no-store"}

    def touch() -> None:
        session.last_request_s = time.monotonic()

    async def page(request: Request) -> Response:
        touch()
        return FileResponse(STATIC / "index.html", headers=no_store)

    async def data(request: Request) -> Response:
        touch()
        return JSONResponse(session.state(), headers=no_store)

    async def audio(request: Request) -> Response:
        touch()
        which = request.path_params["which"]
        path = {"anonymized": session.kept.outputs.audio, "original": session.input_path}.get(which)
        if path is None or not path.is_file():
            return Response("not found", 404)
        return FileResponse(path, headers=no_store)

    async def apply(request: Request) -> Response:
        touch()
        try:
            body = json.loads(await request.body())
            return JSONResponse(session.apply(body), headers=no_store)
        except (ValueError, EditsError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)

    async def close(request: Request) -> Response:
        session.closed.set()
        return JSONResponse({"closed": True})

    routes = [Mount(f"/{session.token}", routes=[
        Route("/", page), Route("/data.json", data), Route("/audio/{which}", audio),
        Route("/apply", apply, methods=["POST"]), Route("/close", close, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC)),
    ])]
    return Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware,
                                                          allowed_hosts=["127.0.0.1", "localhost"])])


@dataclass
class RunningServer:
    session: ReviewSession
    port: int
    thread: threading.Thread
    server: Any

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.session.token}/"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start(session: ReviewSession, port: int = 0) -> RunningServer:
    """Serve ``session`` on 127.0.0.1 (a random free port unless ``port``) in a thread; returns at once."""
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    config = uvicorn.Config(create_app(session), log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="review-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    return RunningServer(session, sock.getsockname()[1], thread, server)


def serve_until_closed(running: RunningServer, poll_s: float = 0.5) -> str:
    """Block until the page closes the review or it sits idle past its timeout; returns why it stopped."""
    session = running.session
    try:
        while not session.closed.wait(poll_s):
            if time.monotonic() - session.last_request_s > session.idle_timeout_s:
                return "idle"
            if not running.thread.is_alive():
                return "server stopped"
        return "closed"
    finally:
        running.stop()
