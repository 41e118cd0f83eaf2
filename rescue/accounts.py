"""Sign-in in two steps (password, then a code), enrolment, recovery codes, re-authentication.

A password alone gives a session that can reach only the pages listed in
`rescue.middleware.RequireTwoFactorMiddleware`; the second step verifies the
session with an OTP device (django-otp) and gives it a new key.
"""

import io
from typing import TYPE_CHECKING

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.views import LoginView, LogoutView, PasswordChangeView
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from rescue.audit import access_record
from rescue.models import AccessLog, RecoveryCodeDevice
from rescue.reauth import mark_reauthenticated, require_recent_reauth

if TYPE_CHECKING:
    from rescue.roles import Actor, User

FAILURES_SESSION_KEY = "rescue_code_failures"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The six digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ReauthForm(forms.Form):
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autofocus": True})
    )
    code = CodeForm.base_fields["code"]


def _safe_next(request: HttpRequest, default: str = "home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def _with_next(url_name: str, next_url: str) -> str:
    return reverse(url_name) + "?" + urlencode({"next": next_url})


def has_confirmed_device(user: "Actor") -> bool:
    """Whether the user has an authenticator app set up; without one they enrol again.

    Recovery codes alone do not count: when an administrator deletes a lost app's
    device, the user's next sign-in leads to enrolment, which also makes new codes.
    """
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@sensitive_variables("code")
def match_code(user: "User", code: str):
    """The device that accepts the code (TOTP for six digits, else a recovery code), or None."""
    code = code.strip().replace(" ", "")
    wanted = TOTPDevice if code.isdigit() and len(code) == 6 else RecoveryCodeDevice
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, wanted) and device.verify_token(code):
                return device
    return None


def _count_failure(request: HttpRequest) -> bool:
    """Count a wrong code in this session; True when the session has used up its tries."""
    failures = request.session.get(FAILURES_SESSION_KEY, 0) + 1
    request.session[FAILURES_SESSION_KEY] = failures
    return failures >= settings.OTP_SESSION_FAILURE_LIMIT


def _end_after_too_many_failures(request: HttpRequest) -> HttpResponseRedirect:
    logout(request)
    messages.error(request, "Too many wrong codes. Sign in again.")
    return redirect("login")


def _verified(request: HttpRequest, device) -> None:
    otp_login(request, device)
    # A session that gains a privilege gets a new key, as at the password step.
    request.session.cycle_key()
    request.session.pop(FAILURES_SESSION_KEY, None)


class SignInView(LoginView):
    """Step one: username and password. The second step follows unless two-factor is relaxed."""

    template_name = "registration/login.html"

    def get_success_url(self):
        url = super().get_success_url()
        if not settings.OTP_REQUIRED:
            return url
        step = (
            "two_factor_verify" if has_confirmed_device(self.request.user) else "two_factor_enrol"
        )
        return _with_next(step, url)


class SignOutView(LogoutView):
    """Sign-out ends the session and tells the browser to drop everything it kept."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


def lockout_response(request, original_response=None, credentials=None):
    """What django-axes answers a locked username with: the same for known and unknown names."""
    form = AuthenticationForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": True},
        status=429,
    )


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """Step two: a code from the authenticator app, or a recovery code."""
    next_url = _safe_next(request)
    if request.user.is_verified():
        return HttpResponseRedirect(next_url)
    if not has_confirmed_device(request.user):
        return HttpResponseRedirect(_with_next("two_factor_enrol", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_code(request.user, form.cleaned_data["code"])
        if device is not None:
            _verified(request, device)
            access_record(
                request=request,
                user=request.user,
                action=AccessLog.Action.SIGN_IN,
                detail=f"second factor: {_device_kind(device)}",
            )
            if isinstance(device, RecoveryCodeDevice):
                messages.warning(
                    request,
                    f"You used a recovery code; {device.codes.count()} are left. "
                    "Make new ones under Two-factor sign-in if you are running out.",
                )
            return HttpResponseRedirect(next_url)
        access_record(
            request=request,
            user=None,
            action=AccessLog.Action.SIGN_IN_FAILED,
            username_tried=request.user.get_username(),
            detail="wrong second-factor code",
        )
        if _count_failure(request):
            return _end_after_too_many_failures(request)
        form.add_error("code", "That code is not right, or was already used.")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


def _device_kind(device) -> str:
    return "recovery code" if isinstance(device, RecoveryCodeDevice) else "authenticator app"


def _qr_svg(data: str) -> str:
    # Drawn here, in-process: the secret never goes to a third-party QR service.
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@sensitive_post_parameters("code")
@sensitive_variables("device", "code")
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request):
    """Enrolment: scan a QR code, type the code it shows, receive ten recovery codes."""
    user = request.user
    next_url = _safe_next(request)
    if has_confirmed_device(user):
        return HttpResponseRedirect(
            next_url if user.is_verified() else reverse("two_factor_verify")
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            recovery, _ = RecoveryCodeDevice.objects.get_or_create(
                user=user, defaults={"name": "Recovery codes", "confirmed": True}
            )
            codes = recovery.regenerate()
            _verified(request, device)
            access_record(
                request=request,
                user=user,
                action=AccessLog.Action.SIGN_IN,
                detail="second factor enrolled",
            )
            return render(
                request, "registration/recovery_codes.html", {"codes": codes, "next": next_url}
            )
        form.add_error("code", "That code is not right. Check the phone's clock and try again.")
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped(device),
            "next": next_url,
        },
    )


def _grouped(device) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET"])
def two_factor_settings(request):
    """The user's own two-factor status: which devices, how many recovery codes are left."""
    recovery = RecoveryCodeDevice.objects.filter(user=request.user).first()
    return render(
        request,
        "registration/two_factor_settings.html",
        {
            "has_app": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
            "codes_left": recovery.codes.count() if recovery else 0,
        },
    )


@require_http_methods(["GET", "POST"])
@require_recent_reauth
def recovery_codes_regenerate(request):
    """Ten new recovery codes replacing the old ones; shown once."""
    if request.method == "GET":
        return redirect("two_factor_settings")
    recovery, _ = RecoveryCodeDevice.objects.get_or_create(
        user=request.user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    codes = recovery.regenerate()
    access_record(
        request=request,
        user=request.user,
        action=AccessLog.Action.ADMIN_ACTION,
        target="recovery-codes",
        detail="recovery codes regenerated",
    )
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "next": reverse("two_factor_settings")},
    )


@sensitive_post_parameters("password", "code")
@sensitive_variables("password", "code")
@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    """Password and a code again, before a sensitive action."""
    next_url = _safe_next(request)
    form = ReauthForm(request.POST or None)
    needs_code = settings.OTP_REQUIRED or has_confirmed_device(request.user)
    if not needs_code:
        form.fields["code"].required = False
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        code = form.cleaned_data["code"]
        password_ok = request.user.check_password(password)
        code_ok = not needs_code or (password_ok and match_code(request.user, code) is not None)
        if password_ok and code_ok:
            mark_reauthenticated(request)
            request.session.pop(FAILURES_SESSION_KEY, None)
            access_record(request=request, user=request.user, action=AccessLog.Action.REAUTH)
            return HttpResponseRedirect(next_url)
        access_record(request=request, user=request.user, action=AccessLog.Action.REAUTH_FAILED)
        if _count_failure(request):
            return _end_after_too_many_failures(request)
        form.add_error(None, "The password or the code is not right.")
    return render(
        request,
        "registration/reauthenticate.html",
        {"form": form, "next": next_url, "needs_code": needs_code},
    )


WRONG_CREDENTIALS = "The current password or the code is not right."


class PasswordChangeWithCodeForm(PasswordChangeForm):
    """Django's password change, with a second-factor code, and one answer for either mistake.

    A stolen session must not be able to guess the current password (nor learn which of
    the two was wrong): the view counts each wrong try as re-authentication does.
    """

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The six digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    field_order = ["old_password", "code", "new_password1", "new_password2"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.wrong_credentials = False
        self.needs_code = settings.OTP_REQUIRED or has_confirmed_device(user)
        if not self.needs_code:
            del self.fields["code"]

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            self.wrong_credentials = True
            raise forms.ValidationError(WRONG_CREDENTIALS, code="password_incorrect")
        return old_password

    def clean(self):
        data = super().clean()
        # The code is checked (and so used up) only when everything else is right.
        if (
            self.needs_code
            and not self.errors
            and match_code(self.user, self.cleaned_data.get("code", "")) is None
        ):
            self.wrong_credentials = True
            self.add_error("code", WRONG_CREDENTIALS)
        return data


@method_decorator(
    sensitive_post_parameters("old_password", "new_password1", "new_password2", "code"),
    name="dispatch",
)
class PasswordChangeWithCodeView(PasswordChangeView):
    """Changing one's password: current password and a code; wrong tries counted and logged."""

    form_class = PasswordChangeWithCodeForm

    def form_invalid(self, form):
        if form.wrong_credentials:
            access_record(
                request=self.request,
                user=self.request.user,
                action=AccessLog.Action.REAUTH_FAILED,
                detail="password change: wrong current password or code",
            )
            if _count_failure(self.request):
                return _end_after_too_many_failures(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(FAILURES_SESSION_KEY, None)
        access_record(
            request=self.request,
            user=self.request.user,
            action=AccessLog.Action.ADMIN_ACTION,
            target="password",
            detail="own password changed",
        )
        return response
