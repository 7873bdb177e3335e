#!/usr/bin/env python3
"""Where a cold Terraform scan spends its time: cProfile of one in-process scan.

    python3 benchmarks/profile_terraform.py --blocks 1000 --top 25

Runs `surveyor.scan.run_scan` on a generated corpus with an empty cache
(`SURVEYOR_CACHE_DIR` set to a new directory; `--warm`: a filled one) and
prints the functions with the most own time and the most cumulative time.
Work done in worker processes, if the Terraform source uses any, is not seen
by cProfile: run it under `taskset -c 0` to keep all parsing in this process.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GENERATOR = REPO_ROOT.parent / "shared" / "bench" / "gen_tf_corpus.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    parser.add_argument("--blocks", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--warm", action="store_true", help="profile a rescan with a filled cache"
    )
    parser.add_argument("--dump", type=Path, help="also write the raw pstats here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="surveyor-profile-") as tmp:
        work = Path(tmp)
        corpus = generate(
            args.generator,
            work / "corpora",
            files=max(1, args.blocks // 10),
            per_file=10,
            files_per_dir=50,
            name=f"blocks{args.blocks}",
        )
        os.environ["SURVEYOR_CACHE_DIR"] = str(work / "cache")
        os.chdir(corpus.root)

        from surveyor.scan import ScanOptions, run_scan

        options = ScanOptions(paths=[Path(d.name) for d in corpus.stack_dirs])
        if args.warm:
            run_scan(options)  # fills the cache; not profiled
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        report = run_scan(options)
        profiler.disable()
        wall = time.perf_counter() - started

    kind = "warm" if args.warm else "cold"
    print(
        f"{kind} scan of {corpus.blocks} blocks: {wall:.2f} s under cProfile, "
        f"{report.resource_count} resources, {len(report.results)} results"
    )
    if args.dump:
        profiler.dump_stats(str(args.dump))
    for key, title in (("tottime", "own time"), ("cumulative", "cumulative time")):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key)
        stats.print_stats(args.top)
        print(f"\n=== top {args.top} by {title} ===")
        print(out.getvalue().split("\n", 6)[-1].rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
