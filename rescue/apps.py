from django.apps import AppConfig

from rescue.navigation import NavItem
from rescue.reports.access import CASE_EXPORT_CAPS, REPORT_CAPS
from rescue.roles import Cap


class RescueConfig(AppConfig):
    name = "rescue"
    verbose_name = "Rescue (sign-in, roles, audit)"
    navigation = (
        NavItem("Reports", "reports:annual", REPORT_CAPS),
        NavItem("Export cases", "reports:case_export", CASE_EXPORT_CAPS),
        NavItem("Access log", "access_log", (Cap.VIEW_ACCESS_LOG,)),
    )

    def ready(self) -> None:
        from rescue import signals  # noqa: F401 - connects the receivers
