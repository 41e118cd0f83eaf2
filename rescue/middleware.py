"""Response headers every page carries, session lifetime, and the two-factor gate."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

SIGNED_IN_AT_SESSION_KEY = "rescue_signed_in_at"

# What a session signed in with a password alone may reach (plus static files, which
# whitenoise serves before any of this runs). Everything else sends it to the second step.
PASSWORD_ONLY_PAGES = frozenset(
    {"login", "logout", "two_factor_verify", "two_factor_enrol", "healthz"}
)


class NoStoreMiddleware:
    """Pages hold data about people in hiding: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response


class SessionLifetimeMiddleware:
    """Ends a session `SESSION_ABSOLUTE_AGE` seconds after sign-in, however busy it has been.

    The idle timeout is the session's own expiry (`SESSION_COOKIE_AGE`, pushed on by
    every request); this is the cap on top of it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
            expired = (
                not isinstance(signed_in_at, int | float)
                or time.time() - signed_in_at > settings.SESSION_ABSOLUTE_AGE
            )
            if expired:
                logout(request)
                messages.info(request, "Your session has ended. Sign in again.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """A session signed in with a password alone reaches only the sign-in steps and sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not settings.OTP_REQUIRED or not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in PASSWORD_ONLY_PAGES:
            return None
        from rescue.accounts import has_confirmed_device

        step = "two_factor_verify" if has_confirmed_device(user) else "two_factor_enrol"
        next_url = request.get_full_path() if request.method == "GET" else reverse("home")
        return redirect(reverse(step) + "?" + urlencode({"next": next_url}))


class StripControlCharactersMiddleware:
    """Removes C0 control characters from every form POST before any view or form sees it.

    This covers every form, the admin's included; `rescue.forms.PrivateFormMixin` does
    the same for a form built outside a request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            from rescue.text import clean_data

            request.POST = clean_data(request.POST)
        return self.get_response(request)
