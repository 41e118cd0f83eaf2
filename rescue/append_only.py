"""Rows that are written once and never changed or deleted through the ORM.

The model's default manager refuses `update()` and `delete()`, and the instance
refuses a second `save()` and `delete()`. On PostgreSQL a trigger installed by a
migration (`rescue.db_rules.AppendOnly`) refuses the same in the database, and the
app's role has no UPDATE or DELETE privilege on the table beyond `ERASABLE_FIELDS`.
What must still touch such rows (retention blanking an encrypted note, key rotation
re-encrypting it) goes through
`Model._base_manager`, which this queryset does not govern, and says why.
"""

from django.db import models


class AppendOnlyError(ValueError):
    """Raised when code tries to change or remove an append-only row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only: rows are never updated.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only: rows are never deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()
    # The only columns that may still change, and then only to empty (erasure), to a new
    # ciphertext (key rotation) or, for a `*_erased_at` stamp, once from empty. The
    # PostgreSQL trigger (rescue.db_rules) and the app role's column grants follow this.
    ERASABLE_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} is append-only: record a new row instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} is append-only: rows are never deleted.")
