"""factory_boy factories shared by the whole suite."""

from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.models import (
    Case,
    Household,
    Person,
    PersonRole,
    Province,
    Situation,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
            if "admin" in extracted:
                self.is_staff = True
                self.save(update_fields=["is_staff"])


class CaseFactory(factory.django.DjangoModelFactory):
    """A case as written straight to the database; tests of behaviour go through services."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"2026-{n + 1:03d}")
    received_on = factory.LazyFunction(date.today)
    household = Household.UNACCOMPANIED_WOMAN
    situation = Situation.FORCED_MARRIAGE
    created_by = factory.SubFactory(UserFactory, roles=["intake"])
    notes = factory.Sequence(lambda n: f"fictional note {n}")

    @factory.post_generation
    def assignees(self, create, extracted, **kwargs):
        if create and extracted:
            self.assignees.set(extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    case = factory.SubFactory(CaseFactory)
    # A case has one principal (a database rule); further adults default to companions.
    role = factory.LazyAttribute(
        lambda person: (
            PersonRole.COMPANION
            if person.case.people.filter(role=PersonRole.PRINCIPAL).exists()
            else PersonRole.PRINCIPAL
        )
    )
    alias = factory.Sequence(lambda n: f"Alias {n}")
    sex = "F"
    birth_date = date(1996, 7, 1)
    birth_precision = "year"
    origin_province = factory.LazyFunction(lambda: Province.objects.get(name="North Hamgyong"))
