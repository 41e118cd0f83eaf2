"""Every write to the ledger: the treasurer's forms become balanced postings here.

Each write runs in one transaction that first locks the fund rows it touches (the rescue
reserve always, so that readiness is checked and changed by one writer at a time), then
writes the entry, its postings and the account balances together, then checks the
reserve against its minimum; a refused write rolls back whole. E-mail about a downward
crossing of a threshold is sent after the transaction commits.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cases.models import Case, Stage, Surveillance
from funds import selectors
from funds.models import (
    BAND_RANK,
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
    FundPolicy,
    JournalEntry,
    Posting,
    ReadinessAlert,
)
from funds.money import CENT, MINOR_UNITS, Currency, is_exact, round_money, to_usd
from rescue.roles import Cap, Role, can, require

logger = logging.getLogger(__name__)


class ReserveBelowMinimum(ValidationError):
    """The write would take the available reserve below the minimum without an override."""


@dataclass(frozen=True)
class Line:
    account: Account
    amount: Decimal
    amount_usd: Decimal


# ---------------------------------------------------------------- locking and guards


def _lock_funds(*codes: str) -> dict[str, Fund]:
    """Lock the rescue reserve and the named funds, always in id order (no deadlocks)."""
    wanted = {FundCode.RESCUE, *codes}
    unknown = wanted - set(FundCode.values)
    if unknown:
        raise ValidationError({"fund": f"Unknown fund {sorted(unknown)[0]}."})
    funds = list(Fund.objects.select_for_update().filter(code__in=wanted).order_by("id"))
    if len(funds) != len(wanted):
        # Migration 0002 creates both funds; this only matters after a database flush.
        for code in wanted:
            Fund.objects.get_or_create(
                code=code,
                defaults={"name": FundCode(code).label, "restricted": code == FundCode.RESCUE},
            )
        funds = list(Fund.objects.select_for_update().filter(code__in=wanted).order_by("id"))
    return {fund.code: fund for fund in funds}


def _treasurer_emails() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(groups__name=Role.TREASURER, is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def _send_crossing_email(alert: ReadinessAlert, after: selectors.Readiness) -> None:
    # Amounts and band only: no case, reference or person ever goes in this e-mail.
    body = (
        f"The rescue reserve has fallen from {alert.from_band} to {alert.to_band}.\n\n"
        f"Available: {after.available} USD\n"
        f"Cash: {after.cash} USD\n"
        f"Committed: {after.committed} USD\n"
        f"Minimum: {after.minimum} USD\n"
        f"Target: {after.target} USD\n"
        f"Shortfall to target: {after.shortfall_to_target} USD\n"
    )
    recipients = _treasurer_emails()
    if recipients:
        send_mail(
            f"Rescue reserve is now {after.band}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
    else:
        logger.warning("Rescue reserve fell to %s and no treasurer has an e-mail", after.band)


def _alert_if_crossed_down(before: selectors.Readiness, after: selectors.Readiness) -> None:
    if BAND_RANK[after.band] >= BAND_RANK[before.band]:
        return
    alert = ReadinessAlert.objects.create(
        from_band=before.band, to_band=after.band, available_usd=after.available
    )
    transaction.on_commit(lambda: _send_crossing_email(alert, after))


@contextmanager
def _reserve_guard(*, by, override_reason: str, check_minimum: bool = True) -> Iterator[None]:
    """Around a write made under the fund lock: refuse it if it takes the reserve below the
    minimum without a treasurer's reason, and alert on a downward crossing."""
    before = selectors.readiness()
    yield
    after = selectors.readiness()
    if check_minimum and after.available < after.minimum and after.available < before.available:
        if not override_reason.strip():
            raise ReserveBelowMinimum(
                {
                    "override_reason": (
                        f"This would leave {after.available} USD available, below the "
                        f"minimum of {after.minimum} USD. A treasurer may go ahead by "
                        "writing the reason here."
                    )
                }
            )
        if not can(by, Cap.OVERRIDE_RESERVE_MINIMUM):
            raise ReserveBelowMinimum(
                {"override_reason": "Only a treasurer may take the reserve below the minimum."}
            )
    _alert_if_crossed_down(before, after)


# ---------------------------------------------------------------- postings


def _account(fund: Fund, kind: str, currency: str, category: str = "") -> Account:
    # Called under the fund's row lock, so two writers never race to create the same account.
    account, created = Account.objects.get_or_create(
        fund=fund, kind=kind, currency=currency, category=category
    )
    if created:
        AccountBalance.objects.create(account=account)
    return account


def _check_amount(amount: Decimal, currency: str, field: str = "amount") -> Decimal:
    if currency not in MINOR_UNITS:
        raise ValidationError({"currency": f"Unknown currency {currency}."})
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise ValidationError({field: "Enter an amount greater than zero."})
    if not is_exact(amount, currency):
        places = MINOR_UNITS[currency]
        raise ValidationError({field: f"{currency} amounts have {places or 'no'} decimal places."})
    return round_money(amount, currency)


def _resolve_rate(currency: str, day: date, usd_rate: Decimal | None) -> Decimal:
    if currency == Currency.USD:
        return Decimal(1)
    if usd_rate is not None:
        if usd_rate <= 0:
            raise ValidationError({"usd_rate": "A rate must be greater than zero."})
        return usd_rate
    rate = selectors.rate_for(currency, day)
    if rate is None:
        raise ValidationError(
            {"usd_rate": f"No {currency} rate on or before {day}: enter the rate used."}
        )
    return rate


def _remember_rate(currency: str, day: date, rate: Decimal, by) -> None:
    """A rate typed into a form is a rate the treasurer entered: keep it as that day's row,
    unless one is there already, so that cash in the currency can be valued."""
    if (
        currency != Currency.USD
        and not ExchangeRate.objects.filter(currency=currency, on=day).exists()
    ):
        ExchangeRate.objects.create(currency=currency, on=day, usd_per_unit=rate, entered_by=by)


def _post(*, entry_fields: dict, lines: list[Line]) -> JournalEntry:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        totals[line.account.currency] += line.amount
    if any(total != 0 for total in totals.values()) or len(lines) < 2:
        raise ValidationError("The postings of an entry must sum to zero in each currency.")
    entry = JournalEntry.objects.create(**entry_fields)
    for line in lines:
        balance = AccountBalance.objects.select_for_update().get(account=line.account)
        balance.balance += line.amount
        balance.save(update_fields=["balance"])
        Posting.objects.create(
            entry=entry,
            account=line.account,
            currency=line.account.currency,
            amount=line.amount,
            amount_usd=line.amount_usd,
            occurred_on=entry.occurred_on,
            balance_after=balance.balance,
        )
    return entry


def _referable_case(case: Case | None, by) -> Case | None:
    if case is not None and not Case.objects.referable_by(by).filter(pk=case.pk).exists():
        raise PermissionDenied
    return case


# ---------------------------------------------------------------- the treasurer's forms


@dataclass(frozen=True)
class _Money:
    """An amount checked against its currency, with the rate it is valued at."""

    currency: str
    amount: Decimal
    rate: Decimal
    usd: Decimal
    rate_typed: bool  # typed into the form rather than looked up


def _money(
    amount: Decimal, currency: str, day: date, usd_rate: Decimal | None, field: str = "amount"
) -> _Money:
    amount = _check_amount(amount, currency, field)
    rate = _resolve_rate(currency, day, usd_rate)
    return _Money(currency, amount, rate, to_usd(amount, rate), usd_rate is not None)


def _record(
    *,
    by,
    kind: str,
    fund_codes: tuple[str, ...],
    occurred_on: date,
    money: _Money,
    build: Callable[[dict[str, Fund]], tuple[dict, list[Line]]],
    override_reason: str = "",
    check_minimum: bool = True,
    import_key: str | None = None,
    memo: str = "",
    extra_rates: tuple[tuple[str, Decimal], ...] = (),
) -> JournalEntry:
    """Lock the funds, write the entry `build` describes, and hold it to the minimum.

    The entry's `fund` is the first of `fund_codes`; `build` gets the locked funds and
    returns the entry's other fields and its lines.
    """
    with transaction.atomic():
        funds = _lock_funds(*fund_codes)
        with _reserve_guard(by=by, override_reason=override_reason, check_minimum=check_minimum):
            if money.rate_typed:
                _remember_rate(money.currency, occurred_on, money.rate, by)
            for currency, rate in extra_rates:
                _remember_rate(currency, occurred_on, rate, by)
            fields, lines = build(funds)
            return _post(
                entry_fields=dict(
                    occurred_on=occurred_on,
                    kind=kind,
                    fund=funds[fund_codes[0]],
                    currency=money.currency,
                    amount=money.amount,
                    usd_rate=money.rate,
                    amount_usd=money.usd,
                    memo=memo,
                    override_reason=override_reason.strip(),
                    import_key=import_key,
                    created_by=by,
                    **fields,
                ),
                lines=lines,
            )


def donation_record(
    *,
    by,
    fund: str,
    occurred_on: date,
    currency: str,
    amount: Decimal,
    usd_rate: Decimal | None = None,
    memo: str = "",
    import_key: str | None = None,
) -> JournalEntry:
    """A donation designated to one fund: cash in, donation income out, same currency."""
    require(by, Cap.MANAGE_LEDGER)
    money = _money(amount, currency, occurred_on, usd_rate)

    def build(funds):
        target = funds[fund]
        return {}, [
            Line(_account(target, AccountKind.CASH, currency), money.amount, money.usd),
            Line(_account(target, AccountKind.INCOME, currency), -money.amount, -money.usd),
        ]

    return _record(
        by=by,
        kind=EntryKind.DONATION,
        fund_codes=(fund,),
        occurred_on=occurred_on,
        money=money,
        build=build,
        check_minimum=False,
        import_key=import_key,
        memo=memo,
    )


def expense_record(
    *,
    by,
    fund: str,
    occurred_on: date,
    currency: str,
    amount: Decimal,
    category: str,
    payee: str = "",
    case: Case | None = None,
    usd_rate: Decimal | None = None,
    memo: str = "",
    override_reason: str = "",
    import_key: str | None = None,
) -> JournalEntry:
    """An expense paid from one fund, in a category, tied to a case where it belongs to one."""
    require(by, Cap.MANAGE_LEDGER)
    _referable_case(case, by)
    if category not in Category.values:
        raise ValidationError({"category": "Choose an expense category."})
    money = _money(amount, currency, occurred_on, usd_rate)

    def build(funds):
        payer = funds[fund]
        return {"case": case, "category": category, "payee": payee}, [
            Line(_account(payer, AccountKind.EXPENSE, currency, category), money.amount, money.usd),
            Line(_account(payer, AccountKind.CASH, currency), -money.amount, -money.usd),
        ]

    return _record(
        by=by,
        kind=EntryKind.EXPENSE,
        fund_codes=(fund,),
        occurred_on=occurred_on,
        money=money,
        build=build,
        override_reason=override_reason,
        import_key=import_key,
        memo=memo,
    )


def transfer_record(
    *,
    by,
    from_fund: str,
    to_fund: str,
    occurred_on: date,
    currency: str,
    amount: Decimal,
    usd_rate: Decimal | None = None,
    memo: str = "",
    override_reason: str = "",
    import_key: str | None = None,
) -> JournalEntry:
    """Money moved from one fund to another, in one currency, through the transfer accounts."""
    require(by, Cap.MANAGE_LEDGER)
    if from_fund == to_fund:
        raise ValidationError({"to_fund": "Choose a different fund to move the money to."})
    money = _money(amount, currency, occurred_on, usd_rate)

    def build(funds):
        source, dest = funds[from_fund], funds[to_fund]
        amount, usd = money.amount, money.usd
        return {"to_fund": dest}, [
            Line(_account(source, AccountKind.CASH, currency), -amount, -usd),
            Line(_account(source, AccountKind.TRANSFER, currency), amount, usd),
            Line(_account(dest, AccountKind.TRANSFER, currency), -amount, -usd),
            Line(_account(dest, AccountKind.CASH, currency), amount, usd),
        ]

    return _record(
        by=by,
        kind=EntryKind.TRANSFER,
        fund_codes=(from_fund, to_fund),
        occurred_on=occurred_on,
        money=money,
        build=build,
        override_reason=override_reason,
        import_key=import_key,
        memo=memo,
    )


def exchange_record(
    *,
    by,
    fund: str,
    occurred_on: date,
    sell_currency: str,
    sell_amount: Decimal,
    buy_currency: str,
    buy_amount: Decimal,
    usd_rate: Decimal | None = None,
    memo: str = "",
    override_reason: str = "",
    import_key: str | None = None,
) -> JournalEntry:
    """Currency sold for another within one fund; `usd_rate` values the currency sold.

    Each currency's postings go through the fund's exchange account in that currency, so
    the entry balances per currency; both sides carry the same USD value, which also
    gives the rate of the currency bought on that day.
    """
    require(by, Cap.MANAGE_LEDGER)
    if sell_currency == buy_currency:
        raise ValidationError({"buy_currency": "Choose a different currency to buy."})
    buy_amount = _check_amount(buy_amount, buy_currency, "buy_amount")
    sell_amount = _check_amount(sell_amount, sell_currency, "sell_amount")
    if usd_rate is None and buy_currency == Currency.USD:
        # Selling for dollars: the dollars received say what the currency sold was worth.
        usd_rate = buy_amount / sell_amount
    sold = _money(sell_amount, sell_currency, occurred_on, usd_rate, "sell_amount")
    bought_rate = (sold.usd / buy_amount).quantize(Decimal("1E-10"))

    def build(funds):
        holder, usd = funds[fund], sold.usd
        return {}, [
            Line(_account(holder, AccountKind.CASH, sell_currency), -sold.amount, -usd),
            Line(_account(holder, AccountKind.EXCHANGE, sell_currency), sold.amount, usd),
            Line(_account(holder, AccountKind.EXCHANGE, buy_currency), -buy_amount, -usd),
            Line(_account(holder, AccountKind.CASH, buy_currency), buy_amount, usd),
        ]

    return _record(
        by=by,
        kind=EntryKind.EXCHANGE,
        fund_codes=(fund,),
        occurred_on=occurred_on,
        money=sold,
        build=build,
        override_reason=override_reason,
        import_key=import_key,
        memo=memo,
        extra_rates=((buy_currency, bought_rate),) if bought_rate > 0 else (),
    )


def entry_reverse(
    *, entry: JournalEntry, by, reason: str, occurred_on: date | None = None
) -> JournalEntry:
    """Correct a mistake: a new entry with every posting of `entry` negated, pointing at it."""
    require(by, Cap.MANAGE_LEDGER)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why this entry is being reversed."})
    if entry.reverses_id is not None:
        raise ValidationError("A reversal cannot itself be reversed; record the entry again.")
    with transaction.atomic():
        _lock_funds(entry.fund.code, *([entry.to_fund.code] if entry.to_fund_id else []))
        if JournalEntry.objects.filter(reverses=entry).exists():
            raise ValidationError("This entry has already been reversed.")
        postings = list(entry.postings.select_related("account").order_by("id"))
        # A reversal only puts back what was there; it may raise the reserve or lower it
        # (reversing a donation), and a wrong donation must be correctable, so no minimum.
        with _reserve_guard(by=by, override_reason="", check_minimum=False):
            return _post(
                entry_fields=dict(
                    occurred_on=occurred_on or timezone.localdate(),
                    kind=entry.kind,
                    fund=entry.fund,
                    to_fund=entry.to_fund,
                    currency=entry.currency,
                    amount=-entry.amount,
                    usd_rate=entry.usd_rate,
                    amount_usd=-entry.amount_usd,
                    case=entry.case,
                    category=entry.category,
                    payee=entry.payee,
                    memo=entry.memo,
                    reverses=entry,
                    reason=reason,
                    created_by=by,
                ),
                lines=[Line(p.account, -p.amount, -p.amount_usd) for p in postings],
            )


def rate_record(*, by, currency: str, on: date, usd_per_unit: Decimal) -> ExchangeRate:
    """A rate the treasurer looked up; it values reserve cash from that day on."""
    require(by, Cap.MANAGE_LEDGER)
    if currency == Currency.USD:
        raise ValidationError({"currency": "The US dollar is always 1."})
    if usd_per_unit <= 0:
        raise ValidationError({"usd_per_unit": "A rate must be greater than zero."})
    with transaction.atomic():
        _lock_funds()
        if ExchangeRate.objects.filter(currency=currency, on=on).exists():
            raise ValidationError({"on": f"There is already a {currency} rate for {on}."})
        with _reserve_guard(by=by, override_reason="", check_minimum=False):
            return ExchangeRate.objects.create(
                currency=currency, on=on, usd_per_unit=usd_per_unit, entered_by=by
            )


# ---------------------------------------------------------------- commitments


def commitment_estimate(case: Case, policy: FundPolicy | None = None) -> Decimal:
    """The standard estimate, plus the extra when she must first slip strict surveillance."""
    policy = policy or FundPolicy.load()
    estimate = policy.standard_estimate_usd
    if case.surveillance == Surveillance.STRICT:
        estimate += policy.surveillance_extra_usd
    return min(estimate, policy.ceiling_usd).quantize(CENT)


def commitment_create(
    *, case: Case, by, amount_usd: Decimal | None = None, override_reason: str = ""
) -> Commitment:
    """Set reserve money aside for an approved operation (at most one open per case)."""
    require(by, Cap.COMMIT_FUNDS)
    _referable_case(case, by)
    policy = FundPolicy.load()
    amount = commitment_estimate(case, policy) if amount_usd is None else amount_usd
    if amount <= 0 or not is_exact(amount, Currency.USD):
        raise ValidationError({"amount_usd": "Enter a dollar amount greater than zero."})
    if amount > policy.ceiling_usd:
        raise ValidationError(
            {"amount_usd": f"The most that may be committed to one case is {policy.ceiling_usd}."}
        )
    with transaction.atomic():
        _lock_funds()
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.stage != Stage.APPROVED or case.closed_at is not None:
            raise ValidationError(
                {"case": "Only a case whose operation is approved can be funded."}
            )
        if Commitment.objects.filter(case=case, status=CommitmentStatus.OPEN).exists():
            raise ValidationError({"case": "This case already has money committed."})
        with _reserve_guard(by=by, override_reason=override_reason):
            return Commitment.objects.create(
                case=case,
                amount_usd=amount,
                override_reason=override_reason.strip(),
                created_by=by,
            )


def commitment_release(*, case: Case, by) -> Commitment | None:
    """The case is closed: what is left of its open commitment goes back to the reserve."""
    with transaction.atomic():
        _lock_funds()
        commitment = (
            Commitment.objects.select_for_update()
            .filter(case=case, status=CommitmentStatus.OPEN)
            .first()
        )
        if commitment is None:
            return None
        with _reserve_guard(by=by, override_reason="", check_minimum=False):
            commitment.status = CommitmentStatus.RELEASED
            commitment.released_at = timezone.now()
            commitment.save(update_fields=["status", "released_at"])
        return commitment


def commitment_restore(*, case: Case, by) -> Commitment | None:
    """The case is reopened: its last released commitment is set aside again.

    Reopening is the coordinator's decision and cannot be refused here; if it takes the
    reserve down through a threshold, the treasurer is told as for any other crossing.
    """
    with transaction.atomic():
        _lock_funds()
        if Commitment.objects.filter(case=case, status=CommitmentStatus.OPEN).exists():
            return None
        commitment = (
            Commitment.objects.select_for_update()
            .filter(case=case, status=CommitmentStatus.RELEASED)
            .order_by("-released_at", "-id")
            .first()
        )
        if commitment is None:
            return None
        with _reserve_guard(by=by, override_reason="", check_minimum=False):
            commitment.status = CommitmentStatus.OPEN
            commitment.released_at = None
            commitment.save(update_fields=["status", "released_at"])
        return commitment


# ---------------------------------------------------------------- maintenance


BALANCE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class BalanceDifference:
    account: Account
    stored: Decimal
    from_postings: Decimal


def balances_recompute(*, fix: bool = False) -> list[BalanceDifference]:
    """Compare every stored balance with the sum of its postings; with `fix`, correct them."""
    with transaction.atomic():
        _lock_funds(*FundCode.values)
        sums = dict(
            Posting.objects.order_by()
            .values("account")
            .annotate(total=Sum("amount"))
            .values_list("account", "total")
        )
        differences = []
        for account in Account.objects.select_related("fund").order_by("id"):
            stored_row, _ = AccountBalance.objects.get_or_create(account=account)
            expected = sums.get(account.pk, Decimal(0)).quantize(BALANCE_PLACES)
            stored = stored_row.balance.quantize(BALANCE_PLACES)
            if stored != expected:
                differences.append(BalanceDifference(account, stored, expected))
                if fix:
                    stored_row.balance = expected
                    stored_row.save(update_fields=["balance"])
        return differences
