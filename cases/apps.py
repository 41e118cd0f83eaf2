from django.apps import AppConfig

from rescue.navigation import NavItem
from rescue.roles import MAY_REFER_TO_CASES, Cap


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"
    navigation = (
        NavItem("Cases", "cases:list", MAY_REFER_TO_CASES, order=10),
        NavItem("New request", "cases:create", Cap.LOG_REQUEST, order=11),
    )
