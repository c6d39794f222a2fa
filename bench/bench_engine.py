"""Benchmark of the pure scoring engine at province scale.

    .venv/bin/python -m bench.bench_engine            # 100 counties × 20 × 300
    .venv/bin/python -m bench.bench_engine --quick    # 10 counties

Each county's period is parsed and scored on its own, as the background job
does (one job per county and period); only one county's inputs and result are
alive at a time. Scores per second count every (township, leaf) pair the
engine decides, N/A ones included, over the time spent in ``compute_period``.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from dataclasses import dataclass

from assessment.engine import compute_period
from bench.generate import generate
from indicators.data_format import parse_period_data
from indicators.plan_format import parse_plan

TARGET_SCORES_PER_SECOND = 100_000
TARGET_PEAK_BYTES = 1 << 30


@dataclass
class Figures:
    counties: int = 0
    townships: int = 0
    leaves: int = 0
    scores: int = 0
    items: int = 0
    generate_s: float = 0.0
    parse_s: float = 0.0
    compute_s: float = 0.0
    compute_cpu_s: float = 0.0
    peak_traced: int = 0


def run(counties: int, townships: int, leaves: int, seed: int, trace: bool) -> Figures:
    figures = Figures(counties=counties, leaves=leaves)
    started = time.perf_counter()
    plan_dict, data = generate(counties, townships, leaves, seed)
    figures.generate_s = time.perf_counter() - started
    # A worker holds one county's inputs, not the province's: keep the
    # generated dicts out of the collector's way, as they would not exist there.
    gc.collect()
    gc.freeze()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    plan = parse_plan(plan_dict)
    figures.parse_s += time.perf_counter() - started
    for county in data:
        started = time.perf_counter()
        inputs = parse_period_data(county, plan)
        figures.parse_s += time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        result = compute_period(plan, inputs)
        figures.compute_s += time.perf_counter() - started
        figures.compute_cpu_s += time.process_time() - cpu
        figures.townships += len(result.townships)
        figures.scores += len(result.townships) * len(plan.leaves)
        figures.items += sum(len(t.items) for t in result.townships)
        del inputs, result
    if trace:
        figures.peak_traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return figures


def _peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def report(figures: Figures) -> str:
    rate = figures.scores / figures.compute_s if figures.compute_s else 0.0
    cpu_rate = figures.scores / figures.compute_cpu_s if figures.compute_cpu_s else 0.0
    rss = _peak_rss_bytes()
    rows = [
        (
            "counties × townships × leaves",
            f"{figures.counties} × {figures.townships // max(figures.counties, 1)}"
            f" × {figures.leaves}",
        ),
        ("indicator scores (township × leaf)", f"{figures.scores:,}"),
        ("items in results (assessed or counted N/A)", f"{figures.items:,}"),
        ("generate data", f"{figures.generate_s:.2f} s"),
        ("parse plan + data", f"{figures.parse_s:.2f} s"),
        ("compute_period total", f"{figures.compute_s:.2f} s"),
        ("compute_period CPU time", f"{figures.compute_cpu_s:.2f} s"),
        (
            "scores per second (wall)",
            f"{rate:,.0f}  (target ≥ {TARGET_SCORES_PER_SECOND:,})",
        ),
        ("scores per second (CPU)", f"{cpu_rate:,.0f}"),
        (
            "peak RSS (whole process)",
            f"{rss / 2**20:,.0f} MiB  (target ≤ {TARGET_PEAK_BYTES / 2**20:,.0f} MiB)",
        ),
    ]
    if figures.peak_traced:
        rows.append(
            ("peak traced (parse + compute)", f"{figures.peak_traced / 2**20:,.1f} MiB")
        )
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    # Tracing allocations slows Python several times over: speed is not
    # judged on a traced run.
    fast = rate >= TARGET_SCORES_PER_SECOND or bool(figures.peak_traced)
    verdict = "OK" if fast and rss <= TARGET_PEAK_BYTES else "BELOW TARGET"
    if figures.peak_traced:
        verdict += " (speed not judged while tracing)"
    return "\n".join([*lines, f"{'verdict':<{width}}  {verdict}"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the scoring engine.")
    parser.add_argument("--quick", action="store_true", help="10 counties only")
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--townships", type=int, default=20)
    parser.add_argument("--leaves", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--trace",
        action="store_true",
        help="also trace allocations (slows the run down)",
    )
    args = parser.parse_args(argv)
    counties = 10 if args.quick else args.counties
    figures = run(counties, args.townships, args.leaves, args.seed, args.trace)
    print(report(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
