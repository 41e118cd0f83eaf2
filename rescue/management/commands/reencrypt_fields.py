"""Re-encrypt every encrypted field of every model under the newest key."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from rescue.crypto import encrypted_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every identifying field under the first key in FIELD_ENCRYPTION_KEYS. "
        "Run after putting a new key first; then the old keys can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        total = 0
        for model in apps.get_models(include_auto_created=True):
            fields = encrypted_fields(model)
            if not fields or not model._meta.managed:
                continue
            count = self._reencrypt(model, fields, batch_size)
            total += count
            self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows under the newest key."))

    def _reencrypt(self, model, fields: list[str], batch_size: int) -> int:
        # Reading decrypts with any key; update() encrypts with the first. update() skips
        # save() so no history rows or signals are made for what is not a real change.
        count = 0
        pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), batch_size):
            chunk = pks[start : start + batch_size]
            with transaction.atomic():
                # Locked while re-encrypted: an edit made meanwhile waits, rather than being
                # overwritten with the values read here.
                rows = (
                    model._base_manager.select_for_update()
                    .filter(pk__in=chunk)
                    .values_list("pk", *fields)
                )
                for pk, *values in rows:
                    model._base_manager.filter(pk=pk).update(
                        **dict(zip(fields, values, strict=True))
                    )
                    count += 1
        return count
