"""Helpers for the cases tests: a case made through the services, as the app makes it."""

from datetime import date

from cases import services
from cases.models import Household, Province, Situation


def new_case(*, by, household=Household.MOTHER_WITH_CHILDREN, received_on=None, **extra):
    return services.case_create(
        by=by,
        household=household,
        situation=Situation.FORCED_MARRIAGE,
        received_on=received_on or date.today(),
        principal_alias=extra.pop("principal_alias", "Fictional Mother"),
        principal_origin_province=Province.objects.get(name="Ryanggang"),
        **extra,
    )
