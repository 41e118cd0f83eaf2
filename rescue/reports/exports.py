"""Case lists for export: references, stages, dates and outcomes; names only on request."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from cases.models import Case, Person
from rescue.reports.selectors import OUTCOME_KEYS, outcome_key

if TYPE_CHECKING:
    from rescue.roles import Actor

CHUNK_SIZE = 500

HEADER = (
    "reference",
    "received_on",
    "household",
    "stage",
    "verdict",
    "closed_at",
    "people",
    "outcomes",
)
IDENTIFYING_HEADER = ("aliases", "legal_names")


@dataclass(frozen=True)
class CaseExportFilter:
    stage: str = ""
    household: str = ""
    received_from: date | None = None
    received_to: date | None = None

    def summary(self) -> str:
        """For the access log: the filter's codes and dates, never anything identifying."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("stage", self.stage),
                ("household", self.household),
                ("from", self.received_from),
                ("to", self.received_to),
            )
            if value
        ]
        return " ".join(parts) or "all visible cases"


def case_export_queryset(user: "Actor", chosen: CaseExportFilter, *, identifying: bool) -> QuerySet:
    """The cases the user may see that match the filter, with their people prefetched."""
    fields = ["case_id", "outcome", "outcome_partner_id", "created_at"]
    if identifying:
        fields += ["alias", "legal_name"]
    cases = Case.objects.visible_to(user).only(
        "reference", "received_on", "household", "stage", "verdict", "closed_at"
    )
    if chosen.stage:
        cases = cases.filter(stage=chosen.stage)
    if chosen.household:
        cases = cases.filter(household=chosen.household)
    if chosen.received_from:
        cases = cases.filter(received_on__gte=chosen.received_from)
    if chosen.received_to:
        cases = cases.filter(received_on__lte=chosen.received_to)
    people = Person.objects.only(*fields).order_by("created_at", "id")
    return cases.order_by("received_on", "reference").prefetch_related(
        Prefetch("people", queryset=people)
    )


def outcome_summary(people) -> str:
    """E.g. "rescued_by_us 2; open 1": how many people of the case have each outcome."""
    tally = Counter(
        outcome_key(person.outcome, person.outcome_partner_id) if person.outcome else "open"
        for person in people
    )
    return "; ".join(f"{key} {tally[key]}" for key in OUTCOME_KEYS if tally[key])


def header(*, identifying: bool) -> tuple[str, ...]:
    return HEADER + IDENTIFYING_HEADER if identifying else HEADER


def rows(cases: QuerySet, *, identifying: bool) -> Iterator[list]:
    """One row per case, fetched CHUNK_SIZE cases (and their people) at a time."""
    for case in cases.iterator(chunk_size=CHUNK_SIZE):
        people = list(case.people.all())
        row = [
            case.reference,
            case.received_on.isoformat(),
            case.household,
            case.stage,
            case.verdict,
            case.closed_at.isoformat() if case.closed_at else "",
            len(people),
            outcome_summary(people),
        ]
        if identifying:
            row += [
                "; ".join(person.alias for person in people if person.alias),
                "; ".join(person.legal_name for person in people if person.legal_name),
            ]
        yield row
