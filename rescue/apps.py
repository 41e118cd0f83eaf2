from django.apps import AppConfig

from rescue.navigation import NavItem
from rescue.roles import IS_CASE_STAFF, Cap


class RescueConfig(AppConfig):
    name = "rescue"
    verbose_name = "Rescue (sign-in, roles, audit)"
    navigation = (
        NavItem("Reports", "reports:annual", Cap.VIEW_REPORTS, order=30),
        # Anyone whose work is with cases; what they get is still only the cases
        # `visible_to` them, and names only with EXPORT_IDENTIFYING and an explicit request.
        NavItem("Export cases", "reports:case_export", IS_CASE_STAFF, order=31),
        NavItem("Access log", "access_log", Cap.VIEW_ACCESS_LOG, order=40),
    )

    def ready(self) -> None:
        from rescue import signals  # noqa: F401 - connects the receivers
