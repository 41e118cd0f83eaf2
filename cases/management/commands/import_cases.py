"""`manage.py import_cases FILE.csv --user USERNAME`: all rows or none (format in the README)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from cases.importer import cases_import


class Command(BaseCommand):
    help = "Import cases from a CSV file, one row per person. One bad row imports nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file (UTF-8), one row per person")
        parser.add_argument(
            "--user",
            required=True,
            help="Username the import is recorded as (needs the coordinator's import right)",
        )

    def handle(self, *args, file, user, **options):
        try:
            by = get_user_model().objects.get(username=user, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user {user!r}.") from None
        try:
            with open(file, "rb") as handle:
                result = cases_import(file=handle, by=by)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        except PermissionDenied:
            raise CommandError(f"{user} may not import cases.") from None
        if not result.ok:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {e}" for e in result.errors)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(result.created)} cases ({result.people} people); "
                f"{len(result.skipped)} already present and skipped."
            )
        )
