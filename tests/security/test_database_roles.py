"""The database refuses what the app refuses, even to the app's own role.

The app connects as a role that owns nothing (rescue/db_roles.py). These tests log in
as that role, on a connection of their own, against data the app committed, and show
each statement an outside review ran as the tables' owner refused.
"""

import os
from decimal import Decimal

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from funds.models import AccountBalance, AccountKind, JournalEntry
from rescue.db_roles import table_privileges
from rescue.db_rules import declared_rules
from tests.funds.conftest import Ledger

pytestmark = pytest.mark.postgresql


def _app_role() -> str:
    role = getattr(settings, "DATABASE_APP_ROLE", "")
    if not role:
        message = "set DATABASE_APP_ROLE (see .ci/run) to run the suite as the app's role"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return role


def _login_as_app_role() -> psycopg.Connection:
    """A connection of its own, logged in as the app role (not SET ROLE)."""
    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"],
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=_app_role(),
        password=os.environ.get("DATABASE_APP_PASSWORD") or None,
        autocommit=True,
    )


REFUSED = [
    ("TRUNCATE rescue_accesslog", psycopg.errors.InsufficientPrivilege),
    ("ALTER TABLE funds_posting DISABLE TRIGGER USER", psycopg.errors.InsufficientPrivilege),
    ("DELETE FROM rescue_accesslog", psycopg.errors.InsufficientPrivilege),
    ("UPDATE rescue_accesslog SET target = 'forged'", psycopg.errors.InsufficientPrivilege),
    ("UPDATE funds_posting SET amount = amount * 2", psycopg.errors.InsufficientPrivilege),
    ("DELETE FROM funds_posting", psycopg.errors.InsufficientPrivilege),
    ("UPDATE funds_journalentry SET amount_usd = 0", psycopg.errors.InsufficientPrivilege),
    ("DELETE FROM funds_accountbalance", psycopg.errors.InsufficientPrivilege),
    ("UPDATE funds_accountbalance SET balance = balance + 1000", psycopg.errors.CheckViolation),
    ("UPDATE funds_journalentry SET memo = 'Kim, Yanji'", psycopg.errors.InsufficientPrivilege),
    ("UPDATE cases_historicalcase SET stage = 'closed'", psycopg.errors.InsufficientPrivilege),
    ("DELETE FROM cases_historicalperson", psycopg.errors.InsufficientPrivilege),
    ("DROP TABLE rescue_accesslog", psycopg.errors.InsufficientPrivilege),
    ("CREATE TABLE rescue_shadow (id int)", psycopg.errors.InsufficientPrivilege),
]


def _add_postings(app, entry, lines, balances) -> None:
    with app.transaction():
        for account, amount in lines:
            app.execute(
                "INSERT INTO funds_posting (entry_id, account_id, currency, amount,"
                " amount_usd, occurred_on, balance_after)"
                " VALUES (%s, %s, 'USD', %s, %s, %s, %s)",
                [entry.pk, account, amount, amount, entry.occurred_on, balances[account] + amount],
            )
            app.execute(
                "UPDATE funds_accountbalance SET balance = balance + %s WHERE account_id = %s",
                [amount, account],
            )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_app_role_is_refused_each_statement_on_committed_data(treasurer):
    role = _app_role()
    ledger = Ledger(treasurer)
    # Committed in transactions of their own, as the app writes them.
    ledger.donate("20000")
    old = ledger.spend("100", memo="paid", payee="invoice 7")
    balances = dict(AccountBalance.objects.values_list("account_id", "balance"))
    cash = old.postings.get(account__kind=AccountKind.CASH).account_id
    expense = old.postings.get(account__kind=AccountKind.EXPENSE).account_id
    with _login_as_app_role() as app:
        assert app.execute("SELECT current_user").fetchone()[0] == role
        for statement, error in REFUSED:
            with pytest.raises(error):
                app.execute(statement)
        # Balanced postings (balances kept in step) added to an entry written earlier.
        lines = [(cash, Decimal(-50)), (expense, Decimal(50))]
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="sealed"):
            _add_postings(app, old, lines, balances)
        # What the app does do, it may: read, and write a whole new entry.
        assert app.execute("SELECT count(*) FROM funds_posting").fetchone()[0] == 4
    assert old.postings.count() == 2
    assert dict(AccountBalance.objects.values_list("account_id", "balance")) == balances
    assert JournalEntry.objects.get(pk=old.pk).memo == "paid"
    assert ledger.spend("10").postings.count() == 2


@pytest.mark.django_db
def test_the_suite_acts_as_the_app_role_which_owns_nothing():
    role = _app_role()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == role
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles"
            " WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)


@pytest.mark.django_db
def test_the_privileges_follow_the_declared_rules():
    role = _app_role()
    rules = declared_rules()
    with connection.cursor() as cursor:
        for table, (privileges, columns) in table_privileges().items():
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"):
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
                assert cursor.fetchone()[0] == (privilege in privileges), (table, privilege)
            for column in columns:
                cursor.execute(
                    "SELECT has_column_privilege(%s, %s, %s, 'UPDATE')", [role, table, column]
                )
                assert cursor.fetchone()[0], (table, column)
        # Every append-only table (history tables included) has no DELETE and its trigger.
        for table, erasable in rules.items():
            assert "DELETE" not in table_privileges()[table][0]
            cursor.execute(
                "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t"
                " WHERE t.tgrelid = %s::regclass AND t.tgname = %s",
                [table, f"{table}_append_only"],
            )
            definition = cursor.fetchone()[0]
            assert "rescue_append_only(" in definition
            for column in erasable:
                assert f"'{column}'" in definition


def test_every_history_table_is_append_only():
    tables = declared_rules()
    assert {"cases_historicalcase", "cases_historicalperson"} <= set(tables)
    assert {"funds_journalentry", "funds_posting", "rescue_accesslog", "cases_caseevent"} <= set(
        tables
    )


def test_db_roles_prints_the_two_roles_and_no_owner_privilege_for_the_app(capsys):
    if connection.vendor != "postgresql":
        pytest.skip("the roles are PostgreSQL's")
    call_command("db_roles", "--print-sql", "--app", "rescue_app", "--owner", "rescue_owner")
    sql = capsys.readouterr().out
    assert 'OWNER TO "rescue_owner"' in sql
    assert 'GRANT SELECT, INSERT ON "funds_posting" TO "rescue_app"' in sql
    assert 'GRANT UPDATE ("note") ON "cases_caseevent" TO "rescue_app"' in sql
    assert "TRUNCATE" not in sql
    assert 'TO "rescue_owner"' not in sql.split("-- 3.")[1]


def test_every_encrypted_column_of_an_append_only_table_is_erasable():
    # Key rotation rewrites every encrypted column; on an append-only table the trigger
    # and the grants must allow exactly those.
    from django.apps import apps

    from rescue.crypto import encrypted_fields

    rules = declared_rules()
    for model in apps.get_models():
        if model._meta.db_table in rules:
            assert set(encrypted_fields(model)) <= set(rules[model._meta.db_table]), model
