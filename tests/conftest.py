"""Fixtures shared by the whole suite: one persona per role, plus an outsider with none."""

import pytest
from django.db import connection

from tests.factories import UserFactory
from tests.signin import sign_in_verified

PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def intake(db):
    return UserFactory(username="alice-intake", roles=["intake"])


@pytest.fixture
def coordinator(db):
    return UserFactory(username="bob-coordinator", roles=["coordinator"])


@pytest.fixture
def treasurer(db):
    return UserFactory(username="carol-treasurer", roles=["treasurer"])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="dave-admin", roles=["admin"])


@pytest.fixture
def board(db):
    return UserFactory(username="erin-board", roles=["board"])


@pytest.fixture
def outsider(db):
    """Signed in, but with no role at all."""
    return UserFactory(username="frank-outsider")


@pytest.fixture
def personas(intake, coordinator, treasurer, admin_user, board, outsider):
    return {
        "intake": intake,
        "coordinator": coordinator,
        "treasurer": treasurer,
        "admin": admin_user,
        "board": board,
        "outsider": outsider,
    }


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client signed in as that user, second factor verified."""

    def sign_in(user):
        return sign_in_verified(client, user)

    return sign_in
