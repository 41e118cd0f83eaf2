"""Reads of the ledger for views, the readiness banner, the dashboard and reports.

All amounts are `Decimal` in US dollars to the cent. Cash held in another currency is
valued at the latest `ExchangeRate` for that currency on or before the day asked about
(for `readiness()`, today); a currency with no rate entered yet is left out (counted as
nothing) until the treasurer enters one, which errs on the side of raising money.
Donations and expenses are valued at the rate stored on their entry, never recomputed.
"""

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from cases.selectors import with_referable
from funds.models import (
    AccountBalance,
    AccountKind,
    Band,
    Category,
    Commitment,
    CommitmentStatus,
    EntryKind,
    ExchangeRate,
    FundCode,
    FundPolicy,
    JournalEntry,
    Posting,
)
from funds.money import CENT, Currency, to_usd

if TYPE_CHECKING:
    from rescue.roles import Actor

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=18, decimal_places=4)


@dataclass(frozen=True)
class Readiness:
    """Whether the rescue reserve can answer the next request, in USD."""

    cash: Decimal
    committed: Decimal
    available: Decimal
    minimum: Decimal
    target: Decimal
    band: str
    shortfall_to_target: Decimal
    rescues_fundable_now: int


def band_for(available: Decimal, *, minimum: Decimal, target: Decimal) -> str:
    if available < minimum:
        return Band.RED
    if available < target:
        return Band.AMBER
    return Band.GREEN


def _rates_by_currency(rows) -> dict[str, list[tuple[date, Decimal]]]:
    rates: dict[str, list[tuple[date, Decimal]]] = {}
    for currency, on, rate in rows:
        rates.setdefault(currency, []).append((on, rate))
    return rates


def _rate_on(rates: dict[str, list[tuple[date, Decimal]]], currency: str, day: date):
    if currency == Currency.USD:
        return Decimal(1)
    found = None
    for on, rate in rates.get(currency, ()):  # ascending by date
        if on > day:
            break
        found = rate
    return found


def _value_usd(amounts: dict[str, Decimal], rates, day: date) -> Decimal:
    total = ZERO
    for currency, amount in amounts.items():
        rate = _rate_on(rates, currency, day)
        if rate is not None:
            total += to_usd(amount, rate)
    return total


def unvalued_currencies(day: date | None = None) -> list[str]:
    """Currencies the reserve holds cash in that have no rate on or before `day`."""
    day = day or timezone.localdate()
    held = set(
        AccountBalance.objects.filter(
            account__fund__code=FundCode.RESCUE, account__kind=AccountKind.CASH
        )
        .exclude(balance=0)
        .exclude(account__currency=Currency.USD)
        .values_list("account__currency", flat=True)
    )
    rated = set(ExchangeRate.objects.filter(on__lte=day).values_list("currency", flat=True))
    return sorted(held - rated)


def open_commitments() -> QuerySet:
    """Open commitments with `drawn_usd` (expenses on the case) and `remaining_usd`."""
    drawn = (
        JournalEntry.objects.filter(
            case=OuterRef("case"), kind=EntryKind.EXPENSE, fund__code=FundCode.RESCUE
        )
        .order_by()
        .values("case")
        .annotate(total=Sum("amount_usd"))
        .values("total")
    )
    return (
        Commitment.objects.filter(status=CommitmentStatus.OPEN)
        .select_related("case")
        .annotate(drawn_usd=Coalesce(Subquery(drawn, output_field=_MONEY), Value(ZERO)))
        .annotate(
            remaining_usd=Greatest(
                F("amount_usd") - F("drawn_usd"), Value(ZERO), output_field=_MONEY
            )
        )
        .order_by("created_at", "id")
    )


def readiness(*, today: date | None = None) -> Readiness:
    """The rescue reserve now, in four queries: policy, cash balances, rates, commitments."""
    today = today or timezone.localdate()
    policy = FundPolicy.load()
    balances = dict(
        AccountBalance.objects.filter(
            account__fund__code=FundCode.RESCUE, account__kind=AccountKind.CASH
        ).values_list("account__currency", "balance")
    )
    latest = ExchangeRate.objects.filter(currency=OuterRef("currency"), on__lte=today).order_by(
        "-on"
    )
    rates = _rates_by_currency(
        ExchangeRate.objects.filter(on=Subquery(latest.values("on")[:1])).values_list(
            "currency", "on", "usd_per_unit"
        )
    )
    cash = _value_usd(balances, rates, today)
    committed = open_commitments().aggregate(total=Sum("remaining_usd"))["total"] or ZERO
    committed = committed.quantize(CENT)
    available = cash - committed
    minimum, target = policy.minimum_usd, policy.target_usd
    headroom = available - minimum
    return Readiness(
        cash=cash.quantize(CENT),
        committed=committed,
        available=available.quantize(CENT),
        minimum=minimum.quantize(CENT),
        target=target.quantize(CENT),
        band=str(band_for(available, minimum=minimum, target=target)),
        shortfall_to_target=max(target - available, ZERO).quantize(CENT),
        rescues_fundable_now=int(headroom // policy.standard_estimate_usd) if headroom > 0 else 0,
    )


def _reserve_cash_usd_at(days: list[date]) -> list[Decimal]:
    """Rescue-reserve cash at the end of each day, in one query for postings and one for rates."""
    last = max(days)
    sums = {
        f"d{i}": Coalesce(
            Sum(Case(When(occurred_on__lte=day, then=F("amount")), output_field=_MONEY)),
            Value(Decimal(0)),
            output_field=_MONEY,
        )
        for i, day in enumerate(days)
    }
    rows = (
        Posting.objects.filter(
            account__fund__code=FundCode.RESCUE,
            account__kind=AccountKind.CASH,
            occurred_on__lte=last,
        )
        .order_by()
        .values("currency")
        .annotate(**sums)
        .values_list("currency", *sums)
    )
    per_day: list[dict[str, Decimal]] = [{} for _ in days]
    for currency, *amounts in rows:
        for i, amount in enumerate(amounts):
            per_day[i][currency] = amount
    rates = _rates_by_currency(
        ExchangeRate.objects.filter(on__lte=last)
        .order_by("on")
        .values_list("currency", "on", "usd_per_unit")
    )
    return [_value_usd(amounts, rates, day) for amounts, day in zip(per_day, days, strict=True)]


def reserve_cash_usd_on(day: date) -> Decimal:
    """Rescue-reserve cash at the end of `day`, each currency at its latest rate by then."""
    return _reserve_cash_usd_at([day])[0]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _end_of(day: date) -> datetime:
    """The first instant after `day` ends, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _committed_usd_at(days: list[date]) -> list[Decimal]:
    """What open commitments still set aside at the end of each day, in one query.

    As `open_commitments()` counts it, but as of each day: a commitment created by the end
    of the day and not released by then, less the rescue-reserve expenses on its case
    dated up to that day, never below zero.

    The query reads only the commitments open at some point in the window, each with its
    case's rescue expenses summed per day; the days are added up here. (A correlated
    subquery per commitment and day made PostgreSQL plan, and JIT-compile, a query costed
    in the millions at a million postings.)
    """
    ends = [_end_of(day) for day in days]
    expenses = Q(
        case__fund_entries__kind=EntryKind.EXPENSE,
        case__fund_entries__fund__code=FundCode.RESCUE,
        case__fund_entries__occurred_on__lte=max(days),
    )
    rows = (
        Commitment.objects.filter(created_at__lt=max(ends))
        .filter(Q(released_at__isnull=True) | Q(released_at__gte=min(ends)))
        .order_by()
        .values("id", "amount_usd", "created_at", "released_at", "case__fund_entries__occurred_on")
        .annotate(spent=Sum("case__fund_entries__amount_usd", filter=expenses))
    )
    commitments: dict[int, tuple[Decimal, datetime, datetime | None]] = {}
    spent_on: dict[int, list[tuple[date, Decimal]]] = {}
    for row in rows:
        commitments[row["id"]] = (row["amount_usd"], row["created_at"], row["released_at"])
        if row["spent"] is not None:
            spent_on.setdefault(row["id"], []).append(
                (row["case__fund_entries__occurred_on"], row["spent"])
            )
    totals = []
    for day, end in zip(days, ends, strict=True):
        total = ZERO
        for pk, (amount, created_at, released_at) in commitments.items():
            if created_at >= end or (released_at is not None and released_at < end):
                continue
            drawn = sum((spent for on, spent in spent_on.get(pk, ()) if on <= day), ZERO)
            total += max(amount - drawn, ZERO)
        totals.append(total)
    return totals


class ReservePoint(NamedTuple):
    """The rescue reserve at the end of one day: its cash, and what is available of it."""

    day: date
    cash: Decimal
    available: Decimal


def reserve_series(*, months: int = 12, today: date | None = None) -> list[ReservePoint]:
    """The reserve at each of the last `months` month ends; the current month ends today.

    Cash, and available (cash less what open commitments still set aside, as `readiness()`
    counts it), in three queries: postings, rates, commitments.
    """
    today = today or timezone.localdate()
    days = []
    for back in range(months - 1, -1, -1):
        index = today.year * 12 + today.month - 1 - back
        days.append(min(_month_end(index // 12, index % 12 + 1), today))
    return [
        ReservePoint(day, cash.quantize(CENT), (cash - committed.quantize(CENT)).quantize(CENT))
        for day, cash, committed in zip(
            days, _reserve_cash_usd_at(days), _committed_usd_at(days), strict=True
        )
    ]


def donations_usd(start: date, end: date) -> Decimal:
    """Donations to any fund dated `start` to `end` inclusive, net of reversals."""
    total = JournalEntry.objects.filter(
        kind=EntryKind.DONATION, occurred_on__gte=start, occurred_on__lte=end
    ).aggregate(total=Sum("amount_usd"))["total"]
    return (total or ZERO).quantize(CENT)


def rescue_spending_usd_by_category(start: date, end: date) -> dict[str, Decimal]:
    """Rescue-reserve expenses dated `start` to `end` inclusive, net of reversals, by category.

    Every category code is present, with 0.00 where nothing was spent.
    """
    spent = dict.fromkeys(Category.values, ZERO)
    rows = (
        JournalEntry.objects.filter(
            kind=EntryKind.EXPENSE,
            fund__code=FundCode.RESCUE,
            occurred_on__gte=start,
            occurred_on__lte=end,
        )
        .order_by()
        .values("category")
        .annotate(total=Sum("amount_usd"))
    )
    for row in rows:
        spent[row["category"]] = row["total"].quantize(CENT)
    return spent


def latest_entries(limit: int) -> QuerySet:
    """The most recently recorded entries, newest first."""
    return JournalEntry.objects.select_related("fund", "to_fund", "case", "reverses").order_by(
        "-id"
    )[:limit]


def rate_for(currency: str, day: date) -> Decimal | None:
    """The latest rate for `currency` on or before `day` (1 for USD), or None."""
    if currency == Currency.USD:
        return Decimal(1)
    return (
        ExchangeRate.objects.filter(currency=currency, on__lte=day)
        .order_by("-on")
        .values_list("usd_per_unit", flat=True)
        .first()
    )


# The ledger's filters (funds.forms.LedgerFilterForm's fields) and the lookup each sets.
LEDGER_FILTERS = {
    "fund": "account__fund__code",
    "account": "account",
    "case": "entry__case",
    "category": "entry__category",
    "date_from": "occurred_on__gte",
    "date_to": "occurred_on__lte",
}
LEDGER_CSV_HEADER = [
    "entry", "date", "kind", "reverses", "fund", "account", "category", "currency",
    "amount", "usd_rate", "amount_usd", "balance_after", "case_ref", "payee", "memo",
    "reason",
]  # fmt: skip


def ledger_postings(*, user: "Actor", filters: dict[str, Any] | None) -> QuerySet[Posting]:
    """The postings of the ledger, newest entry first, narrowed by the filters (None: the
    filters did not validate, so nothing), each with its entry, case and account and with
    `referable` (whether the user may see its case's reference). One query a page."""
    postings = with_referable(
        Posting.objects.select_related(
            "entry", "entry__case", "entry__reverses", "account", "account__fund"
        ).order_by("-entry_id", "id"),
        user,
        case="entry__case",
    )
    if filters is None:
        return postings.none()
    return postings.filter(
        **{lookup: filters[name] for name, lookup in LEDGER_FILTERS.items() if filters.get(name)}
    )


def ledger_csv_rows(postings: QuerySet[Posting]) -> Iterator[list]:
    """The postings as rows under LEDGER_CSV_HEADER, read in chunks (memory stays flat)."""
    for posting in postings.iterator(chunk_size=2000):
        entry = posting.entry
        yield [
            entry.pk,
            posting.occurred_on.isoformat(),
            entry.kind,
            entry.reverses_id or "",
            posting.account.fund.code,
            posting.account.kind,
            posting.account.category,
            posting.currency,
            posting.amount,
            entry.usd_rate,
            posting.amount_usd,
            posting.balance_after,
            _case_label(posting),
            entry.payee,
            entry.memo,
            entry.reason,
        ]


def _case_label(posting: Any) -> str:
    """The case's reference where the user may see it, else "restricted" (`posting` is a
    Posting annotated by `with_referable`)."""
    if posting.entry.case is None:
        return ""
    return posting.entry.case.reference if posting.referable else "restricted"
