"""Lockout after repeated failed sign-ins (django-axes): same answer for known and unknown names."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from tests.security.helpers import password_step, without_csrf
from tests.signin import reauthenticate, verified_device


def _fail(client, username: str, times: int):
    response = None
    for _ in range(times):
        response = client.post("/accounts/login/", {"username": username, "password": "wrong"})
    return response


@pytest.mark.django_db
def test_a_username_is_locked_after_five_failures_even_with_the_right_password(client, intake):
    assert _fail(client, intake.username, settings.AXES_FAILURE_LIMIT - 1).status_code == 200
    assert _fail(client, intake.username, 1).status_code == 429
    response = password_step(client, intake)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_known_and_unknown_usernames_get_the_same_lockout_answer(client, intake, django_user_model):
    known = _fail(client, intake.username, settings.AXES_FAILURE_LIMIT + 1)
    client.cookies.clear()
    # A second browser, so the address+browser lock does not answer for the username lock.
    unknown = _fail(type(client)(HTTP_USER_AGENT="another browser"), "nobody-by-this-name", 6)
    assert known.status_code == unknown.status_code == 429
    assert without_csrf(known.content.decode()) == without_csrf(unknown.content.decode())
    assert not django_user_model.objects.filter(username="nobody-by-this-name").exists()


@pytest.mark.django_db
def test_failures_under_the_limit_look_the_same_for_known_and_unknown_names(client, intake):
    known = _fail(client, intake.username, 1)
    unknown = _fail(client, "nobody-by-this-name", 1)
    assert known.status_code == unknown.status_code == 200
    known_page = without_csrf(known.content.decode()).replace(intake.username, "NAME")
    unknown_page = without_csrf(unknown.content.decode()).replace("nobody-by-this-name", "NAME")
    assert known_page == unknown_page


@pytest.mark.django_db
def test_an_administrator_unlocks_a_locked_username_in_the_admin(
    client, client_for, intake, admin_user
):
    _fail(client, intake.username, settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username=intake.username)
    admin = reauthenticate(client_for(admin_user), admin_user)
    response = admin.post(
        f"/{settings.ADMIN_URL}axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=intake.username).exists()
    verified_device(intake)
    anonymous = type(client)()
    assert password_step(anonymous, intake)["Location"].startswith("/accounts/two-factor/")


@pytest.mark.django_db
def test_changing_the_browser_does_not_buy_an_address_more_tries(client, intake):
    """One address spraying one guess at each of many usernames, a new User-Agent each
    time, is locked after AXES_ADDRESS_FAILURE_LIMIT failures, whoever it then tries."""
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for number in range(limit):
        sprayer = type(client)(HTTP_USER_AGENT=f"browser {number}")
        response = _fail(sprayer, f"guessed-name-{number}", 1)
        # As for a username: the failure that reaches the limit is answered with the lock.
        assert response.status_code == (429 if number == limit - 1 else 200), number
    verified_device(intake)
    fresh = type(client)(HTTP_USER_AGENT="yet another browser")
    assert password_step(fresh, intake).status_code == 429
    assert "_auth_user_id" not in fresh.session
    # Another address is not affected.
    elsewhere = type(client)(REMOTE_ADDR="192.0.2.44")
    assert password_step(elsewhere, intake)["Location"].startswith("/accounts/two-factor/")


@pytest.mark.django_db
def test_an_office_behind_one_address_is_not_locked_by_a_few_typos(client, intake):
    for number in range(settings.AXES_FAILURE_LIMIT * 2):
        _fail(type(client)(HTTP_USER_AGENT=f"browser {number}"), f"colleague-{number}", 1)
    verified_device(intake)
    assert password_step(type(client)(), intake)["Location"].startswith("/accounts/two-factor/")
