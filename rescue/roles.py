"""The five roles, what each may do, and the checks every view and service share.

A role is a Django group; what it may do is a set of capability permissions on
`rescue.Capability` (see `rescue/models.py`). Views and services ask `can(user, need)` or
`require(user, need)`, where a need is one capability (`Cap`) or a predicate defined
below, never a group name, so a user holding several roles gets the union of their
capabilities. Group names appear only here (`roles_of`, `role_groups`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, Group, User

    # The acting user. Services that write take a signed-in `User` (`by`); checks and
    # selectors take an `Actor`, which may be a visitor who is not signed in.
    Actor: TypeAlias = User | AnonymousUser

__all__ = [
    "ANSWERS_FOR_RESERVE",
    "DOES_INTAKE",
    "IS_CASE_STAFF",
    "MAY_REFER_TO_CASES",
    "WORKS_CASES",
    "Actor",
    "Cap",
    "Need",
    "Predicate",
    "Role",
    "User",
    "can",
    "perm",
    "require",
    "role_groups",
    "roles_of",
]


class Role(models.TextChoices):
    INTAKE = "intake", "Intake staff"
    COORDINATOR = "coordinator", "Coordinator"
    TREASURER = "treasurer", "Treasurer"
    ADMIN = "admin", "Administrator"
    BOARD = "board", "Board member"


class Cap(models.TextChoices):
    """Capability permissions, codenames on `rescue.Capability`."""

    LOG_REQUEST = "log_request", "Log a new rescue request"
    SCREEN_CASE = "screen_case", "Screen a request against the decoy checks"
    COORDINATE_CASE = "coordinate_case", "Verify, move stages, record outcomes, assign, refer"
    VIEW_ALL_CASES = "view_all_cases", "See every case that is not restricted"
    VIEW_RESTRICTED_CASES = "view_restricted_cases", "See restricted cases"
    VIEW_CASE_REFERENCES = "view_case_references", "See case references and stages only"
    IMPORT_CASES = "import_cases", "Import cases from a spreadsheet"
    EXPORT_IDENTIFYING = "export_identifying", "Export identifying data of people in cases"
    VIEW_CASE_HISTORY = "view_case_history", "Read the change history of cases and people"
    VIEW_LEDGER = "view_ledger", "Read the rescue-fund ledger"
    MANAGE_LEDGER = "manage_ledger", "Record donations, expenses, transfers and exchanges"
    COMMIT_FUNDS = "commit_funds", "Commit reserve money to an approved operation"
    OVERRIDE_RESERVE_MINIMUM = "override_reserve_minimum", "Commit below the reserve minimum"
    VIEW_READINESS = "view_readiness", "See the reserve's amounts and readiness"
    VIEW_READINESS_BAND = "view_readiness_band", "See the reserve's readiness band only"
    VIEW_REPORTS = "view_reports", "See and download the annual report"
    MANAGE_USERS = "manage_users", "Manage users, roles and settings"
    VIEW_ACCESS_LOG = "view_access_log", "Read the access log"


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.INTAKE: frozenset({Cap.LOG_REQUEST, Cap.SCREEN_CASE, Cap.VIEW_READINESS_BAND}),
    Role.COORDINATOR: frozenset(
        {
            Cap.LOG_REQUEST,
            Cap.SCREEN_CASE,
            Cap.COORDINATE_CASE,
            Cap.VIEW_ALL_CASES,
            Cap.IMPORT_CASES,
            Cap.EXPORT_IDENTIFYING,
            Cap.VIEW_CASE_HISTORY,
            Cap.VIEW_LEDGER,
            Cap.VIEW_READINESS,
            Cap.VIEW_READINESS_BAND,
        }
    ),
    Role.TREASURER: frozenset(
        {
            Cap.VIEW_CASE_REFERENCES,
            Cap.VIEW_LEDGER,
            Cap.MANAGE_LEDGER,
            Cap.COMMIT_FUNDS,
            Cap.OVERRIDE_RESERVE_MINIMUM,
            Cap.VIEW_READINESS,
            Cap.VIEW_READINESS_BAND,
        }
    ),
    Role.ADMIN: frozenset(set(Cap) - {Cap.OVERRIDE_RESERVE_MINIMUM}),
    Role.BOARD: frozenset({Cap.VIEW_REPORTS}),
}


@dataclass(frozen=True)
class Predicate:
    """A question about the acting user that more than one capability answers: holding any
    one of `any_of` is a yes. Each is defined once, below; views, services, navigation and
    user queries all ask `can(user, PREDICATE)` or `require(user, PREDICATE)`."""

    label: str
    any_of: tuple[str, ...]

    def holders(self) -> Q:
        """A filter on users: those who hold it through a role or a permission of their own."""
        return Q(groups__permissions__codename__in=self.any_of) | Q(
            user_permissions__codename__in=self.any_of
        )


# What a check asks for: one capability, or a predicate.
Need: TypeAlias = str | Predicate

# Opens case pages and exports cases: sees the cases `Case.objects.visible_to` them.
IS_CASE_STAFF = Predicate(
    "is case staff",
    (
        Cap.LOG_REQUEST,
        Cap.SCREEN_CASE,
        Cap.COORDINATE_CASE,
        Cap.VIEW_ALL_CASES,
        Cap.VIEW_RESTRICTED_CASES,
    ),
)
# Case staff, and the treasurer, who ties money to cases by reference and stage only
# (`Case.objects.referable_by`).
MAY_REFER_TO_CASES = Predicate(
    "may refer to cases", (*IS_CASE_STAFF.any_of, Cap.VIEW_CASE_REFERENCES)
)
# Works on cases: edits their people, and can be assigned one.
WORKS_CASES = Predicate("works cases", (Cap.LOG_REQUEST, Cap.COORDINATE_CASE))
# Takes in requests: the dashboard's intake panel.
DOES_INTAKE = Predicate("does intake", (Cap.LOG_REQUEST, Cap.SCREEN_CASE))
# Answers for the reserve: may decide to go below its minimum, so is told when it falls.
ANSWERS_FOR_RESERVE = Predicate("answers for the reserve", (Cap.OVERRIDE_RESERVE_MINIMUM,))


def perm(cap: str) -> str:
    """The `has_perm` string for a capability."""
    return f"rescue.{cap}"


def can(user: "Actor | None", need: Need) -> bool:
    """Whether the user holds the capability, or any capability of the predicate."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    caps = need.any_of if isinstance(need, Predicate) else (need,)
    return any(user.has_perm(perm(cap)) for cap in caps)


def require(user: "Actor | None", need: Need, *, not_found: bool = False) -> None:
    """Raise PermissionDenied unless `can(user, need)`; views and services both call this.

    `not_found=True` raises Http404 instead, for someone who may not know the page exists.
    """
    if not can(user, need):
        raise Http404 if not_found else PermissionDenied


def roles_of(user: "Actor") -> list[str]:
    if not user.is_authenticated:
        return []
    names = {group.name for group in user.groups.all()}
    return [role for role in Role.values if role in names]


def role_groups(roles: "Iterable[str]") -> "QuerySet[Group]":
    """The groups that stand for these roles, to give them to a user."""
    from django.contrib.auth.models import Group

    return Group.objects.filter(name__in=[Role(role) for role in roles])
