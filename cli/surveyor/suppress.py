"""Accepted findings: inline `surveyor:ignore` comments and config waivers.

Only a FAIL can be suppressed; an ERROR or UNKNOWN stays what it is. An inline
comment applies to the Terraform block it is written in: the resource's own
block, and for a merged split resource (aws_s3_bucket_acl into its bucket) the
split blocks too, found from the attribute locations they contributed. A live
result placed on the Terraform block that declares its resource honours that
block's comments, so an accepted finding is accepted on both sides.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from surveyor.config import Waiver
from surveyor.model import Location, Resource, Result, Severity, Side, Status
from surveyor.model.result import Suppression
from surveyor.resourceset import ResourceSet

logger = logging.getLogger(__name__)

SUPPRESS_RULE = "SURVEYOR-SUPPRESS"  # the rule id of a malformed inline comment

_COMMENT = re.compile(r"(?:#|//)\s*surveyor:ignore\b(?P<rest>.*)$", re.IGNORECASE)
_IDS = re.compile(
    r"\s*(?P<ids>[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9]+-\d{3}"
    r"(?:\s*,\s*[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9]+-\d{3})*)(?![A-Za-z0-9-])"
    r"(?P<reason>.*)$"
)
_MARKER = "surveyor:ignore"
_BLOCK_HEADER = re.compile(r'^\s*(?:resource|data|module)\s+"')


@dataclass(frozen=True)
class InlineComment:
    path: str  # relative to the scan root, like Location.path
    line: int
    rule_ids: tuple[str, ...]
    reason: str  # "" when the comment gives none

    @property
    def usable(self) -> bool:
        return bool(self.rule_ids and self.reason)


def parse_comment(text: str) -> tuple[tuple[str, ...], str] | None:
    """(rule ids, reason) of a `surveyor:ignore` comment in one line, else None."""
    comment = _COMMENT.search(text)
    if comment is None:
        return None
    found = _IDS.match(comment["rest"])
    if found is None:
        return (), comment["rest"].strip()
    ids = tuple(part.strip().upper() for part in found["ids"].split(","))
    reason = found["reason"].strip().lstrip(":-—").strip()
    return ids, reason


def apply_suppressions(
    results: Sequence[Result],
    resources: ResourceSet,
    *,
    root: Path,
    waivers: Sequence[Waiver] = (),
    waiver_source: str = "",
    today: dt.date | None = None,
) -> list[Result]:
    """Results with accepted FAILs turned SUPPRESSED, plus an ERROR result for
    every inline comment that lacks a rule id or a reason."""
    today = today or dt.datetime.now(dt.timezone.utc).date()
    reader = _Lines(root)
    comments_of: dict[str, list[InlineComment]] = {}
    malformed: dict[tuple[str, int], InlineComment] = {}
    warned: set[int] = set()
    used: set[int] = set()  # lines of waivers that matched a finding
    out: list[Result] = []
    for result in results:
        resource = resources.get(result.resource)
        comments: list[InlineComment] = []
        if resource is not None and resource.side is Side.IAC:
            if resource.address not in comments_of:
                comments_of[resource.address] = _comments_for(resource, reader)
            comments = comments_of[resource.address]
        elif result.side is Side.LIVE and (place := _terraform_place(result)):
            key = f"{place.path}:{place.start_line}"
            if key not in comments_of:
                comments_of[key] = _comments_at(place, reader)
            comments = comments_of[key]
        for comment in comments:
            if not comment.usable:
                malformed.setdefault((comment.path, comment.line), comment)
        if result.status is Status.FAIL:
            out.append(
                _judge(
                    result,
                    comments,
                    waivers,
                    source=waiver_source,
                    today=today,
                    warned=warned,
                    used=used,
                )
            )
        else:
            out.append(result)
    out.extend(_malformed_result(comment) for comment in malformed.values())
    _warn_unused(waivers, used, waiver_source, today)
    return out


def _warn_unused(
    waivers: Sequence[Waiver], used: set[int], source: str, today: dt.date
) -> None:
    """A waiver that matched nothing is either stale (the finding was fixed)
    or mistyped; both are worth one line on stderr."""
    for waiver in waivers:
        if waiver.line in used or waiver.expired(today):
            continue
        logger.warning(
            "%s:%d: waiver for %s matched no finding in this scan; "
            "remove it if the finding is fixed, or check its rule and resource",
            source.removeprefix("config:"),
            waiver.line,
            waiver.rule,
        )


def _judge(
    result: Result,
    comments: list[InlineComment],
    waivers: Sequence[Waiver],
    *,
    source: str,
    today: dt.date,
    warned: set[int],
    used: set[int],
) -> Result:
    notes: list[str] = []
    for comment in comments:
        if result.rule_id not in comment.rule_ids:
            continue
        if comment.usable:
            return _suppressed(result, Suppression(comment.reason, "inline"))
        notes.append(
            f"the surveyor:ignore at {comment.path}:{comment.line} gives no reason, "
            "so it does not apply"
        )

    identities = tuple(i for i in (result.resource, result.arn) if i)
    for waiver in waivers:
        if not waiver.matches(result.rule_id, identities):
            continue
        used.add(waiver.line)
        expires = waiver.expires.isoformat() if waiver.expires else None
        if not waiver.expired(today):
            suppression = Suppression(waiver.reason, source, waiver.owner, expires)
            return _suppressed(result, suppression)
        notes.append(f"waiver at {source}:{waiver.line} expired on {expires}")
        if waiver.line not in warned:
            warned.add(waiver.line)
            logger.warning(
                "%s:%d: waiver for %s expired on %s and no longer applies; "
                "renew or remove it",
                source.removeprefix("config:"),
                waiver.line,
                waiver.rule,
                expires,
            )
    if not notes:
        return result
    return dataclasses.replace(result, message=f"{result.message} ({'; '.join(notes)})")


def _suppressed(result: Result, suppression: Suppression) -> Result:
    return dataclasses.replace(
        result, status=Status.SUPPRESSED, suppression=suppression
    )


def _malformed_result(comment: InlineComment) -> Result:
    what = "a rule id" if not comment.rule_ids else "a reason"
    return Result(
        rule_id=SUPPRESS_RULE,
        status=Status.ERROR,
        severity=Severity.LOW,
        resource_type="comment",
        resource=f"{comment.path}:{comment.line}",
        message=(
            f"surveyor:ignore without {what} suppresses nothing; write "
            "`# surveyor:ignore RULE-ID why this is accepted`"
        ),
        side=Side.IAC,
        location=Location(comment.path, comment.line, comment.line),
    )


def _terraform_place(result: Result) -> Location | None:
    """Where a live result was placed, when that is Terraform (not the anchor)."""
    location = result.location
    return location if location and location.path.endswith(".tf") else None


def _comments_at(location: Location, reader: _Lines) -> list[InlineComment]:
    """Comments in the Terraform block a live result was placed on."""
    found = enclosing_block(reader.get(location.path), location.start_line)
    if found is None:
        return []
    return _comments_in(reader, [(location.path, *found)])


def _comments_for(resource: Resource, reader: _Lines) -> list[InlineComment]:
    paths = {resource.location.path} if resource.location is not None else set()
    if resource.components or resource.location is None:
        # Only merged split resources have attributes written in other blocks
        # (and maybe other files); reading every location is the slow path.
        paths.update(loc.path for loc in resource.attribute_locations.values())
    if not any(reader.has_marker(path) for path in paths):
        return []  # the common case: no file of this resource has a comment
    return _comments_in(reader, _block_spans(resource, reader))


def _comments_in(
    reader: _Lines, spans: Iterable[tuple[str, int, int]]
) -> list[InlineComment]:
    comments: list[InlineComment] = []
    for path, start, end in spans:
        lines = reader.get(path)
        for number in range(start, min(end, len(lines)) + 1):
            parsed = parse_comment(lines[number - 1])
            if parsed is not None:
                comments.append(InlineComment(path, number, *parsed))
    return comments


def _block_spans(resource: Resource, reader: _Lines) -> list[tuple[str, int, int]]:
    """The resource's block, and the blocks that hold its attribute locations
    outside it (split resources merged into this one)."""
    spans: list[tuple[str, int, int]] = []
    if resource.location is not None:
        own = resource.location
        spans.append((own.path, own.start_line, max(own.end_line, own.start_line)))
    for location in _distinct(resource.attribute_locations.values()):
        if any(_inside(location, span) for span in spans):
            continue
        found = enclosing_block(reader.get(location.path), location.start_line)
        if found is not None:
            spans.append((location.path, *found))
    return spans


def _inside(location: Location, span: tuple[str, int, int]) -> bool:
    path, start, end = span
    return path == location.path and start <= location.start_line <= end


def _distinct(locations: Iterable[Location]) -> list[Location]:
    return sorted(set(locations), key=lambda loc: (loc.path, loc.start_line))


def enclosing_block(lines: Sequence[str], line: int) -> tuple[int, int] | None:
    """The (start, end) lines of the top-level block holding `line`, if any."""
    for start in range(min(line, len(lines)), 0, -1):
        if _BLOCK_HEADER.match(lines[start - 1]):
            end = _block_end(lines, start)
            return (start, end) if end >= line else None
    return None


def _block_end(lines: Sequence[str], start: int) -> int:
    """Where the braces opened on `start` close; strings and comments skipped.

    Heredocs are not understood; a `{` inside one could run the block long,
    which only widens where a comment is looked for.
    """
    depth = 0
    opened = False
    for number in range(start, len(lines) + 1):
        in_string = False
        text = lines[number - 1]
        index = 0
        while index < len(text):
            char = text[index]
            if in_string:
                if char == "\\":
                    index += 1
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char == "#" or text.startswith("//", index):
                break
            elif char == "{":
                depth += 1
                opened = True
            elif char == "}":
                depth -= 1
            index += 1
        if opened and depth <= 0:
            return number
    return len(lines)


class _Lines:
    """Source lines by root-relative path, each file read once."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._files: dict[str, list[str]] = {}
        self._marked: dict[str, bool] = {}

    def get(self, path: str) -> list[str]:
        if path not in self._files:
            try:
                text = (self._root / path).read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                logger.debug("cannot read %s for suppressions: %s", path, exc)
                text = ""
            self._files[path] = text.splitlines()
            self._marked[path] = _MARKER in text.lower()
        return self._files[path]

    def has_marker(self, path: str) -> bool:
        """Whether the file holds any `surveyor:ignore` at all (case-insensitive)."""
        self.get(path)
        return self._marked[path]
