"""The suite's connection as the app's restricted role, and the owner when a test needs it.

See tests/conftest.py. Without DATABASE_APP_ROLE (SQLite, or a PostgreSQL run as one
role) these do nothing.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection, connections


def app_role() -> str:
    return getattr(settings, "DATABASE_APP_ROLE", "") if connection.vendor == "postgresql" else ""


def acting_as_app_role() -> bool:
    return bool(app_role()) and connection.settings_dict["OPTIONS"].get("assume_role") == app_role()


def _set_assumed_role(role: str | None) -> None:
    options = connection.settings_dict.setdefault("OPTIONS", {})
    if role:
        options["assume_role"] = role
    else:
        options.pop("assume_role", None)
    connections.close_all()


def act_as_app_role() -> None:
    """Every connection from now on runs `SET ROLE <app role>` when it opens."""
    if app_role():
        _set_assumed_role(app_role())


def act_as_owner() -> None:
    if app_role():
        _set_assumed_role(None)


@contextmanager
def as_owner():
    """Within the test's transaction, act as the owner (the connection's login role).

    Use it outside any `transaction.atomic()` block whose rollback is expected: SET ROLE
    is undone with the savepoint it ran in.
    """
    if not acting_as_app_role():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {connection.ops.quote_name(app_role())}")
