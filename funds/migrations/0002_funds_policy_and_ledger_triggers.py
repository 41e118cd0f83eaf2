"""The two funds, the policy row, and on PostgreSQL the triggers that keep the ledger honest.

On PostgreSQL the database itself refuses to update or delete journal entries and
postings, and refuses (at commit: the checks are deferred so an entry's postings can be
written one by one) an entry whose postings do not sum to zero in each currency or that
has fewer than two postings. SQLite has no such triggers; the service layer and the
models keep the same rules there.
"""

from django.db import migrations

TRIGGERS = """
CREATE FUNCTION funds_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_journalentry_append_only
    BEFORE UPDATE OR DELETE ON funds_journalentry
    FOR EACH ROW EXECUTE FUNCTION funds_refuse_change();
CREATE TRIGGER funds_posting_append_only
    BEFORE UPDATE OR DELETE ON funds_posting
    FOR EACH ROW EXECUTE FUNCTION funds_refuse_change();

CREATE FUNCTION funds_check_entry_balanced() RETURNS trigger AS $$
DECLARE
    checked_entry bigint;
BEGIN
    IF TG_TABLE_NAME = 'funds_posting' THEN
        checked_entry := NEW.entry_id;
    ELSE
        checked_entry := NEW.id;
    END IF;
    IF (SELECT count(*) FROM funds_posting WHERE entry_id = checked_entry) < 2 THEN
        RAISE EXCEPTION 'journal entry % has fewer than two postings', checked_entry
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (
        SELECT 1 FROM funds_posting WHERE entry_id = checked_entry
        GROUP BY currency HAVING sum(amount) <> 0
    ) THEN
        RAISE EXCEPTION 'journal entry % does not balance in every currency', checked_entry
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER funds_posting_balanced
    AFTER INSERT ON funds_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION funds_check_entry_balanced();
CREATE CONSTRAINT TRIGGER funds_journalentry_balanced
    AFTER INSERT ON funds_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION funds_check_entry_balanced();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS funds_journalentry_balanced ON funds_journalentry;
DROP TRIGGER IF EXISTS funds_posting_balanced ON funds_posting;
DROP FUNCTION IF EXISTS funds_check_entry_balanced();
DROP TRIGGER IF EXISTS funds_posting_append_only ON funds_posting;
DROP TRIGGER IF EXISTS funds_journalentry_append_only ON funds_journalentry;
DROP FUNCTION IF EXISTS funds_refuse_change();
"""


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS, params=None)


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS, params=None)


def create_funds_and_policy(apps, schema_editor):
    Fund = apps.get_model("funds", "Fund")
    FundPolicy = apps.get_model("funds", "FundPolicy")
    Fund.objects.get_or_create(
        code="rescue", defaults={"name": "Rescue reserve", "restricted": True}
    )
    Fund.objects.get_or_create(
        code="general", defaults={"name": "General operations", "restricted": False}
    )
    FundPolicy.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [
        migrations.RunPython(create_funds_and_policy, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
