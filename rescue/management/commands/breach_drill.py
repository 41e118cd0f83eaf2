"""Breach drill: end every session, disable every account but one, print key-rotation steps."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rescue.audit import access_record
from rescue.models import AccessLog
from rescue.sessions import end_all_sessions

ROTATION_STEPS = """
Next steps (do them now, in this order):

 1. Make a new field key:        python manage.py generate_field_key
 2. Put it FIRST in FIELD_ENCRYPTION_KEYS (comma-separated, newest first), keep the old
    key after it, and restart the app.
 3. Re-encrypt every identifying field under the new key:
                                 python manage.py reencrypt_fields
 4. Remove the old key from FIELD_ENCRYPTION_KEYS and restart again. Backups made
    before this step can still be read with the old key: destroy or re-key them.
 5. Rotate SECRET_KEY (at least 50 random characters). This signs sessions, password
    reset links and CSRF tokens: every session and link made with the old key stops
    working, which is what you want after a breach.
 6. Rotate FIELD_HASH_KEY only if it leaked: the stored contact-handle hashes are made
    with it, so after a change duplicates are found only once each case is saved again.
 7. Change the database password and any e-mail (SMTP) password in the environment.
 8. Each re-enabled user sets a new password and enrols a new authenticator
    (delete their TOTP and recovery-code devices in the admin before re-enabling).
 9. Read the access log (Access log page) for what was looked at, and by whom.
"""


class Command(BaseCommand):
    help = (
        "After a suspected breach: end every session, disable every account except the one "
        "named, and print the steps to rotate the keys."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep", required=True, help="Username of the one account left active."
        )
        parser.add_argument(
            "--yes", action="store_true", help="Do it without asking for confirmation."
        )

    def handle(self, *args, keep, yes, **options):
        User = get_user_model()
        kept = User.objects.filter(username=keep, is_active=True).first()
        if kept is None:
            raise CommandError(f"There is no active user named {keep!r} to keep.")
        if not yes:
            answer = input(f"End every session and disable every account except {keep}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Nothing was changed.")
        with transaction.atomic():
            sessions = end_all_sessions()
            disabled = (
                User.objects.exclude(pk=kept.pk).filter(is_active=True).update(is_active=False)
            )
            access_record(
                request=None,
                user=kept,
                action=AccessLog.Action.ADMIN_ACTION,
                target="breach-drill",
                detail=f"{sessions} sessions ended, {disabled} accounts disabled",
            )
        self.stdout.write(self.style.SUCCESS(f"{sessions} session(s) ended."))
        self.stdout.write(
            self.style.SUCCESS(f"{disabled} account(s) disabled; {keep} is the only one active.")
        )
        self.stdout.write(ROTATION_STEPS)
        self.stdout.write(f"Admin: https://<your host>/{settings.ADMIN_URL}")
