"""Reads that span relations, for views and reports; visibility always comes from the queryset."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from cases.models import Case, CaseEvent, Person, Screening
from rescue.roles import WORKS_CASES

if TYPE_CHECKING:
    from rescue.roles import Actor, User


def get_case_for_user(user: "Actor", case_id) -> Case:
    """The case if `user` may see its details; 404 for anyone who may not know it exists."""
    try:
        return (
            Case.objects.visible_to(user)
            .select_related("channel", "referred_to", "created_by")
            .get(pk=case_id)
        )
    except Case.DoesNotExist:
        raise Http404 from None


def case_list(*, user: "Actor") -> QuerySet[Case]:
    """The cases a user may see, with what the list shows, in a fixed number of queries.

    The people are counted by a subquery per row shown (not a GROUP BY over every visible
    case), so the database walks the (received_on, reference) index and stops at the page;
    the encrypted columns the list never shows are not read.
    """
    people = (
        Person.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Case.objects.visible_to(user)
        .select_related("channel")
        .defer(*Case.IDENTIFYING_FIELDS)
        .annotate(people_count=Coalesce(Subquery(people, output_field=IntegerField()), Value(0)))
        .prefetch_related("assignees")
        .order_by("-received_on", "-reference")
    )


def case_references(*, user: "Actor") -> QuerySet[Case]:
    """References and stages only, for the treasurer; nothing else is loaded."""
    return (
        Case.objects.referable_by(user)
        .only("id", "reference", "stage", "received_on", "closed_at")
        .order_by("-received_on", "-reference")
    )


def with_referable(rows: QuerySet[Any], user: "Actor", *, case: str = "case") -> QuerySet[Any]:
    """The rows (ledger postings, entries, commitments...), each with `referable`: whether
    the user may see the reference of the case at `case` (a path to it from the row).

    The one answer to "which case references may this user see" for rows that point at a
    case: an EXISTS on `Case.objects.referable_by` in the same query, whatever the count.
    """
    referable = Case.objects.referable_by(user).filter(pk=OuterRef(case))
    return rows.annotate(referable=Exists(referable))


def assignable_users() -> "QuerySet[User]":
    """Active staff a case can be assigned to: those who log requests or coordinate."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(WORKS_CASES.holders())
        .distinct()
        .order_by("username")
    )


def case_people(case: Case) -> list[Person]:
    return list(case.people.select_related("origin_province", "outcome_partner"))


def case_screenings(case: Case) -> list[Screening]:
    return list(case.screenings.select_related("decided_by"))


def case_timeline(case: Case) -> list[CaseEvent]:
    return list(
        case.events.select_related("by").prefetch_related(
            Prefetch("person", queryset=Person.objects.only("id", "alias", "role", "case_id"))
        )
    )


def _same_contact(case: Case):
    return Case.objects.filter(contact_handle_hash=case.contact_handle_hash).exclude(pk=case.pk)


def contact_duplicates(*, case: Case, user: "Actor") -> list[Case]:
    """Other cases from the same contact handle that the user may see; never a hint of others.

    Saying that a case the user cannot see exists would let anyone who may log a
    request test whether a handle is known. Coordinators and administrators, who see
    the other case, are the ones who are told (and the access log records the match).
    """
    if not case.contact_handle_hash:
        return []
    return list(
        _same_contact(case)
        .filter(pk__in=Case.objects.visible_to(user).values("pk"))
        .order_by("received_on", "reference")
    )


def hidden_contact_duplicates(*, case: Case, user: "Actor") -> list[str]:
    """References of cases from the same contact that `user` may not see (for the access log)."""
    if not case.contact_handle_hash:
        return []
    return list(
        _same_contact(case)
        .exclude(pk__in=Case.objects.visible_to(user).values("pk"))
        .order_by("received_on", "reference")
        .values_list("reference", flat=True)
    )
