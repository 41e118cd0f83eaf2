"""The admin: at a path from the environment, for two-factor-verified administrators only."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from tests.security.helpers import totp_code
from tests.signin import sign_in_password_only, verified_device

ADMIN = "/" + settings.ADMIN_URL


def test_the_admin_is_not_at_slash_admin():
    assert settings.ADMIN_URL != "admin/"


@pytest.mark.django_db
def test_slash_admin_does_not_exist(client_for, admin_user):
    assert client_for(admin_user).get("/admin/").status_code == 404


@pytest.mark.django_db
def test_the_admin_login_page_sends_visitors_to_the_two_step_sign_in(client):
    response = client.get(ADMIN + "login/?next=" + ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.post(ADMIN + "login/", {"username": "x", "password": "y"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_an_administrator_with_only_a_password_is_sent_to_the_second_step(client, admin_user):
    verified_device(admin_user)
    sign_in_password_only(client, admin_user)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "coordinator", "treasurer", "board", "outsider"])
def test_verified_users_who_are_not_administrators_are_refused(personas, client_for, persona):
    assert client_for(personas[persona]).get(ADMIN).status_code == 403


@pytest.mark.django_db
def test_a_verified_administrator_reaches_the_admin(client_for, admin_user):
    page = client_for(admin_user).get(ADMIN)
    assert page.status_code == 200
    assert "Users" in page.content.decode()


@pytest.mark.django_db
def test_staff_status_without_the_admin_role_is_not_enough(client_for, coordinator):
    coordinator.is_staff = True
    coordinator.save()
    assert client_for(coordinator).get(ADMIN).status_code == 403


@pytest.mark.django_db
def test_changing_a_users_roles_needs_password_and_code_again(client_for, admin_user, intake):
    client = client_for(admin_user)
    url = f"{ADMIN}auth/user/{intake.pk}/change/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/reauthenticate/?next={url.replace('/', '%2F')}"
    coordinator_group = Group.objects.get(name="coordinator")
    form = {
        "username": intake.username,
        "is_active": "on",
        "groups": [coordinator_group.pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    assert client.post(url, form).status_code == 302
    assert list(intake.groups.values_list("name", flat=True)) == ["intake"]
    response = client.post(
        "/accounts/reauthenticate/",
        {
            "password": "correct-horse-battery",
            "code": totp_code(verified_device(admin_user)),
            "next": url,
        },
    )
    assert response["Location"] == url
    assert client.get(url).status_code == 200
    assert client.post(url, form).status_code == 302
    assert list(intake.groups.values_list("name", flat=True)) == ["coordinator"]


@pytest.mark.django_db
def test_changing_a_roles_capabilities_needs_reauthentication(client_for, admin_user):
    group = Group.objects.get(name="board")
    response = client_for(admin_user).get(f"{ADMIN}auth/group/{group.pk}/change/")
    assert response["Location"].startswith("/accounts/reauthenticate/")


@pytest.mark.django_db
def test_the_access_log_cannot_be_edited_in_the_admin(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get(f"{ADMIN}rescue/accesslog/").status_code == 200
    assert client.get(f"{ADMIN}rescue/accesslog/add/").status_code == 403
