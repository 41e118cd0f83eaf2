from django.apps import AppConfig

from rescue.navigation import NavItem
from rescue.reports.access import CASE_EXPORT_CAPS, REPORT_CAPS


class RescueConfig(AppConfig):
    name = "rescue"
    verbose_name = "Rescue (sign-in, roles, audit)"
    navigation = (
        NavItem("Reports", "reports:annual", REPORT_CAPS),
        NavItem("Export cases", "reports:case_export", CASE_EXPORT_CAPS),
    )
