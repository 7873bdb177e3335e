#!/usr/bin/env python3
"""Speed and memory of a Terraform scan: surveyor against checkov, same corpus.

Prints figures and the ratios the project's targets ask about; it never fails
because a target is missed or a tool breaks (that is reported in the table).
See benchmarks/README.md for what each row means and how memory is measured.

    python3 benchmarks/bench_terraform.py                 # 1,000 and 10,000 blocks
    python3 benchmarks/bench_terraform.py --sizes 1000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import Row, render_table, render_targets, targets
from corpus import Corpus, generate
from proctree import Measurement, measure

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GENERATOR = REPO_ROOT.parent / "shared" / "bench" / "gen_tf_corpus.py"
CHECKOV_VENV = Path("/tmp/checkov-venv/bin/checkov")

# Keep checkov off the network and away from the Prisma/Bridgecrew platform.
CHECKOV_ENV = {
    "BC_SKIP_MAPPING": "TRUE",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
    "LOG_LEVEL": "WARNING",
}


@dataclass(frozen=True)
class Settings:
    surveyor: list[str]
    checkov: str | None
    checkov_max_blocks: int
    checkov_output: str
    checkov_repeat: int
    repeat: int
    startup_repeat: int
    timeout_s: float
    workdir: Path
    bytecode: bool


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="comma-separated corpus sizes in top-level blocks (default 1000,10000)",
    )
    parser.add_argument("--resources-per-file", type=int, default=10)
    parser.add_argument("--files-per-dir", type=int, default=50)
    parser.add_argument(
        "--surveyor",
        default=f"{shlex.quote(sys.executable)} -m surveyor",
        help="command that runs surveyor (default: this python -m surveyor)",
    )
    parser.add_argument(
        "--checkov",
        default=None,
        help="checkov executable (default: checkov on PATH, else "
        f"{CHECKOV_VENV}); 'none' skips checkov",
    )
    parser.add_argument(
        "--checkov-max-blocks",
        type=int,
        default=10_000,
        help="run checkov only on corpora up to this many blocks (it is slow)",
    )
    parser.add_argument(
        "--checkov-output",
        choices=("cli", "json"),
        default="cli",
        help="checkov's report format (default cli: its JSON, with breadcrumbs, "
        "is ~700 MB for 1,000 blocks and triples its time and memory)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="best of N, surveyor's big scans"
    )
    parser.add_argument(
        "--checkov-repeat", type=int, default=1, help="best of N, checkov scans"
    )
    parser.add_argument(
        "--startup-repeat",
        type=int,
        default=5,
        help="best of N, --version and 10-file scans",
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="per run, s")
    parser.add_argument("--workdir", type=Path, help="keep corpora and outputs here")
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="run surveyor as the environment says (PYTHONDONTWRITEBYTECODE "
        "included) instead of with cached bytecode like an installed wheel",
    )
    parser.add_argument("--json", action="store_true", help="figures as JSON on stdout")
    return parser.parse_args(argv)


def find_checkov(requested: str | None) -> str | None:
    if requested is not None:
        return None if requested.lower() == "none" else requested
    on_path = shutil.which("checkov")
    if on_path:
        return on_path
    return str(CHECKOV_VENV) if CHECKOV_VENV.exists() else None


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def surveyor_env(settings: Settings) -> dict[str, str]:
    """An installed wheel has compiled bytecode; an editable checkout under
    PYTHONDONTWRITEBYTECODE=1 recompiles every module at each start. Bytecode
    goes to a prefix in the work dir, never into the repository."""
    env = dict(os.environ)
    if settings.bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(settings.workdir / "pycache")
    return env


def warm_up(settings: Settings, corpus: Corpus) -> None:
    """One unmeasured scan: compiles the bytecode the measured runs then read."""
    cache = settings.workdir / "cache" / "warm-up"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**surveyor_env(settings), "SURVEYOR_CACHE_DIR": str(cache)}
    dirs = [str(d.relative_to(corpus.root)) for d in corpus.stack_dirs]
    command = [*settings.surveyor, "scan", *dirs, "--format", "json"]
    run_once(settings, "warm-up", command, env, corpus.root)


def run_once(
    settings: Settings,
    name: str,
    command: Sequence[str],
    env: dict[str, str],
    cwd: Path,
) -> Measurement:
    out = settings.workdir / "out"
    out.mkdir(exist_ok=True)
    return measure(
        command,
        env=env,
        cwd=cwd,
        stdout_path=out / f"{name}.stdout",
        stderr_path=out / f"{name}.stderr",
        timeout_s=settings.timeout_s,
    )


def best_of(
    runs: int,
    one: Callable[[int], tuple[Measurement, str | None, dict[str, object]]],
) -> tuple[Measurement, str | None, dict[str, object], int]:
    """Fastest successful run; memory and process count: the most seen in any."""
    results = [one(i) for i in range(runs)]
    good = [r for r in results if r[1] is None] or results
    fastest = min(good, key=lambda r: r[0].wall_s)
    worst_tree = max(r[0].tree_peak_rss_mib for r in results)
    worst_proc = max(r[0].max_rss_mib for r in results)
    most_processes = max(r[0].peak_processes for r in results)
    m = fastest[0]
    merged = Measurement(
        **{
            **asdict(m),
            "tree_peak_rss_mib": worst_tree,
            "max_rss_mib": worst_proc,
            "peak_processes": most_processes,
        }
    )
    return merged, fastest[1], fastest[2], len(results)


def surveyor_scan_row(
    settings: Settings, scenario: str, corpus: Corpus, *, warm: bool, runs: int
) -> Row:
    caches = settings.workdir / "cache"

    def one(i: int) -> tuple[Measurement, str | None, dict[str, object]]:
        cache = caches / f"{corpus.name}-{'warm' if warm else i}"
        if not warm:
            shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True, exist_ok=True)
        env = {**surveyor_env(settings), "SURVEYOR_CACHE_DIR": str(cache)}
        if warm and i == 0:  # fill the cache first; not measured
            run_once(settings, f"{corpus.name}-prime", scan_cmd(), env, corpus.root)
        name = f"{scenario.replace(' ', '-')}-{corpus.name}-{i}"
        m = run_once(settings, name, scan_cmd(), env, corpus.root)
        return m, *check_surveyor(m)

    def scan_cmd() -> list[str]:
        dirs = [str(d.relative_to(corpus.root)) for d in corpus.stack_dirs]
        return [*settings.surveyor, "scan", *dirs, "--format", "json"]

    m, error, info, n = best_of(runs, one)
    return Row.of(
        scenario=scenario,
        tool="surveyor",
        blocks=corpus.blocks,
        m=m,
        runs=n,
        error=error,
        info=info,
    )


def check_surveyor(m: Measurement) -> tuple[str | None, dict[str, object]]:
    """Exit 0/1 with a JSON report is a scan that ran; anything else failed."""
    if m.timed_out:
        return "timed out", {}
    if m.returncode not in (0, 1):
        return f"exit {m.returncode}: {m.stderr_tail()}", {}
    try:
        report = json.loads(m.stdout_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"no JSON report ({exc}); stderr: {m.stderr_tail(1)}", {}
    info: dict[str, object] = {}
    if isinstance(report, dict):
        scan = report.get("scan")
        if isinstance(scan, dict) and isinstance(scan.get("resource_count"), int):
            info["resources"] = scan["resource_count"]
        counts = report.get("counts")
        if isinstance(counts, dict) and isinstance(counts.get("by_status"), dict):
            info.update(counts["by_status"])
        results = report.get("results")
        if isinstance(results, list):
            info["results"] = len(results)
    return None, info


def checkov_row(settings: Settings, checkov: str, corpus: Corpus) -> Row:
    """checkov reads the corpus root: its usual invocation; it recurses into every
    stack and also checks modules/secure_bucket on its own (4 resources)."""
    env = {**os.environ, **CHECKOV_ENV}
    command = [
        checkov,
        "--framework",
        "terraform",
        "--skip-download",
        "--quiet",
        "--compact",
        "-o",
        settings.checkov_output,
        "-d",
        ".",
    ]

    def one(i: int) -> tuple[Measurement, str | None, dict[str, object]]:
        m = run_once(settings, f"checkov-{corpus.name}-{i}", command, env, corpus.root)
        return m, *check_checkov(m, settings.checkov_output)

    m, error, info, n = best_of(settings.checkov_repeat, one)
    return Row.of(
        scenario="cold scan",
        tool="checkov",
        blocks=corpus.blocks,
        m=m,
        runs=n,
        error=error,
        info=info,
    )


CLI_SUMMARY = re.compile(r"Passed checks: (\d+), Failed checks: (\d+)")


def check_checkov(m: Measurement, output: str) -> tuple[str | None, dict[str, object]]:
    if m.timed_out:
        return "timed out", {}
    if m.returncode not in (0, 1):
        return f"exit {m.returncode}: {m.stderr_tail(1)}", {}
    try:
        text = m.stdout_path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"no output ({exc})", {}
    if output == "cli":
        found = CLI_SUMMARY.findall(text)
        if not found:
            return f"no check summary in its output; stderr: {m.stderr_tail(1)}", {}
        return None, {
            "passed": sum(int(p) for p, _ in found),
            "failed": sum(int(f) for _, f in found),
        }
    try:
        report = json.loads(text)
    except ValueError as exc:
        return f"output is not JSON ({exc})", {}
    reports = report if isinstance(report, list) else [report]
    resources = failed = 0
    for part in reports:
        summary = part.get("summary", {}) if isinstance(part, dict) else {}
        resources += int(summary.get("resource_count", 0))
        failed += int(summary.get("failed", 0))
    return None, {"resources": resources, "failed": failed}


def version_row(settings: Settings, tool: str, command: list[str]) -> Row:
    env = {**os.environ, **CHECKOV_ENV} if tool == "checkov" else surveyor_env(settings)
    # checkov takes seconds to start; two runs show its best without the wait.
    runs = settings.startup_repeat
    if tool == "checkov":
        runs = min(2, runs)

    def one(i: int) -> tuple[Measurement, str | None, dict[str, object]]:
        m = run_once(settings, f"{tool}-version-{i}", command, env, settings.workdir)
        out = m.stdout_path.read_text(encoding="utf-8", errors="replace").strip()
        if m.returncode != 0:
            return m, f"exit {m.returncode}: {m.stderr_tail()}", {}
        return m, None, {"output": out}

    m, error, info, n = best_of(runs, one)
    return Row.of(
        scenario="--version", tool=tool, blocks=0, m=m, runs=n, error=error, info=info
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.generator.is_file():
        print(
            f"bench: error: corpus generator {args.generator} not found; "
            "pass --generator PATH",
            file=sys.stderr,
        )
        return 2
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="surveyor-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        surveyor=shlex.split(args.surveyor),
        checkov=find_checkov(args.checkov),
        checkov_max_blocks=args.checkov_max_blocks,
        checkov_output=args.checkov_output,
        checkov_repeat=max(1, args.checkov_repeat),
        repeat=max(1, args.repeat),
        startup_repeat=max(1, args.startup_repeat),
        timeout_s=args.timeout,
        workdir=workdir,
        bytecode=not args.no_bytecode,
    )
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    try:
        rows = run_all(settings, args, sizes)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    figures = {
        "machine": {**machine(), "loadavg_at_start": load_at_start},
        "checkov": settings.checkov,
        "memory": "tree_peak_rss_mib: sampled sum of RSS over the process "
        "session (/proc, 10 ms, 50 ms after 2 s), counts parallel workers; "
        "max_rss_mib: largest single process (wait4 ru_maxrss)",
        "bytecode": "cached (PYTHONPYCACHEPREFIX in the work dir)"
        if settings.bytecode
        else "as the environment says",
        "rows": [asdict(r) for r in rows],
        "targets": [asdict(t) for t in targets(rows, sizes)],
    }
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(render_table(rows))
        print()
        print(render_targets(targets(rows, sizes)))
        print()
        print(f"machine: {figures['machine']}")
    return 0


def run_all(
    settings: Settings, args: argparse.Namespace, sizes: list[int]
) -> list[Row]:
    rows: list[Row] = []
    corpora = settings.workdir / "corpora"
    small = generate(
        args.generator,
        corpora,
        files=10,
        per_file=args.resources_per_file,
        files_per_dir=10,
        name="module10",
    )
    warm_up(settings, small)

    progress("surveyor --version")
    rows.append(version_row(settings, "surveyor", [*settings.surveyor, "--version"]))
    if settings.checkov:
        progress("checkov --version")
        rows.append(version_row(settings, "checkov", [settings.checkov, "--version"]))
    progress(f"10-file module ({small.blocks} blocks)")
    n = settings.startup_repeat
    rows.append(surveyor_scan_row(settings, "10-file cold", small, warm=False, runs=n))
    rows.append(surveyor_scan_row(settings, "10-file warm", small, warm=True, runs=n))

    for blocks in sizes:
        files = max(1, blocks // args.resources_per_file)
        corpus = generate(
            args.generator,
            corpora,
            files=files,
            per_file=args.resources_per_file,
            files_per_dir=args.files_per_dir,
            name=f"blocks{blocks}",
        )
        progress(f"surveyor cold/warm, {corpus.blocks} blocks in {files} files")
        n = settings.repeat
        rows.append(
            surveyor_scan_row(settings, "cold scan", corpus, warm=False, runs=n)
        )
        rows.append(
            surveyor_scan_row(settings, "warm rescan", corpus, warm=True, runs=n)
        )
        if settings.checkov and corpus.blocks <= settings.checkov_max_blocks:
            progress(f"checkov, {corpus.blocks} blocks (slow)")
            rows.append(checkov_row(settings, settings.checkov, corpus))
    return rows


def machine() -> dict[str, object]:
    import platform

    return {
        "loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()],  # at the end
        "nproc": len(os.sched_getaffinity(0)),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


if __name__ == "__main__":
    sys.exit(main())
