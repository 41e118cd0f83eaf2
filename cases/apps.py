from django.apps import AppConfig

from rescue.navigation import NavItem
from rescue.roles import Cap


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"
    navigation = (
        NavItem(
            "Cases",
            "cases:list",
            (
                Cap.LOG_REQUEST,
                Cap.SCREEN_CASE,
                Cap.COORDINATE_CASE,
                Cap.VIEW_ALL_CASES,
                Cap.VIEW_RESTRICTED_CASES,
                Cap.VIEW_CASE_REFERENCES,
            ),
        ),
        NavItem("New request", "cases:create", (Cap.LOG_REQUEST,)),
    )
