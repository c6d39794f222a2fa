"""Benchmark of the whole pipeline for one county on PostgreSQL.

    .venv/bin/python -m bench.bench_pipeline                  # 40 townships × 300
    .venv/bin/python -m bench.bench_pipeline --repeat 5
    .venv/bin/python -m bench.bench_pipeline --profile        # + one cProfiled run
    .venv/bin/python -m bench.bench_pipeline --sqlite         # a temp SQLite file

It never touches a real database: it creates a throwaway database
``bench_pipeline_<pid>`` on the server ``DATABASE_URL`` names (default
``postgres://postgres@127.0.0.1:5432/postgres``; only the server is used, not
that database), migrates it, runs the services the management commands run
(``import_plan --publish``, ``import_data``, ``compute --sync``,
``export_results``) and drops it afterwards, even on failure or Ctrl-C.

Every repetition imports into a county of its own, so each one measures a
first import; ``data re-import`` then imports the same file again (the
update path). Seconds are the best of ``--repeat``; queries are counted with
``CaptureQueriesContext`` on the default connection (the same on every run).
Figures go to stdout and ``bench/out/pipeline.json`` (``pipeline-sqlite.json``
with ``--sqlite``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.generate import PERIOD, PLAN_CODE, generate

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "psql"}
QUERIES_LIMIT = 1_000_000
OUT_DIR = Path(__file__).resolve().parent / "out"
STAGES = (
    "plan import",
    "plan publish",
    "data import",
    "data re-import",
    "compute",
    "export",
)
MSG_SQLITE = (
    "bench_pipeline measures PostgreSQL, but the server is SQLite ({url}).\n"
    "Unset DATABASE_URL (the default server is {default}), pass --server "
    "postgres://…, or use --sqlite to run on a throwaway SQLite file."
)
MSG_NOT_POSTGRES = "bench_pipeline: not a PostgreSQL URL: {url}"


# --- the throwaway database --------------------------------------------------------


def _admin_conninfo(server: str) -> str:
    """A libpq URI for the server's maintenance database (for CREATE/DROP)."""
    parts = urlsplit(server)
    dbname = parts.path.lstrip("/") or "postgres"
    return urlunsplit(("postgresql", parts.netloc, f"/{dbname}", parts.query, ""))


def _bench_url(server: str, name: str) -> str:
    """The server's URL with the throwaway database in place of its own."""
    parts = urlsplit(server)
    return urlunsplit(("postgres", parts.netloc, f"/{name}", parts.query, ""))


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


@contextmanager
def postgres_database(server: str, name: str) -> Iterator[str]:
    """Create database ``name`` on ``server``, yield its URL, drop it afterwards."""
    import psycopg
    from psycopg import sql

    admin = _admin_conninfo(server)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _bench_url(server, name)
    finally:
        # Django keeps connections open (CONN_MAX_AGE): close them first.
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )


@contextmanager
def sqlite_database(name: str) -> Iterator[str]:
    """A SQLite file in a temporary folder, removed afterwards."""
    folder = tempfile.mkdtemp(prefix=f"{name}-")
    try:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(folder, ignore_errors=True)


def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM unwinds like Ctrl-C, so the database is dropped."""
    raise SystemExit(128 + signum)


# --- measuring ---------------------------------------------------------------------


@dataclass
class Stage:
    name: str
    seconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    rows: int = 0
    detail: dict[str, Any] = field(default_factory=dict)
    query_kinds: Counter[str] = field(default_factory=Counter)
    # Time inside cursor.execute (round trip + server), by kind, last run.
    query_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def best(self) -> float:
        return min(self.seconds) if self.seconds else 0.0


_TABLE = re.compile(r'\s*"?(\w+)')
_FROM = re.compile(r'\bFROM\s+"?(\w+)')
_WRITES = ("INSERT INTO", "UPDATE", "DELETE FROM")


def _query_kind(sql: str) -> str:
    """``SELECT townships_record`` and the like, to spot per-row queries."""
    text = sql.lstrip()
    for verb in _WRITES:
        if text.startswith(verb):
            table = _TABLE.match(text, len(verb))
            return f"{verb} {table.group(1)}" if table else verb
    if "SAVEPOINT" in text[:25]:
        return text[: text.index("SAVEPOINT") + len("SAVEPOINT")]
    if text.startswith("SELECT"):
        table = _FROM.search(text)
        return f"SELECT {table.group(1)}" if table else "SELECT"
    return text.split(None, 1)[0] if text else "?"


class QueryTimer:
    """An execute wrapper adding up the time spent in the driver by kind (the
    debug cursor's own times are rounded to milliseconds)."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[_query_kind(sql)] += time.perf_counter() - started


class Bench:
    """Runs the pipeline stages, timing and counting each one."""

    def __init__(self, plan_dict: dict[str, Any], data: dict[str, Any]) -> None:
        self.plan_dict = plan_dict
        self.data = data
        self.stages = {name: Stage(name) for name in STAGES}
        self.profiles: dict[str, cProfile.Profile] = {}

    def _measure(
        self, name: str, action: Callable[[], Any], profile: bool = False
    ) -> Any:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        stage = self.stages[name]
        # The debug cursor keeps the last 9,000 queries; a per-row import runs
        # more, and CaptureQueriesContext would then under-count.
        if connection.queries_limit < QUERIES_LIMIT:
            connection.queries_limit = QUERIES_LIMIT
            connection.queries_log = deque(maxlen=QUERIES_LIMIT)
        profiler = cProfile.Profile() if profile else None
        timer = QueryTimer()
        with (
            CaptureQueriesContext(connection) as captured,
            connection.execute_wrapper(timer),
        ):
            started = time.perf_counter()
            result = action() if profiler is None else profiler.runcall(action)
            elapsed = time.perf_counter() - started
        if profiler is not None:
            self.profiles[name] = profiler
            return result
        stage.seconds.append(elapsed)
        stage.queries.append(len(captured.captured_queries))
        stage.query_kinds = Counter(
            _query_kind(q["sql"]) for q in captured.captured_queries
        )
        stage.query_seconds = dict(timer.seconds)
        return result

    def run_once(self, county_code: str, profile: bool = False) -> None:
        from assessment.models import TownshipResult
        from assessment.result_format import dump_result_json
        from assessment.services import (
            computation_request,
            computation_run,
            results_document,
        )
        from indicators.models import Indicator, Period
        from indicators.services import plan_publish
        from townships.models import County
        from townships.period_data import county_plan_import, period_data_import

        county = County.objects.create(code=county_code, name=f"基准县{county_code}")
        plan = self._measure(
            "plan import",
            lambda: county_plan_import(county=county, data=self.plan_dict),
            profile,
        )
        self.stages["plan import"].rows = (
            1
            + Indicator.objects.filter(plan=plan).count()
            + Period.objects.filter(plan=plan).count()
        )
        self._measure("plan publish", lambda: plan_publish(plan=plan), profile)
        self.stages["plan publish"].rows = 1
        for name in ("data import", "data re-import"):
            summary = self._measure(
                name,
                lambda: period_data_import(county=county, data=self.data),
                profile,
            )
            counts = {
                "townships": summary.townships,
                "participations": summary.townships,
                "records": summary.records,
                "targets": summary.targets,
                "events": summary.events,
                "awards": summary.awards,
                "exemptions": summary.exemptions,
            }
            self.stages[name].rows = sum(counts.values())
            self.stages[name].detail = counts

        def compute() -> Any:
            requested = computation_request(
                county=county,
                plan_code=PLAN_CODE,
                period_code=PERIOD,
                enqueue=False,
            )
            return computation_run(computation_uuid=str(requested.uuid))

        computation = self._measure("compute", compute, profile)
        if computation.status != "done":
            raise RuntimeError(f"computation failed: {computation.error}")
        result_set = computation.result_set
        written = TownshipResult.objects.filter(result_set=result_set).count()
        self.stages["compute"].rows = 1 + written
        self.stages["compute"].detail = {"township_results": written}

        def export() -> str:
            document = results_document(
                county=county, plan_code=PLAN_CODE, period_code=PERIOD
            )
            return dump_result_json(document)

        text = self._measure("export", export, profile)
        self.stages["export"].rows = written
        self.stages["export"].detail = {"bytes": len(text.encode())}


def _peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _machine() -> dict[str, Any]:
    memory = 0
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        memory = pages * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def _server_version() -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


# --- reporting ---------------------------------------------------------------------


def report(bench: Bench, figures: dict[str, Any]) -> str:
    lines = [
        f"{figures['townships']} townships × {figures['leaves']} items, "
        f"{figures['database']}, best of {figures['repeat']}",
        "",
        f"{'stage':<15} {'best s':>8}  {'runs s':<20} {'queries':>8} "
        f"{'in SQL s':>8} {'rows':>7}",
    ]
    total = 0.0
    for stage in bench.stages.values():
        runs = " ".join(f"{s:.2f}" for s in stage.seconds)
        queries = stage.queries[-1] if stage.queries else 0
        in_sql = sum(stage.query_seconds.values())
        lines.append(
            f"{stage.name:<15} {stage.best:>8.3f}  {runs:<20} {queries:>8,} "
            f"{in_sql:>8.3f} {stage.rows:>7,}"
        )
        total += stage.best
    lines.append(f"{'total':<15} {total:>8.3f}")
    lines.append("")
    lines.append("in SQL: time inside cursor.execute (round trips), last run")
    lines.append(f"migrate (setup)  {figures['migrate_s']:.2f} s")
    lines.append(f"peak RSS         {figures['peak_rss_bytes'] / 2**20:,.0f} MiB")
    busy = [s for s in bench.stages.values() if s.queries and s.queries[-1] > 50]
    if busy:
        lines.append("")
        lines.append("queries by kind (stages over 50 queries, last run):")
        for stage in busy:
            lines.append(f"  {stage.name}:")
            for kind, n in stage.query_kinds.most_common(6):
                seconds = stage.query_seconds.get(kind, 0.0)
                lines.append(f"    {kind:<34} ×{n:>7,}  {seconds:>7.2f} s")
    return "\n".join(lines)


def profile_report(bench: Bench, top: int) -> str:
    out = io.StringIO()
    for name, profiler in bench.profiles.items():
        path = OUT_DIR / f"pipeline-{name.replace(' ', '-')}.prof"
        profiler.dump_stats(path)
        out.write(f"\n=== cProfile: {name} ({path.name}) ===\n")
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def figures_of(bench: Bench, **meta: Any) -> dict[str, Any]:
    return {
        **meta,
        "peak_rss_bytes": _peak_rss_bytes(),
        "stages": {
            stage.name: {
                "best_s": round(stage.best, 4),
                "runs_s": [round(s, 4) for s in stage.seconds],
                "queries": stage.queries[-1] if stage.queries else 0,
                "rows": stage.rows,
                **stage.detail,
                "query_s": round(sum(stage.query_seconds.values()), 3),
                "query_kinds": dict(stage.query_kinds.most_common()),
                "query_kinds_s": {
                    kind: round(stage.query_seconds.get(kind, 0.0), 4)
                    for kind, _ in stage.query_kinds.most_common()
                },
            }
            for stage in bench.stages.values()
        },
    }


# --- main --------------------------------------------------------------------------


def run(args: argparse.Namespace, url: str) -> int:
    # Settings read DATABASE_URL once, at setup: it must point at the
    # throwaway database before anything imports django.conf.settings.
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assessment.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - started

    plan_dict, data = generate(
        counties=1,
        townships_per_county=args.townships,
        leaves=args.leaves,
        seed=args.seed,
    )
    bench = Bench(plan_dict, data[0])
    for i in range(args.repeat):
        bench.run_once(f"bench{i:02}")
        print(f"run {i + 1}/{args.repeat} done", file=sys.stderr)
    if args.profile:
        bench.run_once("benchprof", profile=True)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    figures = figures_of(
        bench,
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        machine=_machine(),
        database=_server_version(),
        database_name=connection.settings_dict["NAME"],
        townships=args.townships,
        leaves=args.leaves,
        seed=args.seed,
        repeat=args.repeat,
        migrate_s=round(migrate_s, 3),
    )
    print(report(bench, figures))
    if args.profile:
        print(profile_report(bench, args.profile_top))
    path = OUT_DIR / ("pipeline-sqlite.json" if args.sqlite else "pipeline.json")
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
    print(f"\nfigures written to {os.path.relpath(path)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark plan import → data import → compute → export "
        "for one county on a throwaway database."
    )
    parser.add_argument("--townships", type=int, default=40)
    parser.add_argument("--leaves", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs; best is kept")
    parser.add_argument("--quick", action="store_true", help="one run only")
    parser.add_argument(
        "--server",
        default=os.environ.get("DATABASE_URL") or DEFAULT_SERVER,
        help="PostgreSQL server URL (default: $DATABASE_URL, else %(default)s); "
        "only the server is used, the benchmark makes its own database",
    )
    parser.add_argument(
        "--sqlite", action="store_true", help="use a temporary SQLite file instead"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="one more run under cProfile; stats to bench/out/pipeline-*.prof",
    )
    parser.add_argument("--profile-top", type=int, default=15)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = 1
    args.repeat = max(1, args.repeat)

    name = f"bench_pipeline_{os.getpid()}"
    if args.sqlite:
        database = sqlite_database(name)
    else:
        scheme = urlsplit(args.server).scheme
        if scheme.startswith("sqlite"):
            message = MSG_SQLITE.format(url=args.server, default=DEFAULT_SERVER)
            print(message, file=sys.stderr)
            return 2
        if scheme not in POSTGRES_SCHEMES:
            print(MSG_NOT_POSTGRES.format(url=_redact(args.server)), file=sys.stderr)
            return 2
        database = postgres_database(args.server, name)
    signal.signal(signal.SIGTERM, _terminate)
    with database as url:
        print(f"throwaway database: {_redact(url)}", file=sys.stderr)
        return run(args, url)


if __name__ == "__main__":
    raise SystemExit(main())
