"""The ledger's services: balanced postings, exact rounding, reversals, append-only rows."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from funds import services
from funds.models import (
    AccountBalance,
    AccountKind,
    JournalEntry,
    Posting,
)
from rescue.append_only import AppendOnlyError
from tests.funds.conftest import DAY

pytestmark = pytest.mark.django_db


def _sums_per_currency(entry) -> dict[str, Decimal]:
    sums = defaultdict(Decimal)
    for posting in entry.postings.all():
        sums[posting.currency] += posting.amount
    return dict(sums)


def _assert_balanced(entry) -> None:
    sums = _sums_per_currency(entry)
    assert sums, "an entry without postings"
    assert all(total == 0 for total in sums.values()), sums
    assert entry.postings.aggregate(total=Sum("amount_usd"))["total"] == 0


def _balances_match_postings() -> None:
    for balance in AccountBalance.objects.all():
        total = Posting.objects.filter(account=balance.account).aggregate(t=Sum("amount"))["t"]
        assert balance.balance == (total or 0)


def test_a_donation_is_cash_in_and_income_out_in_its_currency(ledger):
    entry = ledger.donate("150000", "JPY", usd_rate="0.0067")
    _assert_balanced(entry)
    cash = entry.postings.get(account__kind=AccountKind.CASH)
    assert (cash.amount, cash.currency, cash.account.fund.code) == (
        Decimal(150000),
        "JPY",
        "rescue",
    )
    assert entry.amount_usd == Decimal("1005.00")
    assert entry.usd_rate == Decimal("0.0067")
    _balances_match_postings()


def test_an_expense_is_balanced_and_tied_to_its_case_and_category(ledger, approved_case):
    case = approved_case()
    ledger.donate("20000")
    entry = ledger.spend("1234.56", case=case, category="river_crossing", payee="boatman")
    _assert_balanced(entry)
    expense = entry.postings.get(account__kind=AccountKind.EXPENSE)
    assert expense.account.category == "river_crossing"
    assert expense.amount == Decimal("1234.56")
    assert entry.case == case
    _balances_match_postings()


def test_a_transfer_moves_cash_between_funds_and_balances(ledger, treasurer):
    ledger.donate("3000", fund="general")
    entry = services.transfer_record(
        by=treasurer,
        from_fund="general",
        to_fund="rescue",
        occurred_on=DAY,
        currency="USD",
        amount=Decimal("1000"),
    )
    _assert_balanced(entry)
    cash = {
        p.account.fund.code: p.amount for p in entry.postings.filter(account__kind=AccountKind.CASH)
    }
    assert cash == {"general": Decimal(-1000), "rescue": Decimal(1000)}
    _balances_match_postings()


def test_an_exchange_balances_in_each_currency_and_values_both_sides_alike(ledger, treasurer):
    ledger.donate("1000000", "KRW", usd_rate="0.0007")
    entry = services.exchange_record(
        by=treasurer,
        fund="rescue",
        occurred_on=DAY,
        sell_currency="KRW",
        sell_amount=Decimal("1000000"),
        buy_currency="USD",
        buy_amount=Decimal("712.40"),
    )
    _assert_balanced(entry)
    assert set(_sums_per_currency(entry)) == {"KRW", "USD"}
    # Sold for dollars with no rate given: the dollars received set the rate.
    assert entry.usd_rate == Decimal("0.0007124")
    assert entry.amount_usd == Decimal("712.40")
    krw = AccountBalance.objects.get(account__kind=AccountKind.CASH, account__currency="KRW")
    assert krw.balance == 0
    _balances_match_postings()


@pytest.mark.parametrize("currency", ["JPY", "KRW"])
def test_yen_and_won_refuse_fractions(ledger, currency):
    with pytest.raises(ValidationError) as error:
        ledger.donate("1000.5", currency, usd_rate="0.007")
    assert "no decimal places" in str(error.value)
    assert not JournalEntry.objects.exists()


def test_dollars_refuse_fractions_of_a_cent(ledger):
    with pytest.raises(ValidationError):
        ledger.donate("10.005")
    assert not JournalEntry.objects.exists()


def test_usd_values_are_rounded_half_up_to_the_cent(ledger):
    entry = ledger.donate("1001", "JPY", usd_rate="0.0066625")  # 6.6691625 USD
    assert entry.amount_usd == Decimal("6.67")
    assert entry.postings.get(account__kind=AccountKind.CASH).amount == Decimal(1001)


def test_the_latest_entered_rate_is_used_when_none_is_given_and_stored(ledger):
    ledger.rate("EUR", "1.10", on=DAY.replace(day=1))
    entry = ledger.donate("100.00", "EUR")
    ledger.rate("EUR", "1.20", on=DAY)
    entry.refresh_from_db()
    assert entry.usd_rate == Decimal("1.10")
    assert entry.amount_usd == Decimal("110.00")


def test_a_currency_without_any_rate_is_refused(ledger):
    with pytest.raises(ValidationError) as error:
        ledger.donate("100.00", "THB")
    assert "usd_rate" in error.value.error_dict


def test_a_reversal_negates_every_posting_and_points_at_the_original(ledger, treasurer):
    ledger.donate("20000")
    original = ledger.spend("700.00", category="shelter")
    before = dict(AccountBalance.objects.values_list("account_id", "balance"))
    reversal = services.entry_reverse(entry=original, by=treasurer, reason="Paid twice by mistake")
    _assert_balanced(reversal)
    assert reversal.reverses == original
    assert reversal.reason == "Paid twice by mistake"
    assert reversal.amount_usd == -original.amount_usd
    after = dict(AccountBalance.objects.values_list("account_id", "balance"))
    for posting in original.postings.all():
        assert after[posting.account_id] == before[posting.account_id] - posting.amount
    cash = AccountBalance.objects.get(account__kind=AccountKind.CASH, account__fund__code="rescue")
    assert cash.balance == Decimal(20000)
    _balances_match_postings()


def test_an_entry_is_reversed_once_only(ledger, treasurer):
    entry = ledger.donate("100")
    services.entry_reverse(entry=entry, by=treasurer, reason="Wrong fund")
    with pytest.raises(ValidationError):
        services.entry_reverse(entry=entry, by=treasurer, reason="Again")
    assert JournalEntry.objects.filter(reverses=entry).count() == 1


def test_a_reversal_needs_a_reason(ledger, treasurer):
    entry = ledger.donate("100")
    with pytest.raises(ValidationError):
        services.entry_reverse(entry=entry, by=treasurer, reason="   ")
    assert JournalEntry.objects.count() == 1


def test_a_reversal_cannot_be_reversed(ledger, treasurer):
    reversal = services.entry_reverse(entry=ledger.donate("100"), by=treasurer, reason="Wrong")
    with pytest.raises(ValidationError):
        services.entry_reverse(entry=reversal, by=treasurer, reason="Undo")


def test_entries_and_postings_refuse_change_through_the_orm(ledger):
    entry = ledger.donate("100")
    entry.memo = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        JournalEntry.objects.filter(pk=entry.pk).update(memo="changed")
    posting = entry.postings.first()
    with pytest.raises(AppendOnlyError):
        posting.delete()
    with pytest.raises(AppendOnlyError):
        Posting.objects.all().delete()
    entry.refresh_from_db()
    assert entry.memo == ""
    assert Posting.objects.count() == 2


@pytest.mark.parametrize("persona", ["coordinator", "intake", "board", "outsider"])
def test_only_treasurers_and_admins_write_the_ledger(personas, persona):
    with pytest.raises(PermissionDenied):
        services.donation_record(
            by=personas[persona],
            fund="rescue",
            occurred_on=DAY,
            currency="USD",
            amount=Decimal(100),
        )
    assert not JournalEntry.objects.exists()


def test_an_admin_may_write_the_ledger(admin_user):
    services.donation_record(
        by=admin_user, fund="general", occurred_on=DAY, currency="USD", amount=Decimal(100)
    )
    assert JournalEntry.objects.count() == 1


def test_an_expense_for_a_restricted_case_the_treasurer_may_not_refer_to_is_refused(
    ledger, approved_case
):
    ledger.donate("20000")
    hidden = approved_case(restricted=True)
    with pytest.raises(PermissionDenied):
        ledger.spend("100", case=hidden)
    assert JournalEntry.objects.count() == 1
