from django.apps import AppConfig

from rescue.navigation import NavItem
from rescue.roles import Cap


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = "Rescue fund"
    navigation = (
        NavItem("Ledger", "funds:ledger", Cap.VIEW_LEDGER, order=20),
        NavItem("Readiness", "funds:readiness", Cap.VIEW_READINESS, order=21),
    )

    def ready(self) -> None:
        from cases.signals import case_closed, case_reopened
        from funds import receivers

        case_closed.connect(receivers.release_on_close, dispatch_uid="funds.release_on_close")
        case_reopened.connect(receivers.restore_on_reopen, dispatch_uid="funds.restore_on_reopen")
