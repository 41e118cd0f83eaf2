"""Erase identifying data of cases closed longer than the retention period (run daily by cron)."""

from django.core.management.base import BaseCommand

from cases.retention import purge_expired, purge_plan


class Command(BaseCommand):
    help = (
        "Erase the identifying fields of cases closed longer than the retention period "
        "(site settings, default 24 months), history included. References, stages, dates, "
        "outcomes and ages stay. --dry-run shows what would go."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the cases; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        plan = purge_plan() if dry_run else purge_expired()
        verb = "would be erased" if dry_run else "erased"
        self.stdout.write(f"Cases closed before {plan.cutoff:%Y-%m-%d %H:%M} UTC.")
        self.stdout.write(f"{len(plan.references)} case(s) {verb}.")
        for reference in plan.references:
            self.stdout.write(f"  {reference}")
