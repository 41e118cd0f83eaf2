"""Signals other apps may listen to; `cases` never imports them back.

`funds` listens to release a closed case's open commitment and to restore it
when the case is reopened, and to erase the ledger's free text about cases whose
identifying data retention erases.
"""

from django.dispatch import Signal

# Sent by cases.services after the transaction that closed the case commits,
# with keyword arguments `case` and `by` (the acting user).
case_closed = Signal()
# Sent after the transaction that reopened the case commits; `case`, `by`.
case_reopened = Signal()
# Sent by cases.retention inside the transaction that erases the identifying data of
# closed cases, with `case_ids` (primary keys) and `now`; a receiver erases what its app
# holds about those cases in the same transaction, so the purge is all or nothing.
identifying_data_erased = Signal()
