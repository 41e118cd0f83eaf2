"""Identifying fields are encrypted at rest with keys of their own, and the keys can be rotated."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from cases.models import Case, Household, Situation
from rescue.crypto import keyed_hash

MARKER = "CANARY-legal-name-7f1c"


def _raw(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s",  # noqa: S608 - names are literals
            [pk.hex if connection.vendor == "sqlite" else pk],
        )
        return cursor.fetchone()[0]


def _case(user, **fields) -> Case:
    return Case.objects.create(
        reference=fields.pop("reference", "2026-001"),
        household=Household.UNACCOMPANIED_WOMAN,
        situation=Situation.FORCED_MARRIAGE,
        created_by=user,
        **fields,
    )


@pytest.mark.django_db
def test_the_database_row_holds_no_plaintext(intake):
    case = _case(intake, notes=MARKER, contact_handle="wechat:" + MARKER)
    raw = _raw("cases_case", "notes", case.pk)
    assert MARKER not in raw
    assert raw.startswith("gAAAA")  # a Fernet token
    case.refresh_from_db()
    assert case.notes == MARKER


@pytest.mark.django_db
def test_history_rows_are_encrypted_too(intake):
    case = _case(intake, notes=MARKER)
    history = case.history.first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM cases_historicalcase WHERE history_id = %s", [history.pk])
        assert MARKER not in cursor.fetchone()[0]


@pytest.mark.django_db
def test_an_encrypted_field_cannot_be_searched_in_the_database():
    with pytest.raises(FieldError):
        list(Case.objects.filter(notes=MARKER))


OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.mark.django_db
def test_reencrypt_fields_moves_every_row_to_the_newest_key(intake):
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        case = _case(intake, notes=MARKER, current_region="Yanbian")
        case.people.create(alias="Alias-" + MARKER)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        call_command("reencrypt_fields", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        case.refresh_from_db()
        assert case.notes == MARKER
        assert case.current_region == "Yanbian"
        assert case.people.get().alias == "Alias-" + MARKER
        assert case.history.first().notes == MARKER


@pytest.mark.django_db
def test_a_row_under_an_unknown_key_fails_without_showing_the_ciphertext(intake):
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        case = _case(intake, notes=MARKER)
    raw = _raw("cases_case", "notes", case.pk)
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]),
        pytest.raises(ImproperlyConfigured) as caught,
    ):
        Case.objects.get(pk=case.pk)
    assert raw not in str(caught.value)


def test_the_keyed_hash_matches_the_same_handle_written_differently():
    assert keyed_hash("+86 138-0013-8000") == keyed_hash("+8613800138000")
    assert keyed_hash("WeChat:Hana_88") == keyed_hash("wechat:hana88")
    assert keyed_hash("+8613800138000") != keyed_hash("+8613800138001")
    assert keyed_hash("") == ""


def test_the_keyed_hash_depends_on_its_key():
    first = keyed_hash("+8613800138000")
    with override_settings(FIELD_HASH_KEY="another-key"):
        assert keyed_hash("+8613800138000") != first
