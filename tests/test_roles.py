"""Roles are groups with explicit capability permissions, created by a data migration."""

import pytest
from django.contrib.auth.models import Group

from rescue.roles import ROLE_CAPABILITIES, Cap, Role, can, roles_of
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_migration_creates_every_role_with_exactly_its_capabilities():
    for role in Role:
        group = Group.objects.get(name=role)
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert codenames == {str(cap) for cap in ROLE_CAPABILITIES[role]}, role


@pytest.mark.django_db
def test_a_user_with_two_roles_holds_the_union_of_their_capabilities():
    user = UserFactory(roles=["intake", "treasurer"])
    assert can(user, Cap.LOG_REQUEST)
    assert can(user, Cap.MANAGE_LEDGER)
    assert not can(user, Cap.COORDINATE_CASE)
    assert roles_of(user) == ["intake", "treasurer"]


@pytest.mark.django_db
def test_an_inactive_user_can_do_nothing():
    user = UserFactory(roles=["admin"], is_active=False)
    assert not any(can(user, cap) for cap in Cap)


@pytest.mark.django_db
def test_board_members_only_read_reports(board):
    assert [cap for cap in Cap if can(board, cap)] == [Cap.VIEW_REPORTS]


def test_only_the_treasurer_may_override_the_reserve_minimum():
    holders = [
        role for role, caps in ROLE_CAPABILITIES.items() if Cap.OVERRIDE_RESERVE_MINIMUM in caps
    ]
    assert holders == [Role.TREASURER]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("outsider", [], ["Administration"]),
        ("board", [], ["Administration"]),
        ("admin", ["Administration"], []),
    ],
)
def test_the_navigation_shows_each_user_what_their_roles_allow(
    personas, client_for, persona, shown, hidden
):
    page = client_for(personas[persona]).get("/").content.decode()
    for label in shown:
        assert label in page
    for label in hidden:
        assert label not in page


@pytest.mark.django_db
def test_a_user_without_a_role_is_told_to_ask_for_one(outsider, client_for):
    page = client_for(outsider).get("/").content.decode()
    assert "no role yet" in page
