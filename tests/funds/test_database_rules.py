"""On PostgreSQL the database itself keeps the ledger append-only and balanced.

These tests write around the ORM with raw SQL, as a careless script or an attacker with a
database connection would, and as the tables' owner: the triggers refuse even the owner
(the app's own role lacks the privileges too: tests/security/test_database_roles.py).
"""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from funds.models import AccountBalance, AccountKind, JournalEntry, Posting

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgresql,
    pytest.mark.usefixtures("as_table_owner"),
]


def _check_deferred_now() -> None:
    # The balance check is deferred to commit; this runs it at this point instead.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _write_then_check(sql: str, params: list) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        _check_deferred_now()


def test_a_raw_update_of_an_entry_is_refused(ledger):
    entry = ledger.donate("100")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE funds_journalentry SET memo = 'x' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.memo == ""


def test_a_raw_delete_of_an_entry_is_refused(ledger):
    entry = ledger.donate("100")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM funds_posting WHERE entry_id = %s", [entry.pk])
    assert Posting.objects.filter(entry=entry).count() == 2


def test_a_raw_update_of_a_posting_amount_is_refused(ledger):
    entry = ledger.donate("100")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE funds_posting SET amount = 1 WHERE entry_id = %s", [entry.pk])
    assert sorted(entry.postings.values_list("amount", flat=True)) == [-100, 100]


def test_a_balance_may_only_be_set_to_the_sum_of_its_postings(ledger):
    ledger.donate("100")
    with (
        pytest.raises(DatabaseError, match="not the sum of its postings"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE funds_accountbalance SET balance = balance + 1")
    assert not AccountBalance.objects.filter(balance=Decimal(101)).exists()
    # Writing the sum again (what recompute_balances --fix does) passes.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE funds_accountbalance SET balance = balance")


INSERT_ENTRY = (
    "INSERT INTO funds_journalentry (occurred_on, kind, fund_id, currency, amount, usd_rate,"
    " amount_usd, category, payee_kind, payee, memo, reason, override_reason, created_by_id,"
    " created_at) VALUES (%s, 'donation', %s, 'USD', %s, 1, %s, '', '', '', '', '', '', %s,"
    " now()) RETURNING id"
)
INSERT_POSTING = (
    "INSERT INTO funds_posting (entry_id, account_id, currency, amount, amount_usd,"
    " occurred_on, balance_after) VALUES (%s, %s, 'USD', %s, %s, %s, %s)"
)
INSERT_POSTING_KEEPING_BALANCE = (
    "INSERT INTO funds_posting (entry_id, account_id, currency, amount, amount_usd,"
    " occurred_on, balance_after) VALUES (%s, %s, 'USD', %s, %s, %s, %s);"
    " UPDATE funds_accountbalance SET balance = balance + 5 WHERE account_id = %s"
)


def _insert_entry(*, on, fund_id, user, amount="5", amount_usd="5.00") -> int:
    with connection.cursor() as cursor:
        cursor.execute(INSERT_ENTRY, [on, fund_id, amount, amount_usd, user.pk])
        return cursor.fetchone()[0]


def _insert_postings(entry_id: int, on, lines) -> None:
    """Balanced postings, each with the balance_after its account's balance gives."""
    with connection.cursor() as cursor:
        for account_id, amount in lines:
            balance = AccountBalance.objects.get(account_id=account_id).balance
            row = [entry_id, account_id, amount, amount, on, balance + amount]
            cursor.execute(INSERT_POSTING, row)


def _cash_and_income(entry) -> tuple[int, int]:
    return (
        entry.postings.get(account__kind=AccountKind.CASH).account_id,
        entry.postings.get(account__kind=AccountKind.INCOME).account_id,
    )


def _new_entry_leaving_balances_behind(entry, user) -> None:
    with transaction.atomic():
        cash, income = _cash_and_income(entry)
        new_id = _insert_entry(on=entry.occurred_on, fund_id=entry.fund_id, user=user)
        _insert_postings(new_id, entry.occurred_on, [(cash, 5), (income, -5)])
        _check_deferred_now()


def test_a_posting_without_its_balance_is_refused_at_commit(ledger, treasurer):
    entry = ledger.donate("100")
    with pytest.raises(DatabaseError, match="not the sum of its postings"):
        _new_entry_leaving_balances_behind(entry, treasurer)
    assert JournalEntry.objects.count() == 1


def _add_to(entry) -> None:
    with transaction.atomic():
        cash, income = _cash_and_income(entry)
        _insert_postings(entry.pk, entry.occurred_on, [(cash, 7), (income, -7)])


def test_a_posting_cannot_be_added_to_an_entry_of_an_earlier_transaction(ledger):
    entry = ledger.donate("100")
    # The entry was written in this test's transaction; make it look older, as every
    # committed entry is (its transaction stamp is what the trigger reads).
    _check_deferred_now()
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE funds_journalentry DISABLE TRIGGER funds_journalentry_append_only;"
            " UPDATE funds_journalentry SET created_txid = created_txid - 1 WHERE id = %s;"
            " ALTER TABLE funds_journalentry ENABLE TRIGGER funds_journalentry_append_only",
            [entry.pk],
        )
    with pytest.raises(DatabaseError, match="sealed"):
        _add_to(entry)
    assert entry.postings.count() == 2


@pytest.mark.parametrize(
    ("column", "value", "constraint"),
    [
        ("amount_usd", "101.00", "entry_amount_usd_at_rate"),
        ("occurred_on", "1999-12-31", "entry_date_plausible"),
        ("occurred_on", "2999-01-01", "entry_date_plausible"),
    ],
)
def test_an_entry_s_usd_value_and_date_are_checked_against_its_rate_and_time(
    treasurer, ledger, column, value, constraint
):
    entry = ledger.donate("100")
    values = {"on": entry.occurred_on, "amount_usd": "100.00"}
    values["on" if column == "occurred_on" else column] = value
    with pytest.raises(DatabaseError, match=constraint), transaction.atomic():
        _insert_entry(fund_id=entry.fund_id, user=treasurer, amount="100", **values)


def test_an_entry_written_by_the_services_passes_the_balance_check(ledger):
    ledger.donate("100")
    _check_deferred_now()
    assert JournalEntry.objects.count() == 1


def test_an_unbalanced_posting_is_refused_at_commit(ledger):
    entry = ledger.donate("100")
    cash = entry.postings.get(account__kind=AccountKind.CASH)
    # Right in every other way (date, USD value, balance kept), but one-sided.
    with pytest.raises(DatabaseError, match="does not balance"):
        _write_then_check(
            INSERT_POSTING_KEEPING_BALANCE,
            [entry.pk, cash.account_id, 5, 100, entry.occurred_on, 105, cash.account_id],
        )
    assert entry.postings.count() == 2


def test_an_entry_with_no_postings_is_refused_at_commit(ledger, treasurer):
    entry = ledger.donate("100")
    with pytest.raises(DatabaseError, match="fewer than two"):
        _write_then_check(
            "INSERT INTO funds_journalentry (occurred_on, kind, fund_id, currency, amount,"
            " usd_rate, amount_usd, category, payee_kind, payee, memo, reason, override_reason,"
            " created_by_id, created_at)"
            " VALUES (%s, 'donation', %s, 'USD', 1, 1, 1, '', '', '', '', '', '', %s, now())",
            [entry.occurred_on, entry.fund_id, treasurer.pk],
        )
    assert JournalEntry.objects.count() == 1
