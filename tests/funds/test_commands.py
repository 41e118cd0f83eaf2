"""The fund's management commands: recompute_balances and import_ledger."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from funds.models import AccountBalance, AccountKind, JournalEntry, Posting
from tests.dbroles import as_owner

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_recompute_finds_nothing_in_a_ledger_kept_by_the_services(ledger):
    ledger.donate("20000")
    ledger.spend("100.00", category="medical")
    assert "0 difference(s)." in _run("recompute_balances")


def _plant_difference(balance: AccountBalance, value: Decimal) -> None:
    # On PostgreSQL a trigger refuses a balance that is not the sum of its postings; only
    # the tables' owner can switch it off, which is what planting a difference takes.
    postgresql = connection.vendor == "postgresql"
    with as_owner(), connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE funds_accountbalance DISABLE TRIGGER USER")
        AccountBalance.objects.filter(pk=balance.pk).update(balance=value)
        if postgresql:
            cursor.execute("ALTER TABLE funds_accountbalance ENABLE TRIGGER USER")


def test_recompute_reports_a_planted_difference_and_fixes_it_on_request(ledger):
    ledger.donate("20000")
    cash = AccountBalance.objects.get(account__kind=AccountKind.CASH)
    _plant_difference(cash, Decimal("19999.99"))
    with pytest.raises(CommandError, match="1 account balance"):
        _run("recompute_balances")
    output = _run("recompute_balances", "--fix")
    assert "stored 19999.9900, postings say 20000.0000 (corrected)" in output
    cash.refresh_from_db()
    assert cash.balance == Decimal(20000)
    assert "0 difference(s)." in _run("recompute_balances")


HEADER = "date,kind,amount,currency,usd_rate,fund,case_ref,category,memo\n"


@pytest.fixture
def csv_file(tmp_path):
    def write(*rows: str):
        path = tmp_path / "ledger.csv"
        path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
        return str(path)

    return write


def test_import_writes_donations_and_expenses_and_skips_them_on_reimport(
    treasurer, csv_file, approved_case
):
    case = approved_case()
    path = csv_file(
        "2025-01-20,donation,1500000,JPY,0.0064,rescue,,,Church network",
        "2025-02-01,donation,3000.00,USD,1,general,,,Grant",
        f"2025-03-10,expense,1100.00,USD,1,rescue,{case.reference},broker_fee,Broker",
        "2025-03-10,expense,1100.00,USD,1,rescue,,other,Same figures on purpose",
        "2025-03-10,expense,1100.00,USD,1,rescue,,other,Same figures on purpose",
    )
    assert "Imported 5 entries; skipped 0" in _run(
        "import_ledger", path, "--user", treasurer.username
    )
    assert JournalEntry.objects.count() == 5
    assert JournalEntry.objects.get(category="broker_fee").case == case
    assert JournalEntry.objects.get(currency="JPY").amount_usd == Decimal("9600.00")
    assert "Imported 0 entries; skipped 5" in _run(
        "import_ledger", path, "--user", treasurer.username
    )
    assert JournalEntry.objects.count() == 5
    assert Posting.objects.aggregate(total=Sum("amount"))["total"] == 0


def test_import_is_all_or_nothing_with_an_error_per_bad_row(treasurer, csv_file):
    path = csv_file(
        "2025-01-20,donation,1000,USD,1,rescue,,,Fine",
        "2025-01-21,donation,1000.5,JPY,0.0064,rescue,,,Fraction of a yen",
        "2025-01-22,expense,10,USD,1,rescue,,,No category",
        "2025-01-23,gift,10,USD,1,rescue,,,",
        "2025-01-24,donation,10,USD,1,rescue,2099-999,,Case on a donation",
        "2025-02-30,donation,10,USD,2,secret,,,",
    )
    with pytest.raises(CommandError) as error:
        _run("import_ledger", path, "--user", treasurer.username)
    message = str(error.value)
    assert "row 2 (line 3): amount: JPY has no decimal places" in message
    assert "row 3 (line 4): category" in message
    assert "row 4 (line 5): kind" in message
    assert "row 5 (line 6): case_ref" in message
    assert "row 6 (line 7): date" in message
    assert "row 6 (line 7): usd_rate: must be 1 for USD" in message
    assert "row 6 (line 7): fund" in message
    assert "row 1 " not in message
    assert not JournalEntry.objects.exists()


def test_import_rolls_back_every_row_when_one_is_refused_by_the_reserve_minimum(
    treasurer, csv_file
):
    path = csv_file(
        "2025-01-20,donation,7000,USD,1,rescue,,,",
        "2025-01-21,expense,1500,USD,1,rescue,,other,Would leave 5500",
    )
    with pytest.raises(CommandError, match="line 3"):
        _run("import_ledger", path, "--user", treasurer.username)
    assert not JournalEntry.objects.exists()
    assert not AccountBalance.objects.exclude(balance=0).exists()


def test_import_needs_a_user_who_may_write_the_ledger(coordinator, csv_file):
    path = csv_file("2025-01-20,donation,10,USD,1,rescue,,,")
    with pytest.raises(CommandError, match="treasurer or administrator"):
        _run("import_ledger", path, "--user", coordinator.username)
    assert not JournalEntry.objects.exists()


def test_import_refuses_a_file_with_other_columns(treasurer, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("date,amount\n2025-01-01,5\n", encoding="utf-8")
    with pytest.raises(CommandError, match="expected the columns"):
        _run("import_ledger", str(path), "--user", treasurer.username)
