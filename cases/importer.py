"""Importing cases from a CSV file, one row per person: all rows or none.

The format is documented in the README ("Importing cases"). Rows sharing a `case_ref`
form one case, which keeps `case_ref` as its reference; a case whose reference already
exists is skipped, so importing the same file twice duplicates nothing.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from cases.ages import parse_born
from cases.models import (
    Case,
    CaseEvent,
    ContactChannel,
    EventKind,
    Household,
    Outcome,
    PartnerOrganisation,
    Person,
    PersonRole,
    Province,
    Sex,
    Situation,
    Stage,
)
from cases.services import REFERENCE_HELP, reference_is_valid
from rescue.crypto import keyed_hash
from rescue.roles import Cap, require
from rescue.text import clean_text

if TYPE_CHECKING:
    from rescue.roles import User

REQUIRED_COLUMNS = (
    "case_ref",
    "received_on",
    "household",
    "person_role",
    "alias",
    "sex",
    "born",
    "origin_province",
    "outcome",
    "outcome_on",
    "rescued_by",
)
# Stored encrypted, exactly like form input.
ENCRYPTED_COLUMNS = ("legal_name", "contact_handle", "current_location", "notes")
OPTIONAL_COLUMNS = (*ENCRYPTED_COLUMNS, "stage", "channel", "situation")
# Columns that describe the case: every row of one case must agree on them.
CASE_COLUMNS = (
    "received_on",
    "household",
    "contact_handle",
    "current_location",
    "notes",
    "stage",
    "channel",
    "situation",
)


@dataclass
class ImportResult:
    """What an import did, or every problem that stopped it."""

    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    people: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _date(text: str) -> date:
    return date.fromisoformat(text)


class _Rows:
    """Parses and checks every row, collecting problems as `row N, column: reason`."""

    def __init__(self, text: str):
        self.errors: list[str] = []
        self.provinces = {p.name.casefold(): p for p in Province.objects.all()}
        self.channels = {c.name.casefold(): c for c in ContactChannel.objects.all()}
        self.cases: dict[str, list[tuple[int, dict]]] = defaultdict(list)
        reader = csv.DictReader(io.StringIO(clean_text(text)))
        columns = [c.strip() for c in reader.fieldnames or []]
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            self.errors.append(f"Missing columns: {', '.join(missing)}.")
            return
        unknown = [c for c in columns if c not in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)]
        if unknown:
            self.errors.append(f"Unknown columns: {', '.join(unknown)}.")
            return
        count = 0
        # Row 1 is the header, so the first person is on row 2, as in a spreadsheet.
        for number, raw in enumerate(reader, start=2):
            count += 1
            row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
            self._check(number, row)
        if count == 0:
            self.errors.append("The file has no rows.")
        self._check_cases()

    def _error(self, number: int, column: str, reason: str) -> None:
        self.errors.append(f"Row {number}, {column}: {reason}")

    def _check(self, number: int, row: dict) -> None:
        clean = dict(row)
        ref = row["case_ref"]
        if not reference_is_valid(ref):
            self._error(number, "case_ref", REFERENCE_HELP)
        try:
            clean["received_on"] = _date(row["received_on"])
            if clean["received_on"] > timezone.localdate():
                self._error(number, "received_on", "is in the future.")
        except ValueError:
            self._error(number, "received_on", "write the date as YYYY-MM-DD.")
        if row["household"] not in Household.values:
            self._error(number, "household", f"one of {', '.join(Household.values)}.")
        if row["person_role"] not in PersonRole.values:
            self._error(number, "person_role", f"one of {', '.join(PersonRole.values)}.")
        if not row["alias"]:
            self._error(number, "alias", "is required.")
        if row["sex"] not in Sex.values:
            self._error(number, "sex", "F or M.")
        try:
            clean["born"] = parse_born(row["born"]) if row["born"] else None
        except ValueError as exc:
            self._error(number, "born", str(exc))
        clean["origin_province"] = None
        if row["origin_province"]:
            clean["origin_province"] = self.provinces.get(row["origin_province"].casefold())
            if clean["origin_province"] is None:
                self._error(number, "origin_province", "not a province in the list.")
        self._check_outcome(number, row, clean)
        received, ended = clean.get("received_on"), clean["outcome_on"]
        if isinstance(received, date) and ended is not None and ended < received:
            self._error(number, "outcome_on", "is before received_on.")
        if row.get("stage") and row["stage"] not in Stage.values:
            self._error(number, "stage", f"one of {', '.join(Stage.values)}.")
        if row.get("situation") and row["situation"] not in Situation.values:
            self._error(number, "situation", f"one of {', '.join(Situation.values)}.")
        clean["channel"] = None
        if row.get("channel"):
            clean["channel"] = self.channels.get(row["channel"].casefold())
            if clean["channel"] is None:
                self._error(number, "channel", "not a contact channel in the list.")
        if reference_is_valid(ref):
            self.cases[ref].append((number, clean))

    def _check_outcome(self, number: int, row: dict, clean: dict) -> None:
        outcome, on = row["outcome"], row["outcome_on"]
        clean["outcome_on"] = None
        if outcome and outcome not in Outcome.values:
            self._error(number, "outcome", f"empty or one of {', '.join(Outcome.values)}.")
        if on:
            try:
                clean["outcome_on"] = _date(on)
                if clean["outcome_on"] > timezone.localdate():
                    self._error(number, "outcome_on", "is in the future.")
            except ValueError:
                self._error(number, "outcome_on", "write the date as YYYY-MM-DD.")
        if outcome and not on:
            self._error(number, "outcome_on", "an outcome needs its date.")
        if on and not outcome:
            self._error(number, "outcome_on", "a date without an outcome.")
        if row["rescued_by"] and outcome not in (Outcome.RESCUED, Outcome.REFERRED):
            self._error(number, "rescued_by", "only with the outcome rescued or referred.")
        if outcome == Outcome.REFERRED and not row["rescued_by"]:
            self._error(number, "rescued_by", "name the partner NGO the case is referred to.")

    def _check_cases(self) -> None:
        for rows in self.cases.values():
            first_number, first = rows[0]
            for number, row in rows[1:]:
                for column in CASE_COLUMNS:
                    if row.get(column, "") != first.get(column, ""):
                        self._error(
                            number, column, f"differs from row {first_number} of the same case."
                        )
            principals = [n for n, r in rows if r["person_role"] == PersonRole.PRINCIPAL]
            if len(principals) != 1:
                self._error(first_number, "person_role", "each case needs exactly one principal.")


def _partner(name: str) -> PartnerOrganisation | None:
    if not name:
        return None
    found = PartnerOrganisation.objects.filter(name__iexact=name).first()
    return found or PartnerOrganisation.objects.create(name=name)


def _create_case(ref: str, rows: list[tuple[int, dict]], by: "User") -> int:
    first = rows[0][1]
    handle = first.get("contact_handle", "")
    case = Case.objects.create(
        reference=ref,
        received_on=first["received_on"],
        household=first["household"],
        situation=first.get("situation") or Situation.OTHER,
        channel=first["channel"],
        stage=first.get("stage") or Stage.RECEIVED,
        current_region=first.get("current_location", ""),
        contact_handle=handle,
        contact_handle_hash=keyed_hash(handle),
        notes=first.get("notes", ""),
        created_by=by,
    )
    CaseEvent.objects.create(case=case, by=by, kind=EventKind.IMPORTED, to_value=case.stage)
    for _, row in rows:
        born = row["born"]
        person = Person.objects.create(
            case=case,
            role=row["person_role"],
            alias=row["alias"],
            legal_name=row.get("legal_name", ""),
            sex=row["sex"],
            birth_date=born.date if born else None,
            birth_precision=born.precision if born else "year",
            origin_province=row["origin_province"],
            outcome=row["outcome"],
            outcome_on=row["outcome_on"],
            outcome_partner=_partner(row["rescued_by"]),
        )
        if person.outcome:
            to_value = person.outcome
            if person.outcome_partner:
                to_value = f"{person.outcome}:{person.outcome_partner.name}"
            CaseEvent.objects.create(
                case=case, by=by, kind=EventKind.OUTCOME, person=person, to_value=to_value
            )
    if all(row["outcome"] for _, row in rows):
        # Closed when the last person's outcome happened, not at the import: retention
        # counts from closed_at, and years-old history must not keep names two more years.
        last_outcome = max(row["outcome_on"] for _, row in rows if row["outcome_on"])
        case.closed_at = timezone.make_aware(datetime.combine(last_outcome, time(12)))
        case.save(update_fields=["closed_at"])
        CaseEvent.objects.create(case=case, by=by, kind=EventKind.CLOSED)
    return len(rows)


def cases_import(*, file, by: "User") -> ImportResult:
    """Import every row of a CSV file, or none of them; `file` is text or a binary file."""
    require(by, Cap.IMPORT_CASES)
    require(by, Cap.LOG_REQUEST)
    result = ImportResult()
    raw = file if isinstance(file, str) else file.read()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            result.errors.append("The file is not UTF-8 text (save it as CSV UTF-8).")
            return result
    try:
        rows = _Rows(raw)
    except csv.Error as exc:
        result.errors.append(f"The file is not a readable CSV file ({exc}).")
        return result
    if rows.errors:
        result.errors = rows.errors
        return result
    with transaction.atomic():
        existing = set(
            Case.objects.filter(reference__in=rows.cases).values_list("reference", flat=True)
        )
        for ref, case_rows in rows.cases.items():
            if ref in existing:
                result.skipped.append(ref)
                continue
            result.people += _create_case(ref, case_rows, by)
            result.created.append(ref)
    return result
