"""Forms for cases: validate and normalise only; the services decide and write."""

from typing import cast

from django import forms
from django.utils import timezone

from cases.ages import Born, format_born, parse_born
from cases.models import (
    BirthPrecision,
    ContactChannel,
    Country,
    DialectFit,
    Household,
    Outcome,
    PartnerOrganisation,
    Person,
    PersonRole,
    Province,
    Screening,
    Sex,
    Situation,
    Surveillance,
    Urgency,
)
from cases.selectors import assignable_users
from cases.transitions import allowed_next, is_backward
from rescue.forms import PrivateForm, PrivateModelForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


class BornField(forms.CharField):
    """An approximate date of birth: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; cleans to `Born`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Born")
        kwargs.setdefault("help_text", "Year (1996), year and month (2025-01) or full date.")
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def clean(self, value) -> Born | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_born(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


def _active(model):
    return model.objects.filter(is_active=True)


def born_kwargs(born: Born | None) -> dict:
    """The service keywords for a cleaned `BornField`."""
    if born is None:
        return {"birth_date": None, "birth_precision": BirthPrecision.YEAR}
    return {"birth_date": born.date, "birth_precision": born.precision}


def _undecided(choices) -> list:
    """Choices with an empty first option: nothing is picked until the staff member picks."""
    return [("", "Choose…"), *choices]


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError("The date is in the future.")
    return value


class CaseCreateForm(PrivateForm):
    """The new-request form: what intake can learn in a one-minute call, most urgent first."""

    household = forms.ChoiceField(choices=Household.choices, widget=forms.RadioSelect)
    received_on = forms.DateField(
        widget=DATE_INPUT,
        label="Received on",
        help_text="Today unless the request came in earlier.",
        validators=[_not_in_future],
    )
    alias = forms.CharField(
        max_length=100, label="Alias of the person asking", help_text="Never her real name here."
    )
    urgency = forms.ChoiceField(choices=Urgency.choices, initial=Urgency.NORMAL)
    channel = forms.ModelChoiceField(
        queryset=_active(ContactChannel), required=False, label="How she reached us"
    )
    contact_handle = forms.CharField(
        max_length=200, required=False, label="Phone number or messenger handle"
    )
    current_country = forms.ChoiceField(
        choices=Country.choices, initial=Country.CHINA, label="Where she is now"
    )
    current_region = forms.CharField(
        max_length=100, required=False, label="Province or city (coarse)"
    )
    origin_province = forms.ModelChoiceField(
        queryset=_active(Province), required=False, label="Home province in North Korea"
    )
    years_in_china = forms.IntegerField(
        label="Years in China", min_value=0, max_value=80, required=False
    )
    situation = forms.ChoiceField(choices=_undecided(Situation.choices))
    surveillance = forms.ChoiceField(
        choices=_undecided(Surveillance.choices), label="Is she watched?"
    )
    born = BornField()
    legal_name = forms.CharField(max_length=200, required=False, label="Legal name (optional)")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["received_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class HouseholdMemberForm(PrivateForm):
    """A child or companion logged with the request, on the same page."""

    role = forms.ChoiceField(
        choices=[(PersonRole.CHILD, "Child"), (PersonRole.COMPANION, "Companion")],
        initial=PersonRole.CHILD,
    )
    alias = forms.CharField(max_length=100)
    sex = forms.ChoiceField(choices=_undecided(Sex.choices))
    born = BornField()
    origin_province = forms.ModelChoiceField(
        queryset=_active(Province), required=False, label="Home province"
    )


class BaseHouseholdFormSet(forms.BaseFormSet):
    """Every row is optional: a row added and left blank is skipped, not refused."""

    def initial_form_count(self) -> int:
        return 0

    def person_kwargs(self) -> list[dict]:
        """The service keywords of every filled-in member (blank added rows are skipped)."""
        people = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or not data.get("alias"):
                continue
            people.append(
                {
                    "role": data["role"],
                    "alias": data["alias"],
                    "sex": data["sex"],
                    "origin_province": data["origin_province"],
                    **born_kwargs(data["born"]),
                }
            )
        return people


HouseholdFormSet = forms.formset_factory(
    HouseholdMemberForm,
    formset=BaseHouseholdFormSet,
    extra=0,
    max_num=20,
    validate_max=True,
)


class PersonForm(PrivateForm):
    """A person in the case: the principal, a child or a companion."""

    role = forms.ChoiceField(choices=PersonRole.choices, initial=PersonRole.CHILD)
    alias = forms.CharField(max_length=100)
    legal_name = forms.CharField(max_length=200, required=False, label="Legal name (optional)")
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.FEMALE)
    born = BornField()
    origin_province = forms.ModelChoiceField(
        queryset=_active(Province), required=False, label="Home province"
    )

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        return {
            "role": person.role,
            "alias": person.alias,
            "legal_name": person.legal_name,
            "sex": person.sex,
            "born": format_born(person.birth_date, person.birth_precision),
            "origin_province": person.origin_province,
        }


class ScreeningForm(PrivateModelForm):
    """The decoy checks and the verdict they lead to."""

    class Meta:
        model = Screening
        fields = [
            "reason_for_leaving",
            "dialect",
            "birthplace_knowledge",
            "address_knowledge",
            "daily_life_knowledge",
            "vouched_by",
            "verdict",
        ]
        labels = {
            "reason_for_leaving": "Why does she want to leave?",
            "dialect": "Does her dialect fit the home province she claims?",
            "birthplace_knowledge": "What she knows of her place of birth",
            "address_knowledge": "Her address there",
            "daily_life_knowledge": "Daily life there (market, school, work)",
            "vouched_by": "Who vouches for her",
        }
        widgets = {
            "reason_for_leaving": SHORT_TEXT,
            "birthplace_knowledge": SHORT_TEXT,
            "address_knowledge": SHORT_TEXT,
            "daily_life_knowledge": SHORT_TEXT,
            "vouched_by": SHORT_TEXT,
            "dialect": forms.RadioSelect(choices=DialectFit.choices),
        }

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("reason_for_leaving", "dialect", "verdict"):
            self.fields[name].required = True


class TransitionForm(PrivateForm):
    to = forms.ChoiceField(label="Move to")
    note = forms.CharField(
        widget=SHORT_TEXT, required=False, help_text="Required when the case moves back."
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        labels = dict(case._meta.get_field("stage").choices)
        cast(forms.ChoiceField, self.fields["to"]).choices = [
            (stage, f"{labels[stage]}{' (back)' if is_backward(case.stage, stage) else ''}")
            for stage in allowed_next(case.stage)
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        to = data.get("to")
        if to and is_backward(self.case.stage, to) and not data.get("note", "").strip():
            self.add_error("note", "Say why the case moves back.")
        return data


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, person):
        outcome = f" — {person.get_outcome_display()}" if person.outcome else ""
        return f"{person.alias} ({person.get_role_display().split(' ')[0]}){outcome}"


class OutcomeForm(PrivateForm):
    people = PeopleChoiceField(
        queryset=Person.objects.none(), help_text="The whole household by default."
    )
    outcome = forms.ChoiceField(choices=Outcome.choices)
    on = forms.DateField(widget=DATE_INPUT, label="Date")
    partner = forms.ModelChoiceField(
        queryset=_active(PartnerOrganisation),
        required=False,
        label="Partner NGO",
        help_text="For rescued: empty when we rescued her ourselves. Required for referred.",
    )
    note = forms.CharField(widget=SHORT_TEXT, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        people = case.people.all()
        cast(forms.ModelMultipleChoiceField, self.fields["people"]).queryset = people
        self.fields["people"].initial = [p.pk for p in people if not p.outcome]
        self.fields["on"].initial = timezone.localdate()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        outcome, partner = data.get("outcome"), data.get("partner")
        if outcome == Outcome.REFERRED and partner is None:
            self.add_error("partner", "Name the partner NGO the case is referred to.")
        if partner is not None and outcome not in (Outcome.RESCUED, Outcome.REFERRED, None):
            self.add_error("partner", "A partner NGO goes only with rescued or referred.")
        return data


class AssignForm(PrivateForm):
    assignees = forms.ModelMultipleChoiceField(
        queryset=assignable_users(), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(widget=SHORT_TEXT, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].initial = list(case.assignees.values_list("pk", flat=True))


class ReferForm(PrivateForm):
    partner = forms.ModelChoiceField(queryset=_active(PartnerOrganisation), label="Partner NGO")
    note = forms.CharField(widget=SHORT_TEXT, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)


class ReopenForm(PrivateForm):
    reason = forms.CharField(widget=SHORT_TEXT)
    people = PeopleChoiceField(
        queryset=Person.objects.none(), help_text="Whose outcome no longer holds."
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["people"]).queryset = case.people.all()
        self.fields["people"].initial = [p.pk for p in case.people.all()]


class RestrictForm(PrivateForm):
    restricted = forms.BooleanField(
        required=False, help_text="Only assignees and administrators can see a restricted case."
    )
    note = forms.CharField(widget=SHORT_TEXT, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["restricted"].initial = case.restricted


class ImportForm(PrivateForm):
    file = forms.FileField(label="CSV file", help_text="One row per person; see the README.")
