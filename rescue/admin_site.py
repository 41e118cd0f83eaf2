"""The admin site: administrators only, signed in with two factors through the app's sign-in.

The admin's own login page is not a second, single-factor way in: it sends visitors
to the app's sign-in (password, then code), and a signed-in user who is not a
verified administrator gets 403.
"""

from functools import wraps
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.decorators import method_decorator

from rescue.roles import Cap, can

if TYPE_CHECKING:
    from rescue.roles import Actor


def is_two_factor_verified(user: "Actor") -> bool:
    """Verified by an OTP device in this session, or two-factor relaxed (development only)."""
    if not settings.OTP_REQUIRED:
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


class RescueAdminSite(admin.AdminSite):
    site_header = "Rescue cases administration"
    site_title = "Rescue cases administration"
    index_title = "Users, roles and settings"

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and can(user, Cap.MANAGE_USERS)
            and is_two_factor_verified(user)
        )

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def refuse_signed_in_non_administrators(request, *args, **kwargs):
            # Django would send them to the admin's login page; they are signed in already.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return refuse_signed_in_non_administrators

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, settings.LOGIN_URL)

    def logout(self, request, extra_context=None):
        from rescue.accounts import SignOutView

        return SignOutView.as_view()(request)
