"""The case list's filters (django-filter): stage, household, verdict, assignee, home
province, received dates and the reference; never anything that could hold a name."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q

from cases.models import Case, Household, Person, Province, Stage, Verdict
from cases.selectors import assignable_users

# A search box lands in the URL and in logs; only references (digits and dashes) go in it.
reference_only = RegexValidator(r"^[0-9\-]+$", "Search by case reference, e.g. 2026-014.")


class OpenClosed(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        if value == "open":
            return qs.filter(closed_at__isnull=True)
        if value == "closed":
            return qs.filter(closed_at__isnull=False)
        return qs


class ReferenceFilterSet(django_filters.FilterSet):
    """Filters that reveal nothing but references and stages (the treasurer's list)."""

    reference = django_filters.CharFilter(
        lookup_expr="icontains", label="Reference", validators=[reference_only]
    )
    stage = django_filters.ChoiceFilter(choices=Stage.choices)

    class Meta:
        model = Case
        fields = ["reference", "stage"]

    @property
    def qs(self):
        # django-filter drops an invalid field and filters on the rest; a search that was
        # refused should find nothing instead, with the reason shown next to the field.
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs


class CaseFilterSet(ReferenceFilterSet):
    household = django_filters.ChoiceFilter(choices=Household.choices)
    verdict = django_filters.ChoiceFilter(choices=Verdict.choices)
    status = OpenClosed(choices=[("open", "Open"), ("closed", "Closed")], label="Open or closed")
    assignee = django_filters.ModelChoiceFilter(
        field_name="assignees", queryset=assignable_users(), label="Assigned to", distinct=False
    )
    province = django_filters.ModelChoiceFilter(
        queryset=Province.objects.all(), method="filter_province", label="Home province"
    )
    received_after = django_filters.DateFilter(
        field_name="received_on",
        lookup_expr="gte",
        label="Received from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_before = django_filters.DateFilter(
        field_name="received_on",
        lookup_expr="lte",
        label="Received until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("received_on", "received"),
            ("reference", "reference"),
            ("stage_changed_at", "stage_changed"),
            ("urgency", "urgency"),
        ),
        label="Sort by",
    )

    class Meta:
        model = Case
        fields = ["reference", "stage"]

    def filter_province(self, queryset, name, value):
        with_province = Person.objects.filter(origin_province=value).values("case_id")
        return queryset.filter(Q(pk__in=with_province))
