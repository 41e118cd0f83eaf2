"""Import donations and expenses from a CSV file: all rows or none."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from funds import services
from funds.importer import ImportErrors, read_rows
from funds.models import EntryKind, JournalEntry
from rescue.roles import Cap, can


class Command(BaseCommand):
    help = (
        "Import a ledger CSV (date, kind, amount, currency, usd_rate, fund, case_ref, category, "
        "memo). Nothing is written unless every row is valid; rows already imported are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--user", required=True, help="The treasurer or administrator recording the rows."
        )
        parser.add_argument(
            "--override-reason",
            default="",
            help="Treasurers only: why rows may take the reserve below its minimum.",
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None or not can(user, Cap.MANAGE_LEDGER):
            raise CommandError("The --user must be an active treasurer or administrator.")
        try:
            with open(options["file"], newline="", encoding="utf-8-sig") as handle:
                rows = read_rows(handle, user=user)
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from error
        except ImportErrors as error:
            raise CommandError("Nothing imported:\n" + str(error)) from error

        imported = skipped = 0
        with transaction.atomic():
            done = set(
                JournalEntry.objects.filter(import_key__in=[row.key for row in rows]).values_list(
                    "import_key", flat=True
                )
            )
            for row in rows:
                if row.key in done:
                    skipped += 1
                    continue
                try:
                    if row.kind == EntryKind.DONATION:
                        services.donation_record(by=user, import_key=row.key, **row.fields)
                    else:
                        services.expense_record(
                            by=user,
                            import_key=row.key,
                            override_reason=options["override_reason"],
                            **row.fields,
                        )
                except (ValidationError, PermissionDenied) as error:
                    messages = getattr(error, "messages", ["not allowed"])
                    raise CommandError(
                        f"Nothing imported:\nline {row.line}: {'; '.join(messages)}"
                    ) from error
                imported += 1
        self.stdout.write(f"Imported {imported} entries; skipped {skipped} already imported.")
