"""Models of the project package: capabilities for roles, and the access log."""

from django.conf import settings
from django.db import models

from rescue.roles import Cap


class Capability(models.Model):
    """Not a table: the anchor for the capability permissions that roles are made of."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = list(Cap.choices)

    def __str__(self) -> str:
        return "capability"


class AccessLog(models.Model):
    """One recorded look at or action on protected data: who, when, what, from where."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"
        VIEW_CASE = "view_case", "Viewed a case"
        EXPORT = "export", "Exported data"
        ADMIN_ACTION = "admin_action", "Administrative action"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # Only for failed sign-ins: the typed username, which may be nobody's.
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


class SiteSettings(models.Model):
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
            models.CheckConstraint(condition=models.Q(id=1), name="sitesettings_single_row"),
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

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "SiteSettings":
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row
