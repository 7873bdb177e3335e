"""From scan targets to resources: find root modules, parse, evaluate, merge."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveyor.model.location import Location
from surveyor.resourceset import ResourceSet, SourceError, SourceNotice
from surveyor.sources.terraform.result_cache import Manifest, ScanCache, scan_key

if TYPE_CHECKING:
    from surveyor.sources.terraform.module import ModuleSource

# The parser, evaluator and merge are imported when a scan is not served
# from the scan cache: a warm rescan does not pay for importing them.

logger = logging.getLogger(__name__)
_SKIPPED_DIRS = {".terraform", ".git", "node_modules", ".terragrunt-cache"}
# Where `terraform init` records the modules it installed, per root module.
MODULE_MANIFEST = Path(".terraform") / "modules" / "modules.json"


@dataclass
class TerraformOptions:
    targets: list[Path]
    root: Path
    var_files: list[Path] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    use_cache: bool = True


def relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _tf_dirs(directory: Path) -> list[Path]:
    found = []
    for current, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        if any(name.endswith(".tf") for name in files):
            found.append(Path(current))
    return found


def _module_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.tf") if p.is_file())


class _Loader:
    def __init__(self, options: TerraformOptions) -> None:
        self.options = options
        self.root = options.root.resolve()
        self.sources: dict[Path, ModuleSource] = {}
        self.errors: list[SourceError] = []
        self.manifest = Manifest()

    def load(self) -> ResourceSet:
        if not self.options.use_cache:
            return self._load()
        cache = ScanCache()
        key = self._cache_key()
        cached = cache.get(key, _tf_dirs)
        if cached is not None:
            logger.debug("scan result served from the cache")
            return cached
        resources = self._load()
        cache.put(key, self.manifest, resources)
        return resources

    def _cache_key(self) -> str:
        options = self.options
        return scan_key(
            [
                str(self.root),
                str(Path.cwd()),
                *(str(t.resolve()) for t in options.targets),
                "--var-file",
                *(str(f.resolve()) for f in options.var_files),
                "--var",
                *(f"{k}={v}" for k, v in sorted(options.variables.items())),
                "--env",
                *sorted(
                    f"{k}={v}" for k, v in os.environ.items() if k.startswith("TF_VAR_")
                ),
            ]
        )

    def _load(self) -> ResourceSet:
        explicit, found, extra_var_files = self._targets()
        self._parse_all([*explicit, *found])
        called = {
            d for source in self.sources.values() for d in source.local_module_dirs()
        }
        roots = list(dict.fromkeys([*explicit, *(d for d in found if d not in called)]))
        installed = {root: self._installed_modules(root) for root in roots}
        self._parse_all(
            [
                d
                for modules in installed.values()
                for d in modules.values()
                if d not in self.sources and d.is_dir()
            ]
        )
        from surveyor.sources.terraform.merge import merge
        from surveyor.sources.terraform.module import ModuleInstance, Program

        program = Program(self.sources, Path.cwd())
        resources = ResourceSet()
        for root_dir in roots:
            source = self.sources.get(root_dir)
            if source is None:
                continue
            values = self._variables(root_dir, source, extra_var_files)
            instance = ModuleInstance(
                program, source, "", _root_inputs(values), installed=installed[root_dir]
            )
            try:
                merged = merge(list(instance.emit()))
            except Exception as exc:  # recorded as an ERROR result, never hidden
                # A bug of ours on unusual code must cost one module, not the scan.
                logger.debug("evaluating %s failed", root_dir, exc_info=True)
                rel = relative(root_dir, self.root)
                message = (
                    f"{rel}: surveyor could not evaluate this module "
                    f"({type(exc).__name__}); please report it with the code"
                )
                self.errors.append(SourceError(message, path=rel))
                continue
            for resource in merged:
                resources.add(resource)
        resources.source_errors.extend(self.errors)
        for message, location in program.problems:
            resources.source_errors.append(SourceError(message, location=location))
        for message, location in dict.fromkeys(program.notices):
            resources.notices.append(SourceNotice(message, location))
        resources.notices.extend(self._json_syntax_notices())
        called_dirs = [d for s in self.sources.values() for d in s.local_module_dirs()]
        self.manifest.add_dirs([*self.sources, *roots, *called_dirs])
        self.manifest.add_files(program.file_reads)
        self.sources.clear()  # parsed bodies: not needed now, and they are large
        return resources

    def _json_syntax_notices(self) -> list[SourceNotice]:
        """`.tf.json` files beside the .tf files read: said, not skipped."""
        notices = []
        for directory in sorted(self.sources):
            for path in sorted(directory.glob("*.tf.json")):
                rel = relative(path, self.root)
                notices.append(
                    SourceNotice(
                        f"{rel}: Terraform JSON syntax (.tf.json) is not read yet; "
                        "its blocks are not judged",
                        Location(rel, 1, 1),
                    )
                )
        return notices

    def _installed_modules(self, root_dir: Path) -> dict[str, Path]:
        """Module key -> directory, from the manifest `terraform init` wrote."""
        path = root_dir / MODULE_MANIFEST
        self.manifest.add_files([path])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            rel = relative(path, self.root)
            message = (
                f"{rel}: cannot read the module manifest ({type(exc).__name__}); "
                "run terraform init again"
            )
            self.errors.append(SourceError(message, path=rel))
            return {}
        found: dict[str, Path] = {}
        entries = data.get("Modules") if isinstance(data, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            key, directory = entry.get("Key"), entry.get("Dir")
            if isinstance(key, str) and key and isinstance(directory, str):
                found[key] = (root_dir / directory).resolve()
        return found

    def _targets(self) -> tuple[list[Path], list[Path], list[Path]]:
        explicit: list[Path] = []
        found: list[Path] = []
        var_files: list[Path] = []
        for given in self.options.targets:
            target = given.resolve()
            if target.is_file():
                explicit.append(target.parent)
                if target.suffix == ".tfvars" or target.name.endswith(".tfvars.json"):
                    var_files.append(target)
                continue
            dirs = _tf_dirs(target)
            self.manifest.walks[str(target)] = [str(d) for d in dirs]
            if not dirs:
                rel = relative(target, self.root)
                message = (
                    f"{rel}: no Terraform (.tf) files here or below; check the path"
                )
                self.errors.append(SourceError(message, path=rel))
            if target in dirs:
                explicit.append(target)
            found.extend(d for d in dirs if d != target)
        return list(dict.fromkeys(explicit)), list(dict.fromkeys(found)), var_files

    def _parse_all(self, directories: list[Path]) -> None:
        """Parse directories and, wave by wave, the local modules they call."""
        from surveyor.sources.terraform.files import parse_files
        from surveyor.sources.terraform.module import ModuleSource

        queue = list(dict.fromkeys(directories))
        while queue:
            files = {d: _module_files(d) for d in queue}
            for paths in files.values():
                self.manifest.add_files(paths)
            parsed = parse_files(
                [f for fs in files.values() for f in fs], self.options.use_cache
            )
            for directory, paths in files.items():
                source = ModuleSource(directory)
                for path in paths:
                    self._add(source, path, parsed[path])
                self.sources[directory] = source
            queue = [
                d
                for directory in files
                for d in self.sources[directory].local_module_dirs()
                if d not in self.sources and d.is_dir()
            ]
            queue = list(dict.fromkeys(queue))

    def _add(self, source: ModuleSource, path: Path, result: dict[str, Any]) -> None:
        rel = relative(path, self.root)
        if "body" in result:
            source.add_file(rel, result["body"])
            return
        line = result.get("line")
        where = f"{rel}:{line}" if line else rel
        message = (
            f"{where}: cannot parse Terraform: {result['error']}; "
            "fix the syntax (`terraform validate` shows the same spot)"
        )
        location = Location(rel, line, line) if isinstance(line, int) else None
        self.errors.append(SourceError(message, location=location, path=rel))

    def _variables(
        self, root_dir: Path, source: ModuleSource, extra: list[Path]
    ) -> dict[str, Any]:
        declared = {n: d.block for n, d in source.variables.items()}
        from surveyor.sources.terraform.tfvars import (
            auto_var_files,
            convert_cli_value,
            from_environment,
            read_var_file,
        )

        values: dict[str, Any] = from_environment(declared)
        in_dir = [f for f in extra if f.parent == root_dir]
        var_files = [*auto_var_files(root_dir), *in_dir, *self.options.var_files]
        self.manifest.add_files(var_files)
        for path in var_files:
            found, error = read_var_file(path, self.options.use_cache)
            if error is not None:
                rel = relative(error.path, self.root)
                where = f"{rel}:{error.line}" if error.line else rel
                location = Location(rel, error.line, error.line) if error.line else None
                self.errors.append(
                    SourceError(
                        f"{where}: {error.message}", location=location, path=rel
                    )
                )
            values.update(found)
        for name, raw in self.options.variables.items():
            values[name] = convert_cli_value(raw, declared.get(name, {}))
        return values


def _root_inputs(values: dict[str, Any]) -> Callable[[str], Any]:
    from surveyor.sources.terraform.module import NOT_GIVEN

    def inputs(name: str) -> Any:
        return values.get(name, NOT_GIVEN)

    return inputs


def load_terraform(options: TerraformOptions) -> ResourceSet:
    """Every resource the targets declare, in the effective (merged) view."""
    return _Loader(options).load()
