"""Models of the project package: capabilities for roles, the access log, recovery codes."""

import hashlib
import hmac
import secrets
from typing import Self

from django.conf import settings
from django.db import models, transaction
from django_otp.models import Device, ThrottlingMixin

from rescue.append_only import AppendOnlyModel
from rescue.roles import Cap


class Capability(models.Model):
    """Not a table: the anchor for the capability permissions that roles are made of."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = list(Cap.choices)

    def __str__(self) -> str:
        return "capability"


class AccessLog(AppendOnlyModel):
    """One recorded look at or action on protected data: who, when, what, from where."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"
        VIEW_CASE = "view_case", "Viewed a case"
        EXPORT = "export", "Exported data"
        ADMIN_ACTION = "admin_action", "Administrative action"
        REAUTH = "reauth", "Re-authenticated"
        REAUTH_FAILED = "reauth_failed", "Re-authentication failed"
        # A new request from the contact of a case its author may not see: for the
        # coordinators and administrators, who may see both.
        DUPLICATE_CONTACT = "duplicate_contact", "Same contact as a case hidden from its author"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # Only for failed sign-ins: the keyed hash of the typed username (which may be nobody's,
    # or a password typed into the wrong box), never the text (`rescue.crypto.username_hash`).
    username_tried = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    # A non-identifying reference: a case reference such as 2026-014, or an export's name.
    target = models.CharField(max_length=64, blank=True, db_index=True)
    detail = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["action", "target"], name="accesslog_action_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"

    @property
    def username_tried_short(self) -> str:
        """Enough of the hash to tell repeated tries of one name apart on the page."""
        return self.username_tried.removeprefix("hmac:")[:10]


class Singleton(models.Model):
    """Base of a table of one row (pk 1) that an administrator changes without a deployment.

    `load()` reads the row, making it with its defaults the first time; saving always writes
    that row; the database refuses a second (`<model>_single_row`). A subclass that adds
    constraints lists them after `*Singleton.Meta.constraints`.
    """

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="%(class)s_single_row"),
        ]

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> Self:
        row, _ = cls._default_manager.get_or_create(pk=1)
        return row


class SiteSettings(Singleton):
    """The single row of settings an administrator can change without a deployment."""

    retention_months = models.PositiveSmallIntegerField(
        default=24,
        help_text="Identifying data of cases closed longer than this is erased.",
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        default=1, help_text="The month (1-12) the NGO's fiscal year starts in."
    )
    stuck_case_days = models.PositiveSmallIntegerField(
        default=14, help_text="Flag open cases that have sat in one stage longer than this."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"
        constraints = [
            *Singleton.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(fiscal_year_start_month__gte=1)
                & models.Q(fiscal_year_start_month__lte=12),
                name="sitesettings_fiscal_month_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(retention_months__gte=1), name="sitesettings_retention_positive"
            ),
        ]

    def __str__(self) -> str:
        return "Site settings"


RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def _normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _recovery_hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{_normalise_recovery_code(code)}".encode()).hexdigest()


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """A user's set of one-time recovery codes, for when the authenticator app is lost."""

    def get_throttle_factor(self) -> int:
        return 1

    def regenerate(self) -> list[str]:
        """Replace every code with ten new ones; the plaintext is returned once, never stored."""
        codes = [
            "-".join(
                "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4)) for _ in range(5)
            )
            for _ in range(RECOVERY_CODE_COUNT)
        ]
        with transaction.atomic():
            self.codes.all().delete()
            for code in codes:
                salt = secrets.token_hex(16)
                RecoveryCode.objects.create(
                    device=self, salt=salt, code_hash=_recovery_hash(salt, code)
                )
        return codes

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        token = str(token)
        for stored in self.codes.select_for_update():
            if hmac.compare_digest(stored.code_hash, _recovery_hash(stored.salt, token)):
                # Used once: the row goes, so the same code is refused next time.
                stored.delete()
                self.throttle_reset()
                return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    """One unused recovery code, stored as a salted SHA-256 hash of 100 random bits."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return "recovery code"
