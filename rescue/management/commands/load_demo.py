"""Load fictional demo data for `make run`. Refuses to run with production settings."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from rescue.roles import Role, role_groups

# Fictional accounts for a developer's machine; `load_demo` refuses to run unless DEBUG is on.
DEMO_ACCOUNTS = [
    ("intake", "demo-intake-2026", [Role.INTAKE]),
    ("coordinator", "demo-coordinator-2026", [Role.COORDINATOR]),
    ("treasurer", "demo-treasurer-2026", [Role.TREASURER]),
    ("admin", "demo-admin-2026", [Role.ADMIN]),
    ("board", "demo-board-2026", [Role.BOARD]),
]


class Command(BaseCommand):
    help = "Create demo accounts (one per role) and fictional demo data. Safe to run twice."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DEBUG is off).")
        # A server's shell without DJANGO_SETTINGS_MODULE gets development settings; a
        # database with real accounts in it is never a demo database.
        demo_names = [username for username, _password, _roles in DEMO_ACCOUNTS]
        if get_user_model().objects.exclude(username__in=demo_names).exists():
            raise CommandError(
                "This database has accounts other than the demo ones: refusing to add demo data."
            )
        with transaction.atomic():
            users = self._accounts()
            for loader in self._loaders():
                loader(users=users, stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/ as:")
        )
        for username, password, roles in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} password {password:<24} role: {', '.join(roles)}")
        if settings.OTP_REQUIRED:
            self.stdout.write(
                "Two-factor sign-in is ON: at first sign-in each account scans a QR code "
                "with an authenticator app and keeps ten recovery codes."
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    "Two-factor sign-in is relaxed for development (a red banner on every page "
                    "says so); run `OTP_REQUIRED=true make run` to try the real sign-in."
                )
            )

    def _accounts(self) -> dict:
        User = get_user_model()
        users = {}
        for username, password, roles in DEMO_ACCOUNTS:
            # example.org never delivers; in development e-mails go to the console anyway,
            # where the treasurer's readiness alert shows what a real one would say.
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org"}
            )
            if created:
                user.set_password(password)
                user.is_staff = Role.ADMIN in roles
                user.save()
                user.groups.set(role_groups(roles))
            users[username] = user
        return users

    def _loaders(self) -> list:
        # Each app with demo data has a `demo` module with an idempotent
        # `load(*, users, stdout)`; they run in INSTALLED_APPS order (cases before funds).
        loaders = []
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "demo"):
                loaders.append(import_module(f"{config.name}.demo").load)
        return loaders
