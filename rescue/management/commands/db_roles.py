"""Print or apply the SQL for the two PostgreSQL roles (owner and app) and their privileges."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from rescue.db_roles import database_sql, grants_sql, quote_name, roles_sql


class Command(BaseCommand):
    help = (
        "The owner role runs migrations and owns every table; the app role (what the app "
        "connects as) owns nothing and may only read and write what the app needs. "
        "--print-sql shows the SQL (the default); --apply runs it, as a superuser or a "
        "role with CREATEROLE that may also grant on the database and its tables. "
        "The app role's password, if any, is read from DATABASE_APP_PASSWORD."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--print-sql", action="store_true", help="Show the SQL (default).")
        action.add_argument("--apply", action="store_true", help="Run the SQL.")
        parser.add_argument("--owner", default="rescue_owner", help="The owner role's name.")
        parser.add_argument(
            "--app",
            default=getattr(settings, "DATABASE_APP_ROLE", "") or "rescue_app",
            help="The app role's name (default: DATABASE_APP_ROLE, else rescue_app).",
        )
        parser.add_argument(
            "--database",
            default=None,
            help="The database to hand to the owner (default: the connection's).",
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=["roles", "database", "grants"],
            help="Only these parts (repeatable); all three by default.",
        )
        parser.add_argument(
            "--owner-createdb",
            action="store_true",
            help="Let the owner create databases: the test suite creates its own.",
        )

    def handle(self, *args, apply, owner, app, database, only, owner_createdb, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The roles are for PostgreSQL; DATABASE_URL is not PostgreSQL.")
        if owner == app:
            raise CommandError("The owner and the app role must be different roles.")
        database = database or connection.settings_dict["NAME"]
        # Applying: only the tables that exist yet (migrate grants the rest as it makes them).
        existing = set(connection.introspection.table_names()) if apply else None
        parts = [
            (
                "roles",
                "1. Roles (as a superuser or a role with CREATEROLE)",
                roles_sql(owner=owner, app=app, owner_may_create_databases=owner_createdb),
            ),
            (
                "database",
                "2. The database and its schema",
                database_sql(database=database, owner=owner, app=app),
            ),
            (
                "grants",
                "3. The app role's privileges on the tables (as the owner; `migrate` "
                "reapplies these when DATABASE_APP_ROLE is set)",
                grants_sql(app=app, existing_tables=existing),
            ),
        ]
        sections = [(title, sql) for part, title, sql in parts if not only or part in only]
        password = os.environ.get("DATABASE_APP_PASSWORD", "")
        if apply:
            self._apply(sections, app=app, password=password)
            return
        for title, statements in sections:
            self.stdout.write(f"-- {title}")
            for statement in statements:
                self.stdout.write(statement + ";")
            self.stdout.write("")
        if password:
            self.stdout.write(f"-- and set the app role's password: ALTER ROLE {app} PASSWORD '…';")

    def _apply(self, sections, *, app: str, password: str) -> None:
        with connection.cursor() as cursor:
            for _, statements in sections:
                for statement in statements:
                    cursor.execute(statement)
            if password:
                # Sent as a parameter, never printed.
                cursor.execute(f"ALTER ROLE {quote_name(app)} PASSWORD %s", [password])
        self.stdout.write(self.style.SUCCESS(f"Roles and privileges applied for {app}."))
