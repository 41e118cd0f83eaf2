"""`make bench`: build (or reuse) the benchmark database, then time pages, exports, commands.

    BENCH_SCALE=1 make bench          # 100,000 cases, 1,000,000 postings (built once)
    BENCH_SCALE=0.02 make bench       # under a minute
    make bench-smoke                  # CI: two small scales, fails on errors or on query
                                      # counts that grow with the data

The database is PostgreSQL, `rescue_bench_<scale>` on DATABASE_URL's server unless
BENCH_DATABASE_URL names another; a database built once is reused (only migrated).
Results: a table on standard output and JSON in `bench-results/`.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARK = "rescue bench v1"


def _database_url(scale: float) -> str:
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    name = "rescue_bench_" + f"{scale:g}".replace(".", "_")
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def _ensure_database(url: str, scale: float) -> bool:
    """Create the database if missing; drop one whose build never finished. True if built."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row and row[0] == _marker(scale):
            return True
        if row:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


def _marker(scale: float) -> str:
    return f"{MARK} scale={scale:g}"


def _mark_built(scale: float) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f'COMMENT ON DATABASE "{connection.settings_dict["NAME"]}" IS %s', [_marker(scale)]
        )


def _setup(scale: float) -> bool:
    url = _database_url(scale)
    built = _ensure_database(url, scale)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return built


def _print_table(rows: list[dict], out) -> None:
    out.write(
        f"\n{'page / command':<48} {'role':<12} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'queries':>8} {'SQL ms':>8}\n"
    )
    out.write("-" * 96 + "\n")
    for row in rows:
        extra = "  " + json.dumps(row["extra"]) if row.get("extra") else ""
        out.write(
            f"{row['what'][:48]:<48} {row['role']:<12} {row['p50_ms']:>8} {row['p95_ms']:>8} "
            f"{row['queries']:>8} {row['sql_ms']:>8}{extra}\n"
        )


def run(scale: float, *, runs: int, command_runs: int, out) -> dict:
    already_built = _setup(scale)
    from django.core.management import call_command

    from tests.bench import build, measure

    call_command("migrate", verbosity=0)
    built = None
    if not already_built:
        started = time.perf_counter()
        out.write(f"Building the benchmark database at scale {scale:g} (seed {build.SEED})\n")
        built = build.build(scale, stdout=out)
        _mark_built(scale)
        out.write(f"Built in {time.perf_counter() - started:.0f} s: {built}\n")
    else:
        out.write(f"Reusing the benchmark database at scale {scale:g}\n")
    # The database rules held: stored balances equal the postings' sums.
    call_command("recompute_balances", stdout=out)

    pages = measure.measure_pages(runs=runs)
    exports = measure.measure_exports()
    commands = measure.measure_commands(runs=command_runs)
    rows = measure.as_rows(pages + exports + commands)
    _print_table(rows, out)
    result = {
        "scale": scale,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "runs": runs,
        "rows": rows,
    }
    folder = ROOT / "bench-results"
    folder.mkdir(exist_ok=True)
    path = folder / f"bench-scale-{scale:g}.json"
    path.write_text(json.dumps(result, indent=2))
    out.write(f"\nWrote {path.relative_to(ROOT)}\n")
    return result


def _query_counts(result: dict) -> dict[tuple[str, str], int]:
    return {(r["what"], r["role"]): r["queries"] for r in result["rows"] if r["role"] != "process"}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench")
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1")))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "20")))
    parser.add_argument(
        "--command-runs", type=int, default=int(os.environ.get("BENCH_COMMAND_RUNS", "5"))
    )
    parser.add_argument(
        "--compare",
        type=float,
        metavar="SMALLER_SCALE",
        help="Also run at this smaller scale (in a child process) and fail if any page's "
        "query count differs between the two scales.",
    )
    args = parser.parse_args()
    if args.compare is not None:
        import subprocess

        subprocess.run(  # noqa: S603 - this module, fixed arguments
            [
                sys.executable,
                "-m",
                "tests.bench",
                "--scale",
                str(args.compare),
                "--runs",
                str(args.runs),
                "--command-runs",
                str(args.command_runs),
            ],
            check=True,
            cwd=ROOT,
        )
    result = run(args.scale, runs=args.runs, command_runs=args.command_runs, out=sys.stdout)
    failures = [
        f"{r['what']} ({r['role']}): status {r['status']}"
        for r in result["rows"]
        if r["role"] != "process" and r["status"] != 200
    ]
    if args.compare is not None:
        smaller = json.loads(
            (ROOT / "bench-results" / f"bench-scale-{args.compare:g}.json").read_text()
        )
        small_counts, large_counts = _query_counts(smaller), _query_counts(result)
        for key, count in large_counts.items():
            if (
                key in small_counts
                and small_counts[key] != count
                and not key[0].startswith(("case export", "ledger CSV"))
            ):
                failures.append(
                    f"{key[0]} ({key[1]}): {small_counts[key]} queries at scale "
                    f"{args.compare:g}, {count} at {args.scale:g}"
                )
    if failures:
        sys.stdout.write("\nFAILED:\n" + "\n".join(failures) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
