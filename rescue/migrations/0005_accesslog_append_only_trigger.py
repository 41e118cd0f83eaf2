"""On PostgreSQL, refuse UPDATE and DELETE on the access log in the database itself.

SQLite (development and the quick test run) has no such trigger; the model's own
save() and delete() refuse there. The function is vendor-conditional so the same
migration applies everywhere. TRUNCATE is left to the table's owner (the test
runner's flush needs it); the app's database role should not own the tables.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION rescue_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rescue_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS rescue_accesslog_append_only ON rescue_accesslog;
CREATE TRIGGER rescue_accesslog_append_only
    BEFORE UPDATE OR DELETE ON rescue_accesslog
    FOR EACH ROW EXECUTE FUNCTION rescue_accesslog_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS rescue_accesslog_append_only ON rescue_accesslog;
DROP FUNCTION IF EXISTS rescue_accesslog_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("rescue", "0004_two_factor_recovery_codes")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
