"""The reserve policy administrators change. The ledger itself is never edited here."""

from django.contrib import admin

from funds.models import FundPolicy, ReadinessAlert
from rescue.roles import Cap, can


class SettingsAdmin(admin.ModelAdmin):
    """Open to those who manage settings (the admin role), by capability, not model perms."""

    def has_module_permission(self, request):
        return can(request.user, Cap.MANAGE_USERS)

    def has_view_permission(self, request, obj=None):
        return can(request.user, Cap.MANAGE_USERS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundPolicy)
class FundPolicyAdmin(SettingsAdmin):
    list_display = [
        "__str__",
        "standard_estimate_usd",
        "surveillance_extra_usd",
        "ceiling_usd",
        "minimum_usd",
        "target_usd",
    ]

    def has_change_permission(self, request, obj=None):
        return can(request.user, Cap.MANAGE_USERS)


@admin.register(ReadinessAlert)
class ReadinessAlertAdmin(SettingsAdmin):
    list_display = ["at", "from_band", "to_band", "available_usd"]

    def has_change_permission(self, request, obj=None):
        return False
