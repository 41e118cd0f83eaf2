"""On PostgreSQL: entries sealed at commit, amounts and dates checked, balances proven.

- Sealed: each entry records the transaction that wrote it (`created_txid`, set by a
  trigger from `txid_current()`, the top-level transaction even inside a savepoint;
  the column is not in the model). A posting whose entry was written by another
  transaction is refused, so nothing can be added to an entry once it has committed,
  even balanced postings (the deferred balance check alone would allow those).
- A posting copies its entry's date, has its account's currency, and carries the
  entry's USD value (the same magnitude, the sign of its amount); its
  `balance_after` is the account's previous posting's plus its amount.
- An entry's `amount_usd` is its `amount` at its `usd_rate`, rounded half away from
  zero to the cent as `funds.money.to_usd` does; its date is on or after 2000-01-01
  and no later than two days after the moment it was written (time zones).
- A stored balance must equal the sum of its account's postings whenever it is
  written, and at commit for every account a new posting touched (once per account
  and transaction), so the app's role may keep balances in step (UPDATE) but never
  set one to anything else, nor leave one behind its postings.

Every refusal that protects history uses SQLSTATE 42501 (rescue.db_rules); the
consistency checks use 23514 (check_violation). SQLite keeps the same rules in the
services.
"""

from django.db import migrations, models

RULES = r"""
ALTER TABLE funds_journalentry ADD COLUMN created_txid bigint;

CREATE FUNCTION funds_entry_stamp_transaction() RETURNS trigger AS $$
BEGIN
    NEW.created_txid := txid_current();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_journalentry_stamp_transaction
    BEFORE INSERT ON funds_journalentry
    FOR EACH ROW EXECUTE FUNCTION funds_entry_stamp_transaction();

ALTER TABLE funds_journalentry ADD CONSTRAINT entry_amount_usd_at_rate
    CHECK (amount_usd = round(amount * usd_rate, 2));
ALTER TABLE funds_journalentry ADD CONSTRAINT entry_date_plausible
    CHECK (occurred_on >= DATE '2000-01-01'
           AND occurred_on <= (created_at AT TIME ZONE 'UTC')::date + 2);

CREATE FUNCTION funds_posting_check() RETURNS trigger AS $$
DECLARE
    entry record;
    account_currency text;
    previous numeric;
BEGIN
    SELECT created_txid, occurred_on, amount_usd INTO entry
        FROM funds_journalentry WHERE id = NEW.entry_id;
    IF entry.created_txid IS DISTINCT FROM txid_current() THEN
        RAISE EXCEPTION 'journal entry % is sealed: postings are added only in the transaction that wrote it',
            NEW.entry_id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.occurred_on IS DISTINCT FROM entry.occurred_on THEN
        RAISE EXCEPTION 'a posting has the date of its entry %', NEW.entry_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF abs(NEW.amount_usd) <> abs(entry.amount_usd)
        OR (NEW.amount_usd <> 0 AND sign(NEW.amount_usd) <> sign(NEW.amount)) THEN
        RAISE EXCEPTION 'a posting carries the USD value of its entry %', NEW.entry_id
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT currency INTO account_currency FROM funds_account WHERE id = NEW.account_id;
    IF NEW.currency IS DISTINCT FROM account_currency THEN
        RAISE EXCEPTION 'a posting is in its account''s currency'
            USING ERRCODE = 'check_violation';
    END IF;
    -- The running balance: the account's previous posting's, plus this amount. Writers
    -- to one account queue on its balance row (the app holds that lock already).
    PERFORM 1 FROM funds_accountbalance WHERE account_id = NEW.account_id FOR UPDATE;
    SELECT balance_after INTO previous FROM funds_posting
        WHERE account_id = NEW.account_id ORDER BY id DESC LIMIT 1;
    IF NEW.balance_after IS DISTINCT FROM coalesce(previous, 0) + NEW.amount THEN
        RAISE EXCEPTION 'a posting''s balance_after is the running balance of its account'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_posting_check
    BEFORE INSERT ON funds_posting
    FOR EACH ROW EXECUTE FUNCTION funds_posting_check();

CREATE FUNCTION funds_balance_check() RETURNS trigger AS $$
DECLARE
    checked_up_to bigint;
    summed numeric;
    stored numeric;
BEGIN
    IF TG_TABLE_NAME = 'funds_accountbalance' THEN
        -- Any write of a balance: it must be the sum of the account's postings.
        SELECT coalesce(sum(amount), 0) INTO summed FROM funds_posting
            WHERE account_id = NEW.account_id;
        IF NEW.balance IS DISTINCT FROM summed THEN
            RAISE EXCEPTION 'the balance of account % is not the sum of its postings',
                NEW.account_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    -- At commit, for each new posting: its account's stored balance must include it.
    -- One sum per account covers every posting up to the highest id it saw, so a bulk
    -- load is checked once per account, not once per row.
    checked_up_to := nullif(current_setting('funds.balance_checked_' || NEW.account_id, true), '')::bigint;
    IF checked_up_to IS NOT NULL AND NEW.id <= checked_up_to THEN
        RETURN NULL;
    END IF;
    SELECT balance INTO stored FROM funds_accountbalance WHERE account_id = NEW.account_id;
    SELECT coalesce(sum(amount), 0), max(id) INTO summed, checked_up_to FROM funds_posting
        WHERE account_id = NEW.account_id;
    IF stored IS DISTINCT FROM summed THEN
        RAISE EXCEPTION 'the balance of account % is not the sum of its postings',
            NEW.account_id USING ERRCODE = 'check_violation';
    END IF;
    PERFORM set_config('funds.balance_checked_' || NEW.account_id, checked_up_to::text, true);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER funds_accountbalance_is_sum
    BEFORE INSERT OR UPDATE ON funds_accountbalance
    FOR EACH ROW EXECUTE FUNCTION funds_balance_check();
CREATE CONSTRAINT TRIGGER funds_posting_balance_kept
    AFTER INSERT ON funds_posting
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION funds_balance_check();
"""

DROP_RULES = """
DROP TRIGGER IF EXISTS funds_posting_balance_kept ON funds_posting;
DROP TRIGGER IF EXISTS funds_accountbalance_is_sum ON funds_accountbalance;
DROP FUNCTION IF EXISTS funds_balance_check();
DROP TRIGGER IF EXISTS funds_posting_check ON funds_posting;
DROP FUNCTION IF EXISTS funds_posting_check();
ALTER TABLE funds_journalentry DROP CONSTRAINT IF EXISTS entry_date_plausible;
ALTER TABLE funds_journalentry DROP CONSTRAINT IF EXISTS entry_amount_usd_at_rate;
DROP TRIGGER IF EXISTS funds_journalentry_stamp_transaction ON funds_journalentry;
DROP FUNCTION IF EXISTS funds_entry_stamp_transaction();
ALTER TABLE funds_journalentry DROP COLUMN IF EXISTS created_txid;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RULES, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_RULES, params=None)


class Migration(migrations.Migration):
    dependencies = [("funds", "0003_ledger_text_encrypted")]

    operations = [
        migrations.AddIndex(
            model_name="posting",
            index=models.Index(fields=["account", "id"], name="posting_account_sequence"),
        ),
        migrations.RunPython(install, remove),
    ]
