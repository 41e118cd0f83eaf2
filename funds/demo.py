"""Fictional ledger for `make run`: donations in several currencies, 2025 rescue costs, and
commitments on 2026 operations, leaving the reserve amber. Safe to run twice.

Every entry carries an `import_key` of the form `demo:<name>`, so a second run skips what
the first wrote. Cases are found, never named: the 2025 rescues are the cases with a
person the NGO rescued itself in 2025, the 2026 operations the approved and in-transit
cases received in 2026; without cases, the case-linked expenses are left out.
"""

from datetime import date
from decimal import Decimal as D

from django.db.models import Q

from cases.models import Case, Outcome, Stage
from funds import services
from funds.models import (
    Category,
    Commitment,
    CommitmentStatus,
    ExchangeRate,
    JournalEntry,
    PayeeKind,
)
from funds.selectors import readiness

RATES = [
    # currency, date, USD per unit
    ("JPY", date(2025, 1, 1), D("0.0064")),
    ("JPY", date(2025, 7, 1), D("0.0068")),
    ("JPY", date(2026, 1, 1), D("0.0066")),
    ("JPY", date(2026, 10, 1), D("0.0067")),
    ("KRW", date(2025, 1, 1), D("0.00072")),
    ("KRW", date(2025, 7, 1), D("0.00071")),
    ("KRW", date(2026, 1, 1), D("0.00069")),
    ("KRW", date(2026, 10, 1), D("0.00070")),
    ("EUR", date(2025, 1, 1), D("1.04")),
    ("EUR", date(2025, 7, 1), D("1.08")),
    ("EUR", date(2026, 1, 1), D("1.10")),
    ("CNY", date(2025, 1, 1), D("0.14")),
]

# name, date, fund, currency, amount, memo
DONATIONS = [
    ("d2501", date(2025, 1, 20), "rescue", "JPY", D("1500000"), "Church network, Osaka"),
    ("d2502", date(2025, 2, 1), "general", "JPY", D("800000"), "Annual members' dues"),
    ("d2503", date(2025, 3, 15), "rescue", "KRW", D("5000000"), "Seoul supporters' evening"),
    ("d2504", date(2025, 5, 10), "rescue", "USD", D("4000.00"), "Foundation grant"),
    ("d2505", date(2025, 8, 5), "rescue", "JPY", D("1000000"), "Summer appeal"),
    ("d2506", date(2025, 10, 12), "rescue", "EUR", D("2500.00"), "Berlin student group"),
    ("d2507", date(2025, 12, 1), "rescue", "KRW", D("4000000"), "Year-end appeal"),
    ("d2601", date(2026, 1, 15), "rescue", "JPY", D("600000"), "New-year appeal"),
    ("d2602", date(2026, 2, 1), "general", "USD", D("3000.00"), "Office costs grant"),
    ("d2603", date(2026, 3, 20), "rescue", "KRW", D("500000"), "Spring appeal"),
    ("d2604", date(2026, 9, 5), "rescue", "EUR", D("1500.00"), "Berlin student group"),
]

# name, date, currency sold, amount sold, currency bought, amount bought
EXCHANGES = [
    ("x2501", date(2025, 2, 3), "JPY", D("1500000"), "USD", D("9580.00")),
    ("x2502", date(2025, 3, 20), "KRW", D("5000000"), "USD", D("3580.00")),
    ("x2503", date(2025, 4, 2), "USD", D("2900.00"), "CNY", D("20500.00")),
    ("x2504", date(2025, 8, 8), "JPY", D("1000000"), "USD", D("6770.00")),
    ("x2505", date(2025, 10, 15), "EUR", D("2500.00"), "USD", D("2690.00")),
]

# Paid for each 2025 rescue: category, currency, amount, who was paid (a code, never a
# name or a place).
RESCUE_COSTS = [
    (Category.BROKER_FEE, "USD", D("1100.00"), PayeeKind.BROKER),
    (Category.TRANSPORT, "CNY", D("2500.00"), PayeeKind.DRIVER),
    (Category.RIVER_CROSSING, "USD", D("400.00"), PayeeKind.BOATMAN),
    (Category.SHELTER, "USD", D("250.00"), PayeeKind.SHELTER),
    (Category.MEDICAL, "USD", D("100.00"), PayeeKind.MEDICAL),
    (Category.DOCUMENTS_FLIGHTS, "USD", D("500.00"), PayeeKind.TRAVEL),
]
SURVEILLANCE_COST = (Category.SURVEILLANCE_EVASION, "USD", D("800.00"), PayeeKind.GUIDE)


def _once(name: str, write) -> None:
    key = f"demo:{name}"
    if not JournalEntry.objects.filter(import_key=key).exists():
        write(key)


def _rescued_in_2025(treasurer) -> list[Case]:
    rescued = Q(
        people__outcome=Outcome.RESCUED,
        people__outcome_partner__isnull=True,
        people__outcome_on__year=2025,
    )
    return list(
        Case.objects.referable_by(treasurer).filter(rescued).distinct().order_by("reference")
    )


def _operations_2026(treasurer) -> list[Case]:
    return list(
        Case.objects.referable_by(treasurer)
        .filter(
            received_on__year=2026,
            stage__in=[Stage.APPROVED, Stage.IN_TRANSIT],
            closed_at__isnull=True,
        )
        .order_by("reference")
    )


def _post(name: str, write, **fields) -> None:
    key = f"demo:{name}"
    if not JournalEntry.objects.filter(import_key=key).exists():
        write(import_key=key, **fields)


def load(*, users, stdout) -> None:
    treasurer = users["treasurer"]
    for currency, on, rate in RATES:
        if not ExchangeRate.objects.filter(currency=currency, on=on).exists():
            services.rate_record(by=treasurer, currency=currency, on=on, usd_per_unit=rate)

    for name, on, fund, currency, amount, memo in DONATIONS:
        _post(
            name,
            services.donation_record,
            by=treasurer,
            fund=fund,
            occurred_on=on,
            currency=currency,
            amount=amount,
            memo=memo,
        )
    for name, on, sold, sold_amount, bought, bought_amount in EXCHANGES:
        _post(
            name,
            services.exchange_record,
            by=treasurer,
            fund="rescue",
            occurred_on=on,
            sell_currency=sold,
            sell_amount=sold_amount,
            buy_currency=bought,
            buy_amount=bought_amount,
            memo="Bank exchange",
        )
    _post(
        "t2601",
        services.transfer_record,
        by=treasurer,
        from_fund="general",
        to_fund="rescue",
        occurred_on=date(2026, 7, 1),
        currency="USD",
        amount=D("1000.00"),
        memo="Board decision: top up the reserve",
    )

    rescued = _rescued_in_2025(treasurer)
    for number, case in enumerate(rescued):
        paid_on = date(2025, 2 + number % 10, 10)
        costs = list(RESCUE_COSTS)
        if number % 3 == 1:
            costs.append(SURVEILLANCE_COST)
        for index, (category, currency, amount, payee_kind) in enumerate(costs):
            _post(
                f"e2025-{number}-{index}",
                services.expense_record,
                by=treasurer,
                fund="rescue",
                occurred_on=paid_on.replace(day=10 + 2 * index),
                currency=currency,
                amount=amount,
                category=category,
                payee_kind=payee_kind,
                case=case,
            )

    for number, case in enumerate(_operations_2026(treasurer)):
        if not Commitment.objects.filter(case=case, status=CommitmentStatus.OPEN).exists():
            estimate = services.commitment_estimate(case)
            # The demo never needs the treasurer's override: it stops above the minimum.
            state = readiness()
            if state.available - estimate < state.minimum:
                continue
            if case.stage == Stage.APPROVED:
                services.commitment_create(case=case, by=treasurer)
            else:
                # Committed while the case was approved; it has moved on since.
                Commitment.objects.create(case=case, amount_usd=estimate, created_by=treasurer)
        committed = Commitment.objects.filter(case=case, status=CommitmentStatus.OPEN).exists()
        if committed and case.stage == Stage.IN_TRANSIT:
            _post(
                f"e2026-{number}",
                services.expense_record,
                by=treasurer,
                fund="rescue",
                occurred_on=date(2026, 11, 2),
                currency="USD",
                amount=D("1200.00"),
                category=Category.BROKER_FEE,
                payee_kind=PayeeKind.BROKER,
                case=case,
            )

    state = readiness()
    stdout.write(
        f"Funds demo: {len(rescued)} rescues of 2025 costed; reserve {state.band}, "
        f"{state.available} USD available."
    )
