"""Sign-in, sign-out, password change, password rules and session lifetime."""

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import override_settings

from tests.conftest import PASSWORD
from tests.security.helpers import totp_code
from tests.signin import verified_device


@pytest.mark.django_db
def test_the_password_step_leads_to_two_factor_enrolment_not_to_the_app(client, intake):
    response = client.post("/accounts/login/", {"username": intake.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/enrol/?next=%2F"
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_is_refused_next_to_the_form(client, intake):
    response = client.post("/accounts/login/", {"username": intake.username, "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_gives_a_new_session_key(client, intake):
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "attacker-chosen"
    client.post("/accounts/login/", {"username": intake.username, "password": PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-chosen"


@pytest.mark.django_db
def test_sign_out_is_a_post_and_ends_the_session(client_for, intake):
    client = client_for(intake)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_user_changes_their_password(client_for, intake):
    client = client_for(intake)
    new = "a-much-longer-passphrase-2026"
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "code": totp_code(verified_device(intake)),
            "new_password1": new,
            "new_password2": new,
        },
    )
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.check_password(new)


@pytest.mark.django_db
def test_a_short_new_password_is_refused_and_changes_nothing(client_for, intake):
    client = client_for(intake)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "short-pw-1", "new_password2": "short-pw-1"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    intake.refresh_from_db()
    assert intake.check_password(PASSWORD)


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError):
        password_validation.validate_password("eleven-char")
    password_validation.validate_password("twelve-chars-ok")


def test_passwords_are_hashed_with_argon2_outside_tests():
    from rescue.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_a_stored_password_is_an_argon2_hash(django_user_model):
    user = django_user_model.objects.create_user("hash-check", password="correct-horse-battery")
    assert user.password.startswith("argon2$")


def test_sessions_live_in_the_database_and_expire_after_thirty_idle_minutes():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.django_db
def test_every_signed_in_page_forbids_caching(client_for, intake):
    response = client_for(intake).get("/")
    assert "no-store" in response["Cache-Control"]
