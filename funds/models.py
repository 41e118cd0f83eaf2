"""The rescue-fund ledger: funds, accounts, append-only journal entries and their postings.

Every write goes through `funds/services.py`. Entries and postings are never updated or
deleted: here the model and queryset refuse it, and on PostgreSQL the database refuses
it too (triggers installed by migration 0002), along with any entry whose postings do
not sum to zero per currency.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Case
from funds.money import Currency
from rescue.append_only import AppendOnlyModel
from rescue.models import Singleton


class FundCode(models.TextChoices):
    RESCUE = "rescue", "Rescue reserve"
    GENERAL = "general", "General operations"


class Fund(models.Model):
    """A pot of money with its own purpose; the rescue reserve is restricted to rescues."""

    code = models.CharField(max_length=16, unique=True, choices=FundCode.choices)
    name = models.CharField(max_length=64)
    restricted = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(code__in=FundCode.values), name="fund_code_valid")
        ]

    def __str__(self) -> str:
        return self.name


class AccountKind(models.TextChoices):
    CASH = "cash", "Cash and bank"
    INCOME = "income", "Donation income"
    EXPENSE = "expense", "Expense"
    TRANSFER = "transfer", "Transfers between funds"
    EXCHANGE = "exchange", "Currency exchange"


class Category(models.TextChoices):
    """Expense categories; the codes are the ones `import_ledger` reads."""

    BROKER_FEE = "broker_fee", "Broker fee"
    TRANSPORT = "transport", "Transport in China"
    RIVER_CROSSING = "river_crossing", "River crossing"
    SHELTER = "shelter", "Shelter"
    MEDICAL = "medical", "Medical"
    DOCUMENTS_FLIGHTS = "documents_flights", "Documents and flights"
    SURVEILLANCE_EVASION = "surveillance_evasion", "Surveillance evasion"
    OTHER = "other", "Other"


class Account(models.Model):
    """One account of a fund in one currency (cash, income, an expense category, …)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(max_length=16, choices=AccountKind.choices)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    category = models.CharField(max_length=32, choices=Category.choices, blank=True)

    class Meta:
        ordering = ["fund_id", "kind", "category", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "kind", "currency", "category"], name="account_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AccountKind.values), name="account_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(currency__in=Currency.values), name="account_currency_valid"
            ),
            models.CheckConstraint(
                condition=(Q(kind=AccountKind.EXPENSE) & Q(category__in=Category.values))
                | (~Q(kind=AccountKind.EXPENSE) & Q(category="")),
                name="account_category_only_for_expenses",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_category_display() if self.category else self.get_kind_display()
        return f"{self.fund.name} · {label} · {self.currency}"


class EntryKind(models.TextChoices):
    DONATION = "donation", "Donation"
    EXPENSE = "expense", "Expense"
    TRANSFER = "transfer", "Transfer between funds"
    EXCHANGE = "exchange", "Currency exchange"


class JournalEntry(AppendOnlyModel):
    """One recorded event (donation, expense, transfer, exchange) or the reversal of one.

    `amount` and `amount_usd` are signed: a reversal carries the original's kind with the
    amounts negated, so sums over a kind are net of reversals. `usd_rate` (USD per unit of
    `currency`) is the rate used when the entry was recorded and is never recomputed.
    """

    occurred_on = models.DateField(db_index=True)
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    # Transfers only: the fund the money went to.
    to_fund = models.ForeignKey(
        Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(max_length=3, choices=Currency.choices)
    amount = models.DecimalField(max_digits=18, decimal_places=4)
    usd_rate = models.DecimalField(max_digits=20, decimal_places=10)
    amount_usd = models.DecimalField(max_digits=18, decimal_places=2)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="fund_entries"
    )
    category = models.CharField(max_length=32, choices=Category.choices, blank=True)
    # Who was paid, described by role or business ("broker, Yanji"), never a person's name.
    payee = models.CharField(max_length=120, blank=True)
    memo = models.CharField(max_length=255, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )
    reason = models.CharField(max_length=255, blank=True)
    # A treasurer's written reason for taking the reserve below its minimum.
    override_reason = models.CharField(max_length=255, blank=True)
    # Set by import_ledger so that importing the same file again adds nothing.
    import_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["kind", "occurred_on"], name="entry_kind_date")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="entry_kind_valid"),
            models.CheckConstraint(
                condition=Q(currency__in=Currency.values), name="entry_currency_valid"
            ),
            models.CheckConstraint(condition=Q(usd_rate__gt=0), name="entry_rate_positive"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=False) | Q(amount__gt=0),
                name="entry_original_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reason=""),
                name="entry_reversal_has_reason",
            ),
            models.CheckConstraint(
                condition=(Q(kind=EntryKind.EXPENSE) & Q(category__in=Category.values))
                | (~Q(kind=EntryKind.EXPENSE) & Q(category="")),
                name="entry_category_only_for_expenses",
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(kind=EntryKind.EXPENSE),
                name="entry_case_only_for_expenses",
            ),
            models.CheckConstraint(
                condition=(Q(kind=EntryKind.TRANSFER) & Q(to_fund__isnull=False))
                | (~Q(kind=EntryKind.TRANSFER) & Q(to_fund__isnull=True)),
                name="entry_to_fund_only_for_transfers",
            ),
        ]

    def __str__(self) -> str:
        prefix = "Reversal of " if self.reverses_id else ""
        return f"#{self.pk} {prefix}{self.get_kind_display()} {self.occurred_on}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class Posting(AppendOnlyModel):
    """One line of an entry: a signed amount on one account; an entry's lines sum to zero."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    currency = models.CharField(max_length=3, choices=Currency.choices)
    amount = models.DecimalField(max_digits=18, decimal_places=4)
    amount_usd = models.DecimalField(max_digits=18, decimal_places=2)
    # Copied from the entry so that balances on a day need no join.
    occurred_on = models.DateField()
    # The account's balance right after this posting was recorded (the ledger's running
    # balance); exact because postings to a fund are written under the fund's row lock.
    balance_after = models.DecimalField(max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["-entry_id", "id"]
        indexes = [models.Index(fields=["account", "occurred_on"], name="posting_account_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(currency__in=Currency.values), name="posting_currency_valid"
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="posting_amount_nonzero"),
        ]

    def __str__(self) -> str:
        return f"#{self.entry_id} {self.amount} {self.currency}"


class AccountBalance(models.Model):
    """The current balance of one account, kept in step with its postings in each write."""

    account = models.OneToOneField(Account, on_delete=models.PROTECT, related_name="balance")
    balance = models.DecimalField(max_digits=18, decimal_places=4, default=Decimal(0))

    def __str__(self) -> str:
        return f"{self.account_id}: {self.balance}"


class ExchangeRate(models.Model):
    """A treasurer-entered rate: how many US dollars one unit of a currency was worth on a day."""

    currency = models.CharField(max_length=3, choices=Currency.choices)
    on = models.DateField()
    usd_per_unit = models.DecimalField(max_digits=20, decimal_places=10)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "on"], name="exchangerate_one_per_day"),
            models.CheckConstraint(
                condition=Q(usd_per_unit__gt=0), name="exchangerate_rate_positive"
            ),
            models.CheckConstraint(
                condition=~Q(currency=Currency.USD) | Q(usd_per_unit=1),
                name="exchangerate_usd_is_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.on}: {self.usd_per_unit} USD"


class FundPolicy(Singleton):
    """The single row of reserve policy an administrator can change: estimates and thresholds."""

    standard_estimate_usd = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("2500.00")
    )
    surveillance_extra_usd = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("1000.00"),
        help_text="Added when the woman must first be helped to slip strict surveillance.",
    )
    ceiling_usd = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("6000.00"),
        help_text="The most that may be committed to one case.",
    )
    minimum_usd = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("6000.00"),
        help_text="Below this the reserve cannot answer the next request (red).",
    )
    target_usd = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("10000.00"),
        help_text="Below this the NGO should be raising money (amber).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "fund policy"
        verbose_name_plural = "fund policy"
        constraints = [
            *Singleton.Meta.constraints,
            models.CheckConstraint(
                condition=Q(minimum_usd__gte=0) & Q(target_usd__gte=models.F("minimum_usd")),
                name="fundpolicy_minimum_below_target",
            ),
            models.CheckConstraint(
                condition=Q(standard_estimate_usd__gt=0)
                & Q(surveillance_extra_usd__gte=0)
                & Q(ceiling_usd__gte=models.F("standard_estimate_usd")),
                name="fundpolicy_estimates_valid",
            ),
        ]

    def __str__(self) -> str:
        return "Fund policy"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", "Open"
    RELEASED = "released", "Released"


class Commitment(models.Model):
    """Reserve money set aside for one approved operation; expenses on the case draw it down."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="commitments")
    amount_usd = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(
        max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    override_reason = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status=CommitmentStatus.OPEN),
                name="commitment_one_open_per_case",
            ),
            models.CheckConstraint(
                condition=Q(amount_usd__gt=0), name="commitment_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CommitmentStatus.values), name="commitment_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status=CommitmentStatus.OPEN) & Q(released_at__isnull=True))
                | (Q(status=CommitmentStatus.RELEASED) & Q(released_at__isnull=False)),
                name="commitment_released_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.amount_usd} USD ({self.status})"


class Band(models.TextChoices):
    RED = "red", "Red: cannot answer the next request"
    AMBER = "amber", "Amber: raise money"
    GREEN = "green", "Green: ready"


BAND_RANK: dict[str, int] = {Band.RED: 0, Band.AMBER: 1, Band.GREEN: 2}


class ReadinessAlert(models.Model):
    """One downward crossing of a threshold, and the e-mail it sent the treasurers."""

    from_band = models.CharField(max_length=8, choices=Band.choices)
    to_band = models.CharField(max_length=8, choices=Band.choices)
    available_usd = models.DecimalField(max_digits=14, decimal_places=2)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_band__in=Band.values) & Q(to_band__in=Band.values),
                name="readinessalert_bands_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.from_band} to {self.to_band}"
