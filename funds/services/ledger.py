"""The treasurer's forms, reversals, rates and the balance check, written as postings."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cases.models import Case
from funds.models import (
    Account,
    AccountBalance,
    AccountKind,
    Category,
    EntryKind,
    ExchangeRate,
    Fund,
    FundCode,
    JournalEntry,
    Posting,
)
from funds.money import Currency, to_usd
from funds.services._core import (
    Line,
    account_for,
    check_amount,
    check_referable,
    lock_funds,
    post_entry,
    remember_rate,
    reserve_guard,
    resolve_rate,
)
from rescue.roles import Cap, require

if TYPE_CHECKING:
    from rescue.roles import User


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
    amount = check_amount(amount, currency, field)
    rate = resolve_rate(currency, day, usd_rate)
    return _Money(currency, amount, rate, to_usd(amount, rate), usd_rate is not None)


def _record(
    *,
    by: "User",
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
        funds = lock_funds(*fund_codes)
        with reserve_guard(by=by, override_reason=override_reason, check_minimum=check_minimum):
            if money.rate_typed:
                remember_rate(money.currency, occurred_on, money.rate, by)
            for currency, rate in extra_rates:
                remember_rate(currency, occurred_on, rate, by)
            fields, lines = build(funds)
            return post_entry(
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
    by: "User",
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
            Line(account_for(target, AccountKind.CASH, currency), money.amount, money.usd),
            Line(account_for(target, AccountKind.INCOME, currency), -money.amount, -money.usd),
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
    by: "User",
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
    check_referable(case, by)
    if category not in Category.values:
        raise ValidationError({"category": "Choose an expense category."})
    money = _money(amount, currency, occurred_on, usd_rate)

    def build(funds):
        payer = funds[fund]
        return {"case": case, "category": category, "payee": payee}, [
            Line(
                account_for(payer, AccountKind.EXPENSE, currency, category), money.amount, money.usd
            ),
            Line(account_for(payer, AccountKind.CASH, currency), -money.amount, -money.usd),
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
    by: "User",
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
            Line(account_for(source, AccountKind.CASH, currency), -amount, -usd),
            Line(account_for(source, AccountKind.TRANSFER, currency), amount, usd),
            Line(account_for(dest, AccountKind.TRANSFER, currency), -amount, -usd),
            Line(account_for(dest, AccountKind.CASH, currency), amount, usd),
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
    by: "User",
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
    buy_amount = check_amount(buy_amount, buy_currency, "buy_amount")
    sell_amount = check_amount(sell_amount, sell_currency, "sell_amount")
    if usd_rate is None and buy_currency == Currency.USD:
        # Selling for dollars: the dollars received say what the currency sold was worth.
        usd_rate = buy_amount / sell_amount
    sold = _money(sell_amount, sell_currency, occurred_on, usd_rate, "sell_amount")
    bought_rate = (sold.usd / buy_amount).quantize(Decimal("1E-10"))

    def build(funds):
        holder, usd = funds[fund], sold.usd
        return {}, [
            Line(account_for(holder, AccountKind.CASH, sell_currency), -sold.amount, -usd),
            Line(account_for(holder, AccountKind.EXCHANGE, sell_currency), sold.amount, usd),
            Line(account_for(holder, AccountKind.EXCHANGE, buy_currency), -buy_amount, -usd),
            Line(account_for(holder, AccountKind.CASH, buy_currency), buy_amount, usd),
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
    *, entry: JournalEntry, by: "User", reason: str, occurred_on: date | None = None
) -> JournalEntry:
    """Correct a mistake: a new entry with every posting of `entry` negated, pointing at it."""
    require(by, Cap.MANAGE_LEDGER)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why this entry is being reversed."})
    if entry.reverses_id is not None:
        raise ValidationError("A reversal cannot itself be reversed; record the entry again.")
    with transaction.atomic():
        lock_funds(entry.fund.code, *([entry.to_fund.code] if entry.to_fund else []))
        if JournalEntry.objects.filter(reverses=entry).exists():
            raise ValidationError("This entry has already been reversed.")
        postings = list(entry.postings.select_related("account").order_by("id"))
        # A reversal only puts back what was there; it may raise the reserve or lower it
        # (reversing a donation), and a wrong donation must be correctable, so no minimum.
        with reserve_guard(by=by, override_reason="", check_minimum=False):
            return post_entry(
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


def rate_record(*, by: "User", currency: str, on: date, usd_per_unit: Decimal) -> ExchangeRate:
    """A rate the treasurer looked up; it values reserve cash from that day on."""
    require(by, Cap.MANAGE_LEDGER)
    if currency == Currency.USD:
        raise ValidationError({"currency": "The US dollar is always 1."})
    if usd_per_unit <= 0:
        raise ValidationError({"usd_per_unit": "A rate must be greater than zero."})
    with transaction.atomic():
        lock_funds()
        if ExchangeRate.objects.filter(currency=currency, on=on).exists():
            raise ValidationError({"on": f"There is already a {currency} rate for {on}."})
        with reserve_guard(by=by, override_reason="", check_minimum=False):
            return ExchangeRate.objects.create(
                currency=currency, on=on, usd_per_unit=usd_per_unit, entered_by=by
            )


BALANCE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class BalanceDifference:
    account: Account
    stored: Decimal
    from_postings: Decimal


def balances_recompute(*, fix: bool = False) -> list[BalanceDifference]:
    """Compare every stored balance with the sum of its postings; with `fix`, correct them."""
    with transaction.atomic():
        lock_funds(*FundCode.values)
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
