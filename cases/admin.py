"""The lookup lists administrators manage. Models holding identifying fields stay out."""

from django.contrib import admin

from cases.models import ContactChannel, PartnerOrganisation, Province
from rescue.roles import Cap, can


class LookupListAdmin(admin.ModelAdmin):
    """Open to the administrator role (its `manage_users` capability: users, roles and
    settings), which holds no per-model permissions. A row in use cannot be deleted
    (PROTECT); switch it off with `is_active` instead."""

    def has_module_permission(self, request):
        return can(request.user, Cap.MANAGE_USERS)

    def has_view_permission(self, request, obj=None):
        return can(request.user, Cap.MANAGE_USERS)

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return can(request.user, Cap.MANAGE_USERS)

    has_delete_permission = has_change_permission


@admin.register(Province)
class ProvinceAdmin(LookupListAdmin):
    list_display = ["name", "korean_name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "korean_name"]


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(LookupListAdmin):
    list_display = ["name", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name"]


@admin.register(ContactChannel)
class ContactChannelAdmin(LookupListAdmin):
    list_display = ["name", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name"]
