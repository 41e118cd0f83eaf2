"""Reading a ledger CSV for `import_ledger`: every row checked before anything is written."""

import csv
import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from cases.models import Case
from funds.models import Category, EntryKind, FundCode
from funds.money import MINOR_UNITS, Currency, is_exact
from rescue.text import clean_text

if TYPE_CHECKING:
    from rescue.roles import User

COLUMNS = ["date", "kind", "amount", "currency", "usd_rate", "fund", "case_ref", "category", "memo"]


@dataclass(frozen=True)
class ImportRow:
    line: int
    key: str
    kind: str
    fields: dict


class ImportErrors(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _row_fields(raw: dict, user: "User", errors: list[str], where: str) -> tuple[str, dict] | None:
    problems = []
    try:
        occurred_on = date.fromisoformat(raw["date"])
    except ValueError:
        problems.append("date: use YYYY-MM-DD")
        occurred_on = None
    kind = raw["kind"]
    if kind not in (EntryKind.DONATION, EntryKind.EXPENSE):
        problems.append("kind: must be donation or expense")
    currency = raw["currency"].upper()
    if currency not in Currency.values:
        problems.append(f"currency: must be one of {', '.join(Currency.values)}")
    amount = _decimal(raw["amount"])
    if amount is None or amount <= 0:
        problems.append("amount: must be a positive number")
    elif currency in MINOR_UNITS and not is_exact(amount, currency):
        problems.append(f"amount: {currency} has {MINOR_UNITS[currency] or 'no'} decimal places")
    rate = _decimal(raw["usd_rate"])
    if rate is None or rate <= 0:
        problems.append("usd_rate: must be a positive number")
    elif currency == Currency.USD and rate != 1:
        problems.append("usd_rate: must be 1 for USD")
    fund = raw["fund"]
    if fund not in FundCode.values:
        problems.append("fund: must be rescue or general")
    case = None
    if raw["case_ref"]:
        if kind != EntryKind.EXPENSE:
            problems.append("case_ref: only expenses belong to a case")
        else:
            case = Case.objects.referable_by(user).filter(reference=raw["case_ref"]).first()
            if case is None:
                problems.append("case_ref: no case you may refer to has this reference")
    category = raw["category"]
    if kind == EntryKind.DONATION and category:
        problems.append("category: must be empty for a donation")
    if kind == EntryKind.EXPENSE and category not in Category.values:
        problems.append(f"category: must be one of {', '.join(Category.values)}")
    if problems:
        errors.extend(f"{where}: {problem}" for problem in problems)
        return None
    fields = dict(
        fund=fund,
        occurred_on=occurred_on,
        currency=currency,
        amount=amount,
        usd_rate=rate,
        memo=raw["memo"],
    )
    if kind == EntryKind.EXPENSE:
        fields.update(category=category, case=case)
    return kind, fields


def read_rows(handle, *, user: "User") -> list[ImportRow]:
    """Every row of the file, checked; raises ImportErrors listing each bad row."""
    reader = csv.DictReader(clean_text(line) for line in handle)
    header = [name.strip() for name in (reader.fieldnames or [])]
    if header != COLUMNS:
        raise ImportErrors([f"header: expected the columns {', '.join(COLUMNS)}"])
    rows, errors = [], []
    seen: Counter[str] = Counter()
    for number, raw in enumerate(reader, start=1):
        if None in raw or any(value is None for value in raw.values()):
            errors.append(f"row {number} (line {reader.line_num}): wrong number of columns")
            continue
        raw = {name.strip(): value.strip() for name, value in raw.items()}
        parsed = _row_fields(raw, user, errors, f"row {number} (line {reader.line_num})")
        if parsed is None:
            continue
        # The same row twice in one file is two entries; importing the file again is none.
        normal = "|".join(raw[name] for name in COLUMNS)
        seen[normal] += 1
        digest = hashlib.sha256(f"{normal}#{seen[normal]}".encode()).hexdigest()
        rows.append(ImportRow(reader.line_num, digest, parsed[0], parsed[1]))
    if errors:
        raise ImportErrors(errors)
    return rows
