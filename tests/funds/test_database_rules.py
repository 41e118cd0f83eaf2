"""On PostgreSQL the database itself keeps the ledger append-only and balanced.

These tests write around the ORM with raw SQL, as a careless script or an attacker with a
database connection would.
"""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from funds.models import AccountBalance, AccountKind, JournalEntry, Posting

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


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


def test_the_balances_table_may_be_updated(ledger):
    ledger.donate("100")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE funds_accountbalance SET balance = balance + 1")
    assert AccountBalance.objects.filter(balance=Decimal(101)).count() == 1


def test_an_entry_written_by_the_services_passes_the_balance_check(ledger):
    ledger.donate("100")
    _check_deferred_now()
    assert JournalEntry.objects.count() == 1


def test_an_unbalanced_posting_is_refused_at_commit(ledger):
    entry = ledger.donate("100")
    cash = entry.postings.get(account__kind=AccountKind.CASH)
    with pytest.raises(DatabaseError, match="does not balance"):
        _write_then_check(
            "INSERT INTO funds_posting "
            "(entry_id, account_id, currency, amount, amount_usd, occurred_on, balance_after)"
            " VALUES (%s, %s, 'USD', 5, 5, %s, 0)",
            [entry.pk, cash.account_id, entry.occurred_on],
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
