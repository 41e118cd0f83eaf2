"""Management commands of the project package: add_user, load_demo, generate_field_key."""

import io
from unittest import mock

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from rescue.models import AccessLog


def _add_user(*args, passwords):
    with mock.patch("getpass.getpass", side_effect=passwords):
        call_command("add_user", *args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_add_user_creates_a_user_with_several_roles():
    _add_user(
        "hana", "--role", "intake", "--role", "coordinator", passwords=["long-enough-pass"] * 2
    )
    user = get_user_model().objects.get(username="hana")
    assert user.check_password("long-enough-pass")
    assert sorted(user.groups.values_list("name", flat=True)) == ["coordinator", "intake"]
    assert not user.is_staff
    # Listed with the access log's administrative actions, by id and roles, not by name.
    row = AccessLog.objects.get(action=AccessLog.Action.ADMIN_ACTION)
    assert row.target == f"auth.user:{user.pk}"
    assert "coordinator, intake" in row.detail
    assert "hana" not in row.detail


@pytest.mark.django_db
def test_add_user_makes_admins_staff_for_the_admin_site():
    _add_user("root2", "--role", "admin", passwords=["long-enough-pass"] * 2)
    assert get_user_model().objects.get(username="root2").is_staff


@pytest.mark.django_db
def test_add_user_refuses_weak_passwords_and_creates_nobody():
    with pytest.raises(CommandError):
        _add_user("weak", "--role", "intake", passwords=["short"] * 6)
    assert not get_user_model().objects.filter(username="weak").exists()


def test_add_user_takes_no_password_argument():
    with pytest.raises(CommandError):
        call_command(
            "add_user", "x", "--role", "intake", "--password", "secret-on-the-command-line"
        )


@pytest.mark.django_db
def test_load_demo_refuses_without_debug():
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_load_demo_twice_creates_nothing_new():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    counts = {model: model.objects.count() for model in _all_models()}
    call_command("load_demo", stdout=io.StringIO())
    assert {model: model.objects.count() for model in _all_models()} == counts
    assert "demo-coordinator-2026" in out.getvalue()
    assert get_user_model().objects.count() == 5


def _all_models():
    from django.apps import apps

    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]


def test_generate_field_key_prints_a_usable_key():
    out = io.StringIO()
    call_command("generate_field_key", stdout=out)
    Fernet(out.getvalue().strip().encode())


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_load_demo_refuses_a_database_with_real_accounts():
    get_user_model().objects.create_user("a-real-coordinator", password="long-enough-pass")
    with pytest.raises(CommandError, match="other than the demo ones"):
        call_command("load_demo", stdout=io.StringIO())
    assert get_user_model().objects.count() == 1
