"""The five roles, what each may do, and the checks every view and service share.

A role is a Django group; what it may do is a set of capability permissions on
`rescue.Capability` (see `rescue/models.py`). Views and services ask
`user.has_perm("rescue.<capability>")`, never a group name, so a user holding
several roles gets the union of their capabilities.
"""

from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import PermissionDenied
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    # The acting user. Services that write take a signed-in `User` (`by`); checks and
    # selectors take an `Actor`, which may be a visitor who is not signed in.
    Actor: TypeAlias = User | AnonymousUser

__all__ = ["Actor", "Cap", "Role", "User", "can", "perm", "require", "roles_of"]


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


def perm(cap: str) -> str:
    """The `has_perm` string for a capability."""
    return f"rescue.{cap}"


def can(user: "Actor | None", cap: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(perm(cap)))


def require(user: "Actor", cap: str) -> None:
    """Raise PermissionDenied unless the user holds the capability; services call this."""
    if not can(user, cap):
        raise PermissionDenied


def roles_of(user: "Actor") -> list[str]:
    if not user.is_authenticated:
        return []
    names = {group.name for group in user.groups.all()}
    return [role for role in Role.values if role in names]
