"""Ending sessions at once: a disabled user's, or everyone's in a breach drill."""

from typing import TYPE_CHECKING

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

if TYPE_CHECKING:
    from rescue.roles import User


def end_sessions_of(user: "User") -> int:
    """Delete every live session of this user; the number ended.

    Sessions are signed blobs, so each live one is decoded: a dozen staff make this
    cheap, and it needs no table of its own that could fall out of step.
    """
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if data.get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def end_all_sessions() -> int:
    deleted, _ = Session.objects.all().delete()
    return deleted
