"""Erasing the ledger's free text: a name typed by mistake, or a case past retention.

An entry is append-only; its free text (payee, memo, reason, override reason) is the
one thing that may still change, and only to nothing: the amounts, dates, accounts
and who recorded it stay. A reversal copies its original's payee and memo, so the
pair is erased together. The database holds the same rule (rescue.db_rules).
"""

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from funds.models import Commitment, JournalEntry
from rescue.audit import access_record
from rescue.models import AccessLog
from rescue.roles import Cap, require

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rescue.roles import User


def _blank_entries(entries: "QuerySet[JournalEntry]", now: datetime) -> int:
    # _base_manager: the append-only queryset refuses update(); this is the one update
    # the rule allows (the trigger lets exactly these columns change, to empty).
    return entries.filter(text_erased_at__isnull=True).update(
        **dict.fromkeys(JournalEntry.IDENTIFYING_FIELDS, ""), text_erased_at=now
    )


def entry_text_erase(
    *, entry: JournalEntry, by: "User", request: "HttpRequest | None" = None
) -> int:
    """Erase the free text of `entry` and of its reversal or original; return rows erased."""
    require(by, Cap.MANAGE_LEDGER)
    now = timezone.now()
    with transaction.atomic():
        pair = JournalEntry._base_manager.select_for_update().filter(
            Q(pk=entry.pk) | Q(reverses_id=entry.pk) | Q(pk=entry.reverses_id or 0)
        )
        erased = _blank_entries(
            JournalEntry._base_manager.filter(pk__in=list(pair.values_list("pk", flat=True))), now
        )
        if erased:
            access_record(
                request=request,
                user=by,
                action=AccessLog.Action.ADMIN_ACTION,
                target=f"ledger entry {entry.pk}",
                detail="ledger free text erased",
            )
    return erased


def ledger_text_erase_for_cases(*, case_ids: Iterable, now: datetime) -> int:
    """Retention: erase the free text of every entry and commitment of these cases."""
    erased = _blank_entries(JournalEntry._base_manager.filter(case_id__in=case_ids), now)
    Commitment.objects.filter(case_id__in=case_ids).exclude(override_reason__isblank=True).update(
        override_reason=""
    )
    return erased
