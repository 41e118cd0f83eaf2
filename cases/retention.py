"""Erasing the identifying data of cases closed longer than the retention period.

What goes: every field in a cases model's `IDENTIFYING_FIELDS` (Case, Person,
Screening, CaseEvent.note) and the same fields in the history tables. What stays:
references, stages, dates, outcomes, birth dates (so ages), counts: everything a
report needs. Writes use `QuerySet.update()`, so no new history row is made that
could carry the data again, and the purge only ever blanks fields: an append-only
trigger on case events must let an UPDATE that sets `note = ''` through.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseEvent, Person, Screening
from rescue.audit import access_record
from rescue.models import AccessLog, SiteSettings


def _blank(model) -> dict[str, str]:
    return dict.fromkeys(model.IDENTIFYING_FIELDS, "")


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's end)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in range(moment.day, 0, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError("no valid day")  # pragma: no cover - day 1 always exists


@dataclass(frozen=True)
class PurgePlan:
    cutoff: datetime
    references: list[str]


def expired_cases(*, now: datetime | None = None):
    """Closed cases whose identifying data is past the retention period and not yet erased."""
    now = now or timezone.now()
    cutoff = months_before(now, SiteSettings.load().retention_months)
    return cutoff, Case.objects.filter(
        closed_at__isnull=False, closed_at__lt=cutoff, identifying_data_erased_at__isnull=True
    ).order_by("reference")


def purge_plan(*, now: datetime | None = None) -> PurgePlan:
    cutoff, cases = expired_cases(now=now)
    return PurgePlan(cutoff=cutoff, references=list(cases.values_list("reference", flat=True)))


def purge_expired(*, now: datetime | None = None) -> PurgePlan:
    """Erase the identifying data of every expired case; one access-log row per case."""
    now = now or timezone.now()
    with transaction.atomic():
        cutoff, cases = expired_cases(now=now)
        cases = cases.select_for_update()
        ids = list(cases.values_list("pk", flat=True))
        references = list(cases.values_list("reference", flat=True))
        if ids:
            Person.objects.filter(case_id__in=ids).update(**_blank(Person))
            Screening.objects.filter(case_id__in=ids).update(**_blank(Screening))
            CaseEvent.objects.filter(case_id__in=ids).update(**_blank(CaseEvent))
            Person.history.filter(case_id__in=ids).update(**_blank(Person))
            Case.history.filter(id__in=ids).update(**_blank(Case))
            Case.objects.filter(pk__in=ids).update(**_blank(Case), identifying_data_erased_at=now)
        for reference in references:
            access_record(
                request=None,
                user=None,
                action=AccessLog.Action.ADMIN_ACTION,
                target=reference,
                detail="identifying data erased: retention period passed",
            )
    return PurgePlan(cutoff=cutoff, references=references)
