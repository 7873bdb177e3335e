"""Whole-scan results cached, so an unchanged rescan skips evaluation too.

The entry is keyed by the scan's options and holds a manifest of every input
it read (each file's SHA-256, each directory's listing, each target's module
directories). It is used only when all of them still match; anything that
does not load or match is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from surveyor import __version__
from surveyor.model import Location, Resource, Side
from surveyor.model.serialize import UNKNOWN_KEY
from surveyor.model.unknown import Unknown
from surveyor.resourceset import ResourceSet, SourceError, SourceNotice
from surveyor.sources.terraform.cache import cache_dir, code_stamp
from surveyor.sources.terraform.parse import PARSER_ID
from surveyor.sources.terraform.values import RefUnknown

logger = logging.getLogger(__name__)
_FORMAT = "surveyor-tf-scan-2"
KEEP_SCANS = 32  # newest entries kept; one per distinct set of scan options
# Files Terraform reads from a module directory besides *.tf.
VAR_FILE_NAMES = ("terraform.tfvars", "terraform.tfvars.json")


def listing(directory: Path) -> list[str]:
    try:
        names = [p.name for p in directory.iterdir()]
    except OSError:
        return []
    return sorted(
        n
        for n in names
        if n.endswith((".tf", ".auto.tfvars", ".auto.tfvars.json"))
        or n in VAR_FILE_NAMES
    )


def digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def scan_key(parts: Iterable[str]) -> str:
    stamp = f"{_FORMAT}\0{PARSER_ID}\0{__version__}\0{code_stamp()}"
    hasher = hashlib.sha256(stamp.encode())
    for part in parts:
        hasher.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()


class Manifest:
    """What a scan read, to tell later whether its result still holds."""

    def __init__(self) -> None:
        self.files: dict[str, str | None] = {}
        self.dirs: dict[str, list[str]] = {}
        self.walks: dict[str, list[str]] = {}

    def add_files(self, paths: Iterable[Path]) -> None:
        for path in paths:
            self.files.setdefault(str(path), digest(path))

    def add_dirs(self, directories: Iterable[Path]) -> None:
        for directory in directories:
            self.dirs.setdefault(str(directory), listing(directory))

    def to_json(self) -> dict[str, Any]:
        return {"files": self.files, "dirs": self.dirs, "walks": self.walks}

    @staticmethod
    def still_holds(data: Any, walk: Any) -> bool:
        if not isinstance(data, dict):
            return False
        walks, dirs, files = data.get("walks"), data.get("dirs"), data.get("files")
        if not (isinstance(walks, dict) and isinstance(dirs, dict)):
            return False
        if not isinstance(files, dict):
            return False
        for target, found in walks.items():
            if [str(d) for d in walk(Path(target))] != found:
                return False
        for directory, names in dirs.items():
            if listing(Path(directory)) != names:
                return False
        return all(digest(Path(p)) == h for p, h in files.items())


def _location(loc: Location | None, paths: dict[str, int]) -> list[Any] | None:
    if loc is None:
        return None
    index = paths.setdefault(loc.path, len(paths))
    return [index, loc.start_line, loc.end_line]


_REF_KEY = "$ref"


def _unknown_to_json(value: Any) -> Any:
    if isinstance(value, RefUnknown):  # checks may follow the address
        return {UNKNOWN_KEY: value.reason, _REF_KEY: value.address}
    if isinstance(value, Unknown):
        return {UNKNOWN_KEY: value.reason}
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _unknown_from_json(data: dict[str, Any]) -> Any:
    if UNKNOWN_KEY in data:
        if len(data) == 1:
            return Unknown(str(data[UNKNOWN_KEY]))
        if len(data) == 2 and _REF_KEY in data:
            return RefUnknown(str(data[_REF_KEY]), str(data[UNKNOWN_KEY]))
    return data


_DUMP = json.JSONEncoder(
    default=_unknown_to_json, separators=(",", ":"), ensure_ascii=False
).encode


def _write_result(out: TextIO, resources: ResourceSet) -> None:
    """The result as JSON, one resource at a time (the C encoder does the
    walking; UNKNOWN goes through `default`), so no full copy sits in memory.

    An attribute location in the resource's own file is [start, end], else
    [path index, start, end].
    """
    paths: dict[str, int] = {}
    out.write('{"resources":[')
    for index, r in enumerate(resources):
        own = r.location.path if r.location else None
        item = [
            r.type,
            r.address,
            r.name,
            r.attributes,
            r.tags,
            _location(r.location, paths),
            {
                k: (v.start_line, v.end_line) if v.path == own else _location(v, paths)
                for k, v in r.attribute_locations.items()
            },
            r.components,
        ]
        out.write(("," if index else "") + _DUMP(item))
    errors = [
        [e.message, e.path, _location(e.location, paths)]
        for e in resources.source_errors
    ]
    notices = [[n.message, _location(n.location, paths)] for n in resources.notices]
    out.write('],"errors":' + _DUMP(errors) + ',"notices":' + _DUMP(notices))
    out.write(',"paths":' + _DUMP(list(paths)) + "}")


class _Locations(Mapping[str, Location]):
    """Attribute locations decoded when read: most are never asked for."""

    __slots__ = ("_own", "_paths", "_raw")

    def __init__(
        self, raw: dict[str, list[int]], own: Location | None, paths: list[str]
    ) -> None:
        self._raw = raw
        self._own = own
        self._paths = paths

    def __getitem__(self, key: str) -> Location:
        raw = self._raw[key]
        if len(raw) == 2 and self._own is not None:
            return Location(self._own.path, int(raw[0]), int(raw[1]))
        return Location(self._paths[int(raw[0])], int(raw[1]), int(raw[2]))

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def _decode(data: dict[str, Any]) -> ResourceSet:
    paths: list[str] = data["paths"]

    def location(raw: Any) -> Location | None:
        if raw is None:
            return None
        return Location(paths[int(raw[0])], int(raw[1]), int(raw[2]))

    resources = []
    for type_, address, name, attributes, tags, loc, attr_locs, components in data[
        "resources"
    ]:
        block = location(loc)
        resources.append(
            Resource(
                type=str(type_),
                address=str(address),
                attributes=dict(attributes),
                side=Side.IAC,
                name=str(name),
                location=block,
                attribute_locations=_Locations(
                    {k: v for k, v in attr_locs.items() if v is not None}, block, paths
                ),
                tags=dict(tags),
                components=tuple(components),
            )
        )
    errors = [
        SourceError(str(message), location=location(loc), path=path)
        for message, path, loc in data["errors"]
    ]
    notices = [
        SourceNotice(str(message), location(loc))
        for message, loc in data.get("notices", [])
    ]
    return ResourceSet(resources, source_errors=errors, notices=notices)


class ScanCache:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = (directory or cache_dir()) / "scans"

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def get(self, key: str, walk: Any) -> ResourceSet | None:
        try:
            entry = json.loads(
                self._path(key).read_bytes(), object_hook=_unknown_from_json
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            logger.debug("ignoring unreadable scan cache entry: %s", exc)
            return None
        try:
            if entry.get("key") != key or not Manifest.still_holds(
                entry.get("manifest"), walk
            ):
                return None
            return _decode(entry["result"])
        except (AttributeError, KeyError, TypeError, ValueError, IndexError) as exc:
            logger.debug("ignoring malformed scan cache entry: %s", exc)
            return None

    def put(self, key: str, manifest: Manifest, resources: ResourceSet) -> None:
        path = self._path(key)
        try:
            head = json.dumps({"key": key, "manifest": manifest.to_json()})
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(head[:-1] + ',"result":')
                _write_result(out, resources)
                out.write("}")
            Path(temp).replace(path)
            self._prune()
        except (OSError, TypeError, ValueError) as exc:
            logger.debug("could not write scan cache entry %s: %s", path, exc)

    def _prune(self) -> None:
        entries = sorted(
            self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for stale in entries[KEEP_SCANS:]:
            stale.unlink(missing_ok=True)
