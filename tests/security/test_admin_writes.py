"""Every write in the admin needs a fresh re-authentication, and every change is in the access log.

The guard is the admin site's own `admin_view`, so it covers each model admin and
Django's extra admin URLs (a user's password form) without any of them opting in.
"""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from funds.models import FundPolicy
from rescue.models import AccessLog, RecoveryCodeDevice, SiteSettings
from tests.factories import UserFactory
from tests.signin import reauthenticate, verified_device

pytestmark = pytest.mark.django_db

ADMIN = "/" + settings.ADMIN_URL
NEW_PASSWORD = "a-brand-new-long-passphrase"
POLICY = {
    "standard_estimate_usd": "2500.00",
    "surveillance_extra_usd": "1000.00",
    "ceiling_usd": "6000.00",
    "minimum_usd": "0.00",
    "target_usd": "10000.00",
}


def _password_form():
    return {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}


def _sent_to_reauthentication(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        "/accounts/reauthenticate/"
    )


# Each write an administrator without a fresh re-authentication tried in the review.
def test_setting_another_users_password_needs_reauthentication(client_for, admin_user, intake):
    response = client_for(admin_user).post(
        f"{ADMIN}auth/user/{intake.pk}/password/", _password_form()
    )
    assert _sent_to_reauthentication(response)
    intake.refresh_from_db()
    assert not intake.check_password(NEW_PASSWORD)


def test_deleting_a_totp_device_needs_reauthentication(client_for, admin_user, intake):
    device = verified_device(intake)
    response = client_for(admin_user).post(
        f"{ADMIN}otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}
    )
    assert _sent_to_reauthentication(response)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_deleting_recovery_codes_needs_reauthentication(client_for, admin_user, intake):
    codes = RecoveryCodeDevice.objects.create(user=intake, name="Recovery codes", confirmed=True)
    response = client_for(admin_user).post(
        f"{ADMIN}rescue/recoverycodedevice/{codes.pk}/delete/", {"post": "yes"}
    )
    assert _sent_to_reauthentication(response)
    assert RecoveryCodeDevice.objects.filter(pk=codes.pk).exists()


def test_a_bulk_delete_from_a_list_needs_reauthentication(client_for, admin_user, intake):
    device = verified_device(intake)
    response = client_for(admin_user).post(
        f"{ADMIN}otp_totp/totpdevice/",
        {"action": "delete_selected", "_selected_action": [device.pk], "post": "yes"},
    )
    assert _sent_to_reauthentication(response)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_setting_the_reserve_minimum_to_zero_needs_reauthentication(client_for, admin_user):
    FundPolicy.load()
    response = client_for(admin_user).post(f"{ADMIN}funds/fundpolicy/1/change/", POLICY)
    assert _sent_to_reauthentication(response)
    assert FundPolicy.load().minimum_usd != Decimal("0.00")


def test_a_hundred_year_retention_needs_reauthentication(client_for, admin_user):
    SiteSettings.load()
    form = {"retention_months": "1200", "fiscal_year_start_month": "1", "stuck_case_days": "14"}
    response = client_for(admin_user).post(f"{ADMIN}rescue/sitesettings/1/change/", form)
    assert _sent_to_reauthentication(response)
    assert SiteSettings.load().retention_months == 24


def test_reading_the_admin_needs_no_reauthentication(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get(ADMIN).status_code == 200
    assert client.get(f"{ADMIN}otp_totp/totpdevice/").status_code == 200


def test_signing_out_of_the_admin_needs_no_reauthentication(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post(f"{ADMIN}logout/")
    assert not _sent_to_reauthentication(response)
    assert "_auth_user_id" not in client.session


def test_every_admin_url_that_accepts_a_post_is_guarded(client_for, admin_user, intake):
    """Every model registered, every one of its URLs: a POST without a fresh
    re-authentication never reaches the view."""
    from django.contrib import admin
    from django.urls import URLPattern, URLResolver

    client = client_for(admin_user)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        instance = model._default_manager.first()
        for pattern in model_admin.urls:
            if isinstance(pattern, URLResolver) or not isinstance(pattern, URLPattern):
                continue
            route = str(pattern.pattern)
            if "<path:object_id>" in route:
                if instance is None:
                    continue
                route = route.replace("<path:object_id>", str(instance.pk))
            if "<" in route:
                continue
            url = f"{ADMIN}{meta.app_label}/{meta.model_name}/{route.lstrip('^').rstrip('$')}"
            response = client.post(url, {})
            assert _sent_to_reauthentication(response), url
            checked += 1
    assert checked >= 20


# Every change made in the admin is in the access log, filtered as an administrative action.
def test_admin_changes_are_in_the_access_log_as_administrative_actions(
    client_for, admin_user, intake
):
    client = client_for(admin_user)
    reauthenticate(client, admin_user)
    FundPolicy.load()
    device = verified_device(intake)

    # A new user.
    response = client.post(
        f"{ADMIN}auth/user/add/",
        {
            "username": "new-intake",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    new_user = type(intake).objects.get(username="new-intake")
    # A role granted.
    coordinator_group = Group.objects.get(name="coordinator")
    response = client.post(
        f"{ADMIN}auth/user/{intake.pk}/change/",
        {
            "username": intake.username,
            "is_active": "on",
            "groups": [coordinator_group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    # A lost phone's device removed.
    response = client.post(f"{ADMIN}otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    # The reserve policy changed.
    response = client.post(f"{ADMIN}funds/fundpolicy/1/change/", POLICY)
    assert response.status_code == 302
    # Another user's password set.
    response = client.post(f"{ADMIN}auth/user/{intake.pk}/password/", _password_form())
    assert response.status_code == 302

    rows = AccessLog.objects.filter(action=AccessLog.Action.ADMIN_ACTION, user=admin_user)
    found = {(row.target, row.detail) for row in rows}
    assert (f"auth.user:{new_user.pk}", "added user") in found
    assert any(
        target == f"auth.user:{intake.pk}" and "Groups" in detail and "coordinator" in detail
        for target, detail in found
    ), found
    assert (f"otp_totp.totpdevice:{device.pk}", "deleted TOTP device") in found
    assert any(target == "funds.fundpolicy:1" and "Minimum" in detail for target, detail in found)
    assert any(
        target == f"auth.user:{intake.pk}" and "password" in detail.lower()
        for target, detail in found
    ), found
    # Never a name or a value, only which model, which row, which fields.
    for row in rows:
        assert "new-intake" not in row.detail + row.target
        assert NEW_PASSWORD not in row.detail

    page = client.get("/audit/access-log/", {"action": AccessLog.Action.ADMIN_ACTION})
    html = page.content.decode()
    assert page.status_code == 200
    for target in (
        f"auth.user:{new_user.pk}",
        f"otp_totp.totpdevice:{device.pk}",
        "funds.fundpolicy:1",
    ):
        assert target in html
    assert "deleted TOTP device" in html


def test_deleting_from_a_list_logs_each_row(client_for, admin_user):
    client = client_for(admin_user)
    reauthenticate(client, admin_user)
    devices = [verified_device(UserFactory()) for _ in range(3)]
    response = client.post(
        f"{ADMIN}otp_totp/totpdevice/",
        {"action": "delete_selected", "_selected_action": [d.pk for d in devices], "post": "yes"},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk__in=[d.pk for d in devices]).exists()
    targets = set(
        AccessLog.objects.filter(action=AccessLog.Action.ADMIN_ACTION).values_list(
            "target", flat=True
        )
    )
    assert {f"otp_totp.totpdevice:{d.pk}" for d in devices} <= targets
