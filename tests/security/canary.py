"""The canary harness: unique markers in every identifying field, and where they may appear.

`seed_markers()` fills every field in a cases model's `IDENTIFYING_FIELDS` with a
marker unique to (case, model, field); `urls_for_case()` expands every URL pattern
with a case's real ids, so pages added by any app later are swept without editing
this file. The oracle for a page is `Case.objects.visible_to(user)`: a marker may
appear only for a user who may see the case it belongs to.
"""

import itertools
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import RoutePattern

from cases.models import (
    Case,
    CaseEvent,
    EventKind,
    Person,
    PersonRole,
    Screening,
    Stage,
    Verdict,
)
from funds import services as funds_services
from funds.models import Category, Commitment, JournalEntry, PayeeKind
from rescue.crypto import EncryptedTextField, keyed_hash
from rescue.logging import RedactIdentifyingData
from rescue.roles import Cap, can
from tests.factories import CaseFactory, PersonFactory
from tests.urlsweep import _route_part

# Models seeded here; a model that gains IDENTIFYING_FIELDS without being added fails
# `test_every_model_with_identifying_fields_is_seeded`.
SEEDED_MODELS = (Case, Person, Screening, CaseEvent, JournalEntry, Commitment)


@dataclass
class Canary:
    case: Case
    markers: set[str] = field(default_factory=set)
    person_ids: list = field(default_factory=list)
    # The ledger's free text about this case: shown only to those who may read the
    # ledger (or the reserve) and may refer to the case.
    ledger_markers: set[str] = field(default_factory=set)
    entry_ids: list = field(default_factory=list)

    def allowed_for(self, user, visible: set, referable: set) -> set[str]:
        allowed = set(self.markers) if self.case.pk in visible else set()
        reads_money = can(user, Cap.VIEW_LEDGER) or can(user, Cap.VIEW_READINESS)
        if reads_money and self.case.pk in referable:
            allowed |= self.ledger_markers
        return allowed

    @property
    def all_markers(self) -> set[str]:
        return self.markers | self.ledger_markers


def _marker(case_ref: str, model, name: str) -> str:
    return f"CANARY{secrets.token_hex(4)}x{case_ref.replace('-', '')}x{model.__name__}x{name}"


def _fill(instance, canary: Canary) -> None:
    for name in type(instance).IDENTIFYING_FIELDS:
        model_field = type(instance)._meta.get_field(name)
        if isinstance(model_field, EncryptedTextField):
            value = _marker(canary.case.reference, type(instance), name)
            canary.markers.add(value)
            setattr(instance, name, value)
    if hasattr(instance, "contact_handle_hash"):
        # A keyed hash, not the handle: it is stored in the clear by design.
        instance.contact_handle_hash = keyed_hash(instance.contact_handle)


def seed_case(*, created_by, by, **case_fields) -> Canary:
    case = CaseFactory(created_by=created_by, **case_fields)
    canary = Canary(case=case)
    _fill(case, canary)
    case._history_user = by
    case.save()
    for role in (PersonRole.PRINCIPAL, PersonRole.CHILD):
        person = PersonFactory(case=case, role=role)
        _fill(person, canary)
        person._history_user = by
        person.save()
        canary.person_ids.append(person.pk)
    screening = Screening(case=case, dialect="fits", verdict=Verdict.VERIFIED, decided_by=by)
    _fill(screening, canary)
    screening.save()
    event = CaseEvent(case=case, by=by, kind=EventKind.CREATED)
    _fill(event, canary)
    event.save()
    return canary


def seed_ledger(canary: Canary, *, by) -> None:
    """An expense on the case with every free-text field marked, its reversal, a commitment.

    `by` records them through the services (an administrator: may write the ledger
    and refer to restricted cases).
    """
    ref = canary.case.reference

    def mark(model, name: str) -> str:
        value = _marker(ref, model, name)
        canary.ledger_markers.add(value)
        return value

    funds_services.donation_record(
        by=by, fund="rescue", occurred_on=date(2026, 3, 1), currency="USD", amount=Decimal(50000)
    )
    expense = funds_services.expense_record(
        by=by,
        fund="rescue",
        occurred_on=date(2026, 3, 2),
        currency="USD",
        amount=Decimal(120),
        category=Category.TRANSPORT,
        payee_kind=PayeeKind.DRIVER,
        payee=mark(JournalEntry, "payee"),
        memo=mark(JournalEntry, "memo"),
        override_reason=mark(JournalEntry, "override_reason"),
        case=canary.case,
    )
    reversal = funds_services.entry_reverse(
        entry=expense, by=by, reason=mark(JournalEntry, "reason"), occurred_on=date(2026, 3, 3)
    )
    canary.entry_ids += [expense.pk, reversal.pk]
    Commitment.objects.create(
        case=canary.case,
        amount_usd=Decimal(2500),
        override_reason=mark(Commitment, "override_reason"),
        created_by=by,
    )
    Case.objects.filter(pk=canary.case.pk).update(stage=Stage.APPROVED)


def identifying_models():
    for model in apps.get_models():
        if getattr(model, "IDENTIFYING_FIELDS", None):
            yield model


def _slot_values(name: str, converter, canary: Canary) -> list[str]:
    if isinstance(converter, IntConverter) and name == "pk":
        return [_route_part_sample(converter), *(str(pk) for pk in canary.entry_ids)]
    if not isinstance(converter, UUIDConverter):
        return [_route_part_sample(converter)]
    if "person" in name:
        return [str(pk) for pk in canary.person_ids]
    if "case" in name:
        return [str(canary.case.pk)]
    return [str(canary.case.pk), *(str(pk) for pk in canary.person_ids)]


def _route_part_sample(converter) -> str:
    from tests.urlsweep import _sample

    return _sample(converter)


def _expand(pattern, canary: Canary) -> list[str]:
    if not isinstance(pattern, RoutePattern) or not pattern.converters:
        return [_route_part(pattern)]
    names = list(pattern.converters)
    choices = [_slot_values(name, pattern.converters[name], canary) for name in names]
    texts = []
    for combination in itertools.product(*choices):
        text = str(pattern)
        for name, value in zip(names, combination, strict=True):
            text = text.replace(f"<{name}>", value)
            for prefix in ("uuid", "int", "slug", "str", "path"):
                text = text.replace(f"<{prefix}:{name}>", value)
        texts.append(text)
    return texts


def urls_for_case(canary: Canary) -> list[str]:
    """Every URL in the URLconf, with this case's (and its people's) ids in UUID slots."""
    found: list[str] = []

    def walk(patterns, prefixes: list[str]) -> None:
        for entry in patterns:
            parts = _expand(entry.pattern, canary)
            if isinstance(entry, URLResolver):
                for part in parts:
                    for prefix in prefixes:
                        walk(entry.url_patterns, [prefix + part])
            elif isinstance(entry, URLPattern):
                found.extend("/" + prefix + part for prefix in prefixes for part in parts)

    walk(get_resolver().url_patterns, [""])
    return sorted(set(found))


class CapturingHandler(logging.Handler):
    """Every record at DEBUG and up, as the configured handlers would write it.

    Every handler in settings.LOGGING carries the redaction filter (a test in
    tests/test_logging_and_errors.py holds that), so records pass through it here
    too; what is left (message, traceback, every attribute) must hold no marker.
    """

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.texts: list[str] = []
        self.addFilter(RedactIdentifyingData())
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record):
        self.texts.append(self.format(record))
        self.texts.extend(str(value) for value in vars(record).values())
