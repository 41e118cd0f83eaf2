"""Rescue requests (cases), the people in them, screening, and the case timeline.

Same-table rules live here and in database constraints; every write goes
through `cases/services.py`, which checks the acting user's role and the
case's visibility.
"""

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from rescue.append_only import AppendOnlyModel
from rescue.crypto import EncryptedTextField
from rescue.roles import IS_CASE_STAFF, Cap, can

if TYPE_CHECKING:
    from rescue.roles import Actor

if TYPE_CHECKING:
    from cases.ages import Age


class Province(models.Model):
    """A North Korean province or special city that a person may come from."""

    name = models.CharField(max_length=64, unique=True)
    korean_name = models.CharField(max_length=64, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class PartnerOrganisation(models.Model):
    """A partner NGO that cases can be referred to and that may carry out rescues."""

    name = models.CharField(max_length=128, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactChannel(models.Model):
    """A way a request can reach the NGO (phone, messenger app, partner NGO, church network)."""

    name = models.CharField(max_length=64, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Household(models.TextChoices):
    MOTHER_WITH_CHILDREN = "mother_with_children", "Mother with children"
    UNACCOMPANIED_WOMAN = "unaccompanied_woman", "Unaccompanied woman"
    OTHER = "other", "Other"


class Stage(models.TextChoices):
    RECEIVED = "received", "Request received"
    SCREENING = "screening", "Screening"
    VERIFIED = "verified", "Verified"
    WAITING = "waiting", "Waiting (money or a safe moment)"
    APPROVED = "approved", "Operation approved"
    IN_TRANSIT = "in_transit", "Extraction / in transit in China"
    CROSSING = "crossing", "Crossing to a third country"
    THIRD_COUNTRY = "third_country", "In a third country"
    FLIGHT = "flight", "Flight to South Korea"
    RESETTLING = "resettling", "Resettling"


class Situation(models.TextChoices):
    FORCED_MARRIAGE = "forced_marriage", "Trafficked into a forced marriage"
    SEX_INDUSTRY = "sex_industry", "Trafficked into the sex industry"
    WORKING_IN_HIDING = "working_in_hiding", "Working in hiding"
    DETAINED = "detained", "Detained"
    OTHER = "other", "Other"


class Surveillance(models.TextChoices):
    NONE = "none", "Not watched"
    WATCHED = "watched", "Watched"
    STRICT = "strict", "Strict: must first be helped to slip it"


class Urgency(models.TextChoices):
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical: danger now"


class Country(models.TextChoices):
    CHINA = "CN", "China"
    LAOS = "LA", "Laos"
    VIETNAM = "VN", "Vietnam"
    THAILAND = "TH", "Thailand"
    SOUTH_KOREA = "KR", "South Korea"
    OTHER = "XX", "Other"


class Verdict(models.TextChoices):
    VERIFIED = "verified", "Verified"
    INCONCLUSIVE = "inconclusive", "Inconclusive"
    SUSPECTED_DECOY = "suspected_decoy", "Suspected decoy"


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: "Actor | None") -> "CaseQuerySet":
        """Cases whose details (people, screening, notes) the user may see.

        Coordinators see every case that is not restricted; intake staff the cases they
        logged; anyone the cases assigned to them. A restricted case is seen only by its
        assignees and by those who may see restricted cases (administrators).
        """
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        # Assignments and cases logged outlive a role: someone moved from intake to the
        # board keeps them on record but must no longer see them.
        if not can(user, IS_CASE_STAFF):
            return self.none()
        if can(user, Cap.VIEW_RESTRICTED_CASES):
            return self
        # EXISTS rather than a join (no duplicate rows) or `pk IN (SELECT …)` (which the
        # planner resolves over every case before a list page's LIMIT).
        assigned = Exists(
            Case.assignees.through.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
        )
        if can(user, Cap.VIEW_ALL_CASES):
            allowed = Q(restricted=False) | assigned
        else:
            allowed = Q(restricted=False, created_by=user) | assigned
        return self.filter(allowed)

    def referable_by(self, user: "Actor | None") -> "CaseQuerySet":
        """Cases whose reference and stage (nothing else) the user may see.

        The treasurer ties expenses and commitments to cases by reference, so sees every
        case that is not restricted, but never its details.
        """
        if can(user, Cap.VIEW_CASE_REFERENCES) and not can(user, Cap.VIEW_RESTRICTED_CASES):
            return self.filter(Q(restricted=False) | Q(pk__in=self.visible_to(user).values("pk")))
        return self.visible_to(user)


class Case(models.Model):
    """One rescue request for one household."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Readable and non-identifying, e.g. 2026-014: what lists, reports and exports use.
    reference = models.CharField(max_length=32, unique=True)
    received_on = models.DateField(default=date.today, db_index=True)
    household = models.CharField(max_length=32, choices=Household.choices)
    channel = models.ForeignKey(
        ContactChannel, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    current_country = models.CharField(max_length=2, choices=Country.choices, default=Country.CHINA)
    # Coarse (province or city), and still encrypted: with other facts it narrows a search.
    current_region = EncryptedTextField()
    years_in_china = models.PositiveSmallIntegerField(null=True, blank=True)
    situation = models.CharField(max_length=32, choices=Situation.choices)
    surveillance = models.CharField(
        max_length=16, choices=Surveillance.choices, default=Surveillance.NONE
    )
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    contact_handle = EncryptedTextField()
    # HMAC of the normalised handle, to find a second request from the same contact.
    contact_handle_hash = models.CharField(max_length=64, blank=True, db_index=True)
    notes = EncryptedTextField()

    stage = models.CharField(
        max_length=32, choices=Stage.choices, default=Stage.RECEIVED, db_index=True
    )
    stage_changed_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(max_length=32, choices=Verdict.choices, blank=True)
    restricted = models.BooleanField(
        default=False, help_text="Only assignees and administrators can see a restricted case."
    )
    referred_to = models.ForeignKey(
        PartnerOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_cases",
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_cases"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="logged_cases"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set when retention erased the identifying fields of this closed case.
    identifying_data_erased_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "stage_changed_at"])

    objects = CaseQuerySet.as_manager()

    IDENTIFYING_FIELDS = ("current_region", "contact_handle", "contact_handle_hash", "notes")

    class Meta:
        ordering = ["-received_on", "-reference"]
        # The case list's order: a page is read off this index, whatever the case count.
        indexes = [models.Index(fields=["received_on", "reference"], name="case_received_ref")]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__in=Household.values), name="case_household_valid"
            ),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="case_stage_valid"),
            models.CheckConstraint(
                condition=Q(verdict__in=[*Verdict.values, ""]), name="case_verdict_valid"
            ),
            models.CheckConstraint(
                condition=Q(years_in_china__isnull=True) | Q(years_in_china__lte=80),
                name="case_years_in_china_plausible",
            ),
            models.CheckConstraint(
                condition=Q(situation__in=Situation.values), name="case_situation_valid"
            ),
            models.CheckConstraint(
                condition=Q(surveillance__in=Surveillance.values), name="case_surveillance_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="case_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(current_country__in=Country.values), name="case_country_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


class PersonRole(models.TextChoices):
    PRINCIPAL = "principal", "Principal (the person asking)"
    CHILD = "child", "Child"
    COMPANION = "companion", "Companion"


class BirthPrecision(models.TextChoices):
    YEAR = "year", "Year only"
    MONTH = "month", "Year and month"
    DAY = "day", "Full date"


class Outcome(models.TextChoices):
    RESCUED = "rescued", "Rescued"
    REFERRED = "referred", "Referred to a partner (pending with them)"
    CALLED_OFF = "called_off", "Called off"
    ARRESTED = "arrested", "Arrested / repatriated"
    DIED = "died", "Died"
    LOST_CONTACT = "lost_contact", "Lost contact"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DECOY = "decoy", "Turned out to be a decoy"


class Person(models.Model):
    """One person in a case: the principal, or a child or companion travelling with her."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="people")
    role = models.CharField(max_length=16, choices=PersonRole.choices, default=PersonRole.PRINCIPAL)
    alias = EncryptedTextField()
    legal_name = EncryptedTextField()
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.FEMALE)
    # An approximate date of birth: with precision "year" only the year is meaningful
    # (stored as 1 July), with "month" the year and month (stored as the 15th).
    birth_date = models.DateField(null=True, blank=True)
    birth_precision = models.CharField(
        max_length=8, choices=BirthPrecision.choices, default=BirthPrecision.YEAR
    )
    origin_province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True, db_index=True)
    # For rescued/referred: the partner NGO; empty with "rescued" means the NGO itself.
    outcome_partner = models.ForeignKey(
        PartnerOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    IDENTIFYING_FIELDS = ("alias", "legal_name")

    class Meta:
        ordering = ["case", "created_at"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=[*Outcome.values, ""]), name="person_outcome_valid"
            ),
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(outcome_on__isnull=True))
                | (~Q(outcome="") & Q(outcome_on__isnull=False)),
                name="person_outcome_has_date",
            ),
            models.CheckConstraint(
                condition=Q(outcome_partner__isnull=True)
                | Q(outcome__in=[Outcome.RESCUED, Outcome.REFERRED]),
                name="person_partner_only_for_rescue_or_referral",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.REFERRED) | Q(outcome_partner__isnull=False),
                name="person_referral_names_partner",
            ),
            models.CheckConstraint(
                condition=Q(birth_precision__in=BirthPrecision.values),
                name="person_birth_precision_valid",
            ),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="person_sex_valid"),
            models.CheckConstraint(
                condition=Q(role__in=PersonRole.values), name="person_role_valid"
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role=PersonRole.PRINCIPAL),
                name="person_one_principal_per_case",
            ),
        ]

    def __str__(self) -> str:
        # Never the alias or name: str() ends up in logs and admin messages.
        return f"{self.case.reference} {self.get_role_display().split(' ')[0].lower()}"

    @property
    def age(self) -> "Age | None":
        """Her age today, said as precisely as the date of birth was given."""
        from cases.ages import age_at  # cases.ages reads BirthPrecision from this module

        return age_at(self.birth_date, self.birth_precision)

    @property
    def born_text(self) -> str:
        from cases.ages import format_born

        return format_born(self.birth_date, self.birth_precision)


class DialectFit(models.TextChoices):
    FITS = "fits", "Fits the claimed home province"
    DOES_NOT_FIT = "does_not_fit", "Does not fit"
    UNSURE = "unsure", "Cannot tell"


class Screening(models.Model):
    """One screening of a request against the decoy checks, ending in a verdict."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="screenings")
    reason_for_leaving = EncryptedTextField()
    dialect = models.CharField(max_length=16, choices=DialectFit.choices)
    birthplace_knowledge = EncryptedTextField()
    address_knowledge = EncryptedTextField()
    daily_life_knowledge = EncryptedTextField()
    vouched_by = EncryptedTextField()
    verdict = models.CharField(max_length=32, choices=Verdict.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screenings"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    IDENTIFYING_FIELDS = (
        "reason_for_leaving",
        "birthplace_knowledge",
        "address_knowledge",
        "daily_life_knowledge",
        "vouched_by",
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="screening_verdict_valid"
            ),
            models.CheckConstraint(
                condition=Q(dialect__in=DialectFit.values), name="screening_dialect_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} screening: {self.verdict}"


class EventKind(models.TextChoices):
    CREATED = "created", "Request logged"
    SCREENED = "screened", "Screened"
    STAGE = "stage", "Stage changed"
    ASSIGNED = "assigned", "Assignment changed"
    REFERRED = "referred", "Referred to a partner"
    OUTCOME = "outcome", "Outcome recorded"
    CLOSED = "closed", "Closed"
    REOPENED = "reopened", "Reopened"
    RESTRICTED = "restricted", "Restriction changed"
    IMPORTED = "imported", "Imported from a spreadsheet"


class CaseEvent(AppendOnlyModel):
    """One entry on a case's append-only timeline: who changed what, from what, to what."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    # Codes and references only (a stage, a verdict, a username, a partner's name):
    # never anything that identifies the person.
    from_value = models.CharField(max_length=128, blank=True)
    to_value = models.CharField(max_length=128, blank=True)
    note = EncryptedTextField()

    IDENTIFYING_FIELDS = ("note",)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="caseevent_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ReferenceCounter(models.Model):
    """The last case number handed out in one year; locked while a new reference is allocated."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
