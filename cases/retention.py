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

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from cases.models import Case
from rescue.audit import access_record
from rescue.models import AccessLog, SiteSettings


def _blank(model) -> dict[str, str]:
    return dict.fromkeys(model.IDENTIFYING_FIELDS, "")


def erasable_tables() -> list[tuple[type[models.Model], type[models.Model], str]]:
    """(model whose fields to blank, model holding IDENTIFYING_FIELDS, lookup to the case ids).

    Every cases model with `IDENTIFYING_FIELDS`, and its simple-history table if it has
    one, found afresh each run so that a model added later is covered without an edit
    here. A model that is neither the case nor points at it with a `case` field fails
    loudly: its rows could not be tied to a closed case.
    """
    tables = []
    for model in apps.get_app_config("cases").get_models():
        if not getattr(model, "IDENTIFYING_FIELDS", None):
            continue
        if model is Case:
            lookup = "pk__in"
        elif any(f.name == "case" for f in model._meta.concrete_fields):
            lookup = "case_id__in"
        else:
            raise LookupError(f"{model._meta.label} has IDENTIFYING_FIELDS but no `case` field.")
        tables.append((model, model, lookup))
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "model"):
            tables.append((history.model, model, "id__in" if model is Case else lookup))
    # The case row last: it carries identifying_data_erased_at, set in the same update.
    return sorted(tables, key=lambda table: table[0] is Case)


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
            for table, source, lookup in erasable_tables():
                extra = {"identifying_data_erased_at": now} if table is Case else {}
                table._base_manager.filter(**{lookup: ids}).update(**_blank(source), **extra)
        for reference in references:
            access_record(
                request=None,
                user=None,
                action=AccessLog.Action.ADMIN_ACTION,
                target=reference,
                detail="identifying data erased: retention period passed",
            )
    return PurgePlan(cutoff=cutoff, references=references)
