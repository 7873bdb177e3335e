"""Synthetic Terraform corpora from the shared generator, made once per size."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Corpus:
    name: str
    root: Path
    stack_dirs: tuple[Path, ...]  # the root modules; both tools get exactly these
    blocks: int  # top-level resource/data/module blocks, from the manifest
    files: int


def generate(
    generator: Path,
    parent: Path,
    *,
    files: int,
    per_file: int,
    files_per_dir: int,
    name: str,
) -> Corpus:
    """Write (or reuse, when the manifest matches) one corpus under ``parent``."""
    root = parent / name
    manifest_path = root / "manifest.json"
    if not _matches(manifest_path, files, per_file):
        subprocess.run(
            [
                sys.executable,
                str(generator),
                "--files",
                str(files),
                "--resources-per-file",
                str(per_file),
                "--files-per-dir",
                str(files_per_dir),
                "--out",
                str(root),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    stacks = tuple(sorted(p for p in root.glob("stack_*") if p.is_dir()))
    return Corpus(
        name=name,
        root=root,
        stack_dirs=stacks,
        blocks=int(manifest["summary"]["blocks"]),
        files=int(manifest["summary"]["tf_files"]),
    )


def _matches(manifest_path: Path, files: int, per_file: int) -> bool:
    try:
        summary = json.loads(manifest_path.read_text(encoding="utf-8"))["summary"]
    except (OSError, ValueError, KeyError):
        return False
    return bool(
        summary.get("tf_files") == files and summary.get("blocks") == files * per_file
    )
