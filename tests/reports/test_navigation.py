"""The main navigation offers the reports and exports to those who may use them, only."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("reports:annual", {"board", "admin"}),
        ("reports:case_export", {"intake", "coordinator", "admin"}),
    ],
)
def test_the_navigation_offers_each_page_to_the_roles_that_may_use_it(
    personas, client_for, url_name, allowed
):
    link = f'class="nav-link" href="{reverse(url_name)}"'
    for name, user in personas.items():
        page = client_for(user).get(reverse("home")).content.decode()
        assert (link in page) == (name in allowed), name
