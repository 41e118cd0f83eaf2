"""The ledger's free text (payee, memo, reasons) is protected like case text.

Encrypted at rest, shown only beside a case the reader may refer to, erased by
retention with its case, erasable when a name was typed by mistake (the one change an
append-only entry allows, in the model and in the database), re-encrypted by key
rotation, and payees are described by a coded kind rather than by a place.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Stage
from funds import services
from funds.forms import ExpenseForm
from funds.models import Commitment, JournalEntry, PayeeKind
from rescue.crypto import decrypt
from rescue.models import AccessLog
from tests.factories import CaseFactory
from tests.signin import reauthenticate

pytestmark = pytest.mark.django_db

SECRET = "Kim Sun-hee, Yanji, wechat kimsh88"


def _raw(table: str, pk: int, columns: tuple[str, ...]) -> tuple:
    with connection.cursor() as cursor:
        names = ", ".join(columns)
        cursor.execute(f"SELECT {names} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


@pytest.fixture
def expense(ledger, approved_case):
    ledger.donate("20000")
    case = approved_case()
    entry = ledger.spend(
        "300",
        case=case,
        payee=f"{SECRET} payee",
        payee_kind=PayeeKind.BROKER,
        memo=f"{SECRET} memo",
    )
    return entry


def test_free_text_is_stored_encrypted(expense, treasurer):
    reversal = services.entry_reverse(entry=expense, by=treasurer, reason=f"{SECRET} reason")
    for entry in (expense, reversal):
        stored = _raw("funds_journalentry", entry.pk, ("payee", "memo", "reason"))
        assert not any(SECRET in value for value in stored)
        assert all(value == "" or value.startswith("gAAAAA") for value in stored)
    assert decrypt(_raw("funds_journalentry", reversal.pk, ("reason",))[0]).startswith(SECRET)
    reloaded = JournalEntry.objects.get(pk=expense.pk)
    assert reloaded.payee == f"{SECRET} payee"
    assert reloaded.memo == f"{SECRET} memo"


def test_a_commitment_override_reason_is_stored_encrypted(treasurer, ledger, approved_case):
    commitment = services.commitment_create(
        case=approved_case(), by=treasurer, override_reason=f"{SECRET} override"
    )
    (stored,) = _raw("funds_commitment", commitment.pk, ("override_reason",))
    assert SECRET not in stored
    assert Commitment.objects.get().override_reason == f"{SECRET} override"


def test_the_expense_form_offers_coded_payee_kinds_and_suggests_no_place():
    form = ExpenseForm(user=None)
    assert [value for value, _ in form.fields["payee_kind"].choices][1:] == PayeeKind.values
    for field in form.fields.values():
        assert "Yanji" not in str(field.help_text)
    assert "Never a name, a place" in str(form.fields["payee"].help_text)


def test_an_unknown_payee_kind_is_refused(ledger):
    ledger.donate("1000")
    with pytest.raises(Exception, match="Choose who was paid"):
        ledger.spend("10", payee_kind="Mr Kim")
    assert JournalEntry.objects.count() == 1


def test_a_reversal_keeps_the_payee_kind(expense, treasurer):
    reversal = services.entry_reverse(entry=expense, by=treasurer, reason="typo")
    assert reversal.payee_kind == PayeeKind.BROKER


def test_erasing_by_mistake_blanks_the_text_of_the_entry_and_its_reversal_only(expense, treasurer):
    reversal = services.entry_reverse(entry=expense, by=treasurer, reason=f"{SECRET} reason")
    other = services.donation_record(
        by=treasurer,
        fund="rescue",
        occurred_on=expense.occurred_on,
        currency="USD",
        amount=Decimal(5),
        memo="kept",
    )
    assert services.entry_text_erase(entry=expense, by=treasurer) == 2
    for entry in (expense, reversal):
        entry = JournalEntry.objects.get(pk=entry.pk)
        assert (entry.payee, entry.memo, entry.reason, entry.override_reason) == ("", "", "", "")
        assert entry.text_erased_at is not None
    erased = JournalEntry.objects.get(pk=expense.pk)
    assert (erased.amount, erased.amount_usd, erased.payee_kind) == (
        expense.amount,
        expense.amount_usd,
        PayeeKind.BROKER,
    )
    assert JournalEntry.objects.get(pk=other.pk).memo == "kept"
    log = AccessLog.objects.get(action=AccessLog.Action.ADMIN_ACTION)
    assert log.target == f"ledger entry {expense.pk}"
    assert SECRET not in log.detail


def test_only_a_ledger_manager_may_erase(expense, coordinator, board):
    for user in (coordinator, board):
        with pytest.raises(PermissionDenied):
            services.entry_text_erase(entry=expense, by=user)
    assert JournalEntry.objects.get(pk=expense.pk).memo == f"{SECRET} memo"


def test_the_erase_page_asks_for_reauthentication_then_confirmation(client_for, treasurer, expense):
    client = client_for(treasurer)
    url = reverse("funds:entry_text_erase", args=[expense.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    reauthenticate(client, treasurer)
    page = client.get(reverse("funds:entry", args=[expense.pk])).content.decode()
    assert url in page
    assert client.post(url, {}).status_code == 400
    assert JournalEntry.objects.get(pk=expense.pk).memo == f"{SECRET} memo"
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert JournalEntry.objects.get(pk=expense.pk).memo == ""
    page = client.get(reverse("funds:entry", args=[expense.pk])).content.decode()
    assert "erased" in page
    assert url not in page


def test_readers_who_may_not_erase_are_refused(client_for, board, coordinator, expense):
    url = reverse("funds:entry_text_erase", args=[expense.pk])
    assert client_for(coordinator).get(url).status_code == 403
    assert client_for(board).get(url).status_code in (403, 404)


def test_text_about_a_case_the_reader_may_not_refer_to_is_not_shown(
    client_for, coordinator, admin_user, ledger
):
    ledger.donate("9000")
    hidden = CaseFactory(stage=Stage.APPROVED)
    entry = ledger.spend("10", case=hidden, memo=f"{SECRET} memo", payee=f"{SECRET} payee")
    type(hidden).objects.filter(pk=hidden.pk).update(restricted=True)
    client = client_for(coordinator)
    for url in (
        reverse("funds:ledger"),
        reverse("funds:entry", args=[entry.pk]),
        reverse("funds:export"),
    ):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET not in body.decode(), url
    client.cookies.clear()
    shown = client_for(admin_user).get(reverse("funds:entry", args=[entry.pk]))
    assert SECRET in shown.content.decode()


def test_retention_erases_the_ledger_text_of_expired_cases(treasurer, ledger, approved_case):
    ledger.donate("20000")
    old, recent = approved_case(), approved_case()
    old_entry = ledger.spend("10", case=old, memo=f"{SECRET} old", payee=f"{SECRET} old")
    recent_entry = ledger.spend("10", case=recent, memo=f"{SECRET} recent")
    services.commitment_create(case=old, by=treasurer, override_reason=f"{SECRET} old")
    closed = timezone.now() - timedelta(days=900)
    type(old).objects.filter(pk=old.pk).update(closed_at=closed)
    call_command("purge_expired", stdout=io.StringIO())
    erased = JournalEntry.objects.get(pk=old_entry.pk)
    assert (erased.payee, erased.memo) == ("", "")
    assert erased.text_erased_at is not None
    assert Commitment.objects.get(case=old).override_reason == ""
    assert JournalEntry.objects.get(pk=recent_entry.pk).memo == f"{SECRET} recent"


OLD_KEY = "b2xkZXItdGVzdC1maWVsZC1rZXktMDAwMDAwMDAwMDA="
NEW_KEY = "dGVzdC1vbmx5LWZpZWxkLWtleS0wMDAwMDAwMDAwMDA="


def test_key_rotation_re_encrypts_the_ledger_text(treasurer, ledger, approved_case):
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        ledger.donate("20000")
        entry = ledger.spend("10", case=approved_case(), memo=f"{SECRET} memo")
        commitment = services.commitment_create(
            case=approved_case(), by=treasurer, override_reason=f"{SECRET} why"
        )
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        call_command("reencrypt_fields", stdout=io.StringIO())
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        assert JournalEntry.objects.get(pk=entry.pk).memo == f"{SECRET} memo"
        assert Commitment.objects.get(pk=commitment.pk).override_reason == f"{SECRET} why"


@pytest.mark.postgresql
@pytest.mark.usefixtures("as_table_owner")  # the trigger refuses even the tables' owner
def test_the_database_lets_only_the_free_text_be_erased(expense):
    # Erasing (to empty) and re-encrypting (a new token) pass the trigger...
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE funds_journalentry SET payee = '', memo = '', text_erased_at = now()"
            " WHERE id = %s",
            [expense.pk],
        )
    # ...but not plaintext, any other column, a second stamp, or a delete.
    for statement in (
        "UPDATE funds_journalentry SET memo = 'a name' WHERE id = %s",
        "UPDATE funds_journalentry SET amount = 1 WHERE id = %s",
        "UPDATE funds_journalentry SET payee_kind = 'other' WHERE id = %s",
        "UPDATE funds_journalentry SET text_erased_at = now() - interval '1 day' WHERE id = %s",
        "DELETE FROM funds_journalentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [expense.pk])
    assert JournalEntry.objects.get(pk=expense.pk).amount == expense.amount
