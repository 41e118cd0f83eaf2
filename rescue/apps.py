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
        from django.db.models.signals import post_migrate

        from rescue import signals  # noqa: F401 - connects the receivers
        from rescue.db_roles import grant_after_migrate

        # After every migrate (run as the owner), the app role gets exactly its privileges.
        post_migrate.connect(grant_after_migrate, dispatch_uid="rescue.grant_after_migrate")
