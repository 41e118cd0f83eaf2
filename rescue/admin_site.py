"""The admin site: administrators only, signed in with two factors through the app's sign-in.

The admin's own login page is not a second, single-factor way in: it sends visitors
to the app's sign-in (password, then code), and a signed-in user who is not a
verified administrator gets 403.

Every write in the admin (any method but GET and HEAD, on any page: each model
admin's views and Django's extra ones such as a user's password form) needs a recent
re-authentication, checked here once for the whole site rather than model by model;
only signing out does not. Every change an administrator makes is written to the
access log (`AccessLoggedAdminMixin`, added to every model admin the site registers).
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

from rescue.audit import access_record
from rescue.models import AccessLog
from rescue.reauth import has_recent_reauth, reauth_redirect
from rescue.roles import Cap, can

if TYPE_CHECKING:
    from rescue.roles import Actor

    _ModelAdminBase = admin.ModelAdmin
else:
    _ModelAdminBase = object


_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def admin_target(obj) -> str:
    """`app.model:pk`: which object an admin change was made to, never its name."""
    meta = type(obj)._meta
    return f"{meta.app_label}.{meta.model_name}:{obj.pk}"


class AccessLoggedAdminMixin(_ModelAdminBase):
    """Writes an access-log row for every addition, change and deletion made in the admin.

    Django calls these three methods for every change its views make (forms, inline
    edits, bulk actions, a user's password); the row names the model and the object's
    primary key, and says which fields changed, never their values.
    """

    def _record(self, request, obj, detail: str) -> None:
        access_record(
            request=request,
            user=request.user,
            action=AccessLog.Action.ADMIN_ACTION,
            target=admin_target(obj),
            detail=detail,
        )

    def _what(self, obj) -> str:
        return str(type(obj)._meta.verbose_name)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._record(request, obj, f"added {self._what(obj)}")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        fields = _changed_fields(message)
        detail = f"changed {self._what(obj)}" + (f": {', '.join(fields)}" if fields else "")
        if not fields and isinstance(message, str) and message:
            detail = f"{self._what(obj)}: {message}"
        if "Groups" in fields and hasattr(obj, "groups"):
            # A role granted or taken away: which roles the user holds now.
            roles = ", ".join(sorted(obj.groups.values_list("name", flat=True)))
            detail += f" (roles now: {roles or 'none'})"
        self._record(request, obj, detail)
        return entry

    def log_deletions(self, request, queryset):
        objects = list(queryset)
        entries = super().log_deletions(request, queryset)
        for obj in objects:
            self._record(request, obj, f"deleted {self._what(obj)}")
        return entries


def _changed_fields(message) -> list[str]:
    """The field names in a change message Django built (a list of {"changed": ...})."""
    fields: list[str] = []
    if isinstance(message, list):
        for part in message:
            fields += [str(name) for name in part.get("changed", {}).get("fields", [])]
            for kind in ("added", "deleted"):
                if kind in part:
                    fields.append(f"{kind} {part[kind].get('name', 'row')}")
    return fields


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

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every model admin, the project's and third-party apps' alike, logs its changes.
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AccessLoggedAdminMixin):
            admin_class = type(admin_class.__name__, (AccessLoggedAdminMixin, admin_class), {})
        return super().register(model_or_iterable, admin_class, **options)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)
        signing_out = view == self.logout

        @wraps(inner)
        def guarded(request, *args, **kwargs):
            # Django would send them to the admin's login page; they are signed in already.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            if (
                request.method not in _READS
                and not signing_out
                and self.has_permission(request)
                and not has_recent_reauth(request)
            ):
                return reauth_redirect(request)
            return inner(request, *args, **kwargs)

        return guarded

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, settings.LOGIN_URL)

    def logout(self, request, extra_context=None):
        from rescue.accounts import SignOutView

        return SignOutView.as_view()(request)
