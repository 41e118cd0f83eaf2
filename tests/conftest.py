"""Fixtures shared by the whole suite: one persona per role, plus an outsider with none.

On PostgreSQL with DATABASE_APP_ROLE set (CI does), the suite runs as the app's own
restricted role: the test database is created and migrated by the owner (the role in
DATABASE_URL), `migrate` grants the app role its privileges, and from then on every
connection, threads' included, acts as the app role (`SET ROLE`, Django's
`assume_role`). What only the owner may do goes through `tests.dbroles.as_owner()`:
the flush after a transactional test (TRUNCATE, which the app role may not run) and
the tests that show a trigger refusing even the owner.
"""

import pytest
from django.db import connection
from django.test import TransactionTestCase

from tests import dbroles
from tests.factories import UserFactory
from tests.signin import sign_in_verified


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Create and migrate the test database as the owner, then act as the app role."""
    dbroles.act_as_app_role()
    yield
    # Dropping the test database is the owner's.
    dbroles.act_as_owner()


_flush_as_app = TransactionTestCase._fixture_teardown


def _flush_as_owner(self):
    # TransactionTestCase empties every table with TRUNCATE after the test; only the
    # owner may. The app's code never runs here, so the app role stays without it.
    with dbroles.as_owner():
        _flush_as_app(self)


TransactionTestCase._fixture_teardown = _flush_as_owner

PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def as_table_owner(db):
    """The test runs as the tables' owner: to show a trigger refusing even the owner."""
    with dbroles.as_owner():
        yield


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
