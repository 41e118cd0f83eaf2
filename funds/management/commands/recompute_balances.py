"""Recompute every account balance from its postings and report any difference."""

from django.core.management.base import BaseCommand, CommandError

from funds.services import balances_recompute


class Command(BaseCommand):
    help = (
        "Compare the stored account balances with the sums of their postings. "
        "Exits with an error if any differ, unless --fix corrects them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Correct the stored balances.")

    def handle(self, *args, **options):
        differences = balances_recompute(fix=options["fix"])
        for diff in differences:
            self.stdout.write(
                f"account {diff.account.pk} ({diff.account}): stored {diff.stored}, "
                f"postings say {diff.from_postings}" + (" (corrected)" if options["fix"] else "")
            )
        if differences and not options["fix"]:
            raise CommandError(f"{len(differences)} account balance(s) differ from the postings.")
        self.stdout.write(
            f"{len(differences)} difference(s)" + (" corrected." if differences else ".")
        )
