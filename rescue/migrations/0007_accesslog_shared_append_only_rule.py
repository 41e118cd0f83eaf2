"""The access log under the shared append-only rule (rescue.db_rules): nothing may change."""

from django.db import migrations

import rescue.db_rules

OLD_FUNCTION = "DROP FUNCTION IF EXISTS rescue_accesslog_append_only();"


def drop_old_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("rescue", "0006_accesslog_duplicate_contact")]

    operations = [
        rescue.db_rules.AppendOnly("rescue_accesslog"),
        migrations.RunPython(drop_old_function, migrations.RunPython.noop),
    ]
