"""A case's change history: every change to the case and its people, field by field."""

from dataclasses import dataclass
from datetime import datetime

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from cases.models import Case, Person
from rescue.audit import access_record
from rescue.models import AccessLog
from rescue.roles import Cap, require


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    subject: str
    kind: str
    at: datetime
    by: str
    changes: list[Change]


_META_FIELDS = {"id", "history_id", "history_date", "history_change_reason", "history_type"}
_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def _display(value) -> str:
    return "" if value is None else str(value)


def _entries(records, subject_of) -> list[HistoryEntry]:
    """One entry per historical record, with old and new value of every field that changed."""
    entries = []
    previous_of: dict = {}
    for record in records:
        previous = previous_of.get(record.id)
        fields = [
            f
            for f in type(record)._meta.concrete_fields
            if f.attname not in _META_FIELDS and not f.attname.startswith("history_")
        ]
        if previous is None:
            changes = [
                Change(f.verbose_name, "", _display(getattr(record, f.attname)))
                for f in fields
                if getattr(record, f.attname) not in (None, "")
            ]
        else:
            by_name = {f.name: f for f in fields}
            delta = record.diff_against(previous)
            changes = [
                Change(by_name[c.field].verbose_name, _display(c.old), _display(c.new))
                for c in delta.changes
                if c.field in by_name
            ]
        previous_of[record.id] = record
        entries.append(
            HistoryEntry(
                subject=subject_of(record),
                kind=_KINDS.get(record.history_type, record.history_type),
                at=record.history_date,
                by=record.history_user.get_username() if record.history_user else "system",
                changes=changes,
            )
        )
    return entries


@require_GET
def case_history(request, case_id):
    """Every change to a case and its people: field, old value, new value, who, when."""
    require(request.user, Cap.VIEW_CASE_HISTORY)
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_id)
    access_record(
        request=request,
        user=request.user,
        action=AccessLog.Action.VIEW_CASE,
        target=case.reference,
        detail="change history",
    )
    case_records = case.history.select_related("history_user").order_by("history_date", "pk")
    person_records = (
        Person.history.filter(case_id=case.pk)
        .select_related("history_user")
        .order_by("history_date", "pk")
    )
    ordinal: dict = {}

    def person_subject(record) -> str:
        # A person by role and order of entry, never by alias or name.
        ordinal.setdefault(record.id, len(ordinal) + 1)
        return f"Person {ordinal[record.id]} ({record.get_role_display().split(' ')[0].lower()})"

    entries = _entries(case_records, lambda record: "Case") + _entries(
        person_records, person_subject
    )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return render(request, "cases/case_history.html", {"case": case, "entries": entries})
