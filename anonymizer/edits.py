"""A human review as data: which findings to keep audible, which to retype, what to add. Pure.

The edits file (YAML) names findings by the ids the report gives them (``r0``, ``r1``, … in time order)
and new spans by time or by a channel's word range; it holds no transcript text, so it can be shared
within a team and replayed. ``apply_edits`` turns a kept analysis and the edits into the analysis a
re-render uses; the review page writes and reads exactly this format.

Example::

    version: 1
    input_sha256: 3f2a…            # apply refuses the edits for another input
    remove: [r3, r7]               # false alarms: their audio stays
    retype:
      - {id: r5, type: PERSON}
    add:
      - {start_s: 12.3, end_s: 13.1, type: PERSON, channel: 1}   # no channel: every channel
      - {channel: 1, words: [45, 47], type: ADDRESS}             # a channel's words 45 to 47
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from anonymizer.align import AlignSettings, align
from anonymizer.analysis import Analysis, ChannelAnalysis
from anonymizer.config import ENTITY_TYPES, RedactionConfig
from anonymizer.errors import AnonymizerError
from anonymizer.types import PiiSpan, Redaction, TimeSpan

EDITS_VERSION = 1
REVIEW_RECOGNIZER = "review"
ADDED_SCORE = 1.0


class EditsError(AnonymizerError):
    """The edits file is malformed or does not fit the analysis it is applied to."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Retype(_Strict):
    id: str
    type: str


class Addition(_Strict):
    start_s: float | None = Field(None, ge=0)
    end_s: float | None = Field(None, ge=0)
    words: tuple[int, int] | None = Field(None, description="first and last word index of the channel's transcript")
    channel: int | None = Field(None, ge=0, description="None: every channel")
    type: str = "OTHER"


class Edits(_Strict):
    version: Literal[1] = 1
    input_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    remove: tuple[str, ...] = ()
    retype: tuple[Retype, ...] = ()
    add: tuple[Addition, ...] = ()

    def to_yaml(self) -> str:
        data = self.model_dump(mode="json", exclude_defaults=False)
        data["add"] = [{k: v for k, v in a.items() if v is not None} for a in data["add"]]
        header = "# anonymizer edits (ids, times and types only: no transcript text)\n"
        return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@dataclass(frozen=True)
class AppliedEdits:
    """What the edits did, for the report (times and types, no text)."""

    removed: tuple[tuple[str, Redaction], ...]
    retyped: tuple[tuple[str, str, Redaction], ...]  # id, old type, the finding with its new type
    added: tuple[tuple[str, Redaction], ...]

    def to_json(self) -> dict[str, Any]:
        def span(r: Redaction) -> dict[str, Any]:
            item: dict[str, Any] = {"start_s": r.start_s, "end_s": r.end_s, "entity_type": r.entity_type}
            if r.channel is not None:
                item["channel"] = r.channel
            return item

        return {"removed": [{"id": i, **span(r)} for i, r in self.removed],
                "retyped": [{"id": i, "from": old, **span(r)} for i, old, r in self.retyped],
                "added": [{"id": i, **span(r)} for i, r in self.added]}


def read_edits(path: Path) -> Edits:
    """Parse and validate an edits file. Raises ``EditsError`` naming the file and the problem."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise EditsError(f"{path}: cannot read the edits ({exc.strerror})") from exc
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise EditsError(f"{path}: not a YAML edits file ({' '.join(str(exc).split())[:200]})") from exc
    return parse_edits(data, str(path))


def parse_edits(data: Any, source: str = "edits") -> Edits:
    if not isinstance(data, dict):
        raise EditsError(f"{source}: an edits file is a mapping (version, input_sha256, remove, retype, add)")
    try:
        return Edits.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise EditsError(f"{source}: invalid edits: {problems}") from exc


def finding_ids(analysis: Analysis) -> dict[str, Redaction]:
    """The findings of an analysis by the ids its report gives them (``r0``… in time order)."""
    return {f"r{i}": r for i, r in enumerate(analysis.redactions)}


def apply_edits(analysis: Analysis, edits: Edits, input_sha256: str, redaction: RedactionConfig,
                source: str = "edits") -> tuple[Analysis, AppliedEdits]:
    """The analysis with the edits applied, and what they did. Raises ``EditsError`` when an id, span,
    channel or type does not fit."""
    if edits.input_sha256 != input_sha256:
        raise EditsError(f"{source}: these edits are for another input (sha256 {edits.input_sha256[:12]}…, this "
                         f"input's is {input_sha256[:12]}…)")
    ids = finding_ids(analysis)
    known = f"r0-r{len(ids) - 1}" if ids else "none"
    for i in (*edits.remove, *(r.id for r in edits.retype)):
        if i not in ids:
            raise EditsError(f"{source}: no finding {i!r} in this input's analysis (ids: {known})")
    for r in edits.retype:
        _check_type(r.type, source)
    by_object = {id(r): i for i, r in ids.items()}
    removed = [(i, ids[i]) for i in dict.fromkeys(edits.remove)]
    retypes = {r.id: r.type for r in edits.retype if r.id not in edits.remove}
    added = [(f"a{n}", _added(analysis, a, n, redaction, source)) for n, a in enumerate(edits.add)]

    def edit(part: ChannelAnalysis) -> ChannelAnalysis:
        kept, marks = [], list(part.marks)
        for r in part.redactions:
            rid = by_object.get(id(r))
            if rid in edits.remove:
                marks = _unmark(part, marks, r)
            elif rid in retypes:
                marks = _unmark(part, marks, r) + _mark(part, r.span, retypes[rid], r.channel)
                kept.append(dataclasses.replace(r, entity_type=retypes[rid]))
            else:
                kept.append(r)
        for _, r in added:
            if _home(analysis, r.channel) is part:
                kept.append(r)
            marks += _mark(part, r.span, r.entity_type, r.channel)
        return dataclasses.replace(part, redactions=tuple(kept), marks=tuple(marks))

    edited = dataclasses.replace(analysis, channels=tuple(edit(p) for p in analysis.channels),
                                 dialogue=edit(analysis.dialogue) if analysis.dialogue is not None else None)
    retyped = tuple((i, ids[i].entity_type, dataclasses.replace(ids[i], entity_type=t)) for i, t in retypes.items())
    return edited, AppliedEdits(tuple(removed), retyped, tuple(added))


def _check_type(entity_type: str, source: str) -> None:
    if entity_type not in ENTITY_TYPES | {"OTHER"}:
        raise EditsError(f"{source}: unknown type {entity_type!r}; one of {', '.join(sorted(ENTITY_TYPES))} or OTHER")


def _home(analysis: Analysis, channel: int | None) -> ChannelAnalysis:
    """The part an added span belongs to: its channel's, else the first."""
    return next((p for p in analysis.channels if p.channel == channel), analysis.channels[0])


def _added(analysis: Analysis, addition: Addition, n: int, rc: RedactionConfig, source: str) -> Redaction:
    where = f"{source}: add[{n}]"
    _check_type(addition.type, where)
    channels = [p.channel for p in analysis.channels if p.channel is not None]
    if addition.channel is not None and addition.channel >= analysis.n_channels:
        raise EditsError(f"{where}: channel {addition.channel}, but the input has {analysis.n_channels} channel(s)")
    if addition.words is not None:
        if addition.start_s is not None or addition.end_s is not None:
            raise EditsError(f"{where}: give a time span or a word range, not both")
        part = _home(analysis, addition.channel)
        if addition.channel is not None and addition.channel not in channels and channels:
            raise EditsError(f"{where}: channel {addition.channel} has no transcript of its own")
        first, last = addition.words
        words = part.transcript.words
        if not 0 <= first <= last < len(words):
            raise EditsError(f"{where}: words {first}-{last}, but the transcript has words 0-{len(words) - 1}")
        span = PiiSpan(words[first].char_start, words[last].char_end, addition.type, ADDED_SCORE, REVIEW_RECOGNIZER)
        (redaction,) = align(part.transcript, [span], analysis.duration_s, AlignSettings.from_config(rc))
        return dataclasses.replace(redaction, char_start=-1, char_end=-1, channel=addition.channel)
    if addition.start_s is None or addition.end_s is None:
        raise EditsError(f"{where}: give start_s and end_s, or words")
    if not addition.start_s < addition.end_s <= analysis.duration_s + 1e-6:
        raise EditsError(f"{where}: {addition.start_s:g}-{addition.end_s:g} s is not a span inside the file "
                         f"(0-{analysis.duration_s:.3f} s)")
    return Redaction(round(addition.start_s, 3), round(min(addition.end_s, analysis.duration_s), 3), addition.type,
                     ADDED_SCORE, REVIEW_RECOGNIZER, channel=addition.channel)


def _words_inside(part: ChannelAnalysis, span: TimeSpan, channel: int | None) -> list[int]:
    return [i for i, w in enumerate(part.transcript.words)
            if span.start_s <= (w.start_s + w.end_s) / 2 <= span.end_s
            and (channel is None or part.channel is not None or w.channel == channel)]


def _mark(part: ChannelAnalysis, span: TimeSpan, entity_type: str, channel: int | None) -> list[PiiSpan]:
    """The words of ``part`` inside ``span`` as a placeholder of ``entity_type``."""
    if part.channel is not None and channel is not None and part.channel != channel:
        return []
    words = part.transcript.words
    return [PiiSpan(words[i].char_start, words[i].char_end, entity_type, ADDED_SCORE, REVIEW_RECOGNIZER)
            for i in _words_inside(part, span, channel)]


def _unmark(part: ChannelAnalysis, marks: list[PiiSpan], finding: Redaction) -> list[PiiSpan]:
    """``marks`` without the text of ``finding``: marks of its type whose words lie inside its span (the
    words under other findings are marked again by their audio when the analysis is rendered)."""
    inside = set(_words_inside(part, finding.span, finding.channel))
    words = part.transcript.words

    def belongs(mark: PiiSpan) -> bool:
        covered = [i for i in range(len(words)) if words[i].char_start < mark.char_end
                   and mark.char_start < words[i].char_end]
        return mark.entity_type == finding.entity_type and bool(covered) and set(covered) <= inside

    return [m for m in marks if not belongs(m)]


def redaction_ids(analysis: Analysis, applied: AppliedEdits | None = None,
                  original: Analysis | None = None) -> tuple[str, ...]:
    """The report's id of each of ``analysis.redactions``: ``r<n>`` as in the original analysis, ``a<n>``
    for what a review added."""
    if applied is None or original is None:
        return tuple(f"r{i}" for i in range(len(analysis.redactions)))
    names = {r: i for i, r in finding_ids(original).items()}
    names.update({r: i for i, _, r in applied.retyped})
    names.update({r: i for i, r in applied.added})
    return tuple(names.get(r, "?") for r in analysis.redactions)
