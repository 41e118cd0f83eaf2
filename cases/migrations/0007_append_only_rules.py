"""The timeline and the history tables under the shared append-only rule (rescue.db_rules).

The timeline's own trigger (SQLSTATE 42501, any note change allowed) is replaced by
the shared one: the note may only be erased or re-encrypted. The simple-history tables
of cases and people, which retention blanks but nothing else may touch, get the same
rule with their identifying columns erasable.
"""

from django.db import migrations

import rescue.db_rules

OLD_FUNCTION = "DROP FUNCTION IF EXISTS cases_caseevent_append_only();"


def drop_old_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_case_received_reference_index")]

    operations = [
        rescue.db_rules.AppendOnly("cases_caseevent", erasable=("note",)),
        migrations.RunPython(drop_old_function, migrations.RunPython.noop),
        rescue.db_rules.AppendOnly(
            "cases_historicalcase",
            erasable=("current_region", "contact_handle", "contact_handle_hash", "notes"),
        ),
        rescue.db_rules.AppendOnly("cases_historicalperson", erasable=("alias", "legal_name")),
    ]
