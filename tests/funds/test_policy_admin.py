"""Administrators change the reserve policy in the admin site; no one else can."""

from decimal import Decimal

import pytest
from django.conf import settings

from funds.models import FundPolicy
from tests.signin import reauthenticate

pytestmark = pytest.mark.django_db


def _url() -> str:
    return f"/{settings.ADMIN_URL}funds/fundpolicy/1/change/"


POLICY = {
    "standard_estimate_usd": "2800.00",
    "surveillance_extra_usd": "1200.00",
    "ceiling_usd": "6500.00",
    "minimum_usd": "7000.00",
    "target_usd": "12000.00",
}


def test_an_admin_changes_the_policy(client_for, admin_user, policy):
    client = reauthenticate(client_for(admin_user), admin_user)
    response = client.post(_url(), POLICY)
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.minimum_usd == Decimal("7000.00")
    assert policy.standard_estimate_usd == Decimal("2800.00")


@pytest.mark.parametrize("persona", ["treasurer", "coordinator", "intake", "board", "outsider"])
def test_no_one_else_changes_the_policy(personas, client_for, policy, persona):
    user = personas[persona]
    user.is_staff = True  # even with admin-site access
    user.save()
    response = client_for(user).post(_url(), POLICY)
    assert response.status_code in (302, 403)
    policy.refresh_from_db()
    assert policy.minimum_usd == FundPolicy._meta.get_field("minimum_usd").default
