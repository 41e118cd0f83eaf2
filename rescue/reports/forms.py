"""Forms of the reports: the report's period, and the filter of a case export."""

from django import forms

from cases.models import Household, Stage
from rescue.reports.periods import FISCAL_PARTS, Period, fiscal_part


class PeriodForm(forms.Form):
    """A fiscal year (or a half or quarter of it), or a date range; the range wins when both
    ends are given. `restricted`: for readers who may not see cases, no date range."""

    year = forms.IntegerField(required=False, min_value=1990, max_value=2100)
    part = forms.ChoiceField(
        required=False,
        label="Part of the year",
        choices=[(code, label) for code, (label, _, _) in FISCAL_PARTS.items()],
    )
    start = forms.DateField(required=False, label="From")
    end = forms.DateField(required=False, label="To")

    def __init__(self, *args, restricted: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.restricted = restricted

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if self.restricted and (start or end or self.data.get("start") or self.data.get("end")):
            raise forms.ValidationError(
                "Choose a fiscal year, half or quarter: reports for other ranges are for "
                "coordinators and administrators."
            )
        if (start is None) != (end is None):
            raise forms.ValidationError("Give both ends of the date range, or a year.")
        if start and end and end < start:
            raise forms.ValidationError("The range ends before it starts.")
        if not start and not data.get("year"):
            raise forms.ValidationError("Choose a year or a date range.")
        return data

    def period(self, *, start_month: int) -> Period:
        data = self.cleaned_data
        if data.get("start"):
            return Period(data["start"], data["end"])
        return fiscal_part(data["year"], data.get("part") or "", start_month)


class CaseExportForm(forms.Form):
    """Which cases to export. Nothing here can hold a name: only codes and dates."""

    stage = forms.ChoiceField(choices=[("", "Any stage"), *Stage.choices], required=False)
    household = forms.ChoiceField(
        choices=[("", "Any household"), *Household.choices], required=False
    )
    received_from = forms.DateField(required=False, label="Received from")
    received_to = forms.DateField(required=False, label="Received to")
    include_identifying = forms.BooleanField(
        required=False,
        label="Include aliases and legal names",
        help_text=(
            "Only for a task that needs them. You will be asked for your password and a "
            "code first if you have not given them in the last few minutes. The export is "
            "recorded either way."
        ),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            raise forms.ValidationError("The range ends before it starts.")
        return data
