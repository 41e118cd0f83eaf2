"""Print whether the rescue reserve can answer the next request."""

import json
from dataclasses import asdict

from django.core.management.base import BaseCommand

from funds.selectors import readiness


class Command(BaseCommand):
    help = "Print the rescue reserve's cash, commitments, available amount and band (USD)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        state = readiness()
        fields: dict[str, int | str] = {"currency": "USD"}
        fields.update(
            {
                name: value if isinstance(value, int) else str(value)
                for name, value in asdict(state).items()
            }
        )
        if options["json"]:
            self.stdout.write(json.dumps(fields))
            return
        for name, value in fields.items():
            self.stdout.write(f"{name.replace('_', ' ')}: {value}")
