from django.apps import AppConfig

from rescue.navigation import NavItem


class RescueConfig(AppConfig):
    name = "rescue"
    verbose_name = "Rescue (sign-in, roles, audit)"
    navigation = (NavItem("Access log", "access_log", ("view_access_log",)),)

    def ready(self) -> None:
        from rescue import signals  # noqa: F401 - connects the receivers
