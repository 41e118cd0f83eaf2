"""No page or endpoint answers an anonymous visitor, except sign-in, the health check and static.

The admin's own login page is not open: it sends visitors to the app's two-step sign-in.
"""

import pytest
from django.conf import settings
from django.urls import resolve

from tests.urlsweep import all_urls, count_patterns

OPEN_PAGES = {"login", "healthz"}


def _is_sign_in_redirect(response) -> bool:
    if response.status_code != 302:
        return False
    location = response["Location"]
    return location.startswith(settings.LOGIN_URL_PATH) or location.startswith(
        "/" + settings.ADMIN_URL + "login/"
    )


@pytest.fixture(autouse=True)
def _login_path(settings):
    settings.LOGIN_URL_PATH = "/accounts/login/"


def test_the_sweep_reaches_every_pattern_in_the_urlconf():
    urls = all_urls()
    assert len(urls) == count_patterns()
    # The admin alone has a score; an enumeration that came back nearly empty is broken.
    assert len(urls) > 20
    for swept in urls:
        resolve(swept.url.split("?")[0])


@pytest.mark.django_db
def test_anonymous_get_is_sent_to_sign_in_everywhere_but_the_open_pages(client):
    opened, swept = set(), 0
    for swept_url in all_urls():
        response = client.get(swept_url.url)
        swept += 1
        if swept_url.name in OPEN_PAGES:
            assert response.status_code == 200, swept_url
            opened.add(swept_url.name)
            continue
        assert response.status_code != 200, swept_url
        assert _is_sign_in_redirect(response) or response.status_code == 405, (
            swept_url,
            response.status_code,
        )
    assert opened == OPEN_PAGES
    assert swept == count_patterns()


@pytest.mark.django_db
def test_anonymous_post_changes_nothing_anywhere(client, django_user_model):
    users_before = django_user_model.objects.count()
    for swept_url in all_urls():
        if swept_url.name in OPEN_PAGES:
            continue
        response = client.post(swept_url.url, {"username": "x", "password": "y"})
        assert _is_sign_in_redirect(response) or response.status_code == 405, (
            swept_url,
            response.status_code,
        )
    assert django_user_model.objects.count() == users_before
