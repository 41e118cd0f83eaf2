"""On PostgreSQL, the case timeline refuses DELETE, and UPDATE of anything but its note.

The note is the one column that must still change: retention blanks it, and key
rotation re-encrypts it (a changed ciphertext cannot be forged without the keys).
Who did what, when, from what and to what can never be rewritten. SQLite keeps the
same rule in the model and its queryset (rescue.append_only).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cases_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.id, NEW.case_id, NEW.at, NEW.by_id, NEW.kind,
            NEW.person_id, NEW.from_value, NEW.to_value)
        IS NOT DISTINCT FROM (OLD.id, OLD.case_id, OLD.at, OLD.by_id, OLD.kind,
            OLD.person_id, OLD.from_value, OLD.to_value) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'cases_caseevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS cases_caseevent_append_only ON cases_caseevent;
CREATE TRIGGER cases_caseevent_append_only
    BEFORE UPDATE OR DELETE ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION cases_caseevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS cases_caseevent_append_only ON cases_caseevent;
DROP FUNCTION IF EXISTS cases_caseevent_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_reference_counter")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
