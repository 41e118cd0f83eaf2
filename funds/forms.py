"""The treasurer's forms: validate and normalise only; services write the postings."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone

from cases.models import Case
from funds.models import Account, Category, FundCode, PayeeKind
from funds.money import MINOR_UNITS, Currency, is_exact
from rescue.forms import PrivateForm

if TYPE_CHECKING:
    from rescue.roles import Actor

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OVERRIDE_HELP = (
    "Only if this takes the reserve below its minimum: why it must go ahead anyway "
    "(treasurers only; recorded with the entry)."
)


def _amount_field(label: str = "Amount") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=18, decimal_places=4, min_value=Decimal("0.0001")
    )


def _rate_field(
    label: str = "USD per unit",
    help_text: str = "Leave blank to use the latest rate entered on or before the date.",
    required: bool = False,
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=20,
        decimal_places=10,
        min_value=Decimal("0.0000000001"),
        help_text=help_text,
    )


def _check_exact(form: forms.Form, amount_field: str, currency_field: str) -> None:
    amount = form.cleaned_data.get(amount_field)
    currency = form.cleaned_data.get(currency_field)
    if amount is not None and currency and not is_exact(amount, currency):
        places = MINOR_UNITS[currency]
        form.add_error(amount_field, f"{currency} amounts have {places or 'no'} decimal places.")


class CaseReferenceField(forms.CharField):
    """A case reference, resolved among the cases the user may refer to."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("label", "Case reference")
        super().__init__(**kwargs)
        self.user: Actor | None = None

    def clean(self, value):
        reference = super().clean(value).strip()
        if not reference:
            return None
        case = Case.objects.referable_by(self.user).filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError("No case you may refer to has this reference.")
        return case


class UserBoundForm(PrivateForm):
    def __init__(self, *args, user: "Actor", **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, CaseReferenceField):
                field.user = user


class DonationForm(PrivateForm):
    fund = forms.ChoiceField(choices=FundCode.choices, help_text="The fund the donor chose.")
    occurred_on = forms.DateField(label="Date received", widget=DATE_WIDGET)
    currency = forms.ChoiceField(choices=Currency.choices)
    amount = _amount_field()
    usd_rate = _rate_field()
    memo = forms.CharField(max_length=255, required=False)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        _check_exact(self, "amount", "currency")
        return cleaned


class ExpenseForm(UserBoundForm):
    fund = forms.ChoiceField(choices=FundCode.choices, initial=FundCode.RESCUE)
    occurred_on = forms.DateField(label="Date paid", widget=DATE_WIDGET)
    currency = forms.ChoiceField(choices=Currency.choices)
    amount = _amount_field()
    usd_rate = _rate_field()
    category = forms.ChoiceField(choices=Category.choices)
    payee_kind = forms.ChoiceField(
        label="Paid to",
        choices=[("", "Not recorded"), *PayeeKind.choices],
        required=False,
    )
    payee = forms.CharField(
        label="Payee details",
        max_length=120,
        required=False,
        help_text=(
            "Only what tells this payment apart (an invoice number). Never a name, a "
            "place or a contact; it is encrypted and can be erased."
        ),
    )
    case = CaseReferenceField(required=False, help_text="Leave blank if it is not for one case.")
    memo = forms.CharField(max_length=255, required=False)
    override_reason = forms.CharField(max_length=255, required=False, help_text=OVERRIDE_HELP)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        _check_exact(self, "amount", "currency")
        return cleaned


class TransferForm(PrivateForm):
    from_fund = forms.ChoiceField(choices=FundCode.choices, initial=FundCode.GENERAL)
    to_fund = forms.ChoiceField(choices=FundCode.choices, initial=FundCode.RESCUE)
    occurred_on = forms.DateField(label="Date", widget=DATE_WIDGET)
    currency = forms.ChoiceField(choices=Currency.choices)
    amount = _amount_field()
    usd_rate = _rate_field()
    memo = forms.CharField(max_length=255, required=False)
    override_reason = forms.CharField(max_length=255, required=False, help_text=OVERRIDE_HELP)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        _check_exact(self, "amount", "currency")
        if cleaned.get("from_fund") and cleaned.get("from_fund") == cleaned.get("to_fund"):
            self.add_error("to_fund", "Choose a different fund to move the money to.")
        return cleaned


class ExchangeForm(PrivateForm):
    fund = forms.ChoiceField(choices=FundCode.choices)
    occurred_on = forms.DateField(label="Date", widget=DATE_WIDGET)
    sell_currency = forms.ChoiceField(choices=Currency.choices, label="Currency sold")
    sell_amount = _amount_field("Amount sold")
    buy_currency = forms.ChoiceField(choices=Currency.choices, label="Currency bought")
    buy_amount = _amount_field("Amount bought")
    usd_rate = _rate_field(
        "USD per unit of the currency sold",
        "Blank: taken from the dollars bought, or else the latest rate entered.",
    )
    memo = forms.CharField(max_length=255, required=False)
    override_reason = forms.CharField(max_length=255, required=False, help_text=OVERRIDE_HELP)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        _check_exact(self, "sell_amount", "sell_currency")
        _check_exact(self, "buy_amount", "buy_currency")
        if cleaned.get("sell_currency") and cleaned.get("sell_currency") == cleaned.get(
            "buy_currency"
        ):
            self.add_error("buy_currency", "Choose a different currency to buy.")
        return cleaned


class ReverseForm(PrivateForm):
    reason = forms.CharField(
        max_length=255, help_text="Why the entry was wrong; kept with the reversal."
    )


class RateForm(PrivateForm):
    currency = forms.ChoiceField(choices=[c for c in Currency.choices if c[0] != Currency.USD])
    on = forms.DateField(label="Date", widget=DATE_WIDGET)
    usd_per_unit = _rate_field(help_text="", required=True)


class CommitmentForm(UserBoundForm):
    case = CaseReferenceField(help_text="An approved case.")
    amount_usd = forms.DecimalField(
        label="Amount (USD)",
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="Blank: the policy estimate for this case.",
    )
    override_reason = forms.CharField(max_length=255, required=False, help_text=OVERRIDE_HELP)


class LedgerFilterForm(UserBoundForm):
    fund = forms.ChoiceField(choices=[("", "All funds"), *FundCode.choices], required=False)
    account = forms.ModelChoiceField(
        queryset=Account.objects.select_related("fund"), required=False, empty_label="All accounts"
    )
    case = CaseReferenceField(required=False)
    category = forms.ChoiceField(
        choices=[("", "All categories"), *Category.choices], required=False
    )
    date_from = forms.DateField(required=False, widget=DATE_WIDGET, label="From")
    date_to = forms.DateField(required=False, widget=DATE_WIDGET, label="To")

    def summary(self) -> str:
        """The filters in use, for the access log: codes, dates and case references only."""
        if not self.is_valid():
            return "invalid filters"
        parts = []
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            if name == "case":
                value = value.reference
            elif name == "account":
                value = value.pk
            parts.append(f"{name}={value}")
        return "; ".join(parts) or "all"


def initial_today() -> dict:
    """Initial data for the entry forms: dated today."""
    return {"occurred_on": timezone.localdate()}


class EraseTextForm(forms.Form):
    """Confirm erasing an entry's free text."""

    confirm = forms.BooleanField(
        label="Erase the payee details, memo and reasons of this entry and its reversal",
        help_text="Amounts, dates, accounts and who recorded it stay. This cannot be undone.",
    )
