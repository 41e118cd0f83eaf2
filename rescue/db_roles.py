"""Two PostgreSQL roles: an owner that runs migrations, and the app's role that cannot.

The app connects as `DATABASE_APP_ROLE` (say `rescue_app`), which owns nothing, so it
cannot TRUNCATE, ALTER, DROP or disable a trigger, and holds only the privileges the
app needs: SELECT and INSERT everywhere it writes; UPDATE and DELETE only on tables
whose rows the app really changes; on append-only tables (the ledger, the case
timeline, the access log, the history tables) no DELETE and UPDATE only of the
erasable columns that `rescue.db_rules` declares (the triggers hold the rest);
`funds_accountbalance` without DELETE (a trigger refuses any balance that is not the
sum of its postings). Migrations run as the owner (`DATABASE_URL` with the owner's
credentials), and after every `migrate` the grants below are applied again, so a new
table gets exactly its privileges.

`manage.py db_roles --print-sql` shows the SQL; `--apply` runs it. See SECURITY.md.
"""

from django.apps import apps
from django.conf import settings
from django.db import connections

from rescue.db_rules import declared_rules

ALL_DML = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Tables Django itself keeps that the app only reads.
READ_ONLY_TABLES = ("django_migrations",)


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def table_privileges() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """{table: (privileges, columns it may UPDATE when UPDATE is not among them)}."""
    rules = declared_rules()
    privileges: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy:
            continue
        if meta.db_table in rules:
            privileges[meta.db_table] = (("SELECT", "INSERT"), rules[meta.db_table])
        else:
            privileges[meta.db_table] = (getattr(model, "APP_ROLE_PRIVILEGES", ALL_DML), ())
    for table in READ_ONLY_TABLES:
        privileges[table] = (("SELECT",), ())
    return privileges


def roles_sql(*, owner: str, app: str, owner_may_create_databases: bool = False) -> list[str]:
    """Create (if missing) and constrain both roles; run as a superuser or CREATEROLE."""
    statements = []
    for role in (owner, app):
        statements.append(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
            f"{_literal(role)}) THEN CREATE ROLE {quote_name(role)} LOGIN; END IF; END $$"
        )
    createdb = "CREATEDB" if owner_may_create_databases else "NOCREATEDB"
    statements += [
        f"ALTER ROLE {quote_name(owner)} LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS "
        f"{createdb}",
        f"ALTER ROLE {quote_name(app)} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION "
        "NOBYPASSRLS NOINHERIT",
        # The owner may act as the app role (the test suite does, with SET ROLE); this
        # gives the owner nothing it lacks. Never the other way round.
        f"GRANT {quote_name(app)} TO {quote_name(owner)}",
    ]
    return statements


def database_sql(*, database: str, owner: str, app: str) -> list[str]:
    """The database and its schema: the owner creates, the app only connects and uses."""
    return [
        f"ALTER DATABASE {quote_name(database)} OWNER TO {quote_name(owner)}",
        f"REVOKE ALL ON DATABASE {quote_name(database)} FROM PUBLIC",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {quote_name(database)} TO {quote_name(owner)}",
        f"GRANT CONNECT ON DATABASE {quote_name(database)} TO {quote_name(app)}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE, CREATE ON SCHEMA public TO {quote_name(owner)}",
    ]


def grants_sql(*, app: str, existing_tables: set[str] | None = None) -> list[str]:
    """The app role's privileges on every table; run as the owner after each migrate."""
    role = quote_name(app)
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
    ]
    for table, (privileges, columns) in sorted(table_privileges().items()):
        if existing_tables is not None and table not in existing_tables:
            continue
        statements.append(f"GRANT {', '.join(privileges)} ON {quote_name(table)} TO {role}")
        if columns:
            names = ", ".join(quote_name(c) for c in columns)
            statements.append(f"GRANT UPDATE ({names}) ON {quote_name(table)} TO {role}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    return statements


def apply_grants(using: str = "default") -> bool:
    """Grant the app role its privileges on `using`, if one is configured and exists."""
    app = getattr(settings, "DATABASE_APP_ROLE", "")
    connection = connections[using]
    if not app or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app])
        if cursor.fetchone() is None:
            return False
        tables = set(connection.introspection.table_names(cursor))
        for statement in grants_sql(app=app, existing_tables=tables):
            cursor.execute(statement)
    return True


def grant_after_migrate(sender, *, using: str = "default", **kwargs) -> None:
    """post_migrate receiver (sent once per app: act once, for this project's app)."""
    if sender.name == "rescue":
        apply_grants(using)
