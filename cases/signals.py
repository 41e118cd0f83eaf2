"""Signals other apps may listen to; `cases` never imports them back.

`funds` listens to release a closed case's open commitment and to restore it
when the case is reopened.
"""

from django.dispatch import Signal

# Sent by cases.services after the transaction that closed the case commits,
# with keyword arguments `case` and `by` (the acting user).
case_closed = Signal()
# Sent after the transaction that reopened the case commits; `case`, `by`.
case_reopened = Signal()
