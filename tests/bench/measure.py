"""Time every page each role reaches, the commands and the streaming exports."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cases.models import Case, Person
from funds.models import JournalEntry
from tests.bench.build import PERSONAS, get_user
from tests.bench.urls import REFERENCE_URL
from tests.signin import sign_in_verified

ROOT = Path(__file__).resolve().parents[2]
WARMUP = 3


@dataclass
class Timing:
    what: str
    role: str
    p50_ms: float
    p95_ms: float
    queries: int
    sql_ms: float
    status: int
    extra: dict = field(default_factory=dict)


class _SQLTimer:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


@contextmanager
def _sql_timer():
    timer = _SQLTimer()
    with connection.execute_wrapper(timer):
        yield timer


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _consume(response) -> None:
    if getattr(response, "streaming", False):
        for _ in response.streaming_content:
            pass


def time_page(client: Client, url: str, role: str, *, runs: int, what: str | None = None) -> Timing:
    for _ in range(WARMUP):
        _consume(client.get(url))
    durations, last = [], None
    for _ in range(runs):
        with _sql_timer() as timer:
            start = time.perf_counter()
            response = client.get(url)
            _consume(response)
            durations.append((time.perf_counter() - start) * 1000)
        last = (response.status_code, timer.count, timer.seconds * 1000)
    status, queries, sql_ms = last
    return Timing(
        what=what or url,
        role=role,
        p50_ms=round(statistics.median(durations), 1),
        p95_ms=round(_percentile(durations, 0.95), 1),
        queries=queries,
        sql_ms=round(sql_ms, 1),
        status=status,
    )


def _plain_urls() -> list[str]:
    """Every URL pattern that takes no argument, as a path."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if "<" in route or "(?P" in route:
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    skip = ("/accounts/", "/healthz", "/static/", f"/{settings.ADMIN_URL}", f"/{REFERENCE_URL}")
    downloads = (".csv", ".xlsx", ".json")
    return [u for u in found if not u.startswith(skip) and not u.endswith(downloads)]


def _detail_urls(role: str) -> list[tuple[str, str]]:
    """Pages about one object, with real ids from the benchmark's data."""
    user = get_user(role)
    urls = []
    case = (
        Case.objects.visible_to(user).filter(closed_at__isnull=True).order_by("reference").first()
    )
    if case is not None:
        urls.append(("case detail", f"/cases/{case.pk}/"))
        person = Person.objects.filter(case=case).order_by("created_at").first()
        if person is not None:
            urls.append(("person edit", f"/cases/{case.pk}/people/{person.pk}/"))
        urls.append(("case history", f"/audit/cases/{case.pk}/history/"))
    # The newest donation that was not reversed: the same kind of page at every scale.
    entry = (
        JournalEntry.objects.filter(kind="donation", reverses__isnull=True, reversal__isnull=True)
        .order_by("-id")
        .first()
    )
    if entry is not None:
        urls.append(("ledger entry", f"/funds/entries/{entry.pk}/"))
    return urls


def _deep_pages(role: str) -> list[tuple[str, str]]:
    year = date.today().year - 1
    return [
        ("case list, sorted by received", "/cases/?sort=received"),
        ("case list, last page", "/cases/?page=last"),
        ("ledger, last page", "/funds/?page=last"),
        ("access log, last page", "/audit/access-log/?page=last"),
        ("annual report, one year", f"/reports/annual/?year={year}"),
    ]


def measure_pages(*, runs: int) -> list[Timing]:
    results = []
    for role in PERSONAS:
        client = Client()
        sign_in_verified(client, get_user(role))
        candidates = [(url, url) for url in _plain_urls()]
        candidates += [(url, what) for what, url in _detail_urls(role)]
        candidates += [(url, what) for what, url in _deep_pages(role)]
        seen = set()
        for url, what in candidates:
            if url in seen:
                continue
            seen.add(url)
            probe = client.get(url)
            _consume(probe)
            if probe.status_code != 200 or "text/html" not in probe.get("Content-Type", ""):
                continue
            results.append(time_page(client, url, role, runs=runs, what=what))
        if role == "admin":
            results.append(
                time_page(
                    client,
                    f"/{REFERENCE_URL}cases/case/",
                    role,
                    runs=runs,
                    what="stock admin changelist (reference)",
                )
            )
    return results


def _peak_rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _reset_peak_rss() -> None:
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def measure_exports() -> list[Timing]:
    results = []
    client = Client()
    sign_in_verified(client, get_user("coordinator"))
    for what, url in [
        ("case export CSV", "/reports/cases.csv"),
        ("case export XLSX", "/reports/cases.xlsx"),
        ("ledger CSV", "/funds/ledger.csv"),
    ]:
        if what == "ledger CSV":
            client = Client()
            sign_in_verified(client, get_user("treasurer"))
        _reset_peak_rss()
        before = _peak_rss_kb()
        with _sql_timer() as timer:
            start = time.perf_counter()
            response = client.get(url)
            size = 0
            if getattr(response, "streaming", False):
                for chunk in response.streaming_content:
                    size += len(chunk)
            else:
                size = len(response.content)
            seconds = time.perf_counter() - start
        growth_mb = (_peak_rss_kb() - before) / 1024
        ms = round(seconds * 1000, 1)
        results.append(
            Timing(
                what=what,
                role="treasurer" if what == "ledger CSV" else "coordinator",
                p50_ms=ms,
                p95_ms=ms,
                queries=timer.count,
                sql_ms=round(timer.seconds * 1000, 1),
                status=response.status_code,
                extra={"bytes": size, "peak_rss_growth_mb": round(growth_mb, 1)},
            )
        )
    return results


def _time_process(args: list[str], *, runs: int) -> tuple[float, float]:
    env = {**os.environ}
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, str(ROOT / "manage.py"), *args],
            check=True,
            capture_output=True,
            env=env,
            cwd=ROOT,
        )
        durations.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(durations), 1), round(_percentile(durations, 0.95), 1)


def measure_commands(*, runs: int) -> list[Timing]:
    year = date.today().year - 1
    results = []
    for what, args in [
        ("manage.py check (baseline)", ["check"]),
        ("fund_status --json", ["fund_status", "--json"]),
        (f"annual_report --year {year} --json", ["annual_report", "--year", str(year), "--json"]),
    ]:
        p50, p95 = _time_process(args, runs=runs)
        results.append(
            Timing(what=what, role="process", p50_ms=p50, p95_ms=p95, queries=0, sql_ms=0, status=0)
        )
    return results


def as_rows(timings: list[Timing]) -> list[dict]:
    return [asdict(t) for t in timings]
