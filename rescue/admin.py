"""Admin for the project package: settings, the access log (read-only), users and roles.

Every write anywhere in the admin needs a recent re-authentication (password and code;
`rescue.admin_site.RescueAdminSite.admin_view`). The pages of a user or a role ask for
it before they are even shown, since they lead to nothing but changes.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from rescue.models import AccessLog, RecoveryCodeDevice, SiteSettings
from rescue.reauth import has_recent_reauth, reauth_redirect


class ReauthRequiredMixin(admin.ModelAdmin):
    """Every page that can change a user or a role asks for password and code first."""

    def _guarded(self, request, view, *args, **kwargs):
        if not has_recent_reauth(request):
            return reauth_redirect(request)
        return view(request, *args, **kwargs)

    def add_view(self, request, *args, **kwargs):
        return self._guarded(request, super().add_view, *args, **kwargs)

    def change_view(self, request, *args, **kwargs):
        return self._guarded(request, super().change_view, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._guarded(request, super().delete_view, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        # Listing is harmless; bulk actions arrive as a POST.
        if request.method == "POST":
            return self._guarded(request, super().changelist_view, *args, **kwargs)
        return super().changelist_view(request, *args, **kwargs)


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class RescueUserAdmin(ReauthRequiredMixin, UserAdmin):
    def user_change_password(self, request, *args, **kwargs):
        return self._guarded(request, super().user_change_password, *args, **kwargs)


@admin.register(Group)
class RescueGroupAdmin(ReauthRequiredMixin, GroupAdmin):
    pass


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fields = ["retention_months", "fiscal_year_start_month", "stuck_case_days"]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "username_tried", "action", "target", "detail", "ip_address"]
    list_filter = ["action"]
    search_fields = ["target", "user__username", "username_tried"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Seeing who has a device, and deleting a lost one; never the secret or its QR code.

    django-otp's own admin shows the key and a QR code of it: an administrator could
    clone any user's second factor. A user with no device enrols again at next sign-in.
    """

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_select_related = ["user"]
    readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RecoveryCodeDevice)
class RecoveryCodeDeviceAdmin(admin.ModelAdmin):
    """Deleting a user's recovery codes (with their app), so they enrol afresh."""

    list_display = ["user", "name", "confirmed"]
    list_select_related = ["user"]
    readonly_fields = ("user", "name", "confirmed")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
