"""Snapshot files: a live collection saved to scan later, offline.

Format `surveyor-snapshot` version 1 (schema: surveyor/schemas/snapshot-v1.json):
the account, regions, collection time, tool version, every resource in its
canonical JSON form and every call that failed. Gzip is recognised by content,
and written when the file name ends in `.gz`. Secret-looking values are
redacted on the way out, whatever the collector did.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
import zlib
from functools import cache
from importlib import resources as package_files
from pathlib import Path
from typing import Any

from surveyor.model.serialize import (
    error_from_json,
    error_to_json,
    resource_from_json,
    resource_to_json,
)
from surveyor.model.types import ACCOUNT_ANCHOR
from surveyor.redact import redact_value
from surveyor.resourceset import ResourceSet

FORMAT = "surveyor-snapshot"
VERSION = 1
_GZIP_MAGIC = b"\x1f\x8b"


class SnapshotError(Exception):
    """A file that is not a readable snapshot; the message is one line."""


def snapshot_document(
    resources: ResourceSet, *, collected_at: str, tool_version: str
) -> dict[str, Any]:
    """The JSON document for a collection (redacted, schema-valid)."""
    anchors = resources.of_type(ACCOUNT_ANCHOR)
    account = anchors[0].account if anchors else None
    regions = list(anchors[0].attributes.get("regions", [])) if anchors else []
    return {
        "format": FORMAT,
        "version": VERSION,
        "tool": {"name": "surveyor", "version": tool_version},
        "collected_at": collected_at,
        "account": account,
        "regions": regions,
        "resources": [redact_value(resource_to_json(r)) for r in resources],
        "collection_errors": [
            redact_value(error_to_json(e)) for e in resources.collection_errors
        ],
    }


def write_snapshot(
    resources: ResourceSet, path: Path, *, collected_at: str, tool_version: str
) -> None:
    """Write atomically: a reader sees the old file or the whole new one."""
    document = snapshot_document(
        resources, collected_at=collected_at, tool_version=tool_version
    )
    data = json.dumps(document, indent=1, sort_keys=False).encode("utf-8") + b"\n"
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    directory = path.resolve().parent
    directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).replace(path)  # atomic rename on the same filesystem
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_snapshot(path: Path) -> ResourceSet:
    """A snapshot's resources and collection errors, validated against the schema."""
    document = _load(path)
    _validate(path, document)
    try:
        resources = [resource_from_json(r) for r in document["resources"]]
        errors = [error_from_json(e) for e in document["collection_errors"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise SnapshotError(f"{path}: invalid resource in snapshot: {exc}") from exc
    return ResourceSet(resources, collection_errors=errors)


def is_snapshot(path: Path) -> bool:
    """True when the file's content is a surveyor snapshot (any version)."""
    try:
        document = _load(path)
    except SnapshotError:
        return False
    return isinstance(document, dict) and document.get("format") == FORMAT


def _load(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if raw.startswith(_GZIP_MAGIC):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise SnapshotError(
                f"{path}: truncated or corrupt gzip ({exc}); collect it again "
                "with `surveyor snapshot --aws -o FILE`"
            ) from exc
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SnapshotError(
            f"{path}: not a surveyor snapshot (not UTF-8 JSON)"
        ) from exc
    except json.JSONDecodeError as exc:
        hint = "truncated?" if exc.pos >= len(raw.strip()) - 1 else "invalid JSON"
        raise SnapshotError(
            f"{path}:{exc.lineno}: not a readable snapshot ({hint}: {exc.msg})"
        ) from exc


def _validate(path: Path, document: Any) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SnapshotError(
            f'{path}: not a surveyor snapshot (no "format": "{FORMAT}"); '
            "create one with `surveyor snapshot --aws -o FILE`"
        )
    if document.get("version") != VERSION:
        raise SnapshotError(
            f"{path}: snapshot version {document.get('version')!r} is not supported "
            f"(this surveyor reads version {VERSION}); upgrade surveyor or re-collect"
        )
    error = next(iter(_validator().iter_errors(document)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        message = (
            error.message if len(error.message) < 160 else error.message[:157] + "..."
        )
        raise SnapshotError(f"{path}: invalid snapshot at {where}: {message}")


@cache
def _validator() -> Any:
    import jsonschema

    text = (
        package_files.files("surveyor.schemas")
        .joinpath("snapshot-v1.json")
        .read_text("utf-8")
    )
    return jsonschema.Draft202012Validator(json.loads(text))
