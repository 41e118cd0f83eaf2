"""Receivers: the access log for sign-in and sign-out, and ending a disabled user's sessions."""

import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from rescue.audit import access_record
from rescue.middleware import SIGNED_IN_AT_SESSION_KEY
from rescue.models import AccessLog
from rescue.sessions import end_sessions_of


@receiver(user_logged_in, dispatch_uid="rescue_signed_in")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT_SESSION_KEY] = time.time()
    access_record(request=request, user=user, action=AccessLog.Action.SIGN_IN, detail="password")


@receiver(user_login_failed, dispatch_uid="rescue_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password replaced by Django; only the username is kept.
    access_record(
        request=request,
        user=None,
        action=AccessLog.Action.SIGN_IN_FAILED,
        username_tried=str(credentials.get("username", "")),
        detail="wrong username or password",
    )


@receiver(user_locked_out, dispatch_uid="rescue_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    access_record(
        request=request,
        user=None,
        action=AccessLog.Action.SIGN_IN_FAILED,
        username_tried=str(username or ""),
        detail="locked out after repeated failures",
    )


@receiver(user_logged_out, dispatch_uid="rescue_signed_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        access_record(request=request, user=user, action=AccessLog.Action.SIGN_OUT)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="rescue_disabled_user")
def _disabled_user_signed_out(sender, instance, **kwargs):
    if not instance.is_active:
        end_sessions_of(instance)
