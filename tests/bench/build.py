"""Build the benchmark database: fixed seeds, every database rule on, written in bulk.

At `BENCH_SCALE=1`: 100,000 cases over ten years (about 245,000 people, 910,000 timeline
events, 87,000 screenings, assignments and restricted cases), 500,000 ledger entries with
1,000,000 postings (donations, expenses per case, transfers, exchanges, reversals, rates,
22,000 commitments), and 500,000 access-log rows. Smaller scales shrink every count.

The rows go in with `bulk_create` inside the ordinary models, so encrypted fields are
encrypted, every CHECK constraint and trigger runs (the ledger's balance trigger at each
commit), and `recompute_balances` finds the stored balances exact.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice

from django.contrib.auth import get_user_model
from django.db import transaction

from cases.models import (
    Case,
    CaseEvent,
    ContactChannel,
    DialectFit,
    EventKind,
    Household,
    Outcome,
    PartnerOrganisation,
    Person,
    PersonRole,
    Province,
    ReferenceCounter,
    Screening,
    Situation,
    Stage,
    Surveillance,
    Urgency,
    Verdict,
)
from funds.models import (
    Account,
    AccountBalance,
    AccountKind,
    Category,
    Commitment,
    CommitmentStatus,
    EntryKind,
    ExchangeRate,
    Fund,
    FundCode,
    JournalEntry,
    Posting,
)
from funds.money import Currency, to_usd
from rescue.models import AccessLog
from tests.factories import UserFactory

SEED = 20261130
BATCH = 5_000
YEARS = 10

# Full-scale counts (BENCH_SCALE=1); each is multiplied by the scale.
FULL = {
    "cases": 100_000,
    "entries": 500_000,
    "commitments": 22_000,
    "access_log": 500_000,
}
# The personas the benchmark signs in as, one per role.
PERSONAS = {
    "intake": "bench-intake",
    "coordinator": "bench-coordinator",
    "treasurer": "bench-treasurer",
    "admin": "bench-admin",
    "board": "bench-board",
}
STAGES_OPEN = [
    Stage.RECEIVED,
    Stage.SCREENING,
    Stage.VERIFIED,
    Stage.WAITING,
    Stage.APPROVED,
    Stage.IN_TRANSIT,
    Stage.CROSSING,
    Stage.THIRD_COUNTRY,
    Stage.FLIGHT,
    Stage.RESETTLING,
]
CLOSING_OUTCOMES = [
    (Outcome.RESCUED, 40),
    (Outcome.CALLED_OFF, 15),
    (Outcome.ARRESTED, 5),
    (Outcome.LOST_CONTACT, 15),
    (Outcome.WITHDRAWN, 10),
    (Outcome.DECOY, 5),
    (Outcome.DIED, 1),
]
RATES = {Currency.JPY: Decimal("0.0067"), Currency.KRW: Decimal("0.00072")}


@dataclass
class Built:
    cases: int
    people: int
    events: int
    screenings: int
    entries: int
    postings: int
    commitments: int
    access_log: int


def _chunks(iterable, size=BATCH):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _aware(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randrange(24), rng.randrange(60)), tzinfo=UTC)


def personas() -> dict:
    users = {}
    for role, username in PERSONAS.items():
        users[role] = UserFactory(username=username, roles=[role])
    return users


def build(scale: float, *, stdout) -> Built:
    rng = random.Random(SEED)
    users = personas()
    n_cases = max(50, int(FULL["cases"] * scale))
    today = date.today()
    first_day = today.replace(year=today.year - YEARS)
    stdout.write(f"cases: {n_cases}\n")
    cases_built = _build_cases(rng, users, n_cases, first_day, today, stdout)
    n_entries = max(200, int(FULL["entries"] * scale))
    n_commitments = max(10, int(FULL["commitments"] * scale))
    stdout.write(f"ledger: {n_entries} entries, {n_commitments} commitments\n")
    entries, postings, commitments = _build_ledger(
        rng, users, n_entries, n_commitments, first_day, today, stdout
    )
    n_log = max(100, int(FULL["access_log"] * scale))
    stdout.write(f"access log: {n_log}\n")
    _build_access_log(rng, users, n_log, first_day, today)
    return Built(
        cases=cases_built[0],
        people=cases_built[1],
        events=cases_built[2],
        screenings=cases_built[3],
        entries=entries,
        postings=postings,
        commitments=commitments,
        access_log=n_log,
    )


def _build_cases(rng, users, n_cases, first_day, today, stdout):
    provinces = list(Province.objects.all())
    channels = list(ContactChannel.objects.all())
    partner_names = [f"Bench partner {i} (fictional)" for i in range(8)]
    for name in partner_names:
        PartnerOrganisation.objects.get_or_create(name=name)
    partners = list(PartnerOrganisation.objects.filter(name__in=partner_names))
    staff = [users["intake"], users["coordinator"], users["admin"]]
    span = (today - first_day).days
    days = sorted(first_day + timedelta(days=rng.randrange(span)) for _ in range(n_cases))
    per_year: dict[int, int] = defaultdict(int)
    totals = [0, 0, 0, 0]
    assignee_through = Case.assignees.through

    for chunk_no, chunk_days in enumerate(_chunks(days, 2_000)):
        cases, people, events, screenings, assignments = [], [], [], [], []
        for received in chunk_days:
            per_year[received.year] += 1
            age_days = (today - received).days
            closed = age_days > 200 and rng.random() < 0.9
            stage = rng.choice(STAGES_OPEN)
            case = Case(
                reference=f"{received.year}-{per_year[received.year]:05d}",
                received_on=received,
                household=rng.choice(
                    [Household.MOTHER_WITH_CHILDREN, Household.UNACCOMPANIED_WOMAN]
                ),
                channel=rng.choice(channels) if channels else None,
                current_region=rng.choice(["Jilin", "Liaoning", "Heilongjiang", "Shandong"]),
                years_in_china=rng.randrange(0, 20),
                situation=rng.choice(Situation.values),
                surveillance=rng.choice(Surveillance.values),
                urgency=rng.choice(Urgency.values),
                contact_handle=f"bench-handle-{rng.randrange(10**9)}",
                notes=f"Fictional benchmark note {rng.randrange(10**6)}",
                stage=stage,
                verdict=rng.choice(["", Verdict.VERIFIED]),
                restricted=rng.random() < 0.02,
                created_by=rng.choice([users["intake"], users["coordinator"]]),
                closed_at=_aware(received + timedelta(days=rng.randrange(30, 200)), rng)
                if closed
                else None,
            )
            cases.append(case)
        Case.objects.bulk_create(cases)
        # auto_now_add fields take "now"; a realistic spread puts them on the day received.
        for case in cases:
            n_children = (
                rng.choice([1, 2, 3]) if case.household == Household.MOTHER_WITH_CHILDREN else 0
            )
            outcome = ""
            outcome_on = None
            partner = None
            if case.closed_at:
                outcome = rng.choices(
                    [o for o, _ in CLOSING_OUTCOMES], [w for _, w in CLOSING_OUTCOMES]
                )[0]
                outcome_on = case.closed_at.date()
                if outcome == Outcome.RESCUED and rng.random() < 0.6:
                    partner = rng.choice(partners)
            for index in range(1 + n_children):
                role = PersonRole.PRINCIPAL if index == 0 else PersonRole.CHILD
                born = case.received_on - timedelta(
                    days=rng.randrange(18 * 365, 50 * 365)
                    if index == 0
                    else rng.randrange(300, 15 * 365)
                )
                people.append(
                    Person(
                        case=case,
                        role=role,
                        alias=f"Bench alias {rng.randrange(10**6)}",
                        legal_name=f"Bench name {rng.randrange(10**6)}"
                        if rng.random() < 0.5
                        else "",
                        sex="F" if index == 0 or rng.random() < 0.5 else "M",
                        birth_date=born,
                        origin_province=rng.choice(provinces) if provinces else None,
                        outcome=outcome,
                        outcome_on=outcome_on,
                        outcome_partner=partner,
                    )
                )
            # About nine timeline events a case: created, screened, stage moves, outcome, closed.
            moves = 1 + STAGES_OPEN.index(case.stage)
            kinds = [EventKind.CREATED, EventKind.SCREENED]
            kinds += [EventKind.STAGE] * min(moves, 6)
            if case.closed_at:
                kinds += [EventKind.OUTCOME, EventKind.CLOSED]
            while len(kinds) < 5 + rng.randrange(8):
                kinds.append(EventKind.ASSIGNED)
            for kind in kinds:
                events.append(
                    CaseEvent(
                        case=case,
                        by=rng.choice(staff),
                        kind=kind,
                        from_value="",
                        to_value=case.stage if kind == EventKind.STAGE else "",
                        note="",
                    )
                )
            if rng.random() < 0.87:
                screenings.append(
                    Screening(
                        case=case,
                        reason_for_leaving="Fictional reason",
                        dialect=rng.choice(DialectFit.values),
                        birthplace_knowledge="",
                        address_knowledge="",
                        daily_life_knowledge="",
                        vouched_by="",
                        verdict=rng.choice(Verdict.values),
                        decided_by=users["coordinator"],
                    )
                )
            if rng.random() < 0.3:
                assignments.append(
                    assignee_through(case_id=case.pk, user_id=users["coordinator"].pk)
                )
            if rng.random() < 0.1:
                assignments.append(assignee_through(case_id=case.pk, user_id=users["intake"].pk))
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=BATCH)
            CaseEvent.objects.bulk_create(events, batch_size=BATCH)
            Screening.objects.bulk_create(screenings, batch_size=BATCH)
            assignee_through.objects.bulk_create(assignments, batch_size=BATCH)
        # Spread the creation times over the years (auto_now_add set them all to now).
        _backdate(cases, rng)
        totals[0] += len(cases)
        totals[1] += len(people)
        totals[2] += len(events)
        totals[3] += len(screenings)
        if chunk_no % 10 == 0:
            stdout.write(f"  {totals[0]} cases\n")
    for year, last in per_year.items():
        ReferenceCounter.objects.update_or_create(year=year, defaults={"last_number": last})
    return totals


def _backdate(cases, rng) -> None:
    # Case rows are ordinary (not append-only): their timestamps can follow the story.
    for case in cases:
        case.created_at = _aware(case.received_on, rng)
        case.stage_changed_at = case.created_at + timedelta(days=rng.randrange(1, 60))
    Case.objects.bulk_update(cases, ["created_at", "stage_changed_at"], batch_size=BATCH)


class _Ledger:
    """Accounts, running balances and the rows of one batch of entries."""

    def __init__(self, users):
        self.by = users["treasurer"]
        self.funds = {fund.code: fund for fund in Fund.objects.all()}
        self.accounts: dict[tuple, Account] = {}
        self.balances: dict[int, Decimal] = defaultdict(Decimal)

    def account(self, fund_code, kind, currency, category=""):
        key = (fund_code, kind, currency, category)
        if key not in self.accounts:
            account, created = Account.objects.get_or_create(
                fund=self.funds[fund_code], kind=kind, currency=currency, category=category
            )
            if created:
                AccountBalance.objects.create(account=account)
            self.accounts[key] = account
        return self.accounts[key]

    def lines(self, entry, lines):
        postings = []
        for account, amount, rate in lines:
            self.balances[account.pk] += amount
            postings.append(
                Posting(
                    entry=entry,
                    account=account,
                    currency=account.currency,
                    amount=amount,
                    amount_usd=to_usd(amount, rate),
                    occurred_on=entry.occurred_on,
                    balance_after=self.balances[account.pk],
                )
            )
        return postings


def _build_ledger(rng, users, n_entries, n_commitments, first_day, today, stdout):
    ledger = _Ledger(users)
    span = (today - first_day).days
    for day_offset in range(0, span + 1, 7):
        day = first_day + timedelta(days=day_offset)
        for currency, rate in RATES.items():
            jitter = Decimal(1 + (rng.random() - 0.5) / 20).quantize(Decimal("0.0001"))
            ExchangeRate.objects.get_or_create(
                currency=currency,
                on=day,
                defaults={
                    "usd_per_unit": (rate * jitter).quantize(Decimal("1E-10")),
                    "entered_by": ledger.by,
                },
            )
    rates = {
        c: list(
            ExchangeRate.objects.filter(currency=c).order_by("on").values_list("on", "usd_per_unit")
        )
        for c in RATES
    }

    def rate_on(currency, day):
        if currency == Currency.USD:
            return Decimal(1)
        found = rates[currency][0][1]
        for on, value in rates[currency]:
            if on > day:
                break
            found = value
        return found

    case_ids = list(Case.objects.filter(restricted=False).values_list("pk", flat=True)[:50_000])
    days = sorted(first_day + timedelta(days=rng.randrange(span)) for _ in range(n_entries))
    made_entries = made_postings = 0
    originals: list[JournalEntry] = []
    for chunk in _chunks(days, 5_000):
        entries, plans = [], []
        for day in chunk:
            roll = rng.random()
            if roll < 0.45:
                currency = rng.choice([Currency.USD, Currency.USD, Currency.JPY, Currency.KRW])
                amount = {
                    Currency.USD: Decimal(rng.randrange(20, 2_000)),
                    Currency.JPY: Decimal(rng.randrange(2_000, 300_000)),
                    Currency.KRW: Decimal(rng.randrange(20_000, 3_000_000)),
                }[currency]
                rate = rate_on(currency, day)
                fund = FundCode.RESCUE if rng.random() < 0.8 else FundCode.GENERAL
                entry = JournalEntry(
                    occurred_on=day,
                    kind=EntryKind.DONATION,
                    fund=ledger.funds[fund],
                    currency=currency,
                    amount=amount,
                    usd_rate=rate,
                    amount_usd=to_usd(amount, rate),
                    created_by=ledger.by,
                )
                plan = [
                    (ledger.account(fund, AccountKind.CASH, currency), amount, rate),
                    (ledger.account(fund, AccountKind.INCOME, currency), -amount, rate),
                ]
            elif roll < 0.88:
                amount = Decimal(rng.randrange(10, 600))
                category = rng.choice(Category.values)
                fund = FundCode.RESCUE if rng.random() < 0.85 else FundCode.GENERAL
                entry = JournalEntry(
                    occurred_on=day,
                    kind=EntryKind.EXPENSE,
                    fund=ledger.funds[fund],
                    currency=Currency.USD,
                    amount=amount,
                    usd_rate=Decimal(1),
                    amount_usd=amount,
                    category=category,
                    case_id=rng.choice(case_ids) if fund == FundCode.RESCUE and case_ids else None,
                    payee="broker" if category == Category.BROKER_FEE else "",
                    created_by=ledger.by,
                )
                plan = [
                    (
                        ledger.account(fund, AccountKind.EXPENSE, Currency.USD, category),
                        amount,
                        Decimal(1),
                    ),
                    (ledger.account(fund, AccountKind.CASH, Currency.USD), -amount, Decimal(1)),
                ]
            elif roll < 0.94:
                amount = Decimal(rng.randrange(50, 1_000))
                entry = JournalEntry(
                    occurred_on=day,
                    kind=EntryKind.TRANSFER,
                    fund=ledger.funds[FundCode.GENERAL],
                    to_fund=ledger.funds[FundCode.RESCUE],
                    currency=Currency.USD,
                    amount=amount,
                    usd_rate=Decimal(1),
                    amount_usd=amount,
                    created_by=ledger.by,
                )
                plan = [
                    (
                        ledger.account(FundCode.GENERAL, AccountKind.CASH, Currency.USD),
                        -amount,
                        Decimal(1),
                    ),
                    (
                        ledger.account(FundCode.GENERAL, AccountKind.TRANSFER, Currency.USD),
                        amount,
                        Decimal(1),
                    ),
                    (
                        ledger.account(FundCode.RESCUE, AccountKind.CASH, Currency.USD),
                        amount,
                        Decimal(1),
                    ),
                    (
                        ledger.account(FundCode.RESCUE, AccountKind.TRANSFER, Currency.USD),
                        -amount,
                        Decimal(1),
                    ),
                ]
            else:
                currency = rng.choice([Currency.JPY, Currency.KRW])
                rate = rate_on(currency, day)
                sold = Decimal(
                    {
                        Currency.JPY: rng.randrange(1_000, 20_000),
                        Currency.KRW: rng.randrange(10_000, 200_000),
                    }[currency]
                )
                bought = to_usd(sold, rate)
                if bought <= 0:
                    continue
                entry = JournalEntry(
                    occurred_on=day,
                    kind=EntryKind.EXCHANGE,
                    fund=ledger.funds[FundCode.RESCUE],
                    currency=currency,
                    amount=sold,
                    usd_rate=rate,
                    amount_usd=to_usd(sold, rate),
                    created_by=ledger.by,
                )
                plan = [
                    (ledger.account(FundCode.RESCUE, AccountKind.CASH, currency), -sold, rate),
                    (ledger.account(FundCode.RESCUE, AccountKind.EXCHANGE, currency), sold, rate),
                    (
                        ledger.account(FundCode.RESCUE, AccountKind.CASH, Currency.USD),
                        bought,
                        Decimal(1),
                    ),
                    (
                        ledger.account(FundCode.RESCUE, AccountKind.EXCHANGE, Currency.USD),
                        -bought,
                        Decimal(1),
                    ),
                ]
            entries.append(entry)
            plans.append(plan)
        # About one in a hundred earlier entries is reversed in this batch.
        reversals = []
        for original, plan in rng.sample(originals, min(len(originals), len(chunk) // 100)):
            reversal = JournalEntry(
                occurred_on=max(original.occurred_on, chunk[-1]),
                kind=original.kind,
                fund=original.fund,
                to_fund=original.to_fund,
                currency=original.currency,
                amount=-original.amount,
                usd_rate=original.usd_rate,
                amount_usd=-original.amount_usd,
                category=original.category,
                case_id=original.case_id,
                reverses=original,
                reason="Recorded twice",
                created_by=ledger.by,
            )
            reversals.append((reversal, [(a, -amount, rate) for a, amount, rate in plan]))
        originals = [
            (e, p)
            for e, p in zip(entries, plans, strict=True)
            if not getattr(e, "_reversed", False)
        ]
        with transaction.atomic():
            JournalEntry.objects.bulk_create(entries + [r for r, _ in reversals], batch_size=BATCH)
            for entry, _ in reversals:
                entry.reverses._reversed = True
            postings = []
            for entry, plan in [*zip(entries, plans, strict=True), *reversals]:
                postings += ledger.lines(entry, plan)
            Posting.objects.bulk_create(postings, batch_size=BATCH)
        made_entries += len(entries) + len(reversals)
        made_postings += len(postings)
        if made_entries % 50_000 < 5_000:
            stdout.write(f"  {made_entries} entries\n")
    with transaction.atomic():
        for account_id, balance in ledger.balances.items():
            AccountBalance.objects.filter(account_id=account_id).update(balance=balance)
    commitments = _build_commitments(rng, ledger, n_commitments, today)
    return made_entries, made_postings, commitments


def _build_commitments(rng, ledger, n_commitments, today) -> int:
    open_cases = list(
        Case.objects.filter(
            closed_at__isnull=True,
            restricted=False,
            stage__in=[Stage.APPROVED, Stage.IN_TRANSIT, Stage.CROSSING],
        )
        .order_by("reference")
        .values_list("pk", flat=True)
    )
    closed_cases = list(
        Case.objects.filter(closed_at__isnull=False)
        .order_by("reference")
        .values_list("pk", "closed_at")[:n_commitments]
    )
    rows = []
    # A few open commitments (the reserve stays usable), the rest released with their case.
    for case_id in open_cases[: max(3, n_commitments // 2000)]:
        rows.append(
            Commitment(case_id=case_id, amount_usd=Decimal("2500.00"), created_by=ledger.by)
        )
    for case_id, closed_at in closed_cases[: n_commitments - len(rows)]:
        rows.append(
            Commitment(
                case_id=case_id,
                amount_usd=rng.choice([Decimal("2500.00"), Decimal("3500.00")]),
                status=CommitmentStatus.RELEASED,
                released_at=closed_at,
                created_by=ledger.by,
            )
        )
    Commitment.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _build_access_log(rng, users, n_log, first_day, today) -> None:
    references = list(Case.objects.values_list("reference", flat=True)[:20_000])
    actors = list(users.values())
    actions = [AccessLog.Action.VIEW_CASE] * 8 + [AccessLog.Action.SIGN_IN, AccessLog.Action.EXPORT]
    for chunk in _chunks(range(n_log), BATCH):
        AccessLog.objects.bulk_create(
            [
                AccessLog(
                    user=rng.choice(actors),
                    action=(action := rng.choice(actions)),
                    target=rng.choice(references) if action == AccessLog.Action.VIEW_CASE else "",
                    ip_address="127.0.0.1",
                )
                for _ in chunk
            ]
        )


def get_user(role: str):
    return get_user_model().objects.get(username=PERSONAS[role])
